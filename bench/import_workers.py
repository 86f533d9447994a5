"""Benchmark: importing a worker file of 1,000,000 rows, against its floor and a naive loop.

Generates one realistic CSV (real Bali villages, valid NIKs, Balinese names, the usual
occupations and incomes) and measures, in one run on that same file:

  (a) the project's import into PostgreSQL with full validation: the real command,
      ``lindung import workers FILE --json``, in its own process, into an empty registry
      (wall time and peak memory of that process);
  (b) the floor: PostgreSQL ``COPY`` of the same file into an unlogged text table plus one
      ``INSERT … SELECT`` into a typed table with the NIK as primary key;
  (c) a naive Django baseline: ``people.services.register_worker`` row by row (checks and
      one ``save()`` per row) on the first ``--naive-rows`` rows, extrapolated;
  (d) the same 1,000,000 rows into SQLite (a fresh database file);
  (e) a 100,000-row XLSX into PostgreSQL;
  (f) the same file imported a second time (everything ``unchanged``).

Prints rows/s for each, the ratios (a)/(b) and (c)/(a), and peak memory. (a) and (b) are
medians over ``--rounds``.

``--duplicates both`` imports each round twice, with the duplicate-person check off
(``LINDUNG_DUPLICATE_CHECK=0``) and on, in alternating order, and prints both medians,
their ratio and the pairs the check flagged (``--duplicates off`` runs (a) without it).

``--history both`` imports each round twice, with the change history off
(``LINDUNG_HISTORY=0``) and on, in alternating order, and prints both medians and their
ratio (``--history off`` runs (a) without it). ``--only-import`` skips (c) to (f).
``--export`` adds, on the loaded registry, ``lindung export workers OUT.csv`` of all rows
(median over the rounds) and what the access log adds to one export: the entry's
``INSERT`` and, for the page's streamed CSV, the count of the rows. ``--profile`` adds
one import without and one with the history, in process, timing each part (Python's and
PostgreSQL's).

    .venv/bin/python bench/import_workers.py [--rows 1000000] [--rounds 3]
        [--pg postgres://postgres@127.0.0.1:5432/lindung_bench_import] [--skip-sqlite]
        [--history on|off|both] [--duplicates on|off|both] [--only-import] [--export]
        [--profile]

The PostgreSQL database named by ``--pg`` is dropped and made again: give it a name of
its own.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
LINDUNG = str(Path(sys.executable).with_name("lindung"))


def run_command(args: list[str], env: dict) -> tuple[float, int, str]:
    """Run ``lindung …``; returns (seconds, peak RSS of that process in MiB, stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen([LINDUNG, *args], env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"lindung {' '.join(args)} failed:\n{err.read()}")
        return seconds, usage.ru_maxrss // 1024, out.read()


def recreate_database(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def empty_registry(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE people_person, people_historicalperson, imports_importjob, "
            "imports_importrow, imports_importbatch, people_possibleduplicate, "
            "people_historicalpossibleduplicate CASCADE"
        )
        conn.execute("VACUUM ANALYZE people_person")
        conn.execute("CHECKPOINT")


def pairs_flagged(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM people_possibleduplicate").fetchone()[0]


def floor(url: str, path: Path, separator: str) -> float:
    """COPY into an unlogged text table + one INSERT … SELECT into a typed table."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor_raw, bench_floor_typed")
        conn.execute(
            "CREATE TABLE bench_floor_typed (nik varchar(16) PRIMARY KEY, "
            "full_name varchar(150) NOT NULL, sex varchar(1) NOT NULL, birth_date date NOT NULL,"
            " village_code varchar(13) NOT NULL, address varchar(255) NOT NULL, "
            "phone varchar(20) NOT NULL, occupation varchar(80) NOT NULL, "
            "category varchar(20) NOT NULL, declared_income bigint NOT NULL)"
        )
        conn.execute("CHECKPOINT")
        started = time.perf_counter()
        conn.execute(
            "CREATE UNLOGGED TABLE bench_floor_raw (nik text, nama text, jenis_kelamin text, "
            "tanggal_lahir text, kode_desa text, alamat text, no_hp text, pekerjaan text, "
            "kategori text, penghasilan text)"
        )
        with (
            path.open("rb") as handle,
            conn.cursor().copy(
                f"COPY bench_floor_raw FROM STDIN (FORMAT csv, HEADER true, "
                f"DELIMITER '{separator}')"
            ) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        conn.execute(
            "INSERT INTO bench_floor_typed SELECT nik, nama, jenis_kelamin, "
            "to_date(tanggal_lahir, 'DD/MM/YYYY'), kode_desa, coalesce(alamat, ''), "
            "coalesce(no_hp, ''), coalesce(pekerjaan, ''), kategori, "
            "replace(penghasilan, '.', '')::bigint FROM bench_floor_raw"
        )
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_floor_raw, bench_floor_typed")
    return seconds


def naive(env: dict, path: Path, rows: int, separator: str) -> float:
    """register_worker() row by row, in a process of its own."""
    code = f"""
import csv, time
from lindung.people.services import register_worker, WorkerInvalid
names = {{"nama": "full_name", "jenis_kelamin": "sex", "tanggal_lahir": "birth_date",
          "kode_desa": "village_code", "alamat": "address", "no_hp": "phone",
          "pekerjaan": "occupation", "kategori": "category", "penghasilan": "declared_income"}}
with open({str(path)!r}, newline="", encoding="utf-8") as handle:
    reader = csv.DictReader(handle, delimiter={separator!r})
    rows = [next(reader) for _ in range({rows})]
started = time.perf_counter()
for cells in rows:
    try:
        register_worker(user=None, data={{names.get(k, k): v for k, v in cells.items()}})
    except WorkerInvalid:
        pass
print(time.perf_counter() - started)
"""
    seconds, _, out = run_command(["shell", "-c", code], env)
    return float(out.strip().splitlines()[-1])


def generate(directory: Path, rows: int, xlsx_rows: int) -> tuple[Path, Path, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = f"""
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
import django; django.setup()
from lindung.imports import samples
frame = samples.workers_frame({rows}, seed=2026)
open({str(directory / "pekerja.csv")!r}, "wb").write(samples.to_csv(frame, separator=","))
samples.to_xlsx(frame.head({xlsx_rows}), {str(directory / "pekerja.xlsx")!r})
"""
    env["LINDUNG_VAR_DIR"] = str(directory / "var-gen")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return directory / "pekerja.csv", directory / "pekerja.xlsx", ","


def access_log_cost(env: dict, calls: int = 200) -> tuple[float, float]:
    """Seconds per access-log entry written, and for the count of the whole registry (what
    the page's streamed CSV export asks before its first byte)."""
    code = f"""
import time
from lindung.exports.workers import workers_to_export
from lindung.privacy.access import exported
started = time.perf_counter()
for _ in range({calls}):
    exported(None, {{}}, 0, operation="bench")
entry = (time.perf_counter() - started) / {calls}
started = time.perf_counter()
workers_to_export(None, {{}}).count()
print(entry, time.perf_counter() - started)
"""
    _, _, out = run_command(["shell", "-c", code], env)
    entry, count = out.strip().splitlines()[-1].split()
    return float(entry), float(count)


PROFILE = """
import collections, json, os, time
from django.db import connection
from lindung.imports import loading, services
from lindung.people import duplicates
try:
    from lindung.imports import duplicates as import_duplicates
except ImportError:  # before the check ran in the import's frames
    import_duplicates = None
spent = collections.defaultdict(float)
TICK = os.sysconf("SC_CLK_TCK")

def backend_cpu():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK

def timed(module, name, label, server=False):
    real = getattr(module, name, None)
    if real is None:  # an older version of the loader
        return
    def wrapper(*args, **kwargs):
        wall = time.perf_counter()
        before = backend_cpu() if server else 0
        try:
            return real(*args, **kwargs)
        finally:
            spent[label + ": wall"] += time.perf_counter() - wall
            if server:
                spent[label + ": PostgreSQL CPU"] += backend_cpu() - before
    setattr(module, name, wrapper)

timed(services, "read_table", "main: read the file")
timed(services, "order_keys", "main: order, find duplicates")
timed(services, "check_rows", "main: check the rows")
timed(loading, "_take_ids", "main: ids from the sequence")
timed(services, "prepare_direct", "main: rows and history rows as CSV, ids included")
timed(loading, "_copy_into_registry", "loader: COPY into the registry", server=True)
timed(loading, "write_history", "loader: COPY into the history", server=True)
timed(services, "registry_payload", "main: rows as CSV (before 2026-12-07)")
timed(loading, "_write_history", "loader: history by INSERT … SELECT", server=True)
timed(services, "write_rows", "loader: report rows")
timed(services, "flag_imported", "loader: duplicate check, all of it", server=True)
timed(duplicates, "find", "loader: duplicate check, the query", server=True)
if import_duplicates is not None:
    timed(import_duplicates, "registry_frame", "main: duplicate check, the registry read")
    timed(import_duplicates.Matcher, "batch", "main: duplicate check, the batches' pairs")
    timed(import_duplicates.Matcher, "finish", "main: duplicate check, others' records", True)
    timed(duplicates, "resolve", "loader: duplicate check, ids of the pairs' NIKs", True)
    timed(duplicates, "insert_pairs", "loader: duplicate check, pairs kept", True)
    timed(duplicates, "labels", "loader: duplicate check, the others' names", True)
timed(services, "_report", "both threads: the report's rows made")
timed(services, "_load", "loader: a batch's transaction, commit included", server=True)
from django.core.management import call_command
wall, cpu = time.perf_counter(), time.process_time()
call_command("import", "workers", PATH, "--json", "--no-progress")
spent["all: wall"] = time.perf_counter() - wall
spent["all: CPU of the import process (every thread, polars' too)"] = time.process_time() - cpu
print(json.dumps(spent))
"""


def profile(env: dict, path: Path) -> dict[str, float]:
    """Where one import's time goes: per part, from the functions that do each, the wall
    time and, for the loader's statements, the CPU time of the PostgreSQL backend (read
    from /proc: the server must run on this machine); and the CPU time of the whole import
    process (polars works in threads of its own). The main thread checks batch N+1 while
    the loader loads batch N. CPU seconds hardly depend on the neighbours' load: on a
    quiet 2-core machine the import takes at least half their sum."""
    code = PROFILE.replace("PATH", repr(str(path)))
    _, _, out = run_command(["shell", "-c", code], env)
    return json.loads(out.strip().splitlines()[-1])


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>12,.0f} rows/s".replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=10_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/lindung_bench_import")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--history", choices=["on", "off", "both"], default="on")
    parser.add_argument("--duplicates", choices=["on", "off", "both"], default="on")
    parser.add_argument("--only-import", action="store_true")
    parser.add_argument("--export", action="store_true")
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lindung-bench-import-"))
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
        "LINDUNG_VAR_DIR": str(work / "var-pg"),
    }
    pg_env = {**base_env, "DATABASE_URL": options.pg}

    print(f"generating {options.rows:,} rows in {work} …".replace(",", "."), flush=True)
    csv_path, xlsx_path, separator = generate(work, options.rows, options.xlsx_rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"  CSV {size_mb:.0f} MB, XLSX {xlsx_path.stat().st_size / 1e6:.0f} MB")

    recreate_database(options.pg)
    run_command(["migrate", "-v0"], pg_env)
    run_command(["regions", "load"], pg_env)

    floors, imports, peaks, second = [], [], [], None
    without, exports = [], []
    pg_env["LINDUNG_DUPLICATE_CHECK"] = "0" if options.duplicates == "off" else "1"
    history_env = {**pg_env, "LINDUNG_HISTORY": "0" if options.history == "off" else "1"}
    no_history_env = {**pg_env, "LINDUNG_HISTORY": "0"}
    unchecked_env = {**history_env, "LINDUNG_DUPLICATE_CHECK": "0"}
    unchecked, flagged = [], []

    def load(env) -> tuple[float, int]:
        empty_registry(options.pg)
        seconds, peak, out = run_command(
            ["import", "workers", str(csv_path), "--json", "--no-progress"], env
        )
        summary = json.loads(out)
        assert summary["created"] == options.rows, summary
        return seconds, peak

    for round_ in range(1, options.rounds + 1):
        floors.append(floor(options.pg, csv_path, separator))
        # With both, the order alternates so a neighbour's load does not favour one side.
        if options.history == "both" and round_ % 2 == 0:
            without.append(load(no_history_env)[0])
        if options.duplicates == "both" and round_ % 2 == 0:
            unchecked.append(load(unchecked_env)[0])
        seconds, peak = load(history_env)
        if options.duplicates != "off":
            flagged.append(pairs_flagged(options.pg))
        if options.history == "both" and round_ % 2 == 1:
            without.append(load(no_history_env)[0])
        if options.duplicates == "both" and round_ % 2 == 1:
            unchecked.append(load(unchecked_env)[0])
        imports.append(seconds)
        peaks.append(peak)
        print(
            f"  round {round_}: floor {floors[-1]:.1f} s, import {seconds:.1f} s, peak {peak} MiB"
            + (f", without history {without[-1]:.1f} s" if without else "")
            + (f", duplicate check off {unchecked[-1]:.1f} s" if unchecked else "")
            + (f", pairs flagged {flagged[-1]:,}" if flagged else ""),
            flush=True,
        )
        if options.export:
            exports.append(run_command(["export", "workers", str(work / "export.csv")], pg_env)[0])
            print(f"    export of all rows (CSV) {exports[-1]:.1f} s", flush=True)
    if options.export:
        entry_seconds, count_seconds = access_log_cost(pg_env)
    if options.profile:
        runs = [(history_env, "as measured above")]
        if options.history == "both":
            runs.append((no_history_env, "without history"))
        if options.duplicates == "both":
            runs.append((unchecked_env, "duplicate check off"))
        for env, label in runs:
            empty_registry(options.pg)
            print(f"profile of one import, {label}:")
            for part, seconds in profile(env, csv_path).items():
                print(f"    {part:70} {seconds:6.1f} s")
    if not imports:
        return
    if options.only_import:
        a, b = statistics.median(imports), statistics.median(floors)
        print(f"(a) import, history {options.history:>4}: {a:.1f} s {rate(options.rows, a)}")
        print(f"(b) floor: {b:.1f} s; ratio (a)/(b) = {a / b:.2f}")
        if without:
            c = statistics.median(without)
            print(f"    without history: {c:.1f} s {rate(options.rows, c)}; with/without = "
                  f"{a / c:.2f}; all: with {[round(x, 1) for x in imports]}, "
                  f"without {[round(x, 1) for x in without]}")  # fmt: skip
        if unchecked:
            c = statistics.median(unchecked)
            print(f"    duplicate check off: {c:.1f} s {rate(options.rows, c)}; on/off = "
                  f"{a / c:.2f}; all: on {[round(x, 1) for x in imports]}, "
                  f"off {[round(x, 1) for x in unchecked]}; pairs flagged {flagged}")  # fmt: skip
        if exports:
            e = statistics.median(exports)
            print(f"(g) export of {options.rows} rows to CSV: {e:.1f} s {rate(options.rows, e)}; "
                  f"all {[round(x, 1) for x in exports]}")  # fmt: skip
            print(f"    access log: {entry_seconds * 1000:.2f} ms per entry, count of the "
                  f"registry {count_seconds * 1000:.0f} ms: "
                  f"{(entry_seconds + count_seconds) / e:.2%} of one export")  # fmt: skip
        return
    second, _, out = run_command(
        ["import", "workers", str(csv_path), "--json", "--no-progress"], pg_env
    )
    assert json.loads(out)["unchanged"] == options.rows

    empty_registry(options.pg)
    xlsx_seconds, xlsx_peak, out = run_command(
        ["import", "workers", str(xlsx_path), "--json", "--no-progress"], pg_env
    )
    assert json.loads(out)["created"] == options.xlsx_rows

    empty_registry(options.pg)
    naive_seconds = naive(pg_env, csv_path, options.naive_rows, separator)

    sqlite_seconds = sqlite_peak = None
    if not options.skip_sqlite:
        sqlite_env = {**base_env, "LINDUNG_VAR_DIR": str(work / "var-sqlite")}
        sqlite_env.pop("DATABASE_URL", None)
        run_command(["migrate", "-v0"], sqlite_env)
        run_command(["regions", "load"], sqlite_env)
        sqlite_seconds, sqlite_peak, out = run_command(
            ["import", "workers", str(csv_path), "--json", "--no-progress"], sqlite_env
        )
        assert json.loads(out)["created"] == options.rows

    a, b = statistics.median(imports), statistics.median(floors)
    naive_total = naive_seconds * options.rows / options.naive_rows
    rows = options.rows
    print()
    count = f"{rows:,}".replace(",", ".")
    print(f"file: {count} rows, {size_mb:.0f} MB CSV; rounds: {options.rounds}")
    print(f"(a) import into PostgreSQL, full validation  {a:7.1f} s {rate(rows, a)}")
    print(f"(b) floor: COPY + INSERT … SELECT            {b:7.1f} s {rate(rows, b)}")
    print(
        f"(c) naive register_worker() per row          {naive_total:7.0f} s "
        f"{rate(options.naive_rows, naive_seconds)}  (on "
        + f"{options.naive_rows:,}".replace(",", ".")
        + " rows, extrapolated)"
    )
    if sqlite_seconds:
        print(
            f"(d) import into SQLite                       {sqlite_seconds:7.1f} s "
            f"{rate(rows, sqlite_seconds)}"
        )
    print(
        f"(e) XLSX of {options.xlsx_rows:>9,} rows into PostgreSQL ".replace(",", ".")
        + f"{xlsx_seconds:7.1f} s {rate(options.xlsx_rows, xlsx_seconds)}"
    )
    print(f"(f) same file again (all unchanged)          {second:7.1f} s {rate(rows, second)}")
    print(f"ratio (a)/(b) = {a / b:.2f}    ratio (c)/(a) = {naive_total / a:.0f}")
    print(
        f"peak memory of the import process: PostgreSQL {max(peaks)} MiB, "
        f"XLSX {xlsx_peak} MiB" + (f", SQLite {sqlite_peak} MiB" if sqlite_peak else "")
    )
    print(
        f"all rounds: floor {[round(x, 1) for x in floors]}, "
        f"import {[round(x, 1) for x in imports]}"
    )


if __name__ == "__main__":
    main()
