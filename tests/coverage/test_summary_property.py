"""The summary equals a full recomputation after every kind of write.

Random sequences of the other modules' own services (imports of workers, proposals,
verification, submission to the insurer, activation, rejection and withdrawal, the end of
the sponsored months, continuation and lapse, corrections of a worker, a program's year
changed, billing runs and payments) run against a small Gianyar; after each step the
incrementally refreshed summary must be exactly what a rebuild from scratch would write
(every row: totals, breakdowns by category, sex and occupation, premiums billed), the
covered count read from it must match a direct count over the enrollments, the covered per
sex must add up to it, and the enrollments by state per category must match a direct count.
"""

import contextlib
import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lindung.billing.models import Bill
from lindung.billing.run import BillingRefused
from lindung.billing.services import PaymentRefused, record_payment, run_billing
from lindung.bpjs.services import NothingToSubmit, create_batch
from lindung.coverage import indicators, summary
from lindung.imports import services as imports
from lindung.people.models import Person
from lindung.people.services import update_worker
from lindung.programs.eligibility import Ineligible
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from lindung.programs.services import (
    TransitionRefused,
    activate_many,
    create_program,
    end_finished,
    move_many,
    propose,
    transition,
    update_program,
)
from tests.factories import nik_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 12, 31)
VILLAGES = ("51.04.01.2001", "51.04.01.2002")
HEADER = "nik,nama,jenis_kelamin,tanggal_lahir,kode_desa,pekerjaan,kategori,penghasilan\n"
CATEGORIES = ("pekerja_rentan", "kader_desa", "petugas_parkir")
_serials = itertools.count(1)

worker = st.integers(min_value=0, max_value=9)
steps = st.one_of(
    st.tuples(st.just("import"), st.integers(1, 3), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("import_update"), worker, st.sampled_from(CATEGORIES)),
    st.tuples(st.just("propose"), worker, st.booleans()),
    st.tuples(st.just("propose"), worker, st.booleans()),
    st.tuples(st.just("pipeline"), st.sampled_from([dt.date(2024, 1, 15), dt.date(2024, 7, 1)])),
    st.tuples(st.just("verify")),
    st.tuples(st.just("submit")),
    st.tuples(st.just("activate"), st.sampled_from([dt.date(2024, 1, 15), dt.date(2024, 7, 1)])),
    st.tuples(st.just("reject"), worker),
    st.tuples(st.just("withdraw"), worker),
    st.tuples(st.just("end"), st.sampled_from([dt.date(2024, 7, 2), TODAY])),
    st.tuples(st.just("continue"), worker),
    st.tuples(st.just("lapse"), worker),
    st.tuples(st.just("correct"), worker, st.sampled_from(["L", "P"])),
    st.tuples(st.just("program_year"), st.sampled_from([2024, 2025])),
    st.tuples(st.just("bill_and_pay"), st.sampled_from([1, 7])),
)


def import_workers(tmp_path, lines: list[str], *, update: bool) -> None:
    path = tmp_path / f"workers-{next(_serials)}.csv"
    path.write_text(HEADER + "".join(lines))
    job, _resumed = imports.job_for_path(path=path, today=TODAY, update=update)
    imports.run_job(job.pk, threads=1)


def worker_line(serial: int, village: str, category: str, sex: str = "L") -> str:
    born = dt.date(1985, 2, 19)
    nik = nik_for("51.04.01", born, sex, serial)
    name = "I Made " + "".join("abcdefghij"[int(d)] for d in str(serial)).title()
    return f"{nik},{name},{sex},19/02/1985,{village},Petani,{category},1000000\n"


def people() -> list[Person]:
    return list(Person.objects.order_by("id"))


def pick(items, index):
    return items[index % len(items)] if items else None


def covered_directly(day: dt.date) -> int:
    """Covered on ``day`` counted straight from the enrollments and their transitions."""
    count = 0
    for e in Enrollment.objects.prefetch_related("transitions"):
        if e.effective_date and e.coverage_end and e.effective_date <= day <= e.coverage_end:
            count += 1
            continue
        moves = sorted(e.transitions.all(), key=lambda t: (t.at, t.pk))
        if e.coverage_end and any(t.to_state == State.CONTINUED for t in moves):
            left = [t.at.astimezone().date() for t in moves if t.from_state == State.CONTINUED]
            if e.coverage_end < day and (not left or day < left[0]):
                count += 1
    return count


def states_directly() -> dict[str, dict[str, int]]:
    """Enrollments by the worker's category and their state now, counted directly."""
    found: dict[str, dict[str, int]] = {}
    for category, state in Enrollment.objects.values_list("person__category", "state"):
        found.setdefault(category, {}).setdefault(state, 0)
        found[category][state] += 1
    return found


def apply(step, program, tmp_path) -> None:
    kind, *args = step
    everyone = people()
    if kind == "import":
        count, category = args
        lines = [worker_line(next(_serials), VILLAGES[i % 2], category) for i in range(count)]
        import_workers(tmp_path, lines, update=False)
    elif kind == "import_update":
        person = pick(everyone, args[0])
        serial = int(person.nik[-4:])
        line = worker_line(serial, person.village_id, args[1], person.sex)
        import_workers(tmp_path, [line], update=True)
    elif kind == "propose":
        person = pick(everyone, args[0])
        round_ = program.rounds.get(number=2 if args[1] else 1)
        with contextlib.suppress(Ineligible):  # proposed while the round is open
            propose(
                user=None, program=program, person=person, today=round_.start_month, round=round_
            )
    elif kind == "pipeline":
        for step_ in (("verify",), ("submit",), ("activate", args[0])):
            apply(step_, program, tmp_path)
    elif kind == "verify":
        move_many(
            user=None,
            enrollments=Enrollment.objects.filter(state=State.PROPOSED),
            to_state=State.VERIFIED,
        )
    elif kind == "submit":
        with contextlib.suppress(NothingToSubmit):
            create_batch(user=None, program=program)
    elif kind == "activate":
        submitted = Enrollment.objects.filter(state=State.SUBMITTED)
        activate_many(user=None, answers={e.pk: (f"{e.pk:011d}", args[0]) for e in submitted})
    elif kind in ("reject", "withdraw", "continue", "lapse"):
        enrollment = pick(list(Enrollment.objects.order_by("id")), args[0])
        if enrollment is None:
            return
        to_state = {
            "reject": State.REJECTED,
            "withdraw": State.WITHDRAWN,
            "continue": State.CONTINUED,
            "lapse": State.LAPSED,
        }[kind]
        with contextlib.suppress(TransitionRefused):
            transition(user=None, enrollment=enrollment, to_state=to_state, reason="uji")
    elif kind == "end":
        end_finished(user=None, today=args[0])
    elif kind == "correct":
        person = pick(everyone, args[0])
        if person.sex != args[1]:
            born = person.birth_date
            update_worker(
                user=None,
                person=person,
                changes={
                    "sex": args[1],
                    # pk grows without bound on PostgreSQL: keep the serial at 4 digits
                    "nik": nik_for("51.04.01", born, args[1], 9000 + person.pk % 1000),
                },
                today=TODAY,
            )
    elif kind == "program_year":
        update_program(user=None, program=program, changes={"year": args[0]})
    elif kind == "bill_and_pay":
        try:
            run_billing(user=None, program=program, month=dt.date(2024, args[0], 1), today=TODAY)
        except BillingRefused:
            return
        for bill in Bill.objects.filter(program=program, paid=0, amount__gt=0):
            with contextlib.suppress(PaymentRefused):
                record_payment(
                    user=None,
                    bill=bill,
                    paid_on=TODAY,
                    amount=bill.amount,
                    reference=f"SP2D-{bill.pk}",
                    today=TODAY,
                )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(steps, min_size=3, max_size=12))
@example(  # the whole path at least once, whatever hypothesis draws
    [
        ("propose", 0, False),
        ("propose", 1, False),
        ("propose", 2, True),
        ("propose", 3, True),
        ("withdraw", 3),
        ("verify",),
        ("submit",),
        ("activate", dt.date(2024, 1, 15)),
        ("bill_and_pay", 1),
        ("import", 2, "kader_desa"),
        ("import_update", 0, "petugas_parkir"),
        ("correct", 1, "P"),
        ("end", dt.date(2024, 7, 2)),
        ("continue", 0),
        ("lapse", 1),
        ("propose", 4, True),
        ("verify",),
        ("submit",),
        ("activate", dt.date(2024, 7, 1)),
        ("program_year", 2025),
        ("end", TODAY),
        ("lapse", 0),
        ("reject", 4),
    ]
)
def test_summary_equals_a_rebuild_after_every_write(tmp_path, sequence):
    with transaction.atomic():
        program = create_program(
            user=None,
            data={
                "name": f"Uji {next(_serials)}",
                "year": 2024,
                "area_code": "51.04.01",
                "funder": "apbd",
                "budget": "1000000000",
                "rounds": "01/2024, 07/2024",
                "quota_per_village": 3,
                "eligible_categories": list(CATEGORIES),
            },
        )
        import_workers(
            tmp_path,
            [worker_line(next(_serials), VILLAGES[i % 2], CATEGORIES[i % 3]) for i in range(4)],
            update=False,
        )
        for step in sequence:
            apply(step, program, tmp_path)
            summary.refresh()
            assert summary.verify() == [], step
            for day in (dt.date(2024, 3, 1), dt.date(2024, 8, 1), TODAY):
                figures = indicators.figures_for(["51.04"], day)[0]
                assert figures.total.registry == covered_directly(day), (step, day)
                by_sex = indicators.breakdowns("51.04", day).by["sex"]
                assert sum(p.covered for p in by_sex.values()) == figures.total.registry
            # Transitions are stamped with the real clock: far ahead, every move is in.
            later = indicators.breakdowns("51.04", dt.date(2100, 1, 1)).by["cat"]
            assert {k: p.by_state for k, p in later.items() if p.by_state} == states_directly()
        transaction.set_rollback(True)
