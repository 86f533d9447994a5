"""Benchmark: formal coverage (``coverage.formal``) at 500,000 employers, PostgreSQL.

Generates ``--employers`` employers set-based (``generate_series``): a fifth of them in
Bali (51, its 716 villages: the province of 100,000), the rest in four provinces with
made-up codes (91–94; the employers' village is a string key without a database
constraint, so no region rows are needed for them); sizes, KBLI sections, registered
workers, dates of figures over the last two years, a tenth reached by outreach, a
hundredth closed. Bali and Gianyar get a formal workforce figure and a formal rate target.
Then, ``--requests`` times each, uncached (``LINDUNG_FIGURES_CACHE_SECONDS=0``):

  (a) ``formal.formal_figures`` of the province 51 (100,000 employers), the regency 51.04
      and the whole country (every employer), the figures cache off: the figures the
      dashboard's formal section, its exports and the indicators API read (the probe for
      pending changes of the employers' summary, its grouped read, the 12-month trend,
      workforce and targets);
  (b) the baseline in the same run: the plain ``SELECT province/regency, kbli_section,
      size_class, COUNT(*), SUM(total_workers), SUM(registered_workers) … GROUP BY`` over
      the same employers;
  (c) the regency's whole dashboard page ``/dasbor/51.04/`` and ``GET /api/v1/indicators``
      of the province, with the formal section (the page's other figures read the coverage
      summary, whose cost at 10 million workers is measured by ``bench/dashboard.py``; the
      formal section's cost does not depend on the workers).

Prints medians and p95, and the ratio (a)/(b). The data are kept for a second run
(``--regenerate`` to make them again). The employers' summary
(``coverage.formal_summary``) is rebuilt after the employers are made (its time printed),
and the time of one refresh after one employer's change is measured too (what the first
reader after a change pays when the background worker has not yet run).

    createdb -h 127.0.0.1 -U postgres lindung_bench_formal
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_formal \\
        .venv/bin/python bench/employer_formal.py [--employers 500000] [--requests 30]
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
os.environ.setdefault("LINDUNG_ALLOWED_HOSTS", "testserver")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.accounts.models import Role, User  # noqa: E402
from lindung.coverage import formal, formal_summary  # noqa: E402
from lindung.programs import clock  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402
from lindung.targets.models import Target, WorkforceFigure  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def log(text: str) -> None:
    print(text, flush=True)


def sql(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def generate(count: int) -> None:
    villages = list(
        Region.objects.filter(level=4, code__startswith="51.").values_list("code", flat=True)
    )
    sql("TRUNCATE employers_action, employers_event, employers_employer, "
        "employers_historicalemployer CASCADE")  # fmt: skip
    bali = count // 5
    # Bali: the real villages in turn; elsewhere: 4 provinces × 30 regencies × 20 districts
    # × 20 villages of made-up codes.
    sql(
        """
        INSERT INTO employers_employer (
            name, nib, npwp, legal_form, kbli_section, kbli_code, address, contact_name,
            contact_phone, contact_email, total_workers, workers_male, workers_female,
            workers_source, workers_as_of, registered_workers, programs, npp,
            wage_underreported, registration_source, registration_as_of, closed_on,
            size_class, compliance, reasons, uncovered, identified_by_name, next_follow_up,
            first_reached_on, created_at, updated_at, created_by_id, village_id,
            district_code, regency_code, province_code)
        SELECT 'Usaha ' || g, (8000000000000 + g)::text, '', 'pt',
               (ARRAY['A','C','F','G','H','I','K','S'])[1 + g %% 8], '', '', '', '', '',
               t.total, NULL, NULL, 'wlkp', DATE '2025-01-01' + (g %% 690),
               t.registered, CASE WHEN t.registered > 0 THEN 'JKK,JKM,JHT,JP' ELSE '' END,
               CASE WHEN t.registered > 0 THEN 'N' || g ELSE '' END, false, 'insurer',
               DATE '2025-01-01' + (g %% 690),
               CASE WHEN g %% 100 = 0 THEN DATE '2026-06-01' END,
               CASE WHEN t.total <= 4 THEN 'micro' WHEN t.total <= 19 THEN 'small'
                    WHEN t.total <= 99 THEN 'medium' ELSE 'large' END,
               CASE WHEN g %% 100 = 0 THEN 'closed' WHEN t.registered = 0 THEN 'not_registered'
                    WHEN t.registered < t.total THEN 'partly' ELSE 'registered' END,
               '', t.total - t.registered, false, NULL,
               CASE WHEN g %% 10 = 0 THEN DATE '2025-06-01' + (g %% 500) END,
               now(), now(), NULL, v.code, left(v.code, 8), left(v.code, 5), left(v.code, 2)
        FROM generate_series(1, %s) AS g
        CROSS JOIN LATERAL (
            SELECT (ARRAY[1,2,3,4,6,9,15,25,40,80,150,500])[1 + g %% 12] AS total
        ) AS s
        CROSS JOIN LATERAL (
            SELECT s.total,
                   (ARRAY[0, 0, s.total / 2, s.total])[1 + (g / 12) %% 4] AS registered
        ) AS t
        CROSS JOIN LATERAL (
            SELECT CASE WHEN g <= %s THEN (%s::text[])[1 + g %% %s]
                   ELSE (91 + g %% 4)::text || '.' || lpad((1 + g / 4 %% 30)::text, 2, '0')
                        || '.' || lpad((1 + g / 120 %% 20)::text, 2, '0')
                        || '.' || (2001 + g / 2400 %% 20)::text END AS code
        ) AS v
        """,
        [count, bali, villages, len(villages)],
    )
    sql("VACUUM ANALYZE employers_employer")


def figures() -> None:
    for code in ("51", "51.04"):
        WorkforceFigure.objects.update_or_create(
            region_id=code,
            year=2026,
            segment="formal",
            definition="penduduk_bekerja",
            defaults={"count": 900_000 if code == "51" else 120_000, "source": "bench"},
        )
        Target.objects.update_or_create(
            region_id=code, year=2026, segment="formal", metric="rate", defaults={"value": 4800}
        )


def timed(func, requests: int) -> tuple[float, float]:
    func()  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employers", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args()
    settings.LINDUNG_FIGURES_CACHE_SECONDS = 0

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="51.04.01.2001").exists():
        load_official_regions(prefixes=("51",))
    have = sql("SELECT count(*) FROM employers_employer")[0][0]
    if options.regenerate or have != options.employers:
        started = time.perf_counter()
        generate(options.employers)
        log(f"generated {options.employers:,} employers in {time.perf_counter() - started:.0f} s")
    if (
        options.regenerate
        or formal_summary.pending()
        or not sql("SELECT EXISTS (SELECT 1 FROM coverage_formaltally)")[0][0]
    ):
        started, cpu = time.perf_counter(), time.process_time()
        rows = formal_summary.rebuild()
        sql("VACUUM ANALYZE coverage_formaltally")
        log(
            f"employers' summary rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s "
            f"(this process's CPU {time.process_time() - cpu:.1f} s; the rest is the server's)"
        )
    figures()
    in_bali = sql("SELECT count(*) FROM employers_employer WHERE province_code = '51'")[0][0]
    log(f"{options.employers:,} employers, {in_bali:,} in Bali; load {os.getloadavg()}")

    def baseline(code: str, child: str):
        where = f"WHERE {'province' if len(code) == 2 else 'regency'}_code = %s" if code else ""
        return lambda: sql(
            f"SELECT {child}, kbli_section, size_class, COUNT(*), SUM(total_workers), "
            f"SUM(registered_workers) FROM employers_employer {where} GROUP BY 1, 2, 3",
            [code] if code else [],
        )

    results = {}
    for label, code, child in (
        ("province 51", "51", "regency_code"),
        ("regency 51.04", "51.04", "district_code"),
        ("country", "", "province_code"),
    ):
        ours = timed(
            lambda code=code: formal.formal_figures(code, TODAY, months=12), options.requests
        )
        base = timed(baseline(code, child), options.requests)
        results[label] = (ours, base)
        log(
            f"{label}: formal figures median {ours[0]:.1f} ms, p95 {ours[1]:.1f} ms; "
            f"plain GROUP BY median {base[0]:.1f} ms, p95 {base[1]:.1f} ms; "
            f"ratio {ours[0] / base[0]:.2f} (median)"
        )

    rows = sql(
        "SELECT count(*), "
        "count(*) FILTER (WHERE region_code = '51' OR (parent_code = '51' AND dim = '')), "
        "count(*) FILTER (WHERE region_code = '' OR (parent_code = '' AND dim = '')) "
        "FROM coverage_formaltally"
    )[0]
    log(
        f"summary rows: {rows[0]:,} in all; a read of 51 chooses among {rows[1]:,}, "
        f"of the country among {rows[2]:,}"
    )

    # One employer's change, then the refresh of its village (and the levels above).
    employer_id, original = sql(
        "SELECT id, registered_workers FROM employers_employer WHERE province_code = '51' "
        "ORDER BY id LIMIT 1"
    )[0]
    refresh_times = []
    for i in range(options.requests):
        sql(
            "UPDATE employers_employer SET registered_workers = %s WHERE id = %s",
            [(i + original + 1) % 2, employer_id],  # a change every time
        )
        started = time.perf_counter()
        assert formal_summary.refresh() == 1
        refresh_times.append((time.perf_counter() - started) * 1000)
    sql(
        "UPDATE employers_employer SET registered_workers = %s WHERE id = %s",
        [original, employer_id],
    )
    formal_summary.refresh()
    log(
        f"refresh after one employer's change: median "
        f"{statistics.median(refresh_times):.1f} ms, p95 {percentile(refresh_times, 0.95):.1f} ms"
    )

    clock.today = lambda: TODAY
    user, _ = User.objects.get_or_create(
        username="bench.province", defaults={"role": Role.VIEWER, "region_id": "51"}
    )
    client = Client()
    client.force_login(user)
    for label, url in (
        ("page /dasbor/51.04/", f"/dasbor/51.04/?tanggal={TODAY.isoformat()}"),
        ("API indicators 51", f"/api/v1/indicators?region=51&date={TODAY.isoformat()}"),
    ):

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        median, p95 = timed(get, options.requests)
        log(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms")
    log(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
