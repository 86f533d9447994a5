"""The employer registry: NIB and KBLI checks, the compliance rule, scope, history."""

import datetime as dt

import pytest

from lindung.employers import kbli, selectors, services
from lindung.employers.models import Compliance, ComplianceRule, Employer, SizeClass
from tests.employers.conftest import BATUBULAN, JEMBRANA, TODAY, make_employer

pytestmark = pytest.mark.django_db


def codes_of(error) -> dict:
    return {p.field: p.code for p in error.value.problems}


# --- KBLI ---------------------------------------------------------------------------------


def test_kbli_has_the_21_sections_of_kbli_2020():
    assert list(kbli.sections()) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert kbli.sections()["C"] == "Industri Pengolahan"


def test_kbli_parses_a_section_letter_or_a_kept_code():
    assert kbli.parse("g") == ("G", "")
    assert kbli.parse("47111") == ("G", "47111")
    assert kbli.parse("10213") == ("C", "10213")
    assert kbli.parse("99999") is None  # not in the kept list
    assert kbli.parse("V") is None
    assert kbli.parse("4711") is None


def test_every_kept_code_lies_in_a_section():
    for code in kbli.codes():
        assert kbli.section_of(code) in kbli.sections()


# --- checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nib", ["123456789012", "12345678901234", "12345678901a3", "1234 56789012"]
)
def test_a_malformed_nib_is_refused(nib):
    with pytest.raises(services.EmployerInvalid) as error:
        make_employer(nib=nib)
    assert codes_of(error)["nib"] == "nib_invalid"


def test_a_duplicated_nib_is_refused():
    make_employer()
    with pytest.raises(services.EmployerInvalid) as error:
        make_employer(name="PT Lain")
    assert codes_of(error) == {"nib": "nib_taken"}


def test_an_unknown_kbli_code_is_refused_with_an_indonesian_message():
    with pytest.raises(services.EmployerInvalid) as error:
        make_employer(sector="12345")
    problem = error.value.problems[0]
    assert (problem.field, problem.code) == ("sector", "kbli_unknown")
    assert "KBLI" in problem.message


def test_registered_above_total_is_refused_with_both_numbers():
    with pytest.raises(services.EmployerInvalid) as error:
        make_employer(registered_workers="41")
    problem = error.value.problems[0]
    assert problem.code == "registered_above_total"
    assert "41" in problem.message and "40" in problem.message


def test_workers_by_sex_must_add_up():
    with pytest.raises(services.EmployerInvalid) as error:
        make_employer(workers_male="20")
    assert codes_of(error) == {"workers_female": "sex_sum"}


def test_every_problem_is_reported_at_once():
    with pytest.raises(services.EmployerInvalid) as error:
        make_employer(name="", nib="1", sector="", village_code="51.04", total_workers="x")
    assert set(codes_of(error)) == {"name", "nib", "sector", "village_code", "total_workers"}


def test_an_employer_outside_the_users_region_is_refused(operator):
    with pytest.raises(services.EmployerInvalid) as error:
        make_employer(user=operator, village_code=JEMBRANA)
    assert codes_of(error) == {"village_code": "out_of_scope"}


def test_viewers_may_not_write(viewer):
    with pytest.raises(services.EmployerRefused):
        make_employer(user=viewer)


def test_without_nib_the_employer_is_flagged_as_known_by_name():
    employer = make_employer(nib="")
    assert employer.nib is None and employer.identified_by_name


# --- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("workers", "size"),
    [
        (1, SizeClass.MICRO),
        (4, SizeClass.MICRO),
        (5, SizeClass.SMALL),
        (19, SizeClass.SMALL),
        (20, SizeClass.MEDIUM),
        (99, SizeClass.MEDIUM),
        (100, SizeClass.LARGE),
    ],
)
def test_size_by_workers_follows_the_seeded_rule(workers, size):
    employer = make_employer(
        total_workers=str(workers),
        workers_male="",
        workers_female="",
        registered_workers="0",
        npp="",
        programs="",
    )
    assert employer.size_class == size


def test_the_rule_names_its_legal_source():
    rule = ComplianceRule.objects.get()
    assert "PP 7/2021" in rule.source and "Perpres 109/2013" in rule.source


def test_fully_registered():
    employer = make_employer()
    assert employer.compliance == Compliance.REGISTERED
    assert employer.reasons == "" and employer.uncovered == 0


def test_not_registered_without_workers_or_npp():
    employer = make_employer(registered_workers="0", npp="", programs="")
    assert employer.compliance == Compliance.NOT_REGISTERED
    assert employer.uncovered == 40


def test_partly_registered_names_each_pds_category():
    employer = make_employer(registered_workers="30", programs="JKK,JKM", wage_underreported="1")
    assert employer.compliance == Compliance.PARTLY
    assert employer.reasons.split(",") == ["pds_tk", "pds_upah", "pds_program"]
    assert employer.uncovered == 10
    assert services.missing_programs(employer) == ["JHT", "JP", "JKP"]


def test_a_micro_business_needs_jkk_and_jkm_only():
    employer = make_employer(
        total_workers="3",
        workers_male="",
        workers_female="",
        registered_workers="3",
        programs="JKK,JKM",
    )
    assert (employer.size_class, employer.compliance) == (SizeClass.MICRO, Compliance.REGISTERED)


def test_closed_wins_and_leaves_nobody_to_push():
    employer = make_employer(registered_workers="0", npp="", closed_on="01/11/2026")
    assert employer.compliance == Compliance.CLOSED and employer.uncovered == 0


def test_a_later_rule_applies_from_its_date():
    ComplianceRule.objects.create(
        valid_from=dt.date(2026, 6, 1),
        micro_max=9,
        small_max=49,
        medium_max=199,
        programs_micro="JKK,JKM",
        programs_small="JKK,JKM,JHT",
        programs_medium="JKK,JKM,JHT,JP",
        programs_large="JKK,JKM,JHT,JP",
        source="uji",
    )
    assert make_employer(nib="1111111111111").size_class == SizeClass.SMALL  # 40 ≤ 49
    older = make_employer(
        nib="2222222222222", registration_as_of="01/01/2026", workers_as_of="01/01/2026"
    )
    assert older.size_class == SizeClass.MEDIUM


# --- updates, history, scope --------------------------------------------------------------


def test_an_update_keeps_the_earlier_figures_in_the_history():
    employer = make_employer(registered_workers="10")
    services.update_employer(
        user=None, employer=employer, changes={"registered_workers": "35"}, today=TODAY
    )
    employer.refresh_from_db()
    assert employer.registered_workers == 35 and employer.uncovered == 5
    assert list(
        employer.history.order_by("history_date").values_list("registered_workers", flat=True)
    ) == [10, 35]


def test_an_update_may_keep_its_own_nib():
    employer = make_employer()
    services.update_employer(user=None, employer=employer, changes={"name": "PT Baru"}, today=TODAY)
    assert Employer.objects.get().name == "PT Baru"


def test_reads_are_scoped(operator, regency_admin):
    inside = make_employer()
    make_employer(nib="9999999999999", village_code=JEMBRANA)
    assert list(selectors.employers_for(operator)) == [inside]
    assert list(selectors.employers_for(regency_admin)) == [inside]
    assert selectors.employers_for(None).count() == 2


def test_the_database_refuses_registered_above_total():
    from django.db import IntegrityError, transaction

    employer = make_employer()
    with pytest.raises(IntegrityError), transaction.atomic():
        Employer.objects.filter(pk=employer.pk).update(registered_workers=41)


def test_filters_by_sector_size_and_compliance():
    fish = make_employer()
    shop = make_employer(
        nib="3333333333333",
        name="Minimarket",
        sector="47111",
        total_workers="6",
        workers_male="",
        workers_female="",
        registered_workers="0",
        npp="",
        programs="",
    )
    assert list(selectors.employers_for(None, {"sector": "C"})) == [fish]
    assert list(selectors.employers_for(None, {"sector": "47111"})) == [shop]
    assert list(selectors.employers_for(None, {"size": "small"})) == [shop]
    assert list(selectors.employers_for(None, {"compliance": "not_registered"})) == [shop]
    assert list(selectors.employers_for(None, {"district": BATUBULAN[:8]})) == [shop, fish]
    assert not selectors.employers_for(None, {"district": "51.04.05"}).exists()
