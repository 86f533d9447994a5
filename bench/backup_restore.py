"""Benchmark: ``lindung backup`` and ``lindung restore`` of a PostgreSQL database.

Measures, in one run and on the same database (the one ``DATABASE_URL`` names, e.g. after
``lindung demo load`` or a benchmark's 1,000,000 workers):
  (a) ``lindung backup`` (pg_dump custom format, checksum, manifest) against the floor, a plain
      ``pg_dump --format=custom`` of the same database;
  (b) ``lindung restore`` into a new empty database against a plain ``pg_restore`` into
      another.
Prints medians over several rounds, the ratios, and the database's size: the recovery time
of a database this size, and what the nightly backup costs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_demo \
        .venv/bin/python bench/backup_restore.py [--rounds 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

URL = os.environ.get("DATABASE_URL", "")
if not URL.startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database with data.")
LINDUNG = str(Path(sys.executable).with_name("lindung"))
PARTS = urlparse(URL)
PG = ["--host", PARTS.hostname or "127.0.0.1", "--port", str(PARTS.port or 5432),
      "--username", PARTS.username or "postgres"]  # fmt: skip


def timed(command: list[str], env=None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def admin(sql: str) -> None:
    with psycopg.connect(PARTS._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    name = PARTS.path.lstrip("/")
    with psycopg.connect(URL) as conn:
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        people = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
    times = {"backup": [], "pg_dump": [], "restore": [], "pg_restore": []}
    with tempfile.TemporaryDirectory() as folder:
        for n in range(rounds):
            out = Path(folder) / f"r{n}"
            times["backup"].append(timed([LINDUNG, "backup", "--out", str(out)]))
            (dump,) = out.glob("lindung-*.dump")
            plain = Path(folder) / f"plain{n}.dump"
            dump_command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *PG]
            times["pg_dump"].append(timed([*dump_command, "--file", str(plain), name]))
            for target in ("restore", "pg_restore"):
                db = f"bench_restore_{target}_{n}"
                admin(f'DROP DATABASE IF EXISTS "{db}"')
                admin(f'CREATE DATABASE "{db}"')
                env = {**os.environ, "DATABASE_URL": PARTS._replace(path=f"/{db}").geturl()}
                if target == "restore":
                    times[target].append(timed([LINDUNG, "restore", str(dump)], env=env))
                else:
                    times[target].append(timed(["pg_restore", "--no-owner", "--no-privileges",
                                                "--single-transaction", *PG, "--dbname", db,
                                                str(plain)]))  # fmt: skip
                admin(f'DROP DATABASE "{db}" WITH (FORCE)')
            dump_bytes = dump.stat().st_size
    median = {key: statistics.median(values) for key, values in times.items()}
    print(
        f"database {name}: {size / 1e6:.0f} MB, {people:,} workers; dump {dump_bytes / 1e6:.0f} MB"
    )
    for ours, floor in (("backup", "pg_dump"), ("restore", "pg_restore")):
        print(
            f"lindung {ours:8} {median[ours]:.2f} s   {floor} floor {median[floor]:.2f} s"
            f"   ratio {median[ours] / median[floor]:.2f}"
        )


if __name__ == "__main__":
    main()
