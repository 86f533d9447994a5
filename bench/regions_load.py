"""Benchmark: loading the official region list (~91,600 rows) into PostgreSQL.

Measures, in one run and on the same data:
  (a) ``load_official_regions()`` into an empty table, and again over a full one (the re-run,
      which finds nothing to write);
  (c) the upgrade: over a table holding the former list (before 2022), which renames almost
      every region, moves 5,886 to new codes and removes the rest;
  (b) the floor: PostgreSQL ``COPY`` of the same codes and names into an unlogged table.
Prints medians over several rounds and the ratios to (b).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_regions \
        .venv/bin/python bench/regions_load.py [--rounds 5]
"""

import argparse
import io
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lindung.regions import codes  # noqa: E402
from lindung.regions.models import CodeChange, Region  # noqa: E402
from lindung.regions.services import _kind, load_official_regions  # noqa: E402


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def copy_floor() -> None:
    buffer = io.StringIO()
    for entry in codes.official_codes():
        buffer.write(f"{entry.code}\t{entry.name}\n")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_regions_raw")
        cursor.execute("CREATE UNLOGGED TABLE bench_regions_raw (code text, name text)")
        with cursor.copy("COPY bench_regions_raw (code, name) FROM STDIN") as copy:
            copy.write(buffer.getvalue())


def former_regions() -> None:
    """The table as a database loaded before 2022 has it (not timed)."""
    empty_regions()
    rows = [
        Region(
            code=r.code,
            name=r.name,
            level=r.level,
            kind=_kind(r),
            parent_id=r.parent_code,
        )
        for r in codes.former_codes()
    ]
    Region.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CodeChange._meta.db_table}")


def empty_regions() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Region._meta.db_table} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    codes.code_changes()  # read both packages' lists once, outside the timings
    fresh, rerun, upgrade, floor = [], [], [], []
    for _ in range(rounds):
        empty_regions()
        fresh.append(timed(load_official_regions))
        rerun.append(timed(load_official_regions))
        former_regions()
        upgrade.append(timed(load_official_regions))
        floor.append(timed(copy_floor))
    rows = Region.objects.count()
    med = statistics.median
    print(f"rows: {rows:,}  rounds: {rounds}")
    print(
        f"(a) load into empty table : median {med(fresh):.2f} s  ({rows / med(fresh):,.0f} rows/s)"
    )
    print(f"(a') re-run over full table: median {med(rerun):.2f} s")
    print(f"(c) upgrade from former list: median {med(upgrade):.2f} s")
    print(
        f"(b) COPY floor            : median {med(floor):.2f} s  ({rows / med(floor):,.0f} rows/s)"
    )
    print(
        f"ratio (a)/(b): {med(fresh) / med(floor):.1f}   (a')/(b): {med(rerun) / med(floor):.1f}"
        f"   (c)/(b): {med(upgrade) / med(floor):.1f}"
    )


if __name__ == "__main__":
    main()
