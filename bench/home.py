"""Benchmark: each role's home page (the work waiting) at a regency with many records, PostgreSQL.

Generates Gianyar's registry with the work list's generator (``bench/work_list.py``:
``--workers`` workers over its desa, two programs, ``--ended`` ended enrollments, 4,000
active, lapsed and continued ones), then turns part of the lapsed ones into proposals
waiting for verification and verified ones not yet sent, so every line of the admin's list
has something to count. A regency admin, a village operator, an agent and a viewer read
``/`` with Django's test Client:

  (a) the home page of each role;
  (b) the baseline: the plain counting queries of the same facts (enrollments of the
      regency by state, those ending within 30 days, those of the operator's village by
      state), in the same run.

Prints medians and p95 over ``--requests``, the load average before and after, and the
ratio of each page to the baseline.

    createdb -h 127.0.0.1 -U postgres lindung_bench_home
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_home \\
        .venv/bin/python bench/home.py [--workers 200000] [--ended 100000] [--requests 30]
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import work_list  # noqa: E402  (sets Django up, on the PostgreSQL database it demands)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.accounts.models import Role  # noqa: E402
from lindung.programs import clock  # noqa: E402
from lindung.web import selectors as home  # noqa: E402

REGENCY = work_list.REGENCY
AS_OF = work_list.AS_OF
PROPOSED, VERIFIED = 3_000, 2_000


def waiting_work() -> None:
    """Lapsed enrollments of the 2026 first round become proposals and verified ones."""
    work_list.sql(
        """
        UPDATE programs_enrollment SET state = CASE WHEN rn <= %s THEN 'proposed'
                                                    ELSE 'verified' END
        FROM (SELECT id AS eid, row_number() OVER (ORDER BY id) AS rn
              FROM programs_enrollment WHERE state = 'lapsed' ORDER BY id LIMIT %s) pick
        WHERE id = pick.eid
        """,
        [PROPOSED, PROPOSED + VERIFIED],
    )
    work_list.sql("VACUUM ANALYZE programs_enrollment")


def a_village() -> str:
    return work_list.scalar(
        "SELECT village_id FROM programs_enrollment WHERE state = 'proposed' "
        "GROUP BY village_id ORDER BY count(*) DESC LIMIT 1"
    )


BASELINE = [
    (
        "SELECT state, count(*) FROM programs_enrollment WHERE regency_code = %s GROUP BY state",
        lambda village: [REGENCY],
    ),
    (
        "SELECT count(*) FROM programs_enrollment WHERE regency_code = %s "
        "AND state = 'active' AND coverage_end BETWEEN %s AND %s::date + 30",
        lambda village: [REGENCY, AS_OF, AS_OF],
    ),
    (
        "SELECT state, count(*) FROM programs_enrollment WHERE village_id = %s GROUP BY state",
        lambda village: [village],
    ),
]


def baseline(village: str):
    def run():
        with connection.cursor() as cursor:
            for statement, params in BASELINE:
                cursor.execute(statement, params(village))
                cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=200_000)
    parser.add_argument("--ended", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args()
    work_list.log("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    from lindung.regions.models import Region

    if not Region.objects.filter(code=f"{REGENCY}.01").exists():
        work_list.load_official_regions(prefixes=("51",))
    have = work_list.scalar("SELECT count(*) FROM people_person WHERE data_source = 'bench'")
    if options.regenerate or have != options.workers:
        work_list.generate(options.workers, options.ended)
        waiting_work()
    clock.today = lambda: AS_OF
    village = a_village()
    users = {
        "admin": work_list.user("bench.admin", Role.REGENCY_ADMIN, REGENCY),
        "operator": work_list.user("bench.operator", Role.VILLAGE_OPERATOR, village),
        "agent": work_list.user("bench.agent", Role.AGENT, REGENCY),
        "viewer": work_list.user("bench.viewer", Role.VIEWER, REGENCY),
    }
    counts = work_list.scalar("SELECT count(*) FROM programs_enrollment")
    work_list.log(f"{options.workers:,} workers, {counts:,} enrollments; operator of {village}")
    for name, who in users.items():
        lines = home.home_summary(who, AS_OF)["waiting"]
        work_list.log(f"  {name}: " + "; ".join(f"{w.count} {w.label}" for w in lines))
    results = {}
    for name, who in users.items():
        client = Client()
        client.force_login(who)
        results[name] = work_list.measure(
            f"home page, {name}", work_list.get(client, "/"), options.requests
        )
    base = work_list.measure("baseline: 3 plain counting queries", baseline(village), 100)
    work_list.log("ratio of each median to the baseline's:")
    for name, r in results.items():
        work_list.log(f"  {name:10} {r['median'] / base['median']:6.1f}x")
    work_list.log("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
