"""Benchmark: the dashboards' claims section (claims and benefits per program, funder and
village; benefits per Rp of premium), PostgreSQL.

Builds the registry with ``bench/dashboard.py``'s generator (``--per-village`` workers in
every village, or in one province with ``--prefix``; one 2024 program per regency, two
6-month rounds, their history) and its summary; then, set-based, the year's bills of
every program (one bill per program and month, a premium line per enrollment and
sponsored month, the per-village totals billing keeps) and ``--claims`` claims per desa
(deaths, work accidents; paid, open, refused). Measures, in the same run:

  (a) the section alone (``claims.figures.claims_figures``) for the regency and the
      province with the most villages and for the whole country;
  (b) the regency and province dashboard pages with the section and without it (the same
      page with the section left out), so its share of the page's time is seen;
  (c) the baseline: the plain ``GROUP BY`` over the claims (joined to their enrollments)
      and over the bill lines that gives the same figures.

Prints medians, p95 and the ratio baseline / section.

    createdb -h 127.0.0.1 -U postgres lindung_bench_claims
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_claims \\
        .venv/bin/python bench/claims_dashboard.py [--per-village 120] [--prefix 51]
        [--claims 2] [--requests 40]
"""

import argparse
import sys
from unittest import mock

import dashboard as base  # bench/dashboard.py: sets Django up, generates the registry
from django.core.cache import cache as django_cache  # noqa: E402

from lindung.claims.figures import claims_figures  # noqa: E402
from lindung.coverage import summary  # noqa: E402
from lindung.dashboards.claims import claims_tables  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402

DAY = base.DAY  # 31/12/2024, the year the generator's programs run
sql, scalar, log, measure = base.sql, base.scalar, base.log, base.measure


def bills_and_claims(claims_per_desa: int) -> None:
    """The year's bills (lines, per-village totals) and the claims, from the enrollments."""
    started = base.time.perf_counter()
    sql(
        "TRUNCATE claims_claimmove, claims_claim, claims_historicalclaim, "
        "billing_billvillagetotal, billing_billline, billing_runbill, billing_payment, "
        "billing_billingrun, billing_bill CASCADE"
    )
    sql("SET session_replication_role = replica")
    sql(
        """
        INSERT INTO billing_bill (program_id, month, village_code, sequence, number, payer,
            created_at, updated_at, due_date, amount, lines_count, paid, locked_at)
        SELECT p.id, m::date, '', 1, 'BENCH/' || p.id || '/' || to_char(m, 'YYYY-MM'),
               p.funder, m + interval '9 days', m + interval '9 days',
               (m + interval '24 days')::date, 0, 0, 0, NULL
        FROM programs_program p
        CROSS JOIN generate_series(date '2024-01-01', date '2024-12-01', interval '1 month') m
        """
    )
    sql(
        """
        INSERT INTO billing_billline (bill_id, run_id, program_id, enrollment_id, covered_month,
            kind, amount, base_amount, jkk, jkm, jht, rule_id, reverses_id, village_id,
            district_code, regency_code, province_code, created_at)
        SELECT b.id, 0, e.program_id, e.id, b.month, 'premium', 16800, 16800, 10000, 6800, 0,
               NULL, NULL, e.village_id, e.district_code, e.regency_code, e.province_code,
               b.created_at
        FROM programs_enrollment e
        JOIN billing_bill b ON b.program_id = e.program_id
             AND b.month BETWEEN date_trunc('month', e.effective_date)::date AND e.coverage_end
        WHERE e.effective_date IS NOT NULL
        """
    )
    sql(
        """
        INSERT INTO billing_billvillagetotal (bill_id, village_id, district_code, regency_code,
            province_code, lines, people, amount, jkk, jkm, jht)
        SELECT bill_id, village_id, min(district_code), min(regency_code), min(province_code),
               count(*), count(DISTINCT enrollment_id), sum(amount), sum(jkk), sum(jkm), 0
        FROM billing_billline GROUP BY bill_id, village_id
        """
    )
    sql(
        """
        UPDATE billing_bill b SET amount = t.amount, lines_count = t.lines
        FROM (SELECT bill_id, sum(amount) AS amount, sum(lines) AS lines
              FROM billing_billvillagetotal GROUP BY bill_id) t
        WHERE t.bill_id = b.id
        """
    )
    # What each month's run added (the budget's "billed" is read from these) and the
    # payments: every bill paid in full on its due date.
    sql(
        """
        INSERT INTO billing_billingrun (id, program_id, month, started_at, finished_at, by_id,
            via, lines, amount, late_lines, reversals)
        SELECT id, program_id, month, created_at, created_at + interval '1 minute', NULL,
               'cli', lines_count, amount, 0, 0
        FROM billing_bill
        """
    )
    sql(
        "INSERT INTO billing_runbill (run_id, bill_id, lines, amount) "
        "SELECT id, id, lines_count, amount FROM billing_bill"
    )
    sql(
        """
        INSERT INTO billing_payment (bill_id, paid_on, amount, reference, proof, source,
            payment_import_id, recorded_at, recorded_by_id)
        SELECT id, due_date, amount, 'SP2D ' || id, '', 'manual', NULL, created_at, NULL
        FROM billing_bill WHERE amount > 0
        """
    )
    sql("UPDATE billing_bill SET paid = amount, locked_at = created_at WHERE amount > 0")
    for table in ("billing_billingrun", "billing_bill"):
        sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )
    # Claims: every (40 / claims)-th enrollment of a desa (the first of a round, which the
    # insurer activated); the kind, the date and the outcome vary with the enrollment.
    every = max(1, 40 // max(1, claims_per_desa))
    sql(
        """
        INSERT INTO claims_claim (person_id, enrollment_id, kind, event_date, place, status,
            reported_on, reporter_name, reported_by_id, heir_name, heir_relation, heir_phone,
            documents, estimate_total, estimate_up_to, estimate_covered, estimate_rule,
            submitted_on, amount_paid, paid_on, payment_note, refusal_reason, handover_on,
            handover_by, handover_photo, testimony, created_at, updated_at, village_id,
            district_code, regency_code, province_code)
        SELECT e.person_id, e.id, k.kind, d.day, '', s.status, d.day + 3, 'Bench', NULL, '',
               '', '', '[]'::jsonb, k.amount, k.amount, true, 'bench', NULL,
               CASE WHEN s.status = 'paid' THEN k.amount END,
               CASE WHEN s.status = 'paid' THEN d.day + 30 END, '',
               CASE WHEN s.status = 'refused' THEN 'bench' ELSE '' END, NULL, '', '', '',
               now(), now(), e.village_id, e.district_code, e.regency_code, e.province_code
        FROM programs_enrollment e
        CROSS JOIN LATERAL (SELECT e.id / 20 AS j) h
        CROSS JOIN LATERAL (SELECT e.effective_date + (h.j * 37 %% 150)::int AS day) d
        CROSS JOIN LATERAL (SELECT
            (ARRAY['death', 'work_accident_care', 'death', 'work_accident_death',
                   'total_disability'])[1 + h.j %% 5] AS kind,
            (ARRAY[42000000, 5000000, 42000000, 70000000, 56000000])[1 + h.j %% 5] AS amount
        ) k
        CROSS JOIN LATERAL (SELECT
            (ARRAY['paid', 'paid', 'paid', 'submitted', 'reported', 'refused'])[1 + h.j * 7 %% 6]
            AS status) s
        WHERE e.effective_date IS NOT NULL AND e.id %% %(every)s = 1
        """,
        {"every": every},
    )
    sql("SET session_replication_role = origin")
    for table in ("billing_bill", "billing_billline", "billing_billvillagetotal", "claims_claim"):
        sql(f"VACUUM ANALYZE {table}")
    log(
        f"  bills {scalar('SELECT count(*) FROM billing_bill'):,}, lines "
        f"{scalar('SELECT count(*) FROM billing_billline'):,}, village totals "
        f"{scalar('SELECT count(*) FROM billing_billvillagetotal'):,}, claims "
        f"{scalar('SELECT count(*) FROM claims_claim'):,} "
        f"({base.time.perf_counter() - started:.0f} s)"
    )


BASELINE_CLAIMS = """
SELECT e.program_id, {group}, count(*),
       count(*) FILTER (WHERE c.status = 'paid' AND c.paid_on <= %(day)s),
       sum(c.amount_paid) FILTER (WHERE c.status = 'paid' AND c.paid_on <= %(day)s)
FROM claims_claim c LEFT JOIN programs_enrollment e ON e.id = c.enrollment_id
WHERE {where} AND c.event_date BETWEEN %(start)s AND %(day)s AND c.reported_on <= %(day)s
GROUP BY 1, 2
"""
BASELINE_PREMIUM = """
SELECT l.program_id, sum(l.amount) FROM billing_billline l JOIN billing_bill b ON b.id = l.bill_id
WHERE {where} AND b.month BETWEEN %(start)s AND %(day)s AND l.created_at < %(day)s + 1
GROUP BY 1
"""


def baseline(code: str):
    """The plain GROUP BY over the register and the bill lines, for the same figures."""
    column = {0: None, 1: "province_code", 2: "regency_code"}[code.count(".") + 1 if code else 0]

    def run():
        params = {"code": code, "day": DAY, "start": DAY.replace(month=1, day=1)}
        with base.connection.cursor() as cursor:
            where_c = f"c.{column} = %(code)s" if column else "true"
            where_l = f"l.{column} = %(code)s" if column else "true"
            cursor.execute(BASELINE_CLAIMS.format(group="c.village_id", where=where_c), params)
            cursor.fetchall()
            cursor.execute(BASELINE_PREMIUM.format(where=where_l), params)
            cursor.fetchall()
            cursor.execute("SELECT id, name, funder FROM programs_program")
            cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-village", type=int, default=120)
    parser.add_argument("--sponsored", type=int, default=20)
    parser.add_argument("--claims", type=int, default=2, help="claims per desa and year")
    parser.add_argument("--requests", type=int, default=40)
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
    expected = villages * options.per_village
    generated = options.regenerate or scalar("SELECT count(*) FROM people_person") != expected
    if generated:
        base.generate(options.per_village, options.sponsored, options.prefix)
    if generated or not scalar("SELECT count(*) FROM targets_tally"):
        spent, rows = base.timed(summary.rebuild)
        log(f"summary rebuilt: {rows:,} rows in {spent:.0f} s")
    if generated or not scalar("SELECT count(*) FROM claims_claim"):
        bills_and_claims(options.claims)
    log(
        f"workers {scalar('SELECT count(*) FROM people_person'):,}, enrollments "
        f"{scalar('SELECT count(*) FROM programs_enrollment'):,}, bill lines "
        f"{scalar('SELECT count(*) FROM billing_billline'):,}, claims "
        f"{scalar('SELECT count(*) FROM claims_claim'):,}"
    )
    regency = base.biggest(2, options.prefix)
    province = base.biggest(1, options.prefix)
    log(f"regency {regency}, province {province}; {DAY}")
    n = options.requests
    ratios = []
    for code in (regency, province, ""):
        name = code or "indonesia"

        def section(code=code):
            return claims_tables(claims_figures(code, DAY))

        found = measure(f"claims section alone, {name}", section, n)
        base_found = measure(f"baseline GROUP BY (claims, bill lines), {name}", baseline(code),
                             max(5, n // 4))  # fmt: skip
        ratio = base_found["median"] / found["median"]
        ratios.append(ratio)
        log(f"  ratio baseline / section ({name}): {ratio:.1f}x")
    for code in (regency, province):
        client = base.viewer(code)
        url = f"/dasbor/{code}/?tanggal={DAY.isoformat()}"
        fetch = base.get(client, url)
        with_section = measure(f"page /dasbor/{code}/ with the claims section", fetch, n)
        fresh = lambda f=fetch: (django_cache.clear(), f())  # noqa: E731
        measure(f"page /dasbor/{code}/ with the section (fresh)", fresh, n)
        left_out = (
            mock.patch("lindung.dashboards.views.claims_tables", lambda figures: {}),
            mock.patch("lindung.dashboards.views.claims_figures", lambda c, d: None),
        )
        with left_out[0], left_out[1]:
            without = measure(f"page /dasbor/{code}/ without it", fetch, n)
        log(
            f"  section's share of the page ({code}): "
            f"{with_section['median'] - without['median']:+.1f} ms median"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
