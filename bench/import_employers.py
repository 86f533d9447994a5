"""Benchmark: importing 500,000 employers against its floor, and the work list at 100,000.

Generates one CSV of ``--rows`` employers over Bali's villages (unique 13-digit NIBs, one in
ten without a NIB and known by name and village instead, the kept KBLI codes and sections,
workers from 1 to 500, some registered) and measures, in one run on that same file:

  (a) the project's import with full validation, ``employers.importing.import_employers``
      (the page's code path), into an empty registry, in this process;
  (b) the floor: PostgreSQL ``COPY`` of the same file into an unlogged text table plus one
      ``INSERT … SELECT`` into a typed table with the NIB as primary key;
  (c) the work list of the province (a user scoped to Bali, 51) with ``--worklist-rows``
      employers imported (a fresh import of the file's first rows, a twentieth of them with
      a follow-up, half of those overdue): the page ``/pemberi-kerja/daftar-kerja/`` and
      ``GET /api/v1/employers/worklist``, first page, ``--requests`` times each, and in the
      same run the baseline: the plain ``SELECT … ORDER BY uncovered DESC, id LIMIT 50``.

Prints (a) and (b) as medians over ``--rounds`` with their ratio (goal ≤ 3), and the median
and p95 of (c) (goal p95 ≤ 150 ms).

    createdb -h 127.0.0.1 -U postgres lindung_bench_employers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_employers \\
        .venv/bin/python bench/import_employers.py [--rows 500000] [--rounds 2]
"""

import argparse
import datetime as dt
import os
import random
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.accounts.models import Role, User  # noqa: E402
from lindung.employers import importing  # noqa: E402
from lindung.programs import clock  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402

TODAY = dt.date(2026, 11, 25)
SECTORS = ["10213", "47111", "47112", "55110", "56101", "A", "C", "F", "G", "I", "K", "S"]
FORMS = ["pt", "cv", "koperasi", "lpd", "perorangan", "bumdes"]


def log(text: str) -> None:
    print(text, flush=True)


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def make_csv(rows: int, villages: list[str]) -> bytes:
    rng = random.Random(18)
    lines = ["nama_usaha;nib;bentuk_usaha;kbli;kode_desa;jumlah_pekerja;terdaftar_bpjs;program"]
    for i in range(rows):
        total = rng.choice((1, 2, 3, 4, 6, 9, 15, 25, 40, 80, 150, 500))
        registered = rng.choice((0, 0, total // 2, total))
        programs = "JKK,JKM,JHT,JP,JKP" if registered else ""
        nib = "" if i % 10 == 9 else f"{8_000_000_000_000 + i}"
        village = villages[i % len(villages)]
        lines.append(
            f"Usaha Bench {i};{nib};{rng.choice(FORMS)};{rng.choice(SECTORS)};{village};"
            f"{total};{registered};{programs}"
        )
    return ("\n".join(lines) + "\n").encode()


def empty() -> None:
    sql("TRUNCATE employers_action, employers_event, employers_employer, "
        "employers_historicalemployer CASCADE")  # fmt: skip


def run_import(data: bytes) -> float:
    empty()
    started = time.perf_counter()
    report = importing.import_employers(
        user=None, data=data, name="bench.csv", source="wlkp", as_of=TODAY, today=TODAY
    )
    seconds = time.perf_counter() - started
    if not report.ok:
        sys.exit(f"import refused: {report.problems[:3]}")
    return seconds


def run_floor(data: bytes) -> float:
    """COPY into text, then a typed insert keyed by NIB: what any import must at least do."""
    sql("DROP TABLE IF EXISTS bench_raw, bench_typed")
    sql("CREATE UNLOGGED TABLE bench_raw (name text, nib text, form text, kbli text, "
        "village text, total text, registered text, programs text)")  # fmt: skip
    sql("CREATE TABLE bench_typed (id bigserial PRIMARY KEY, nib varchar(13) UNIQUE, "
        "name varchar(200) NOT NULL, form varchar(12), kbli varchar(5), village varchar(13), "
        "total integer NOT NULL, registered integer NOT NULL, programs varchar(40))")  # fmt: skip
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY bench_raw FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
        ) as copy:
            copy.write(data)
        cursor.execute(
            "INSERT INTO bench_typed (nib, name, form, kbli, village, total, registered, "
            "programs) SELECT NULLIF(nib, ''), name, form, kbli, village, total::int, "
            "registered::int, programs FROM bench_raw"
        )
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def work_list(data: bytes, rows: int, requests: int) -> dict:
    head = b"\n".join(data.split(b"\n")[: rows + 1]) + b"\n"
    run_import(head)
    # A twentieth with a follow-up, half of them overdue (before TODAY).
    sql("UPDATE employers_employer SET next_follow_up = CASE WHEN id %% 40 = 0 "
        "THEN DATE '2026-11-01' ELSE DATE '2026-12-15' END WHERE id %% 20 = 0")  # fmt: skip
    sql("VACUUM ANALYZE employers_employer")  # what autovacuum does after a load
    user, _ = User.objects.get_or_create(
        username="bench.province", defaults={"role": Role.VIEWER, "region_id": "51"}
    )
    clock.today = lambda: TODAY
    page, api = Client(), Client()
    page.force_login(user)
    api.force_login(user)
    out = {}
    baseline = []
    for _ in range(requests):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM employers_employer WHERE province_code = '51' AND uncovered > 0 "
                "AND compliance <> 'closed' ORDER BY uncovered DESC, id LIMIT 50"
            )
            cursor.fetchall()
        baseline.append((time.perf_counter() - started) * 1000)
    out["baseline SQL, LIMIT 50"] = (
        statistics.median(baseline),
        percentile(baseline, 0.95),
        float("nan"),
    )
    for label, client, url in (
        ("page", page, "/pemberi-kerja/daftar-kerja/"),
        ("api", api, "/api/v1/employers/worklist"),
    ):
        client.get(url)  # warm
        times, cpu = [], []
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, response.status_code
        # The CPU time of this process (the web side), which a loaded machine stretches less.
        out[label] = (statistics.median(times), percentile(times, 0.95), statistics.median(cpu))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--worklist-rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="51.04.01.2001").exists():
        load_official_regions(prefixes=("51",))
    villages = list(
        Region.objects.filter(level=4, code__startswith="51.").values_list("code", flat=True)
    )
    data = make_csv(options.rows, villages)
    log(f"{options.rows:,} employers over {len(villages)} Bali villages, {len(data) / 1e6:.1f} MB")

    lists = work_list(data, options.worklist_rows, options.requests)
    for label, (median, p95, cpu) in lists.items():
        log(f"work list ({label}) at {options.worklist_rows:,}: median {median:.1f} ms, "
            f"p95 {p95:.1f} ms, CPU median {cpu:.1f} ms; "
            f"load {os.getloadavg()[0]:.1f}")  # fmt: skip

    if not options.rounds:
        return
    imports, floors = [], []
    for round_ in range(options.rounds):
        floors.append(run_floor(data))
        imports.append(run_import(data))
        log(f"round {round_ + 1}: import {imports[-1]:.1f} s, floor {floors[-1]:.1f} s")
    a, b = statistics.median(imports), statistics.median(floors)
    log(f"import (a): median {a:.1f} s, {options.rows / a:,.0f} rows/s")
    log(f"floor (b): median {b:.1f} s, {options.rows / b:,.0f} rows/s")
    log(f"ratio (a)/(b): {a / b:.2f} (goal ≤ 3)")
    sql("DROP TABLE IF EXISTS bench_raw, bench_typed")


if __name__ == "__main__":
    main()
