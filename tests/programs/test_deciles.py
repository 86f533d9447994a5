"""The most vulnerable first: a program's favoured DTSEN deciles, and candidates ordered by
decile (unknown last), then category."""

import pytest

from lindung.people.categories import Category
from lindung.programs import selectors, services
from lindung.programs.eligibility import Ineligible
from lindung.programs.services import ProgramInvalid
from tests.factories import TODAY
from tests.programs.conftest import BATUBULAN, make_person

pytestmark = pytest.mark.django_db


def _with_decile(decile, category=Category.PEKERJA_RENTAN, name="I Made Uji"):
    person = make_person(category=category, name=name)
    person.welfare_decile = decile
    person.save()
    return person


def test_candidates_come_by_decile_then_category(make_program, regency_admin):
    program = make_program()
    rich = _with_decile(9, name="A Kaya")
    unknown = _with_decile(None, name="B Tanpa Desil")
    poor_vulnerable = _with_decile(1, Category.PEKERJA_RENTAN, name="C Rentan")
    poor_village_staff = _with_decile(1, Category.PERANGKAT_DESA, name="D Perangkat")
    middle = _with_decile(4, name="E Tengah")
    order = list(selectors.proposal_candidates(regency_admin, program, BATUBULAN))
    assert order == [poor_village_staff, poor_vulnerable, middle, rich, unknown]


def test_favoured_deciles_come_before_the_others_even_if_covered_ones_move_last(
    make_program, regency_admin
):
    program = make_program(favoured_decile_max="1-4")
    assert program.favoured_decile_max == 4 and program.others_fill_remaining
    inside, outside = _with_decile(4, name="Z Dalam"), _with_decile(5, name="A Luar")
    covered = _with_decile(1, name="B Sudah")
    services.propose(user=None, program=program, person=covered, today=TODAY)
    order = list(selectors.proposal_candidates(regency_admin, program, BATUBULAN))
    assert order == [inside, outside, covered]
    assert [w.favoured for w in order] == [True, False, True]


def test_others_may_fill_remaining_places_unless_the_program_says_no(make_program):
    open_to_all = make_program(favoured_decile_max=4)
    assert services.propose(user=None, program=open_to_all, person=_with_decile(8), today=TODAY)

    strict = make_program(
        name="Program Desil 1-4", favoured_decile_max="1–4", others_fill_remaining=False
    )
    with pytest.raises(Ineligible) as refused:
        services.propose(user=None, program=strict, person=_with_decile(6), today=TODAY)
    assert refused.value.code == "decile_not_favoured"
    assert "1–4" in refused.value.message and "6" in refused.value.message
    with pytest.raises(Ineligible) as refused:
        services.propose(user=None, program=strict, person=_with_decile(None), today=TODAY)
    assert "belum diketahui" in refused.value.message
    assert services.propose(user=None, program=strict, person=_with_decile(3), today=TODAY)


@pytest.mark.parametrize("value", ["0", "11", "2-4", "empat"])
def test_a_favoured_decile_outside_1_to_10_is_refused(make_program, value):
    with pytest.raises(ProgramInvalid) as refused:
        make_program(favoured_decile_max=value)
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("favoured_decile_max", "decile_invalid")
    ]
    assert "1 sampai 10" in refused.value.problems[0].message


def test_the_preference_can_be_changed_and_shows_on_the_program_page(
    client, make_program, regency_admin
):
    program = make_program()
    services.update_program(
        user=regency_admin,
        program=program,
        changes={"favoured_decile_max": "4", "others_fill_remaining": False},
    )
    program.refresh_from_db()
    assert (program.favoured_decile_max, program.others_fill_remaining) == (4, False)
    client.force_login(regency_admin)
    page = client.get(f"/program/{program.pk}/").content.decode()
    assert "desil 1–4 diutamakan" in page and "desil lain tidak diterima" in page


# ---- budget against places ---------------------------------------------------------------


def test_a_budget_that_cannot_pay_for_the_places_says_so(make_program, client, regency_admin):
    # 64 villages × 100 places × 2 rounds at Rp 100.800 each (6 × Rp 16.800) would need
    # Rp 1.290.240.000; this budget pays 1.000 workers.
    program = make_program(budget=1_000 * 100_800)
    check = selectors.budget_check(program)
    assert (check.per_worker, check.months, check.affordable) == (100_800, 6, 1_000)
    assert check.workers == 12_800 and check.needed == 12_800 * 100_800 and check.short
    warning = services.budget_warning(program)
    assert "1.000 pekerja × 6 bulan" in warning and "Rp 100.800" in warning
    assert "12.800 pekerja" in warning and "Rp 1.290.240.000" in warning

    client.force_login(regency_admin)
    page = client.get(f"/program/{program.pk}/").content.decode()
    assert 'id="budget-warning"' in page


def test_a_target_count_of_workers_is_priced_instead_of_the_places(make_program):
    # Published: 2,829 workers × Rp 16,800 × 12 = Rp 570,326,400.
    program = make_program(
        budget=570_326_400, target_workers="2.829", sponsored_months=12, rounds="01/2027"
    )
    assert program.target_workers == 2_829
    check = selectors.budget_check(program)
    assert (check.workers, check.needed, check.affordable) == (2_829, 570_326_400, 2_829)
    assert services.budget_warning(program) == ""
    services.update_program(user=None, program=program, changes={"target_workers": 3_000})
    program.refresh_from_db()
    assert "3.000 pekerja" in services.budget_warning(program)
    with pytest.raises(ProgramInvalid) as refused:
        services.update_program(user=None, program=program, changes={"target_workers": "0"})
    assert refused.value.problems[0].code == "target_invalid"


def test_the_api_gives_the_budget_figure(client, make_program, regency_admin):
    from lindung.accounts.services import issue_token

    program = make_program(budget=1_000 * 100_800)
    headers = {"Authorization": f"Bearer {issue_token(regency_admin)}"}
    body = client.get(f"/api/v1/programs/{program.pk}", headers=headers).json()
    assert body["budget_pays_workers"] == 1_000 and body["budget_needed"] == 12_800 * 100_800
    assert body["budget_warning"].startswith("Pagu Rp 100.800.000")
