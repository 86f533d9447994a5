"""Many operators proposing at once never push a village past its quota or a program past
its budget. These tests fire proposals from parallel threads, each with its own database
connection, at the last places. PostgreSQL only: the SQLite test database is an in-memory
shared-cache database, where a second writer fails at once instead of waiting its turn
(the SQLite file used in production serialises writers with IMMEDIATE transactions)."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from lindung.people.models import Person
from lindung.programs import services
from lindung.programs.eligibility import Ineligible
from lindung.programs.models import Program, ProgramVillage, VillageQuota
from tests.factories import TODAY, nik_for
from tests.programs.conftest import BATUBULAN, program_data

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency needs a server database (PostgreSQL); runs in the PostgreSQL pass",
)

THREADS, PER_THREAD = 8, 30


def _people(villages: list[str], count: int) -> list[Person]:
    people = []
    for i in range(count):
        village = villages[i % len(villages)]
        person = Person(
            nik=nik_for(village.rpartition(".")[0], TODAY.replace(year=1980), "L", 1000 + i),
            full_name=f"I Made Uji {i}",
            sex="L",
            birth_date=TODAY.replace(year=1980),
            village_id=village,
            category="pekerja_rentan",
            declared_income=1_000_000,
        )
        person.set_region_codes()
        people.append(person)
    return Person.objects.bulk_create(people)


def _fire(program_id: int, batches: list[list[int]]) -> Counter:
    """Each thread proposes its batch of people; returns how many got each outcome."""
    outcomes: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(batches))

    def worker(person_ids):
        try:
            program = Program.objects.get(pk=program_id)
            people = list(Person.objects.filter(pk__in=person_ids))
            start.wait()
            for person in people:
                try:
                    services.propose(user=None, program=program, person=person, today=TODAY)
                    code = "ok"
                except Ineligible as refused:
                    code = refused.code
                with lock:
                    outcomes[code] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _batches(people: list[Person]) -> list[list[int]]:
    return [[p.pk for p in people[i::THREADS]] for i in range(THREADS)]


def test_parallel_proposals_never_pass_the_village_quota(bali_regions, bpu_rates):
    program = services.create_program(user=None, data=program_data(rounds="01/2027"))
    people = _people([BATUBULAN], THREADS * PER_THREAD)

    outcomes = _fire(program.pk, _batches(people))

    assert outcomes == {"ok": 100, "quota_full": THREADS * PER_THREAD - 100}
    quota = VillageQuota.objects.get(program=program, village=BATUBULAN)
    assert (quota.quota, quota.used) == (100, 100)
    assert program.enrollments.count() == 100
    program.refresh_from_db()
    assert program.committed == 100 * 100_800


def test_parallel_proposals_never_pass_the_budget(bali_regions, bpu_rates):
    program = services.create_program(
        user=None, data=program_data(rounds="01/2027", budget=50 * 100_800)
    )
    villages = list(
        ProgramVillage.objects.filter(program=program)
        .order_by("village_id")
        .values_list("village_id", flat=True)[:THREADS]
    )
    people = _people(villages, THREADS * PER_THREAD)

    outcomes = _fire(program.pk, _batches(people))

    assert outcomes == {"ok": 50, "budget_exceeded": THREADS * PER_THREAD - 50}
    program.refresh_from_db()
    assert program.committed == program.budget
    assert program.enrollments.count() == 50
    assert sum(VillageQuota.objects.filter(program=program).values_list("used", flat=True)) == 50


def test_the_same_worker_proposed_everywhere_at_once_is_enrolled_once(bali_regions, bpu_rates):
    first = services.create_program(user=None, data=program_data(rounds="01/2027"))
    second = services.create_program(
        user=None, data=program_data(name="Program Provinsi", area_code="51", funder="province")
    )
    (person,) = _people([BATUBULAN], 1)
    outcomes: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(program_id):
        try:
            program = Program.objects.get(pk=program_id)
            start.wait()
            try:
                services.propose(user=None, program=program, person=person, today=TODAY)
                code = "ok"
            except Ineligible as refused:
                code = refused.code
            with lock:
                outcomes[code] += 1
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=((first if i % 2 else second).pk,))
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == {"ok": 1, "already_covered": THREADS - 1}
    used = VillageQuota.objects.filter(village=BATUBULAN).values_list("used", flat=True)
    assert sum(used) == 1
