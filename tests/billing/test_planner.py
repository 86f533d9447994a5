"""The planner: budget ↔ workers ↔ months, and the article's Gianyar 2024 figure."""

import datetime as dt

import pytest

from lindung.billing import planner
from lindung.billing.planner import Package
from lindung.programs.services import create_program
from lindung.regions.models import Region
from tests.billing.conftest import program_data

pytestmark = pytest.mark.django_db
GIANYAR_2024 = "12.800 pekerja × Rp 16.800 × 6 bulan = Rp 1.290.240.000"


def test_gianyar_2024_from_the_regency_two_rounds_of_100_per_desa():
    plan = planner.for_region(
        Region.objects.get(code="51.04"),
        per_village=100,
        rounds=2,
        package=Package(start=dt.date(2024, 1, 1)),
    )
    assert (plan.workers, plan.monthly_premium, plan.months) == (12_800, 16_800, 6)
    assert plan.budget == 1_290_240_000
    assert plan.formula == GIANYAR_2024
    assert len(plan.villages) == 64 and plan.villages[0].budget == 200 * 100_800


def test_gianyar_2024_from_the_program():
    program = create_program(
        user=None,
        data=program_data(
            name="Perlindungan Pekerja Rentan Gianyar 2024",
            year=2024,
            rounds="01/2024, 07/2024",
            budget=1_290_240_000,
        ),
    )
    plan = planner.for_program(program)
    assert plan.formula == GIANYAR_2024
    assert plan.leftover == 0


def test_budget_to_workers_and_back():
    package = Package(start=dt.date(2024, 1, 1))
    plan = planner.for_budget(1_290_240_000 + 50_000, package)
    assert (plan.workers, plan.leftover) == (12_800, 50_000)
    assert planner.for_workers(2_829, Package(months=12)).budget == 570_326_400


def test_a_coverage_target_needs_the_workers_still_uncovered():
    plan = planner.for_target(109_417, 40, covered=34_000, package=Package())
    assert plan.workers == 43_767 - 34_000  # 40% of 109,417 rounded up
    assert plan.budget == plan.workers * 100_800


def test_this_year_and_next_tell_a_self_payer_the_relief_ends():
    package = Package(payer="self", start=dt.date(2026, 4, 1), months=6)
    (this, now), (_, later) = planner.this_year_and_next(
        lambda p: planner.for_workers(100, p), package
    )
    assert this == 2026 and now.budget == 100 * 6 * 8_400
    assert later.budget == 100 * 6 * 16_800
    assert "PP 50/2025" in now.rule_label


def test_gianyar_2024_from_the_demo_programs_definition():
    """The demo's own Gianyar 2024 program (``lindung demo load``), without its 12,800
    synthetic workers, which take too long to load for a unit test."""
    from lindung.demo import programs as demo

    spec = next(s for s in demo.FINISHED if s.name.endswith("Gianyar 2024"))
    villages = demo._villages(spec.area, spec.include_kelurahan)
    program = demo._program(spec, villages, places=len(villages) * 100 * 2)
    plan = planner.for_program(program)
    assert plan.formula == GIANYAR_2024
    assert plan.budget == program.budget
