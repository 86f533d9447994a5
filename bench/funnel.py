"""Benchmark: the verification funnel of a Gianyar-sized program, PostgreSQL or SQLite.

Builds (bulk, no services) one program over Gianyar's desa with ``--per-village`` names on
each village's agreed list (one version each), nine in ten of them proposed, and the
enrollments spread over the states a year of work leaves (verified, submitted, active,
ended, rejected with a reason, withdrawn). Then times, over ``--repeat`` runs:

  (a) ``programs.funnel.build`` for the whole program, by village (the page's default);
  (b) the same by district;
  (c) the baseline: one ``GROUP BY village, state`` count of the program's enrollments,
      the least any per-village funnel must read.

Prints the medians (wall, and CPU of this process), the ratio of (a) and (b) to (c),
and the load average before and after.

    createdb -h 127.0.0.1 -U postgres lindung_bench_funnel
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_funnel \\
        .venv/bin/python bench/funnel.py [--per-village 100] [--repeat 7]
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
os.environ.setdefault("LINDUNG_VAR_DIR", tempfile.mkdtemp(prefix="lindung-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from lindung.people.models import Person  # noqa: E402
from lindung.programs import funnel  # noqa: E402
from lindung.programs.lifecycle import State  # noqa: E402
from lindung.programs.models import (  # noqa: E402
    AgreedEntry,
    AgreedList,
    AgreedListVersion,
    Enrollment,
    Program,
    ProgramVillage,
    Transition,
)
from lindung.programs.services import create_program  # noqa: E402

NAME = "Bench corong Gianyar"
STATES = [State.ACTIVE] * 5 + [State.ENDED] * 2 + [State.VERIFIED, State.SUBMITTED, State.REJECTED]


def nik_for(district: str, born: dt.date, serial: int) -> str:
    """A valid NIK of a man born on ``born`` in ``district`` (``51.04.01``)."""
    return f"{district.replace('.', '')}{born:%d%m%y}{serial:04d}"


def build(per_village: int) -> Program:
    program = Program.objects.filter(name=NAME).first()
    if program is not None and program.enrollments.count() >= per_village * 0.9 * 50:
        return program
    program = create_program(
        user=None,
        data={
            "name": NAME,
            "year": 2027,
            "area_code": "51.04",
            "funder": "apbd",
            "budget": 10**13,
            "rounds": "01/2027",
            "quota_per_village": per_village,
            "eligible_categories": ["pekerja_rentan"],
        },
    )
    round_ = program.rounds.get()
    now = timezone.now()
    serial = 0
    for place in ProgramVillage.objects.filter(program=program):
        district = place.village_id.rpartition(".")[0]
        people = []
        for i in range(per_village):
            serial += 1
            person = Person(
                nik=nik_for(district, dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28), serial),
                full_name=f"Pekerja {serial}",
                sex="L",
                birth_date=dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28),
                village_id=place.village_id,
                category="pekerja_rentan",
                declared_income=1_000_000,
            )
            person.set_region_codes()
            people.append(person)
        Person.objects.bulk_create(people, batch_size=2000)
        agreed = AgreedList(program=program, round=round_, village_id=place.village_id)
        agreed.set_region_codes()
        agreed.save()
        version = AgreedListVersion.objects.create(
            agreed_list=agreed,
            number=1,
            meeting_date=dt.date(2026, 12, 1),
            minutes_number="BA",
            minutes="bench.pdf",
            minutes_kind="pdf",
            fingerprint="0" * 64,
            source="typed",
            entries_count=per_village,
            passed_count=per_village,
            checked_at=now,
        )
        AgreedEntry.objects.bulk_create(
            [
                AgreedEntry(
                    version=version,
                    row=i + 1,
                    nik=p.nik,
                    full_name=p.full_name,
                    person=p,
                    code="age_out_of_range" if i % 20 == 0 else "",
                )
                for i, p in enumerate(people)
            ],
            batch_size=2000,
        )
        enrollments = []
        for i, p in enumerate(people):
            if i % 10 == 9 or i % 20 == 0:
                continue
            state = STATES[i % len(STATES)]
            e = Enrollment(
                program=program,
                round=round_,
                person=p,
                village_id=p.village_id,
                state=state,
                state_changed_at=now,
                committed_premium=100_800,
                proposed_at=now,
                coverage_end=dt.date(2027, 6, 30) if state in (State.ACTIVE, State.ENDED) else None,
            )
            e.set_region_codes()
            enrollments.append(e)
        Enrollment.objects.bulk_create(enrollments, batch_size=2000)
        Transition.objects.bulk_create(
            [
                Transition(
                    enrollment=e,
                    from_state=State.SUBMITTED,
                    to_state=State.REJECTED,
                    at=now,
                    reason="Ditolak BPJS: sudah terdaftar",
                )
                for e in enrollments
                if e.state == State.REJECTED
            ],
            batch_size=2000,
        )
    return program


CPU: dict[str, float] = {}


def timed(fn, repeat: int, name: str = "") -> float:
    """The median wall time in ms; the median CPU time of this process goes to ``CPU``
    (a shared machine's load stretches the first, hardly the second)."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[name] = statistics.median(cpu) * 1000
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-village", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from lindung.regions.models import Region

    if not Region.objects.filter(code="51.04.01.2001").exists():
        from lindung.regions.services import load_official_regions

        load_official_regions(prefixes=("51",))
    program = build(args.per_village)
    today = dt.date(2027, 3, 1)
    load_before = os.getloadavg()
    village = timed(
        lambda: funnel.build(None, program, by="village", today=today), args.repeat, "village"
    )
    district = timed(
        lambda: funnel.build(None, program, by="district", today=today), args.repeat, "district"
    )
    baseline = timed(
        lambda: list(
            Enrollment.objects.filter(program=program)
            .values("village_id", "state")
            .annotate(n=Count("id"))
        ),
        args.repeat,
        "baseline",
    )
    entries = AgreedEntry.objects.filter(version__agreed_list__program=program).count()
    print(f"entries {entries}, enrollments {program.enrollments.count()}, {args.repeat} runs")
    print(f"funnel by village  {village:8.1f} ms  ×{village / baseline:.1f} baseline")
    print(f"funnel by district {district:8.1f} ms  ×{district / baseline:.1f} baseline")
    print(f"baseline GROUP BY  {baseline:8.1f} ms")
    print("CPU of this process (median ms): " + ", ".join(f"{k} {v:.1f}" for k, v in CPU.items()))
    print(f"load average before {load_before}, after {os.getloadavg()}")


if __name__ == "__main__":
    sys.exit(main())
