"""Benchmark: the PostgreSQL settings that matter for a large Lindung database, measured on
the product's own heavy work (PostgreSQL).

Each setting is changed for this benchmark's session only (``SET``; the shared server's
``postgresql.conf`` is never touched) and compared with the server's own value in the same
run, the two alternating round after round so that a neighbour's load falls on both:

  - ``work_mem`` on the summary refresh of every village of a regency (the refresh sets
    64 MB for itself; measured at the server's 4 MB, 64 MB and 256 MB), on the registry
    ``GROUP BY`` the summary replaces (a regency's figures by village), and on the
    continuation work list's first page (it counts the list and sorts it);
  - ``random_page_cost`` 1.1 (SSD) against 4, and ``effective_cache_size``, on the same
    reads;
  - ``jit`` off against on, and ``max_parallel_workers_per_gather`` 0 against 2, on the
    registry ``GROUP BY``;
  - ``maintenance_work_mem`` on building an index over the registry (the size of the NIK
    index) and a ``VACUUM ANALYZE``;
  - ``synchronous_commit`` off against on for small write transactions: a worker registered
    by the registry's own service (one commit each, as a village operator's form does).

``shared_buffers`` and ``max_wal_size`` cannot be changed for one session (a restart and a
reload of the whole server): they are not measured here; ``docs/operations.md`` says why
the recommended values follow from what is measured (the working set, the write volume).

Prints, per (work, setting): the median of the server's value, of the setting, and their
ratio (below 1: the setting is faster). The data: ``bench/dashboard.py`` generated first
into the same database (``--prefix 51`` for one province).

    createdb -h 127.0.0.1 -U postgres lindung_bench_pgset
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_pgset \\
        .venv/bin/python bench/dashboard.py --prefix 51 --per-village 1400 --sponsored 300 \\
        --requests 5 --skip-import
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_pgset \\
        .venv/bin/python bench/pg_settings.py [--rounds 3] [--only refresh,groupby,...]
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

from django.db import connection  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboard  # noqa: E402

from lindung.accounts.models import Role, User  # noqa: E402
from lindung.accounts.services import create_user  # noqa: E402
from lindung.coverage import summary  # noqa: E402

REGENCY = "51.04"
AS_OF = dt.date(2024, 7, 20)  # round 1 ended on 30/06/2024: its ended workers are listed


def sql(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def show(name: str) -> str:
    return sql(f"SHOW {name}")[0][0]


class Session:
    """``SET name = value`` for what runs inside; the refresh's own ``SET LOCAL`` of
    ``work_mem`` is overridden by the same value, so the setting really applies."""

    def __init__(self, settings: dict[str, str]):
        self.settings = settings

    def __enter__(self):
        for name, value in self.settings.items():
            sql(f"SET {name} = '{value}'")
        self._lock = summary._lock
        work_mem = self.settings.get("work_mem")
        if work_mem:

            def lock(cursor, d, *, wait=True, _original=self._lock):
                held = _original(cursor, d, wait=wait)
                if held:
                    cursor.execute(f"SET LOCAL work_mem = '{work_mem}'")
                return held

            summary._lock = lock
        return self

    def __exit__(self, *exc):
        summary._lock = self._lock
        for name in self.settings:
            sql(f"RESET {name}")


def timed(fn, prepare=None) -> float:
    if prepare:
        prepare()
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


# ---- the work ---------------------------------------------------------------------------


def mark_regency() -> None:
    sql(
        "INSERT INTO targets_dirtyvillage (village_code) SELECT code FROM regions_region "
        "WHERE level = 4 AND code LIKE %s ON CONFLICT DO NOTHING",
        [f"{REGENCY}.%"],
    )


def refresh() -> None:
    # Every village's rows are recomputed and compared; nothing changed, so the upsert
    # writes nothing: the read and compare side of a refresh after a large import.
    assert summary.refresh() > 0


def admin() -> User:
    name = "bench.pgset.admin"
    return User.objects.filter(username=name).first() or create_user(
        username=name, role=Role.REGENCY_ADMIN, region_code=REGENCY, password="bench-pgset-2026"
    )


def work_list_first_page(user):
    from lindung.agents import selectors

    def run():
        page = selectors.work_page(user, as_of=AS_OF)
        list(page.rows) if hasattr(page, "rows") else None
        assert page.count > 0

    return run


def build_index() -> None:
    sql("CREATE INDEX bench_pgset_nik ON people_person (nik, birth_date)")


def drop_index() -> None:
    sql("DROP INDEX IF EXISTS bench_pgset_nik")


def vacuum() -> None:
    sql("VACUUM ANALYZE programs_transition")


def registrations(count: int):
    """``count`` workers registered one by one through the registry's service."""
    from lindung.people import services
    from lindung.people.models import Person

    operator = User.objects.filter(username="bench.pgset.operator").first() or create_user(
        username="bench.pgset.operator",
        role=Role.VILLAGE_OPERATOR,
        region_code="51.04.01.2001",
        password="bench-pgset-2026",
    )
    serial = [5000]

    def run():
        for _ in range(count):
            serial[0] += 1
            born = dt.date(1990, 1, 1) + dt.timedelta(days=serial[0] % 3000)
            nik = f"510401{born:%d%m%y}{serial[0] % 10000:04d}"
            services.register_worker(
                user=operator,
                data={
                    "nik": nik,
                    "full_name": "Bench Pengaturan",
                    "sex": "L",
                    "birth_date": born.strftime("%d/%m/%Y"),
                    "village_code": "51.04.01.2001",
                    "occupation": "Petani",
                    "category": "pekerja_rentan",
                    "declared_income": "1000000",
                    "segment": "BPU",
                },
            )

    def clean():
        Person.objects.filter(full_name="Bench Pengaturan").delete()

    return run, clean


# ---- the comparisons --------------------------------------------------------------------


def compare(name, fn, server: dict, setting: dict, rounds: int, prepare=None, after=None):
    """Alternate the server's value and the setting ``rounds`` times; print and answer
    the medians and the ratio."""
    base, tried = [], []
    for _ in range(rounds):
        for values, into in ((server, base), (setting, tried)):
            with Session(values):
                into.append(timed(fn, prepare))
            if after:
                after()
    b, t = statistics.median(base), statistics.median(tried)
    label = ", ".join(f"{k}={v}" for k, v in setting.items())
    against = ", ".join(f"{k}={v}" for k, v in server.items()) or "server's values"
    print(
        f"{name:<34} {label:<36} {against:<36} {b:>10.1f} {t:>10.1f} {t / b:>7.2f}",
        flush=True,
    )
    return b, t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--registrations", type=int, default=50)
    parser.add_argument("--only", default="", help="comma list: refresh,groupby,worklist,…")
    options = parser.parse_args()
    only = set(filter(None, options.only.split(",")))
    rounds = options.rounds

    def wanted(kind: str) -> bool:
        return not only or kind in only

    counts = sql(
        "SELECT (SELECT count(*) FROM people_person), (SELECT count(*) FROM programs_enrollment),"
        " (SELECT count(*) FROM programs_transition), (SELECT count(*) FROM targets_tally),"
        " pg_size_pretty(pg_database_size(current_database()))"
    )[0]
    print(
        f"workers {counts[0]:,}, enrollments {counts[1]:,}, transitions {counts[2]:,}, "
        f"summary rows {counts[3]:,}, database {counts[4]}"
    )
    print(
        "server: "
        + ", ".join(
            f"{n}={show(n)}"
            for n in (
                "shared_buffers",
                "work_mem",
                "effective_cache_size",
                "random_page_cost",
                "maintenance_work_mem",
                "jit",
                "max_parallel_workers_per_gather",
                "synchronous_commit",
            )
        )
    )
    print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(
        f"{'work':<34} {'setting':<36} {'against':<36} {'against ms':>10} {'setting ms':>10} "
        f"{'ratio':>7}"
    )
    if wanted("refresh"):
        for mem in ("4MB", "256MB"):
            compare("refresh, all villages of 51.04", refresh, {"work_mem": "64MB"},
                    {"work_mem": mem}, rounds, prepare=mark_regency)  # fmt: skip
        compare("refresh, all villages of 51.04", refresh, {"work_mem": "64MB"},
                {"work_mem": "64MB", "random_page_cost": "1.1"}, rounds,
                prepare=mark_regency)  # fmt: skip
    groupby = dashboard.baseline(REGENCY, True)
    if wanted("groupby"):
        for setting in (
            {"work_mem": "64MB"},
            {"work_mem": "256MB"},
            {"random_page_cost": "1.1"},
            {"effective_cache_size": "12GB"},
            {"jit": "off"},
            {"max_parallel_workers_per_gather": "0"},
        ):
            compare("registry GROUP BY, regency 51.04", groupby, {}, setting, rounds)
    if wanted("worklist"):
        first = work_list_first_page(admin())
        for setting in ({"work_mem": "64MB"}, {"random_page_cost": "1.1"}, {"jit": "off"}):
            compare("work list page 1 (count), 51.04", first, {}, setting, rounds)
    if wanted("maintenance"):
        compare("CREATE INDEX people_person(nik,…)", build_index, {},
                {"maintenance_work_mem": "512MB"}, rounds, prepare=drop_index,
                after=drop_index)  # fmt: skip
        compare("VACUUM ANALYZE programs_transition", vacuum, {},
                {"maintenance_work_mem": "512MB"}, rounds)  # fmt: skip
    if wanted("commit"):
        run, clean = registrations(options.registrations)
        compare(f"{options.registrations} registrations (1 commit each)", run, {},
                {"synchronous_commit": "off"}, rounds, after=clean)  # fmt: skip
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
