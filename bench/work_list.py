"""Benchmark: the continuation work list of a regency with 100,000 ended enrollments, PostgreSQL.

Generates (set-based, ``generate_series``) Gianyar's registry (51.04, its desa only):
``--workers`` workers spread over its villages, two programs (2025 with two rounds, 2026
with three), ``--ended`` enrollments ended after their sponsored months (coverage ended on
31/12/2025, 30/06/2026 or 30/09/2026), 4,000 active ones ending on 31/12/2026 (within 30
days of the as-of date 10/12/2026), 2,000 of the ended workers covered again in the last
round (so the list leaves them out), lapsed and continued ones it never shows, and
contacts on a fifth of the ended. A regency admin and an agent of a BumDes serving six
villages (plus 500 workers attributed to it elsewhere) read, with Django's test Client:

  (a) the page ``/agen/daftar-kerja/`` (50 a page): the first page (which counts the
      list), a middle one and the last one, the latter two by the cursor a user holds
      after following "next" (or "last") there;
  (b) ``GET /api/v1/continuation`` (50 a page): the same three pages;
  (c) the baseline: the plain ``SELECT … FROM programs_enrollment JOIN people_person``
      of the ended enrollments of the regency, newest first, ``LIMIT 50`` (first page, the
      same middle ``OFFSET``, and the middle read by keyset), in the same run.

Prints medians and p95 over ``--requests`` (and the median CPU time of this process, which
the load of a shared machine does not stretch), the load average before and after, and the
ratio to the baseline (the issue's goal: p95 ≤ 150 ms for every request).

    createdb -h 127.0.0.1 -U postgres lindung_bench_worklist
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_worklist \\
        .venv/bin/python bench/work_list.py [--ended 100000] [--requests 100]

A second run reuses the generated data when its size matches (``--regenerate`` to force).
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.accounts.models import Role, User  # noqa: E402
from lindung.accounts.services import create_user  # noqa: E402
from lindung.agents import services as agents  # noqa: E402
from lindung.agents.models import Agent, Organisation  # noqa: E402
from lindung.programs import clock  # noqa: E402
from lindung.programs.models import Program  # noqa: E402
from lindung.programs.services import create_program  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402

REGENCY = "51.04"
AS_OF = dt.date(2026, 12, 10)
ACTIVE, AGAIN, OTHERS = 4_000, 2_000, 10_000  # ending soon, ended but covered again, neither
ORGANISATION = "BumDes Bench"


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def scalar(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchone()[0]


def log(text: str) -> None:
    print(text, flush=True)


# ---- generating the registry ---------------------------------------------------------------


def program(name: str, year: int, rounds: str) -> Program:
    return create_program(
        user=None,
        data={
            "name": name, "year": year, "area_code": REGENCY, "funder": "apbd",
            "funder_name": "Pemerintah Kabupaten Gianyar", "budget": 10**13,
            "includes_jht": False, "income_basis": 1_000_000, "sponsored_months": 6,
            "rounds": rounds, "quota_per_village": 10_000, "include_kelurahan": False,
            "eligible_categories": ["pekerja_rentan"], "min_age": 18, "max_age": 65,
        },
    )  # fmt: skip


def generate(workers: int, ended: int) -> None:
    """Workers 1 … ``ended``: one ended enrollment each, a third in each of the 2025 second
    round and the 2026 first and second rounds; the next ``ACTIVE``: active in the 2026
    third round (ending 31/12/2026); every ended one with ``id % (ended / AGAIN) = 0`` also
    active in it (left out of the list); the ``OTHERS`` after: lapsed or continued."""
    started = time.perf_counter()
    sql("TRUNCATE agents_contact, programs_transition, programs_enrollment CASCADE")
    sql("DELETE FROM people_person WHERE data_source = 'bench'")
    Program.objects.filter(area_id=REGENCY).delete()
    old = program("Bench: pekerja rentan Gianyar 2025", 2025, "01/2025, 07/2025")
    new = program("Bench: pekerja rentan Gianyar 2026", 2026, "01/2026, 04/2026, 07/2026")
    rounds = {
        (p.year, r.number): r.pk for p in (old, new) for r in p.rounds.all()
    }  # fmt: skip
    sql(
        """
        CREATE TEMP TABLE bench_villages AS
        SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n
        FROM regions_region WHERE level = 4 AND kind = 'desa' AND code LIKE %s
        """,
        [f"{REGENCY}.%"],
    )
    sql(
        """
        INSERT INTO people_person (nik, full_name, sex, birth_date, birth_place,
            mother_maiden_name, village_id, district_code, regency_code, province_code, address,
            phone, occupation_id, occupation_text, category, declared_income, segment,
            data_source, welfare_decile, welfare_decile_as_of, has_disability, created_at,
            updated_at, created_by_id)
        SELECT '5104' || lpad(g::text, 12, '0'), 'Pekerja Bench ' || g,
               CASE WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END, date '1970-01-01' + (g %% 12000),
               '', '', v.code, left(v.code, 8), left(v.code, 5), left(v.code, 2), '',
               '0812' || lpad(g::text, 8, '0'), NULL, '', 'pekerja_rentan', 1000000, 'BPU',
               'bench', NULL, NULL, false, now(), now(), NULL
        FROM generate_series(1, %s) g
        JOIN bench_villages v ON v.i = g %% v.n
        """,
        [workers],
    )
    first = scalar("SELECT min(id) FROM people_person WHERE data_source = 'bench'")
    # k numbers the workers from 0; which enrollment a worker has follows from k alone.
    enroll = """
        INSERT INTO programs_enrollment (program_id, round_id, person_id, village_id,
            district_code, regency_code, province_code, state, state_changed_at, reason,
            committed_premium, kpj, effective_date, coverage_end, proposed_at, proposed_by_id)
        SELECT r.program_id, r.id, p.id, p.village_id, p.district_code, p.regency_code,
               p.province_code, {state}, now(), '', 100800, lpad(p.id::text, 11, '0'),
               r.start_month, (r.start_month + interval '6 months' - interval '1 day')::date,
               r.start_month - 20, NULL
        FROM people_person p
        CROSS JOIN LATERAL (SELECT p.id - %(first)s AS k) w
        JOIN programs_round r ON r.id = {round}
        WHERE p.data_source = 'bench' AND {where}
    """
    params = {
        "first": first, "ended": ended, "active": ACTIVE, "every": ended // AGAIN,
        "r25": rounds[(2025, 2)], "r1": rounds[(2026, 1)], "r2": rounds[(2026, 2)],
        "r3": rounds[(2026, 3)],
    }  # fmt: skip
    sql(
        enroll.format(
            state="'ended'",
            round="(ARRAY[%(r25)s, %(r1)s, %(r2)s])[1 + w.k %% 3]",
            where="w.k < %(ended)s",
        ),
        params,
    )
    sql(
        enroll.format(
            state="'active'",
            round="%(r3)s",
            where="(w.k >= %(ended)s AND w.k < %(ended)s + %(active)s) "
            "OR (w.k < %(ended)s AND w.k %% %(every)s = 0)",
        ),
        params,
    )
    sql(
        enroll.format(
            state="CASE WHEN w.k %% 2 = 0 THEN 'lapsed' ELSE 'continued' END",
            round="%(r1)s",
            where="w.k >= %(ended)s + %(active)s",
        ),
        params,
    )
    # Contacts: one on every fifth ended enrollment, a second on every tenth.
    sql(
        """
        INSERT INTO agents_contact (enrollment_id, agent_id, outcome, contacted_on, reason,
            note, created_at, created_by_id, village_id, district_code, regency_code,
            province_code)
        SELECT e.id, NULL, CASE WHEN n = 1 THEN 'called' ELSE 'will_continue' END,
               e.coverage_end + 10 * n, '', '', now(), NULL, e.village_id, e.district_code,
               e.regency_code, e.province_code
        FROM programs_enrollment e CROSS JOIN generate_series(1, 2) n
        WHERE e.state = 'ended' AND e.id %% 5 = 0 AND (n = 1 OR e.id %% 10 = 0)
        """
    )
    portfolio()
    for table in ("people_person", "programs_enrollment", "agents_contact"):
        sql(f"VACUUM ANALYZE {table}")
    log(f"generated in {time.perf_counter() - started:.0f} s")


def portfolio() -> None:
    """A BumDes serving six desa, its agent (not a coordinator) with a user, and 500 ended
    enrollments elsewhere in the regency attributed to that agent."""
    Agent.objects.filter(organisation__name=ORGANISATION).delete()
    Organisation.objects.filter(name=ORGANISATION).delete()
    organisation = agents.create_organisation(
        user=None,
        data={"kind": "bumdes", "name": ORGANISATION, "regency_code": REGENCY},
        today=AS_OF,
    )
    villages = list(
        Region.objects.filter(level=4, kind="desa", code__startswith=f"{REGENCY}.")
        .order_by("code")
        .values_list("code", flat=True)[10:16]
    )
    agents.set_organisation_villages(user=None, organisation=organisation, village_codes=villages)
    agent = agents.create_agent(
        user=None,
        data={
            "full_name": "Agen Bench",
            "regency_code": REGENCY,
            "organisation": organisation,
            "user": user("bench.agent", Role.AGENT, REGENCY),
        },
        today=AS_OF,
    )
    sql(
        """
        UPDATE programs_enrollment SET agent_id = %s WHERE id IN (
            SELECT id FROM programs_enrollment WHERE state = 'ended' AND NOT village_id = ANY(%s)
            ORDER BY id LIMIT 500)
        """,
        [agent.pk, villages],
    )


def user(username: str, role: str, region: str) -> User:
    return User.objects.filter(username=username).first() or create_user(
        username=username, role=role, region_code=region, password="bench-password-2026"
    )


# ---- measuring -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(name: str, fn, requests: int) -> dict:
    fn()  # warm the caches once
    times, cpu = [], []
    for _ in range(requests):
        started, used = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    result = {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "cpu": statistics.median(cpu),
    }
    # ``cpu``: this process's own CPU time (Django, the template, the driver), which the
    # machine's load does not stretch; PostgreSQL's work is in its own process.
    log(
        f"  {name:52} median {result['median']:7.1f} ms   p95 {result['p95']:7.1f} ms"
        f"   cpu {result['cpu']:5.1f} ms"
    )
    return result


def get(client: Client, url: str):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


BASELINE = """
SELECT e.id, e.coverage_end, e.state, e.village_id, e.program_id, p.nik, p.full_name, p.phone
FROM programs_enrollment e JOIN people_person p ON p.id = e.person_id
WHERE e.state = 'ended' AND e.village_id LIKE '51.04.%%'
ORDER BY e.coverage_end DESC, e.id LIMIT 50 OFFSET %s
"""


KEYSET = """
SELECT e.id, e.coverage_end, e.state, e.village_id, e.program_id, p.nik, p.full_name, p.phone
FROM programs_enrollment e JOIN people_person p ON p.id = e.person_id
WHERE e.state = 'ended' AND e.village_id LIKE '51.04.%%' AND e.coverage_end = %s AND e.id > %s
ORDER BY e.id LIMIT 50
"""


def keyset(end: dt.date, pk: int):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(KEYSET, [end, pk])
            cursor.fetchall()

    return run


def baseline(offset: int):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE, [offset])
            cursor.fetchall()

    return run


def cursor_to(who, number: int, first) -> str:
    """The cursor a user holds after following "next" to page ``number``: the place of the
    last row of page ``number - 1`` (found once here by ``OFFSET``, outside the timing)."""
    from lindung.agents import selectors

    rows = selectors.work_list(who, as_of=AS_OF)
    row = rows[(number - 1) * 50 - 1]
    position = selectors.Position(row.bucket, row.coverage_end, row.pk)
    cursor = selectors.Cursor(AS_OF, selectors.filter_key(agent=None, village="", program=None),
                              True, position, number, first.count, first.counted_at)  # fmt: skip
    return cursor.encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ended", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=0, help="default: all the enrollments")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args()
    workers = options.workers or options.ended + ACTIVE + OTHERS

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=f"{REGENCY}.01.2001").exists():
        load_official_regions(prefixes=("51",))
    if (
        options.regenerate
        or scalar("SELECT count(*) FROM programs_enrollment WHERE state = 'ended'") != options.ended
        or scalar("SELECT count(*) FROM people_person WHERE data_source = 'bench'") != workers
        or not Agent.objects.filter(organisation__name=ORGANISATION).exists()
    ):
        generate(workers, options.ended)
    # The pages and the API ask the clock for today: the as-of date of the generated data.
    clock.today = lambda: AS_OF
    counts = {
        "workers": scalar("SELECT count(*) FROM people_person"),
        "villages": scalar(
            "SELECT count(DISTINCT village_id) FROM programs_enrollment WHERE regency_code = %s",
            [REGENCY],
        ),
        "ended": scalar("SELECT count(*) FROM programs_enrollment WHERE state = 'ended'"),
        "active": scalar("SELECT count(*) FROM programs_enrollment WHERE state = 'active'"),
        "enrollments": scalar("SELECT count(*) FROM programs_enrollment"),
        "contacts": scalar("SELECT count(*) FROM agents_contact"),
    }
    log(", ".join(f"{k} {v:,}" for k, v in counts.items()) + f"; as of {AS_OF:%d/%m/%Y}")
    log("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    from lindung.agents import selectors

    admin = user("bench.admin", Role.REGENCY_ADMIN, REGENCY)
    agent = user("bench.agent", Role.AGENT, REGENCY)
    results = {}
    for who in (admin, agent):
        first = selectors.work_page(who, as_of=AS_OF)
        middle = max(1, first.num_pages // 2)
        log(f"{who.username} ({who.role}): {first.count:,} on the list, pages 1, {middle} "
            f"and {first.num_pages} (last)")  # fmt: skip
        client = Client()
        client.force_login(who)
        day = AS_OF.isoformat()
        here, last = cursor_to(who, middle, first), first.last
        for name, url in (
            ("page 1 /agen/daftar-kerja/", "/agen/daftar-kerja/"),
            (f"page {middle} (cursor)", f"/agen/daftar-kerja/?cursor={here}"),
            (f"page {first.num_pages} (last, cursor)", f"/agen/daftar-kerja/?cursor={last}"),
            ("API page 1 /api/v1/continuation", f"/api/v1/continuation?as_of={day}"),
            (f"API page {middle} (cursor)", f"/api/v1/continuation?as_of={day}&cursor={here}"),
            (f"API page {first.num_pages} (last)",
             f"/api/v1/continuation?as_of={day}&cursor={last}"),
        ):  # fmt: skip
            results[(who.username, name)] = measure(name, get(client, url), options.requests)
    middle, runs = counts["ended"] // 50 // 2, options.requests
    at = selectors.work_list(admin, as_of=AS_OF).filter(state="ended")[middle * 50]
    log("baseline: plain SELECT … JOIN … WHERE state='ended' ORDER BY … LIMIT 50")
    base = {
        "first": measure("baseline, OFFSET 0", baseline(0), runs),
        "middle": measure(f"baseline, OFFSET {middle * 50}", baseline(middle * 50), runs),
        "keyset": measure("baseline, keyset at the middle", keyset(at.coverage_end, at.pk), runs),
    }  # fmt: skip
    worst = max(r["p95"] for r in results.values())
    log("ratio of each median to the baseline's first page (OFFSET 0):")
    for (username, name), r in results.items():
        log(f"  {username:12} {name:52} {r['median'] / base['first']['median']:6.1f}x")
    log(f"worst p95 {worst:.1f} ms ({'within' if worst <= 150 else 'over'} 150 ms)")
    log("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
