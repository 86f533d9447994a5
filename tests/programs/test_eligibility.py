"""Every refusal at proposal time has its stable code and an Indonesian message."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from lindung.people.models import Person
from lindung.programs import eligibility, services
from lindung.programs.eligibility import Ineligible
from lindung.programs.models import Enrollment, Program, ProgramVillage, VillageQuota
from tests.factories import TODAY
from tests.programs.conftest import (
    BATUBULAN,
    GIANYAR_KELURAHAN,
    KETEWEL,
    NEGARA_JEMBRANA,
    make_person,
)


def refusal(program, person, user=None, today=TODAY, **kwargs) -> Ineligible:
    with pytest.raises(Ineligible) as refused:
        services.propose(user=user, program=program, person=person, today=today, **kwargs)
    return refused.value


def test_every_code_has_an_indonesian_message():
    for code in eligibility.CODES:
        message = str(eligibility.MESSAGES[code])
        assert message and message[0].isupper() and message.endswith(".")


def test_a_worker_who_fits_is_proposed(program, person):
    enrollment = services.propose(user=None, program=program, person=person, today=TODAY)
    assert (enrollment.state, enrollment.committed_premium) == ("proposed", 6 * 16_800)
    assert enrollment.regency_code == "51.04"


def test_quota_full(program, regency_admin):
    services.set_village_quota(user=regency_admin, program=program, village_code=BATUBULAN, quota=2)
    for _ in range(2):
        services.propose(user=None, program=program, person=make_person(), today=TODAY)
    refused = refusal(program, make_person())
    assert refused.code == "quota_full"
    assert "Kuota desa" in refused.message
    # The other round and the other villages still have room.
    round_two = program.rounds.get(number=2)
    services.propose(user=None, program=program, person=make_person(), today=TODAY, round=round_two)
    services.propose(user=None, program=program, person=make_person(KETEWEL), today=TODAY)
    assert VillageQuota.objects.get(round__number=1, village=BATUBULAN).used == 2


def test_quota_cannot_be_set_below_places_used(program, regency_admin):
    services.propose(user=None, program=program, person=make_person(), today=TODAY)
    services.propose(user=None, program=program, person=make_person(), today=TODAY)
    with pytest.raises(services.ProgramInvalid) as invalid:
        services.set_village_quota(
            user=regency_admin, program=program, village_code=BATUBULAN, quota=1
        )
    assert invalid.value.problems[0].code == "quota_below_used"
    assert set(VillageQuota.objects.filter(village=BATUBULAN).values_list("quota", flat=True)) == {
        100
    }


def test_budget_exceeded(make_program):
    program = make_program(budget=100_800 * 2)
    for _ in range(2):
        services.propose(user=None, program=program, person=make_person(), today=TODAY)
    refused = refusal(program, make_person(KETEWEL))
    assert refused.code == "budget_exceeded"
    program.refresh_from_db()
    assert program.committed == program.budget == 201_600
    # The refused proposal left no trace on the counters.
    assert VillageQuota.objects.get(round__number=1, village=KETEWEL).used == 0


def test_budget_exceeded_for_one_village_on_its_own_budget(make_program, regency_admin):
    program = make_program(funder="apbdes", budget=None, village_budget=100_800)
    del program
    program = Program.objects.get(name="Perlindungan Pekerja Rentan Gianyar 2027")
    assert program.funding_code == "SD" and program.budget == 64 * 100_800
    services.propose(user=None, program=program, person=make_person(), today=TODAY)
    assert refusal(program, make_person()).code == "budget_exceeded"
    services.propose(user=None, program=program, person=make_person(KETEWEL), today=TODAY)
    assert ProgramVillage.objects.get(program=program, village=BATUBULAN).committed == 100_800


def test_already_covered_in_another_program(make_program):
    first = make_program()
    second = make_program(name="Program Provinsi Bali 2027", area_code="51", funder="province")
    person = make_person()
    services.propose(user=None, program=first, person=person, today=TODAY)
    assert refusal(second, person).code == "already_covered"
    assert refusal(first, person).code == "already_covered"


def test_already_covered_as_a_formal_worker(program):
    assert refusal(program, make_person(segment=Person.Segment.PU)).code == "already_covered"


def test_already_covered_held_by_the_database(program):
    """Even if the pre-check is skipped, the unique index refuses a second open enrollment."""
    person = make_person()
    services.propose(user=None, program=program, person=person, today=TODAY)
    Enrollment.objects.filter(person=person).update(state="active")
    original = eligibility.static_problem
    try:
        services.eligibility.static_problem = lambda *a, **k: None
        assert refusal(program, person).code == "already_covered"
    finally:
        services.eligibility.static_problem = original
    assert Enrollment.objects.filter(person=person).count() == 1
    assert VillageQuota.objects.get(round__number=1, village=BATUBULAN).used == 1


def test_ended_workers_may_be_proposed_again(make_program):
    old = make_program(name="Gianyar 2024", year=2024, rounds="01/2024")
    person = make_person()
    enrollment = services.propose(user=None, program=old, person=person, today=dt.date(2023, 12, 1))
    Enrollment.objects.filter(pk=enrollment.pk).update(state="ended")
    services.propose(user=None, program=make_program(), person=person, today=TODAY)


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        (dt.date(1961, 1, 1), False),  # turns 66 on 01/01/2027, the round's first day
        (dt.date(1961, 1, 2), True),  # still 65 on that day
        (dt.date(2009, 1, 1), True),  # turns 18 that day
        (dt.date(2009, 1, 2), False),  # 17
    ],
)
def test_age_out_of_range(program, born, ok):
    """Age counts on the first day of the round (01/01/2027), limits 18–65 inclusive."""
    person = make_person(born=born)
    if ok:
        services.propose(user=None, program=program, person=person, today=TODAY)
    else:
        refused = refusal(program, person)
        assert refused.code == "age_out_of_range"
        assert "18–65 tahun" in refused.message


def test_age_is_measured_on_today_once_the_round_has_started(make_program):
    program = make_program(rounds="10/2026")
    person = make_person(born=dt.date(1961, 11, 1))  # 65 on 01/10/2026, 65 on 25/11/2026
    services.propose(user=None, program=program, person=person, today=TODAY)
    older = make_person(born=dt.date(1960, 11, 1))  # 66 on 25/11/2026
    assert refusal(program, older).code == "age_out_of_range"


def test_category_not_eligible(make_program):
    program = make_program(eligible_categories=["perangkat_desa", "kader_desa"])
    refused = refusal(program, make_person(category="petugas_parkir"))
    assert refused.code == "category_not_eligible"
    assert "Perangkat desa" in refused.message
    services.propose(
        user=None, program=program, person=make_person(category="kader_desa"), today=TODAY
    )


def test_outside_program_area(program, make_program):
    assert refusal(program, make_person(NEGARA_JEMBRANA)).code == "outside_program_area"
    assert refusal(program, make_person(GIANYAR_KELURAHAN)).code == "outside_program_area"
    with_kelurahan = make_program(name="Gianyar dengan kelurahan", include_kelurahan=True)
    services.propose(
        user=None, program=with_kelurahan, person=make_person(GIANYAR_KELURAHAN), today=TODAY
    )


def test_round_closed(make_program):
    program = make_program(rounds="01/2026")  # January to June 2026, before TODAY
    assert refusal(program, make_person()).code == "round_closed"


def test_operator_proposes_only_in_own_village(program, operator, viewer, agent):
    services.propose(user=operator, program=program, person=make_person(), today=TODAY)
    with pytest.raises(PermissionDenied):
        services.propose(user=operator, program=program, person=make_person(KETEWEL), today=TODAY)
    for user in (viewer, agent):
        with pytest.raises(PermissionDenied):
            services.propose(user=user, program=program, person=make_person(), today=TODAY)


def test_propose_niks_reports_each_line(program, operator):
    mine = make_person()
    other_village = make_person(KETEWEL)
    results = services.propose_niks(
        user=operator,
        program=program,
        niks=[mine.nik, mine.nik, other_village.nik, "5104011902851", "5.10401E+15"],
        today=TODAY,
    )
    assert [(r.nik[:6], r.code) for r in results] == [
        ("510401", ""),
        ("510401", "duplicate_in_list"),
        ("510401", "not_registered"),
        ("510401", "nik_format"),
        ("5.1040", "nik_scientific_notation"),
    ]
    assert results[0].ok and all(r.message for r in results[1:])


def test_already_covered_names_the_program(make_program):
    first = make_program()
    second = make_program(name="Program Provinsi Bali 2027", area_code="51", funder="province")
    person = make_person()
    services.propose(user=None, program=first, person=person, today=TODAY)
    assert first.name in refusal(second, person).message


def test_already_covered_as_an_active_member_on_the_insurers_list(program):
    """A member elsewhere is refused before the insurer has to, with the list named."""
    from lindung.people.models import Membership

    person = make_person()
    Membership.objects.create(
        person=person,
        kpj="24001234",
        status=Membership.Status.ACTIVE,
        as_of=dt.date(2026, 11, 30),
        source=Membership.Source.MEMBER_LIST,
        source_label="peserta-gianyar-nov.xlsx",
    )
    refused = refusal(program, person)
    assert refused.code == "already_covered"
    assert "peserta-gianyar-nov.xlsx" in refused.message and "daftar peserta" in refused.message


def test_an_inactive_member_or_one_our_program_paid_for_may_be_proposed(make_program):
    from lindung.people.models import Membership

    program = make_program()
    inactive, ours = make_person(), make_person()
    Membership.objects.create(
        person=inactive,
        kpj="24001235",
        status=Membership.Status.INACTIVE,
        as_of=dt.date(2026, 11, 30),
        source=Membership.Source.MEMBER_LIST,
        source_label="peserta.xlsx",
    )
    # Active on the list only because an earlier sponsorship of ours ran until then.
    earlier = make_program(name="Program 2026", year=2026, rounds="01/2026")
    enrollment = services.propose(
        user=None, program=earlier, person=ours, today=dt.date(2026, 1, 1)
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        state="ended", coverage_end=dt.date(2026, 6, 30)
    )
    Membership.objects.create(
        person=ours,
        kpj="24001236",
        status=Membership.Status.ACTIVE,
        as_of=dt.date(2026, 6, 1),
        source=Membership.Source.MEMBER_LIST,
        source_label="peserta.xlsx",
    )
    assert services.propose(user=None, program=program, person=inactive, today=TODAY)
    assert services.propose(user=None, program=program, person=ours, today=TODAY)
