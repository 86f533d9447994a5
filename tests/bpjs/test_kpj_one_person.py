"""A KPJ belongs to one person: an answer giving an already-used KPJ to somebody else is a
row error (``kpj_taken``), also when two answer files are applied at the same moment."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from lindung.bpjs import services
from lindung.bpjs.files import write_answer
from lindung.people.models import Membership
from lindung.programs import services as programs
from lindung.programs.models import Enrollment, Program
from tests.factories import TODAY
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

EFFECTIVE = dt.date(2027, 1, 1)


def _submit(program, regency_admin, people):
    enrollments = [
        programs.propose(user=None, program=program, person=p, today=TODAY) for p in people
    ]
    programs.move_many(
        user=regency_admin,
        enrollments=Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]),
        to_state="verified",
    )
    return services.create_batch(user=regency_admin, program=program)


def _accepted(person, kpj: str) -> dict:
    return {"nik": person.nik, "kpj": kpj, "status": "DITERIMA", "effective_date": EFFECTIVE}


def _import(user, program, rows, name="jawaban.xlsx"):
    content = write_answer(rows)
    return services.import_answer(user=user, program=program, content=content, file_name=name)


@pytest.fixture
def two(program, regency_admin):
    people = [make_person(BATUBULAN, name="I Made Uji"), make_person(KETEWEL, name="Ni Luh Uji")]
    _submit(program, regency_admin, people)
    return people


def test_the_same_kpj_for_two_people_in_one_file(two, program, regency_admin):
    record = _import(
        regency_admin, program, [_accepted(two[0], "24000001"), _accepted(two[1], "24000001")]
    )
    assert record.activated == 1 and record.invalid == 1
    (problem,) = record.report
    assert problem["code"] == "kpj_taken" and problem["nik"] == two[1].nik
    assert "24000001" in problem["message"] and two[0].nik not in problem["message"]
    assert two[0].nik[:6] in problem["message"]  # the holder's NIK, masked
    assert Enrollment.objects.get(person=two[1]).state == "submitted"


def test_a_kpj_held_by_someone_else_is_refused_and_the_holder_keeps_it(two, program, regency_admin):
    _import(regency_admin, program, [_accepted(two[0], "24000001")], name="a.xlsx")
    membership = Membership.objects.get(person=two[0])
    assert (membership.kpj, membership.status, membership.as_of) == (
        "24000001",
        "active",
        EFFECTIVE,
    )
    assert membership.source == "program" and membership.source_label == program.name
    assert membership.history.count() == 1

    record = _import(regency_admin, program, [_accepted(two[1], "24000001")], name="b.xlsx")
    assert [p["code"] for p in record.report] == ["kpj_taken"]
    assert Membership.objects.filter(kpj="24000001").get().person_id == two[0].pk
    # The same answer again for the holder changes nothing.
    again = _import(regency_admin, program, [_accepted(two[0], "24000001")], name="a.xlsx")
    assert again.unchanged == 1 and again.report == []
    assert membership.history.count() == 1


def test_a_kpj_known_only_from_an_older_enrollment_is_taken_too(two, program, regency_admin):
    Enrollment.objects.filter(person=two[0]).update(kpj="24000007")
    record = _import(regency_admin, program, [_accepted(two[1], "24000007")])
    assert [p["code"] for p in record.report] == ["kpj_taken"]


def test_a_race_lost_at_the_unique_constraint_becomes_a_row_error(
    two, program, regency_admin, monkeypatch
):
    """The check before the write sees nothing; the constraint refuses; the re-run reports."""
    _import(regency_admin, program, [_accepted(two[0], "24000001")], name="a.xlsx")
    real = services._kpj_holders
    calls = []

    def blind_once(kpjs):
        calls.append(kpjs)
        return {} if len(calls) == 1 else real(kpjs)

    monkeypatch.setattr(services, "_kpj_holders", blind_once)
    record = _import(regency_admin, program, [_accepted(two[1], "24000001")], name="b.xlsx")
    assert len(calls) == 2
    assert [p["code"] for p in record.report] == ["kpj_taken"]
    assert Enrollment.objects.get(person=two[1]).state == "submitted"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once need a server database; runs in the PostgreSQL pass",
)
def test_two_answer_files_at_once_give_one_kpj_to_one_person(bali_regions, bpu_rates, make_user):
    from lindung.accounts.models import Role
    from tests.programs.conftest import program_data

    admin = make_user("disnaker.race", Role.REGENCY_ADMIN, "51.04")
    program = programs.create_program(user=None, data=program_data(rounds="01/2027"))
    people = [make_person(BATUBULAN, name=f"I Made Uji {i}") for i in range(8)]
    _submit(program, admin, people)
    start = threading.Barrier(len(people))
    outcomes = {}

    def answer(person):
        try:
            start.wait()
            record = _import(
                admin, Program.objects.get(pk=program.pk), [_accepted(person, "24009999")]
            )
            outcomes[person.pk] = (record.activated, [p["code"] for p in record.report])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == [(0, ["kpj_taken"])] * 7 + [(1, [])]
    assert Membership.objects.filter(kpj="24009999").count() == 1
    assert Enrollment.objects.filter(kpj="24009999").count() == 1
