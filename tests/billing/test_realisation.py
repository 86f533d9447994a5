"""Budget realisation at any date: allocated, committed, billed, paid, remaining, and the
80% warning; consistent with the programs app's committed counter."""

import datetime as dt

import pytest
from django.utils import timezone

from lindung.billing.models import BillingRun
from lindung.billing.selectors import Figures, realisation, realisations_for
from lindung.billing.services import record_payment, run_billing
from lindung.programs.lifecycle import State
from lindung.programs.services import move_many
from tests.billing.conftest import BATUBULAN, KETEWEL, activate, make_person, sponsor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 20)  # the program's calendar: billing and payment dates
NOW = timezone.localdate()  # proposals and runs are stamped with the real clock


@pytest.fixture
def program(make_billing_program):
    program = make_billing_program(budget=6 * 100_800)  # six places
    people = [make_person(BATUBULAN) for _ in range(3)] + [make_person(KETEWEL) for _ in range(2)]
    activate(sponsor(program, people), dt.date(2024, 1, 19))
    program.refresh_from_db()
    return program


def test_today_committed_is_the_programs_own_counter(program):
    real = realisation(None, program, NOW)
    assert real.total.committed == program.committed == 5 * 100_800
    assert (real.total.allocated, real.total.billed, real.total.paid) == (604_800, 0, 0)
    assert real.total.remaining == 100_800
    assert real.total.used_percent == 83 and real.total.level == "warning"


def test_figures_move_with_billing_and_payments_and_past_dates_stay(program):
    january = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY)
    record_payment(
        user=None, bill=january.bills[0], paid_on="15/02/2024", amount=84_000,
        reference="SP2D-1", today=TODAY,
    )  # fmt: skip
    now = realisation(None, program, NOW)
    assert (now.total.billed, now.total.paid, now.total.outstanding) == (84_000, 84_000, 0)
    assert now.by_month == [(dt.date(2024, 1, 1), 84_000, 84_000)]
    # The day before the payment, nothing was paid; before any run, nothing was billed.
    assert realisation(None, program, dt.date(2024, 2, 14)).total.paid == 0
    run = BillingRun.objects.get()
    BillingRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.make_aware(dt.datetime(2024, 2, 1, 9))
    )
    assert realisation(None, program, dt.date(2024, 1, 31)).total.billed == 0
    assert realisation(None, program, dt.date(2024, 2, 1)).total.billed == 84_000


def test_committed_at_a_date_counts_proposals_then_and_releases_after(program):
    late = sponsor(program, [make_person(KETEWEL)])  # proposed "now"
    move_many(user=None, enrollments=type(late[0]).objects.filter(pk=late[0].pk),
              to_state=State.WITHDRAWN, reason="pindah")  # fmt: skip
    program.refresh_from_db()
    assert realisation(None, program, NOW).total.committed == program.committed
    assert realisation(None, program, dt.date(2023, 12, 31)).total.committed == 0


def test_villages_are_scoped_to_the_user(program, operator):
    run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY)
    everyone = realisation(None, program, NOW)
    assert {v.village_code: (v.committed, v.billed) for v in everyone.villages} == {
        BATUBULAN: (3 * 100_800, 3 * 16_800),
        KETEWEL: (2 * 100_800, 2 * 16_800),
    }
    mine = realisation(operator, program, NOW)
    assert [v.village_code for v in mine.villages] == [BATUBULAN]
    assert mine.total.billed == 84_000  # the program's total is not personal data


def test_village_budgets_are_realised_per_village(make_billing_program):
    program = make_billing_program(
        name="APBDes 2024", funder="apbdes", budget="", village_budget=201_600
    )
    activate(sponsor(program, [make_person(BATUBULAN), make_person(BATUBULAN)]),
             dt.date(2024, 1, 1))  # fmt: skip
    result = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY)
    record_payment(user=None, bill=result.bills[0], paid_on="10/02/2024", amount=33_600,
                   reference="APBDES-1", today=TODAY)  # fmt: skip
    rows = {v.village_code: v for v in realisation(None, program, NOW).villages}
    batubulan = rows[BATUBULAN]
    assert (batubulan.allocated, batubulan.committed, batubulan.billed, batubulan.paid) == (
        201_600, 201_600, 33_600, 33_600,
    )  # fmt: skip
    assert batubulan.level == "warning"  # 100% committed, not past it
    assert rows[KETEWEL].committed == 0


def test_levels_warn_at_80_percent_and_refuse_past_100():
    assert Figures(1_000, 799, 0, 0).level == "ok"
    assert Figures(1_000, 800, 0, 0).level == "warning"
    assert Figures(1_000, 100, 1_000, 0).level == "warning"
    assert Figures(1_000, 1_001, 0, 0).level == "over"
    assert Figures(None, 5, 5, 0).level == "ok"


def test_the_funders_overview_lists_every_visible_program(program, regency_admin, make_user):
    from lindung.accounts.models import Role

    assert [r.program for r in realisations_for(regency_admin, TODAY)] == [program]
    outsider = make_user("disnaker.jembrana", Role.REGENCY_ADMIN, "51.01")
    assert realisations_for(outsider, TODAY) == []
