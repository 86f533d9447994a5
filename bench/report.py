"""Benchmark: the six-monthly Inpres 2/2021 report of a regency (and a province), PostgreSQL.

The data are those of ``bench/claims_dashboard.py`` (itself on ``bench/dashboard.py``'s
registry generator and summary): ``--per-village`` workers in every village (or in one
province, ``--prefix``), one 2024 program per regency with its history, the year's bills,
runs and payments, and claims. Measures, in the same run, for the regency and the province
with the most villages, the second half of 2024:

  (a) building the report (``reports.inpres.inpres``: every section, from the selectors);
  (b) the API answers ``GET /api/v1/reports/inpres`` as JSON, XLSX and PDF (whole answer:
      session, scope, report, file);
  (c) the baseline: the plain ``GROUP BY`` queries that give the report's figures from the
      raw tables (the workers covered per segment, category, occupation, sex and funder
      from the registry, as in ``bench/dashboard.py``; billed per program from the bill
      lines; paid from the payments; claims per kind; the programs' legal basis; agents;
      employers per compliance).

Prints medians, p95 and the ratio baseline / report.

    createdb -h 127.0.0.1 -U postgres lindung_bench_claims
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_claims \\
        .venv/bin/python bench/report.py [--per-village 120] [--prefix 51] [--requests 20]
"""

import argparse
import datetime as dt
from unittest import mock

import claims_dashboard as data  # bench/claims_dashboard.py: the registry, bills and claims
import dashboard as base  # bench/dashboard.py: helpers, the registry's baseline

from lindung.coverage import summary  # noqa: E402
from lindung.programs import clock  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402
from lindung.reports import inpres  # noqa: E402

HALF = "2024-2"
TODAY = dt.date(2025, 1, 15)  # the report is made in January, for July–December
START, END = dt.date(2024, 7, 1), dt.date(2024, 12, 31)
sql, scalar, log, measure = base.sql, base.scalar, base.log, base.measure

BASELINE = [
    # budgets: billed per program from the bill lines, paid per program from the payments
    """SELECT g.funder, g.id, g.budget, sum(l.amount) FROM billing_billline l
       JOIN programs_program g ON g.id = l.program_id
       WHERE l.{column} = %(code)s AND l.created_at < %(end)s + 1 GROUP BY 1, 2, 3""",
    """SELECT b.program_id, sum(p.amount) FROM billing_payment p JOIN billing_bill b
       ON b.id = p.bill_id JOIN programs_program g ON g.id = b.program_id
       WHERE g.area_id = %(code)s OR g.area_id LIKE %(below)s GROUP BY 1""",
    # claims reported and paid per kind in the half-year
    """SELECT kind, count(*) FILTER (WHERE event_date BETWEEN %(start)s AND %(end)s),
              count(*) FILTER (WHERE status = 'paid' AND paid_on BETWEEN %(start)s AND %(end)s),
              sum(amount_paid) FILTER (WHERE status = 'paid'
                                       AND paid_on BETWEEN %(start)s AND %(end)s)
       FROM claims_claim WHERE {column} = %(code)s GROUP BY 1""",
    # the programs' legal basis, the agents, the employers
    """SELECT DISTINCT d.number FROM programs_legaldocument d
       JOIN programs_program_legal_basis pd ON pd.legaldocument_id = d.id
       JOIN programs_program g ON g.id = pd.program_id
       WHERE g.area_id = %(code)s OR g.area_id LIKE %(below)s""",
    """SELECT count(*) FROM agents_agent WHERE regency_id = %(code)s
       OR regency_id LIKE %(below)s""",
    """SELECT compliance, count(*), sum(total_workers), sum(registered_workers)
       FROM employers_employer WHERE {column} = %(code)s GROUP BY 1""",
]


def baseline(code: str):
    column = "regency_code" if code.count(".") == 1 else "province_code"
    registry = base.baseline(code, villages=False)  # covered per segment, category, …

    def run():
        registry()
        params = {"code": code, "below": f"{code}.%", "start": START, "end": END}
        with base.connection.cursor() as cursor:
            for statement in BASELINE:
                cursor.execute(statement.format(column=column), params)
                cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-village", type=int, default=120)
    parser.add_argument("--sponsored", type=int, default=20)
    parser.add_argument("--claims", type=int, default=2, help="claims per desa and year")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--prefix", default="", help="only this province (a quick try)")
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args()

    base.call_command("migrate", verbosity=0)
    if Region.objects.filter(level=4).count() < 80_000:
        load_official_regions()
    villages = scalar(
        "SELECT count(*) FROM regions_region WHERE level = 4 AND code LIKE %s",
        [f"{options.prefix}.%" if options.prefix else "%"],
    )
    generated = (
        options.regenerate
        or scalar("SELECT count(*) FROM people_person") != villages * options.per_village
    )
    if generated:
        base.generate(options.per_village, options.sponsored, options.prefix)
    if generated or not scalar("SELECT count(*) FROM targets_tally"):
        spent, rows = base.timed(summary.rebuild)
        log(f"summary rebuilt: {rows:,} rows in {spent:.0f} s")
    if generated or not scalar("SELECT count(*) FROM claims_claim"):
        data.bills_and_claims(options.claims)
    log(
        f"workers {scalar('SELECT count(*) FROM people_person'):,}, enrollments "
        f"{scalar('SELECT count(*) FROM programs_enrollment'):,}, bill lines "
        f"{scalar('SELECT count(*) FROM billing_billline'):,}, claims "
        f"{scalar('SELECT count(*) FROM claims_claim'):,}"
    )
    n = options.requests
    with mock.patch.object(clock, "today", lambda: TODAY):
        for code in (base.biggest(2, options.prefix), base.biggest(1, options.prefix)):
            log(f"region {code}, half {HALF}")
            built = measure(f"inpres report built, {code}",
                            lambda code=code: inpres.inpres(code, HALF, TODAY), n)  # fmt: skip
            client = base.viewer(code)
            url = f"/api/v1/reports/inpres?region={code}&half={HALF}"
            for suffix in ("", "&format=xlsx", "&format=pdf"):
                measure(f"GET {url.split('?')[0]} {suffix[1:] or 'json'}",
                        base.get(client, url + suffix), n)  # fmt: skip
            plain = measure(f"baseline GROUP BY for the figures, {code}", baseline(code),
                            max(5, n // 4))  # fmt: skip
            log(f"  ratio baseline / report ({code}): {plain['median'] / built['median']:.1f}x")


if __name__ == "__main__":
    main()
