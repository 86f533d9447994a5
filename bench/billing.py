"""Benchmark: one month's billing run over 1,000,000 active enrollments on PostgreSQL.

Generates (set-based, ``generate_series``) one program over Bali's 636 desa with
``--enrollments`` workers, all active from the first month, then measures in each round:

  (a) the billing run of month 1 (``lindung billing run``: prices, bills, the
      ``INSERT … SELECT`` of the lines with the anti-join that makes it idempotent, the
      reversal check, the village totals, the budget check), on empty billing tables;
  (b) the baseline: a plain ``INSERT … SELECT`` that writes the same number of lines
      into the same empty table (same indexes), committed;
  (a') the same run again (idempotent: finds nothing to add);
  (a'') the run of month 2, with month 1 billed (the steady state).

Prints medians over ``--rounds`` and the ratio (a)/(b) (the issue's goal: ≤ 3, and (a) ≤ 20 s).

    createdb -h 127.0.0.1 -U postgres lindung_bench_billing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_billing \\
        .venv/bin/python bench/billing.py [--enrollments 1000000] [--rounds 3] [--unpartitioned]

Bill lines are partitioned by month on PostgreSQL; the benchmark makes its months'
partitions first. ``--unpartitioned`` measures the plain table instead.
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
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from lindung.billing import run as billing_run  # noqa: E402
from lindung.billing.services import run_billing  # noqa: E402
from lindung.contributions.defaults import ensure_default_rates  # noqa: E402
from lindung.programs.models import Program  # noqa: E402
from lindung.programs.services import create_program  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402

NAME = "Bench: pekerja rentan Bali 2024"
MONTH_1, MONTH_2, TODAY = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 12, 31)


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def generate(count: int) -> Program:
    """A program over Bali's desa and ``count`` active enrollments, all written by SQL."""
    if not Region.objects.filter(code="51.04.01.2001").exists():
        load_official_regions(prefixes=("51",))
    ensure_default_rates()
    program = Program.objects.filter(name=NAME).first()
    if program is not None and program.enrollments.count() == count:
        return program
    sql("TRUNCATE billing_billline, billing_billvillagetotal, billing_runbill, billing_payment, "
        "billing_bill, billing_runprice, billing_billingrun CASCADE")  # fmt: skip
    sql("TRUNCATE programs_transition, programs_enrollment CASCADE")
    sql("DELETE FROM people_person WHERE data_source = 'bench'")
    Program.objects.filter(name=NAME).delete()
    per_village = -(-count // 636)
    program = create_program(
        user=None,
        data={
            "name": NAME, "year": 2024, "area_code": "51", "funder": "province",
            "budget": 10**13, "income_basis": 1_000_000, "sponsored_months": 6,
            "rounds": "01/2024", "quota_per_village": per_village,
            "eligible_categories": ["pekerja_rentan"],
        },
    )  # fmt: skip
    round_id = program.rounds.get().pk
    started = time.perf_counter()
    # Workers: NIK = a district prefix and a running number (unique, not a real NIK check).
    sql(
        """
        WITH villages AS (
            SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n
            FROM regions_region WHERE level = 4 AND kind = 'desa' AND code LIKE '51.%%')
        INSERT INTO people_person (nik, full_name, sex, birth_date, birth_place,
            mother_maiden_name, village_id, district_code, regency_code, province_code, address,
            phone, occupation_id, occupation_text, category, declared_income, segment,
            data_source, welfare_decile, welfare_decile_as_of, has_disability, created_at,
            updated_at, created_by_id)
        SELECT '99' || lpad(g::text, 14, '0'), 'Pekerja ' || g,
               CASE WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END,
               date '1970-01-01' + (g %% 12000), '', '', v.code, left(v.code, 8),
               left(v.code, 5), left(v.code, 2), '', '', NULL, '', 'pekerja_rentan', 1000000,
               'BPU', 'bench', NULL, NULL, false, now(), now(), NULL
        FROM generate_series(1, %s) g
        JOIN villages v ON v.i = g %% v.n
        """,
        [count],
    )
    now = timezone.now()
    sql(
        """
        INSERT INTO programs_enrollment (program_id, round_id, person_id, village_id,
            district_code, regency_code, province_code, state, state_changed_at, reason,
            committed_premium, kpj, effective_date, coverage_end, proposed_at, proposed_by_id)
        SELECT %s, %s, p.id, p.village_id, p.district_code, p.regency_code, p.province_code,
               'active', %s, '', 100800, '24' || lpad(p.id::text, 9, '0'),
               date '2024-01-01' + (p.id %% 28)::int, date '2024-06-30', %s, NULL
        FROM people_person p WHERE p.data_source = 'bench'
        """,
        [program.pk, round_id, now, now],
    )
    sql("UPDATE programs_program SET committed = %s WHERE id = %s", [count * 100_800, program.pk])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")
        cursor.execute("VACUUM ANALYZE programs_enrollment")
    print(f"generated {count:,} workers and enrollments in {time.perf_counter() - started:.1f} s")
    return program


def empty_billing() -> None:
    sql("TRUNCATE billing_billline, billing_billvillagetotal, billing_runbill, billing_payment, "
        "billing_bill, billing_runprice, billing_billingrun CASCADE")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'billing_billline'")
        if cursor.fetchone()[0] != "p":  # partitions stay unanalyzed, as when made ahead
            cursor.execute("VACUUM ANALYZE billing_billline")


def baseline(program: Program, count: int) -> float:
    """A plain INSERT … SELECT of ``count`` lines into the same (empty) table, committed.

    Committed, not rolled back: the run commits too, and a rolled-back million rows would
    leave dead tuples that slow down whatever writes into the table next.
    """
    from lindung.billing.models import Bill

    bill = Bill.objects.create(
        program=program, month=dt.date(2023, 1, 1), number="BENCH-BASELINE", payer="apbd",
        created_at=timezone.now(), updated_at=timezone.now(), due_date=dt.date(2023, 2, 15),
    )  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic():
        written = sql(
            f"""
            INSERT INTO billing_billline ({billing_run.LINE_COLUMNS})
            SELECT %s, 0, e.program_id, e.id, date '2024-01-01', 'premium', 16800, 16800,
                   10000, 6800, 0, NULL, NULL, e.village_id, e.district_code, e.regency_code,
                   e.province_code, now()
            FROM programs_enrollment e WHERE e.program_id = %s AND e.state = 'active'
            """,
            [bill.pk, program.pk],
        )
    elapsed = time.perf_counter() - started
    assert written == count, (written, count)
    return elapsed


def bill(program: Program, month: dt.date):
    return run_billing(user=None, program=program, month=month, today=TODAY, via="cli")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enrollments", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--unpartitioned",
        action="store_true",
        help="bill lines in a plain table (billing migrated back to 0002), for comparison",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.unpartitioned:
        call_command("migrate", "billing", "0002", verbosity=0)
    else:
        # The partitions of the benchmark's months, as the nightly job makes them ahead.
        from lindung.operations.partitions import create_ahead

        create_ahead(months=1, now=timezone.make_aware(dt.datetime(2024, 1, 15)))
    program = generate(args.enrollments)
    first, again, second, floor = [], [], [], []
    steps: dict[str, dict] = {}
    for _ in range(args.rounds):
        empty_billing()
        floor.append(baseline(program, args.enrollments))
        empty_billing()
        result = None

        def run_first():
            nonlocal result
            result = bill(program, MONTH_1)

        first.append(timed(run_first))
        assert result.lines == args.enrollments and result.run.lines == args.enrollments
        assert result.amount == args.enrollments * 16_800
        steps["(a)"] = result.timings
        again.append(timed(lambda: steps.__setitem__("(a')", bill(program, MONTH_1).timings)))
        second.append(timed(lambda: steps.__setitem__("(a'')", bill(program, MONTH_2).timings)))
    med = statistics.median
    n = args.enrollments
    print(f"enrollments: {n:,}  rounds: {args.rounds}")
    print(
        f"(a)   billing run, month 1 (writes {n:,} lines): median {med(first):.2f} s "
        f"({n / med(first):,.0f} lines/s)  all: {', '.join(f'{t:.2f}' for t in first)}"
    )
    print(
        f"(b)   plain INSERT … SELECT of {n:,} lines     : median {med(floor):.2f} s "
        f"({n / med(floor):,.0f} lines/s)  all: {', '.join(f'{t:.2f}' for t in floor)}"
    )
    print(f"(a')  the same run again (adds nothing)      : median {med(again):.2f} s")
    print(f"(a'') month 2, month 1 billed                : median {med(second):.2f} s")
    print(
        f"ratio (a)/(b): {med(first) / med(floor):.2f}   (a'')/(b): {med(second) / med(floor):.2f}"
    )
    for name, laps in steps.items():
        print(f"steps of the last {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in laps.items()))


if __name__ == "__main__":
    main()
