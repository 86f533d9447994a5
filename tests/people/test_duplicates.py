"""The same person twice: flagged at registration (form, API, sync) and reviewed by the
regency: merge or dismiss, with history and scope."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lindung.people import selectors, services
from lindung.people.models import Membership, Person, PossibleDuplicate
from tests.factories import TODAY, nik_for, worker_data

pytestmark = pytest.mark.django_db


def register(user, serial, **changes):
    born = changes.pop("born", dt.date(1985, 2, 19))
    sex = changes.get("sex", "L")
    changes.setdefault("phone", f"0812000{serial:05d}")
    data = worker_data(
        nik=nik_for("51.04.01", born, sex, serial), birth_date=born.strftime("%d/%m/%Y"), **changes
    )
    return services.register_worker(user=user, data=data, today=TODAY)


def test_similar_name_same_birth_date_is_flagged_not_refused(operator):
    first = register(operator, 1, full_name="I Made Sudarta")
    second = register(operator, 2, full_name="I Made Sudartha")
    assert Person.objects.count() == 2
    assert [d["id"] for d in second.possible_duplicates] == [first.pk]
    assert "I Made Sudarta" in second.possible_duplicates[0]["label"]
    pair = PossibleDuplicate.objects.get()
    assert (pair.person_id, pair.other_id, pair.reason) == (second.pk, first.pk, "name")
    assert pair.regency_code == "51.04" and pair.status == "open"
    assert pair.history.count() == 1


def test_brothers_and_other_birth_dates_are_not_flagged(operator):
    register(operator, 1, full_name="I Made Sudarta")
    assert register(operator, 2, full_name="I Ketut Sudarta").possible_duplicates == []
    later = register(operator, 3, full_name="I Made Sudarta", born=dt.date(1985, 2, 20))
    assert later.possible_duplicates == []
    woman = register(operator, 4, full_name="Ni Made Sudarta", sex="P")
    assert woman.possible_duplicates == []
    assert not PossibleDuplicate.objects.exists()


def test_the_same_phone_is_flagged_whatever_the_name(operator):
    first = register(operator, 1, full_name="I Made Sudarta")
    other = register(
        operator, 2, full_name="Ni Kadek Ayu", sex="P", born=dt.date(1990, 5, 1),
        phone="081200000001",
    )  # fmt: skip
    assert [(d["id"], d["reason"]) for d in other.possible_duplicates] == [(first.pk, "phone")]


def test_another_regency_is_not_compared(operator, make_user):
    register(operator, 1, full_name="I Made Sudarta")
    tabanan = make_user("op.tabanan", "village_operator", "51.02.01.2001")
    born = dt.date(1985, 2, 19)
    data = worker_data(
        nik=nik_for("51.02.01", born, "L", 1), village_code="51.02.01.2001",
        full_name="I Made Sudarta", phone="081200000001",
    )  # fmt: skip
    person = services.register_worker(user=tabanan, data=data, today=TODAY)
    assert person.possible_duplicates == []


def test_check_can_be_switched_off(operator, settings):
    settings.LINDUNG_DUPLICATE_CHECK = False
    register(operator, 1, full_name="I Made Sudarta")
    assert register(operator, 2, full_name="I Made Sudarta").possible_duplicates == []


def test_dismiss_keeps_both_and_records_who(operator, regency_admin):
    register(operator, 1, full_name="I Made Sudarta")
    register(operator, 2, full_name="I Made Sudartha")
    pair = PossibleDuplicate.objects.get()
    with pytest.raises(PermissionDenied):
        services.dismiss_duplicate(user=operator, pair=pair)
    services.dismiss_duplicate(user=regency_admin, pair=pair, note="kembar")
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by, pair.note) == ("dismissed", regency_admin, "kembar")
    assert Person.objects.count() == 2
    assert [h.status for h in pair.history.order_by("history_id")] == ["open", "dismissed"]
    with pytest.raises(services.DuplicateRefused) as refused:
        services.dismiss_duplicate(user=regency_admin, pair=pair)
    assert refused.value.code == "duplicate_decided"


def test_merge_moves_the_membership_and_deletes_the_other(operator, regency_admin):
    first = register(operator, 1, full_name="I Made Sudarta")
    second = register(operator, 2, full_name="I Made Sudartha")
    Membership.objects.create(
        person=second, kpj="12345678901", status="active", as_of=TODAY,
        source="member_list", source_label="daftar.xlsx",
    )  # fmt: skip
    pair = PossibleDuplicate.objects.get()
    services.merge_duplicate(user=regency_admin, pair=pair, keep=first.pk, note="sama")
    assert list(Person.objects.values_list("pk", flat=True)) == [first.pk]
    assert Membership.objects.get().person_id == first.pk
    pair.refresh_from_db()
    assert (pair.status, pair.person_id, pair.other_id) == ("merged", first.pk, None)
    assert "I Made Sudartha" in pair.other_label and "******" in pair.other_label
    gone = Person.history.filter(id=second.pk, history_type="-").get()
    assert gone.history_change_reason == f"digabung ke data #{first.pk}"


def test_merge_refused_when_both_have_a_kpj(operator, regency_admin):
    first = register(operator, 1, full_name="I Made Sudarta")
    second = register(operator, 2, full_name="I Made Sudartha")
    for person, kpj in ((first, "11111111111"), (second, "22222222222")):
        Membership.objects.create(
            person=person, kpj=kpj, status="active", as_of=TODAY, source="member_list",
            source_label="x",
        )  # fmt: skip
    pair = PossibleDuplicate.objects.get()
    with pytest.raises(services.DuplicateRefused) as refused:
        services.merge_duplicate(user=regency_admin, pair=pair, keep=first.pk)
    assert refused.value.code == "merge_both_members"
    assert Person.objects.count() == 2


def test_merge_refused_when_both_are_enrolled(operator, regency_admin, system_admin):
    from lindung.programs import services as programs
    from tests.programs.conftest import program_data

    program = programs.create_program(user=system_admin, data=program_data())
    first = register(operator, 1, full_name="I Made Sudarta")
    second = register(operator, 2, full_name="I Made Sudartha")
    for person in (first, second):
        programs.propose(user=None, program=program, person=person, today=TODAY)
    pair = PossibleDuplicate.objects.get()
    with pytest.raises(services.DuplicateRefused) as refused:
        services.merge_duplicate(user=regency_admin, pair=pair, keep=first.pk)
    assert refused.value.code == "merge_both_enrolled"
    assert "kepesertaan program" in refused.value.message
    assert Person.objects.count() == 2 and first.enrollments.count() == 1


def test_merge_moves_a_single_enrollment(operator, regency_admin, system_admin):
    from lindung.programs import services as programs
    from tests.programs.conftest import program_data

    program = programs.create_program(user=system_admin, data=program_data())
    first = register(operator, 1, full_name="I Made Sudarta")
    second = register(operator, 2, full_name="I Made Sudartha")
    enrollment = programs.propose(user=None, program=program, person=second, today=TODAY)
    pair = PossibleDuplicate.objects.get()
    services.merge_duplicate(user=regency_admin, pair=pair, keep=first.pk)
    enrollment.refresh_from_db()
    assert enrollment.person_id == first.pk
    assert enrollment.history.first().person_id == first.pk  # saved with its history


def test_review_list_is_scoped(operator, regency_admin, make_user):
    register(operator, 1, full_name="I Made Sudarta")
    register(operator, 2, full_name="I Made Sudartha")
    pair = PossibleDuplicate.objects.get()
    badung = make_user("disnaker.badung", "regency_admin", "51.03")
    assert list(selectors.duplicates_for(regency_admin)) == [pair]
    assert list(selectors.duplicates_for(badung)) == []
    with pytest.raises(Http404):
        selectors.get_duplicate(badung, pair.pk)
    assert not selectors.can_review_duplicates(operator)


def test_the_query_flags_what_the_rule_says(db):
    """The one SQL query (pg_trgm on PostgreSQL, the Python function on SQLite) flags
    exactly the pairs ``names.similar`` and the phone rule give, on the same records."""
    from itertools import permutations

    from lindung.people import duplicates
    from lindung.people.names import similar
    from tests.people.test_names import PAIRS

    names = sorted({n for a, b, _ in PAIRS for n in (a, b)})
    people = []
    for serial, name in enumerate(names, start=1):
        born = dt.date(1985, 2, 19) if serial % 3 else dt.date(1990, 1, 1)
        person = Person(
            nik=nik_for("51.04.01", born, "L", serial), full_name=name, sex="L", birth_date=born,
            village_id="51.04.01.2001", category="pekerja_rentan", declared_income=1,
            phone="081211112222" if serial in (1, 2) else f"0813{serial:08d}",
        )  # fmt: skip
        person.set_region_codes()
        person.set_name_key()
        person.save()
        people.append(person)
    expected = {
        (a.pk, b.pk)
        for a, b in permutations(people, 2)
        if (a.birth_date == b.birth_date and similar(a.name_key, b.name_key)) or a.phone == b.phone
    }
    found = {(f.new_id, f.other_id) for f in duplicates.find([p.pk for p in people])}
    assert found == expected and len(expected) >= 4
