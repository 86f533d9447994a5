"""Benchmark: the monthly fee run over 1,000,000 managed participants, and the import of an
insurer statement of 1,000,000 lines, on PostgreSQL, each against its plain floor.

Generates (set-based, ``generate_series``) ``--participants`` self-paying workers in
Gianyar's villages, managed by 1,000 agents of 20 BumDes, each with one self-paid month
(November 2026) collected in November, then measures in each round:

  (a) the fee run of November 2026 (``fees.run_fees``: statements of every agent and
      BumDes, the ``INSERT … SELECT`` of one fee line per contribution with its month
      number and rate, the acquisition check, the totals), on empty fee tables;
  (b) its floor: a plain ``INSERT … SELECT`` writing as many lines into the same empty
      fee-line table (same indexes), committed;
  (c) the import of the insurer's statement, a CSV of one line per participant (KPJ,
      month, amount, paid date): read and checked by polars, staged by ``COPY``, upserted
      by (KPJ, month), on an empty statement table;
  (d) its floor: a plain ``INSERT … SELECT`` of as many statement lines from the
      enrollments into the same empty table, committed.

Prints medians over ``--rounds`` and the ratios (a)/(b), (c)/(d) (the issue's goal: ≤ 3).

    createdb -h 127.0.0.1 -U postgres lindung_bench_fees
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_fees \\
        .venv/bin/python bench/fees.py [--participants 1000000] [--rounds 3]
"""

import argparse
import datetime as dt
import os
import platform
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

from lindung.agents.models import Agent, Organisation  # noqa: E402
from lindung.contributions.defaults import ensure_default_rates  # noqa: E402
from lindung.programs.models import Program  # noqa: E402
from lindung.programs.services import create_program  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402
from lindung.selfpay import fees, statements  # noqa: E402
from lindung.selfpay.models import FeeRule, FeeStatement  # noqa: E402

NAME = "Bench: pekerja rentan Gianyar 2026"
MONTH = dt.date(2026, 11, 1)
AGENTS, BUMDES = 1000, 20


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def generate(count: int) -> Program:
    """Workers, their ended-then-continued enrollments, agents and one collected month."""
    if not Region.objects.filter(code="51.04.01.2001").exists():
        load_official_regions(prefixes=("51",))
    ensure_default_rates()
    program = Program.objects.filter(name=NAME).first()
    if program is not None and program.enrollments.count() == count:
        return program
    empty_fees()
    empty_statement()
    sql("TRUNCATE selfpay_collectionline, selfpay_collection, selfpay_deposit CASCADE")
    sql("TRUNCATE programs_transition, programs_enrollment CASCADE")
    sql("DELETE FROM people_person WHERE data_source = 'bench'")
    sql("DELETE FROM selfpay_feestatement")
    Agent.objects.filter(full_name__startswith="Bench ").delete()
    Organisation.objects.filter(name__startswith="Bench ").delete()
    Program.objects.filter(name=NAME).delete()
    started = time.perf_counter()
    program = create_program(
        user=None,
        data={
            "name": NAME, "year": 2026, "area_code": "51.04", "funder": "apbd",
            "budget": 10**13, "income_basis": 1_000_000, "sponsored_months": 6,
            "rounds": "04/2026", "quota_per_village": -(-count // 64),
            "eligible_categories": ["pekerja_rentan"],
        },
    )  # fmt: skip
    organisations = Organisation.objects.bulk_create(
        Organisation(kind="bumdes", name=f"Bench BumDes {i}", regency_id="51.04")
        for i in range(BUMDES)
    )
    agents = Agent.objects.bulk_create(
        Agent(
            organisation=organisations[i % BUMDES], regency_id="51.04", full_name=f"Bench Agen {i}"
        )  # fmt: skip
        for i in range(AGENTS)
    )
    first_agent = min(a.pk for a in agents)
    sql(
        """
        WITH villages AS (
            SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n
            FROM regions_region WHERE level = 4 AND code LIKE '51.04.%%')
        INSERT INTO people_person (nik, full_name, sex, birth_date, birth_place,
            mother_maiden_name, village_id, district_code, regency_code, province_code, address,
            phone, occupation_id, occupation_text, category, declared_income, segment,
            data_source, welfare_decile, welfare_decile_as_of, has_disability, created_at,
            updated_at, created_by_id, agent_id)
        SELECT '98' || lpad(g::text, 14, '0'), 'Pekerja ' || g,
               CASE WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END,
               date '1970-01-01' + (g %% 12000), '', '', v.code, left(v.code, 8),
               left(v.code, 5), left(v.code, 2), '', '', NULL, '', 'pekerja_rentan', 1000000,
               'BPU', 'bench', NULL, NULL, false, timestamptz '2026-03-01', now(), NULL,
               %s + g %% %s
        FROM generate_series(1, %s) g
        JOIN villages v ON v.i = g %% v.n
        """,
        [first_agent, AGENTS, count],
    )
    now = timezone.now()
    round_id = program.rounds.get().pk
    sql(
        """
        INSERT INTO programs_enrollment (program_id, round_id, person_id, village_id,
            district_code, regency_code, province_code, state, state_changed_at, reason,
            committed_premium, kpj, effective_date, coverage_end, proposed_at, proposed_by_id,
            agent_id)
        SELECT %s, %s, p.id, p.village_id, p.district_code, p.regency_code, p.province_code,
               'continued', %s, '', 100800, '26' || lpad(p.id::text, 9, '0'),
               date '2026-04-01', date '2026-09-30', %s, NULL, p.agent_id
        FROM people_person p WHERE p.data_source = 'bench'
        """,
        [program.pk, round_id, now, now],
    )
    sql(
        """
        INSERT INTO selfpay_collection (village_id, district_code, regency_code, province_code,
            person_id, enrollment_id, paid_on, method, total, collected_by_id, agent_id,
            recorded_at, via, deposit_id)
        SELECT e.village_id, e.district_code, e.regency_code, e.province_code, e.person_id,
               e.id, date '2026-11-01' + (e.id %% 28)::int, 'cash', 8400, NULL, e.agent_id,
               %s, 'web', NULL
        FROM programs_enrollment e WHERE e.program_id = %s
        """,
        [now, program.pk],
    )
    sql(
        """
        INSERT INTO selfpay_collectionline (collection_id, person_id, enrollment_id, month,
            amount, base_amount, rule_id, rule_label, rate_version)
        SELECT c.id, c.person_id, c.enrollment_id, date '2026-11-01', 8400, 16800,
               (SELECT id FROM contributions_reliefrule WHERE code = 'pp50-2025-other'),
               'Keringanan PP 50/2025', date '2015-07-01'
        FROM selfpay_collection c JOIN programs_enrollment e ON e.id = c.enrollment_id
        WHERE e.program_id = %s
        """,
        [program.pk],
    )
    for table in ("people_person", "programs_enrollment", "selfpay_collection",
                  "selfpay_collectionline"):  # fmt: skip
        sql(f"VACUUM ANALYZE {table}")
    print(f"generated {count:,} participants in {time.perf_counter() - started:.1f} s")
    return program


def empty_fees() -> None:
    sql("TRUNCATE selfpay_feeline, selfpay_feestatement CASCADE")
    sql("VACUUM ANALYZE selfpay_feeline")


def empty_statement() -> None:
    sql("TRUNCATE selfpay_statementline, selfpay_statementproblem, selfpay_statementimport")
    sql("VACUUM ANALYZE selfpay_statementline")


def fee_floor(count: int) -> float:
    """As many fee lines, written by a plain INSERT … SELECT into the empty table."""
    rule = FeeRule.objects.order_by("-effective_from").first()
    agent = Agent.objects.filter(full_name__startswith="Bench ").first()
    statement = FeeStatement.objects.create(
        agent=agent, month=dt.date(2020, 1, 1), rule=rule, regency_code="51.04",
        due_on=dt.date(2020, 2, 5), computed_at=timezone.now(),
    )  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic():
        written = sql(
            """
            INSERT INTO selfpay_feeline (statement_id, kind, rule_id, person_id,
                collection_line_id, bill_line_id, source_statement_id, contribution_month,
                month_number, base, rate_bp, amount, correction)
            SELECT %s, 'contribution', %s, cl.person_id, cl.id, NULL, NULL, cl.month, 8,
                   cl.amount, 1500, 1260, false
            FROM selfpay_collectionline cl
            """,
            [statement.pk, rule.pk],
        )
    elapsed = time.perf_counter() - started
    assert written == count, (written, count)
    return elapsed


def statement_csv(program: Program) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kpj FROM programs_enrollment WHERE program_id = %s ORDER BY id", [program.pk]
        )
        kpjs = [row[0] for row in cursor.fetchall()]
    lines = ["kpj,bulan,jumlah,tanggal_bayar"]
    lines += [f"{kpj},2026-11,8400,2026-11-20" for kpj in kpjs]
    return ("\n".join(lines) + "\n").encode()


def statement_floor(program: Program, count: int) -> float:
    record = statements.StatementImport.objects.create(
        file_name="floor", sha256="", uploaded_at=timezone.now()
    )
    started = time.perf_counter()
    with transaction.atomic():
        written = sql(
            """
            INSERT INTO selfpay_statementline (kpj, month, amount, paid_on, enrollment_id,
                regency_code, statement_import_id)
            SELECT e.kpj, date '2026-11-01', 8400, date '2026-11-20', e.id, e.regency_code, %s
            FROM programs_enrollment e WHERE e.program_id = %s
            """,
            [record.pk, program.pk],
        )
    elapsed = time.perf_counter() - started
    assert written == count, (written, count)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    program = generate(args.participants)
    content = statement_csv(program)
    n = args.participants
    run, run_floor, again, imported, import_floor, reimport = [], [], [], [], [], []
    for _ in range(args.rounds):
        empty_fees()
        run_floor.append(fee_floor(n))
        empty_fees()
        started = time.perf_counter()
        result = fees.run_fees(month=MONTH)
        run.append(time.perf_counter() - started)
        assert result.lines == n + BUMDES * (AGENTS // BUMDES), result.as_dict()
        assert result.agent_statements == AGENTS
        started = time.perf_counter()
        fees.run_fees(month=MONTH)
        again.append(time.perf_counter() - started)

        empty_statement()
        import_floor.append(statement_floor(program, n))
        empty_statement()
        started = time.perf_counter()
        record = statements.import_statement(user=None, file_name="bpjs.csv", content=content)
        imported.append(time.perf_counter() - started)
        assert record.recorded == n and record.refused == 0, (record.recorded, record.refused)
        started = time.perf_counter()
        record = statements.import_statement(user=None, file_name="bpjs.csv", content=content)
        reimport.append(time.perf_counter() - started)
        assert record.unchanged == n and record.recorded == 0
    med = statistics.median

    def show(label, times):
        return f"{label}: median {med(times):.2f} s  all: {', '.join(f'{t:.2f}' for t in times)}"

    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  {platform.node()}  "
          f"{os.cpu_count()} cores  PostgreSQL {connection.pg_version}")  # fmt: skip
    print(f"participants: {n:,}  agents: {AGENTS}  BumDes: {BUMDES}  rounds: {args.rounds}")
    print(show("(a)  fee run, November 2026            ", run))
    print(show("(b)  plain INSERT … SELECT of the lines", run_floor))
    print(show("(a') the same run again (recomputed)   ", again))
    print(show("(c)  statement import, 1 line each     ", imported))
    print(show("(d)  plain INSERT … SELECT of the lines", import_floor))
    print(show("(c') the same file again (unchanged)   ", reimport))
    print(f"ratio (a)/(b): {med(run) / med(run_floor):.2f}   "
          f"(c)/(d): {med(imported) / med(import_floor):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
