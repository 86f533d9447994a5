"""Benchmark: coverage dashboards over 10,000,000 workers in all ~83,000 villages, PostgreSQL.

Generates, set-based (``generate_series``), ``--per-village`` workers in every village of
the country (120 × 83,000+ ≈ 10 million, with NIKs that pass the registry's checks), one
2024 program per regency with two 6-month rounds over its desa, ``--sponsored`` enrollments
per desa and round with their whole history (proposed … active, ended, continued, lapsed,
rejected, withdrawn), workforce figures and targets; then builds the summary from scratch
and measures, in the same run:

  (a) the regency dashboard page (``/dasbor/<regency>/``: headline, targets, 12-month trend,
      breakdowns, districts and the ranked table of all its villages) and the indicators
      API, for the regency with the most villages and for the province with the most;
  (b) the baseline: the plain ``GROUP BY`` over the registry (enrollments joined to the
      workers) that computes the same figures the summary replaces;
  (c) keeping the summary current around an import of 100,000 rows: the same import
      (100,000 existing, sponsored workers whose category changes) with the triggers on
      and off, and the refresh afterwards; and the refresh after one single proposal.

Prints medians and p95 over ``--requests`` and the ratios; each page twice: as most readers
get it (its figures kept since the last refresh, ``coverage/cache.py``) and "fresh", when
nothing is kept (the first reader after a refresh).

    createdb -h 127.0.0.1 -U postgres lindung_bench_dashboard
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_dashboard \\
        .venv/bin/python bench/dashboard.py [--per-village 120] [--sponsored 20]
        [--requests 40] [--prefix 51]   # --prefix: only one province, for a quick try

A second run reuses the generated data when its size matches (``--regenerate`` to force)
and its summary unless it is empty (``--rebuild`` to time a rebuild again).
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

from django.core.cache import cache as django_cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.accounts.models import Role  # noqa: E402
from lindung.accounts.services import create_user  # noqa: E402
from lindung.coverage import summary, triggers  # noqa: E402
from lindung.imports import services as imports  # noqa: E402
from lindung.people.nik import check_nik  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402

DAY = dt.date(2024, 12, 31)
BULK_TABLES = ["people_person", "programs_enrollment", "programs_transition"]


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def scalar(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def log(text: str) -> None:
    print(text, flush=True)


# ---- generating the registry ---------------------------------------------------------------


def secondary_indexes() -> list[tuple[str, str, str]]:
    """(table, name, CREATE statement) of every index but the primary keys, and the unique
    constraints (dropped during the load, made again after: much faster than keeping them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.tablename, i.indexname, i.indexdef, c.conname IS NOT NULL
            FROM pg_indexes i
            LEFT JOIN pg_constraint c ON c.conname = i.indexname AND c.contype = 'u'
            WHERE i.tablename = ANY(%s) AND i.indexname NOT LIKE '%%_pkey'
            """,
            [BULK_TABLES],
        )
        found = []
        for table, name, definition, is_constraint in cursor.fetchall():
            if is_constraint:
                cursor.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
                    [name],
                )
                definition = f"ALTER TABLE {table} ADD CONSTRAINT {name} {cursor.fetchone()[0]}"
            found.append((table, name, definition, is_constraint))
        return found


def generate(per_village: int, sponsored: int, prefix: str) -> None:
    villages_filter = f"AND code LIKE '{prefix}.%%'" if prefix else ""
    log(f"generating {per_village} workers per village, {sponsored} sponsored per desa and round")
    started = time.perf_counter()
    sql(
        "TRUNCATE targets_tally, targets_dirtyvillage, targets_target, targets_workforcefigure, "
        "targets_reportedcoverage, programs_transition, programs_enrollment, "
        "programs_villagequota, programs_programvillage, programs_round, programs_program, "
        "people_person CASCADE"
    )
    indexes = secondary_indexes()
    for table, name, _definition, is_constraint in indexes:
        sql(
            f"ALTER TABLE {table} DROP CONSTRAINT {name}" if is_constraint else f"DROP INDEX {name}"
        )
    sql("SET session_replication_role = replica")  # no FK checks, no triggers while loading
    sql("SET synchronous_commit = off")
    sql(
        f"""
        CREATE TEMP TABLE bench_villages AS
        SELECT code, kind, row_number() OVER (ORDER BY code) - 1 AS vi,
               row_number() OVER (PARTITION BY left(code, 8) ORDER BY code) - 1 AS di
        FROM regions_region WHERE level = 4 {villages_filter}
        """
    )
    sql("CREATE INDEX ON bench_villages (vi)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM people_occupation ORDER BY id")
        occupations = [row[0] for row in cursor.fetchall()]
    # Workers: a valid NIK (district, birth date with +40 for women, serial) unique because
    # the birth date runs through 14,600 days within a district; ids are arithmetic, so an
    # enrollment can name its worker without a lookup.
    sql(
        """
        INSERT INTO people_person (id, nik, full_name, sex, birth_date, birth_place,
            mother_maiden_name, village_id, district_code, regency_code, province_code, address,
            phone, occupation_id, occupation_text, category, declared_income, segment,
            data_source, welfare_decile, welfare_decile_as_of, has_disability, created_at,
            updated_at, created_by_id)
        SELECT v.vi * %(per)s + j + 1,
               replace(left(v.code, 8), '.', '')
                 || lpad((extract(day FROM b)::int
                          + CASE WHEN j %% 2 = 1 THEN 40 ELSE 0 END)::text, 2, '0')
                 || to_char(b, 'MMYY')
                 || lpad(((v.di * %(per)s + j) / 14600 + 1)::text, 4, '0'),
               'I Made Bench', CASE WHEN j %% 2 = 1 THEN 'P' ELSE 'L' END, b, '', '',
               v.code, left(v.code, 8), left(v.code, 5), left(v.code, 2), '', '',
               (%(occupations)s::bigint[])[1 + (j * j + v.vi) %% 8 + (v.vi %% 3) * 6],
               '', (ARRAY['pekerja_rentan','pekerja_rentan','pekerja_rentan','kader_desa',
                    'perangkat_desa','petugas_parkir','pekerja_sosial','informal_lain'])
                    [1 + (j * 7 + v.vi) %% 8],
               1000000, CASE WHEN j >= %(spon2)s AND j %% 10 < 3 THEN 'PU' ELSE 'BPU' END,
               'bench', NULL, NULL, false, now(), now(), NULL
        FROM bench_villages v
        CROSS JOIN generate_series(0, %(per)s - 1) j
        CROSS JOIN LATERAL (SELECT date '1962-01-01' + ((v.di * %(per)s + j) %% 14600)::int AS b) d
        """,
        {"per": per_village, "occupations": occupations, "spon2": 2 * sponsored},
    )
    workers = scalar("SELECT count(*) FROM people_person")
    log(f"  workers: {workers:,} ({time.perf_counter() - started:.0f} s)")
    sql(
        """
        INSERT INTO programs_program (id, name, year, area_id, funder, funder_name,
            funding_code, budget, committed, includes_jht, income_basis, sponsored_months,
            quota_per_village, include_kelurahan, eligible_categories, min_age, max_age,
            notes, created_at, updated_at, created_by_id, others_fill_remaining)
        SELECT row_number() OVER (ORDER BY code), 'Bench ' || code, 2024, code,
               CASE WHEN right(code, 1) = '3' THEN 'apbdes' ELSE 'apbd' END, '', 'SG',
               1000000000000, 0, false, 1000000, 6, %(quota)s, false,
               '["pekerja_rentan"]'::jsonb, 18, 65, '', now(), now(), NULL, false
        FROM regions_region WHERE level = 2 AND code IN (SELECT DISTINCT left(code, 5)
                                                          FROM bench_villages)
        """,
        {"quota": 2 * sponsored},
    )
    sql(
        """
        INSERT INTO programs_round (id, program_id, number, start_month)
        SELECT p.id * 2 - 2 + n, p.id, n, CASE n WHEN 1 THEN date '2024-01-01'
                                                 ELSE date '2024-07-01' END
        FROM programs_program p CROSS JOIN generate_series(1, 2) n
        """
    )
    sql(
        """
        INSERT INTO programs_programvillage (program_id, village_id, district_code,
            regency_code, province_code, quota, budget, committed)
        SELECT p.id, v.code, left(v.code, 8), left(v.code, 5), left(v.code, 2), %(quota)s,
               NULL, 0
        FROM bench_villages v JOIN programs_program p ON p.area_id = left(v.code, 5)
        WHERE v.kind = 'desa'
        """,
        {"quota": 2 * sponsored},
    )
    sql(
        """
        INSERT INTO programs_villagequota (program_id, round_id, village_id, district_code,
            regency_code, province_code, quota, used)
        SELECT pv.program_id, r.id, pv.village_id, pv.district_code, pv.regency_code,
               pv.province_code, %(quota)s, 0
        FROM programs_programvillage pv JOIN programs_round r ON r.program_id = pv.program_id
        """,
        {"quota": 2 * sponsored},
    )
    # Enrollments: k < sponsored in round 1 (January), the next ones in round 2 (July).
    # Round 1: k%10 in 0-1 continued after the sponsorship, 2-3 continued then lapsed on
    # 01/10, 4-7 lapsed on 05/07, 8 ended, 9 rejected at verification. Round 2: active,
    # but k%10 = 9 withdrawn. Effective dates vary with the village (batch days).
    sql(
        """
        CREATE TEMP TABLE bench_enrollments AS
        SELECT v.vi * %(two)s + k + 1 AS id, v.vi * %(per)s + k + 1 AS person_id, v.code,
               k, k / %(spon)s + 1 AS round_number, k %% 10 AS path,
               CASE WHEN k < %(spon)s THEN date '2024-01-01' ELSE date '2024-07-01' END
                 + (v.vi %% 20)::int AS eff
        FROM bench_villages v CROSS JOIN generate_series(0, %(two)s - 1) k
        WHERE v.kind = 'desa'
        """,
        {"two": 2 * sponsored, "per": per_village, "spon": sponsored},
    )
    sql(
        """
        INSERT INTO programs_enrollment (id, program_id, round_id, person_id, village_id,
            district_code, regency_code, province_code, state, state_changed_at, reason,
            committed_premium, kpj, effective_date, coverage_end, proposed_at, proposed_by_id)
        SELECT b.id, p.id, r.id, b.person_id, b.code, left(b.code, 8), left(b.code, 5),
               left(b.code, 2),
               CASE WHEN b.round_number = 1 THEN
                      (ARRAY['continued','continued','lapsed','lapsed','lapsed','lapsed',
                             'lapsed','lapsed','ended','rejected'])[b.path + 1]
                    WHEN b.path = 9 THEN 'withdrawn' ELSE 'active' END,
               now(), '', 100800, CASE WHEN b.path = 9 THEN '' ELSE lpad(b.id::text, 11, '0') END,
               CASE WHEN b.path = 9 THEN NULL ELSE b.eff END,
               CASE WHEN b.path = 9 THEN NULL
                    WHEN b.round_number = 1 THEN date '2024-06-30' ELSE date '2024-12-31' END,
               r.start_month - 20, NULL
        FROM bench_enrollments b
        JOIN programs_program p ON p.area_id = left(b.code, 5)
        JOIN programs_round r ON r.program_id = p.id AND r.number = b.round_number
        """
    )
    # Their history: one row per move, at the dates the paths above say.
    sql(
        """
        INSERT INTO programs_transition (enrollment_id, from_state, to_state, at, by_id,
            reason, via)
        SELECT b.id, s.from_state, s.to_state, (s.day + time '10:00') AT TIME ZONE 'Asia/Makassar',
               NULL, '', 'system'
        FROM bench_enrollments b
        CROSS JOIN LATERAL (
            SELECT date_trunc('month', b.eff)::date AS start
        ) m
        CROSS JOIN LATERAL (VALUES
            (1, '', 'proposed', m.start - 20),
            (2, 'proposed', CASE WHEN b.path = 9 AND b.round_number = 1 THEN 'rejected'
                                 WHEN b.path = 9 THEN 'withdrawn' ELSE 'verified' END,
             m.start - 17),
            (3, 'verified', 'submitted', m.start - 15),
            (4, 'submitted', 'active', b.eff),
            (5, 'active', 'ended', date '2024-07-01'),
            (6, 'ended', CASE WHEN b.path < 4 THEN 'continued' WHEN b.path < 8 THEN 'lapsed'
                         END,
             CASE WHEN b.path < 4 THEN date '2024-07-02' ELSE date '2024-07-05' END),
            (7, 'continued', 'lapsed', date '2024-10-01')
        ) AS s(step, from_state, to_state, day)
        WHERE s.step <= CASE WHEN b.path = 9 THEN 2
                             WHEN b.round_number = 2 THEN 4
                             WHEN b.path = 8 THEN 5
                             WHEN b.path in (2, 3) THEN 7
                             ELSE 6 END
        """
    )
    sql(
        """
        UPDATE programs_villagequota q SET used = c.n
        FROM (SELECT round_id, village_id, count(*) AS n FROM programs_enrollment
              WHERE state NOT IN ('rejected', 'withdrawn') GROUP BY round_id, village_id) c
        WHERE q.round_id = c.round_id AND q.village_id = c.village_id
        """
    )
    for table in ("people_person", "programs_enrollment", "programs_transition",
                  "programs_program", "programs_round"):  # fmt: skip
        sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )
    log(f"  registry written ({time.perf_counter() - started:.0f} s); indexing")
    sql("SET maintenance_work_mem = '1GB'")
    for _table, _name, definition, _is_constraint in indexes:
        sql(definition)
    sql("SET session_replication_role = origin")
    figures_and_targets()
    for table in BULK_TABLES + ["programs_villagequota"]:
        sql(f"VACUUM ANALYZE {table}")
    log(f"  done in {time.perf_counter() - started:.0f} s")


def figures_and_targets() -> None:
    """BPS-like workforce figures for every regency and province (1.4 × registered
    workers, a third formal), and targets: 40% coverage for every regency, and the
    sponsored count of each desa (what its quota allows)."""
    sql(
        """
        INSERT INTO targets_workforcefigure (region_id, year, segment, definition, count,
            source, note, updated_at, updated_by_id)
        SELECT region, 2024, seg, 'penduduk_bekerja',
               CASE seg WHEN 'total' THEN n * 14 / 10 WHEN 'formal' THEN n * 14 / 30
                        ELSE n * 14 / 10 - n * 14 / 30 END,
               'bench', '', now(), NULL
        FROM (SELECT regency_code AS region, count(*) AS n FROM people_person GROUP BY 1
              UNION ALL
              SELECT province_code, count(*) FROM people_person GROUP BY 1) c
        CROSS JOIN (VALUES ('total'), ('formal'), ('informal')) s(seg)
        """
    )
    sql(
        """
        INSERT INTO targets_target (region_id, year, segment, metric, value, note, parent_id,
            updated_at, updated_by_id)
        SELECT area_id, 2024, 'total', 'rate', 4000, 'bench', NULL::bigint, now(),
               NULL::bigint
        FROM programs_program
        UNION ALL
        SELECT village_id, 2024, 'total', 'sponsored', quota, 'bench', NULL, now(), NULL
        FROM programs_programvillage
        """
    )


# ---- measuring -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(name: str, fn, requests: int) -> dict:
    fn()  # warm the caches once
    times = []
    for _ in range(requests):
        spent, _result = timed(fn)
        times.append(spent * 1000)
    result = {
        "name": name,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "max": max(times),
    }
    log(f"  {name:58} median {result['median']:8.1f} ms   p95 {result['p95']:8.1f} ms")
    return result


def get(client: Client, url: str):
    def fetch():
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # as browsers ask
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


BASELINE = """
SELECT {group}, count(*)
FROM programs_enrollment e JOIN people_person p ON p.id = e.person_id
JOIN programs_program g ON g.id = e.program_id
WHERE e.{column} = %(code)s AND e.effective_date <= %(day)s AND e.coverage_end >= %(day)s
GROUP BY {group}
"""
SELF_PAID = """
SELECT {group}, count(*)
FROM programs_enrollment e JOIN people_person p ON p.id = e.person_id
WHERE e.{column} = %(code)s AND e.coverage_end < %(day)s AND EXISTS (
    SELECT 1 FROM programs_transition t WHERE t.enrollment_id = e.id
    AND t.to_state = 'continued' AND t.at < %(day)s + 1)
  AND NOT EXISTS (SELECT 1 FROM programs_transition t WHERE t.enrollment_id = e.id
    AND t.from_state = 'continued' AND t.at < %(day)s + 1)
GROUP BY {group}
"""


def baseline(code: str, villages: bool):
    """The plain GROUP BY over the registry for the figures of one page: covered
    (sponsored, self-paid) per village (or district) and by segment, category, occupation,
    sex and funder; enrollments by state; sponsored in the year."""
    column = "regency_code" if code.count(".") == 1 else "province_code"
    place = "e.village_id" if villages else "e.district_code"

    def run():
        params = {"code": code, "day": DAY}
        with connection.cursor() as cursor:
            for group in (place, "p.segment", "p.category", "p.occupation_id", "p.sex",
                          "g.funder"):  # fmt: skip
                cursor.execute(BASELINE.format(group=group, column=column), params)
                cursor.fetchall()
            for group in (place, "p.segment"):
                cursor.execute(SELF_PAID.format(group=group, column=column), params)
                cursor.fetchall()
            cursor.execute(
                f"SELECT e.state, count(*) FROM programs_enrollment e WHERE e.{column} = "
                f"%(code)s GROUP BY e.state",
                params,
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT count(*) FROM programs_enrollment e WHERE e.{column} = %(code)s AND "
                f"e.effective_date BETWEEN date '2024-01-01' AND %(day)s",
                params,
            )
            cursor.fetchall()

    return run


def biggest(level: int, prefix: str) -> str:
    length = {1: 2, 2: 5}[level]
    return scalar(
        f"SELECT left(code, {length}) FROM regions_region WHERE level = 4 "
        f"AND code LIKE %s GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
        [f"{prefix}.%" if prefix else "%"],
    )


def viewer(code: str) -> Client:
    name = f"bench.{code}"
    from lindung.accounts.models import User

    user = User.objects.filter(username=name).first() or create_user(
        username=name, role=Role.VIEWER, region_code=code, password="bench-password-2026"
    )
    client = Client()
    client.force_login(user)
    return client


def import_round(tmp: str, people: list[tuple], category_of, *, triggers_on: bool) -> float:
    """Import a file that changes the category of ``people``; returns seconds."""
    path = os.path.join(tmp, f"update-{'on' if triggers_on else 'off'}.csv")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            "nik,nama,jenis_kelamin,tanggal_lahir,kode_desa,pekerjaan,kategori,penghasilan\n"
        )
        for nik, sex, born, village, occupation, category in people:
            handle.write(
                f"{nik},I Made Bench,{sex},{born:%d/%m/%Y},{village},{occupation},"
                f"{category_of(category)},1000000\n"
            )
    if not triggers_on:
        for statement in triggers.disable_statements():
            sql(statement)
    try:
        job, _resumed = imports.job_for_path(path=path, today=DAY, update=True)
        spent, job = timed(lambda: imports.run_job(job.pk))
    finally:
        if not triggers_on:
            for statement in triggers.enable_statements():
                sql(statement)
    assert job.updated == len(people), (job.status, job.updated, job.errors_by_code)
    return spent


def import_cost(rows: int) -> dict:
    """Keeping the summary current around a 100,000-row import of sponsored workers."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.nik, p.sex, p.birth_date, p.village_id, o.name, p.category
            FROM people_person p JOIN people_occupation o ON o.id = p.occupation_id
            WHERE p.id IN (
                SELECT person_id FROM programs_enrollment WHERE province_code = (
                    SELECT province_code FROM programs_enrollment GROUP BY 1
                    ORDER BY count(*) DESC LIMIT 1)
                ORDER BY id LIMIT %s)
            """,
            [rows],
        )
        people = cursor.fetchall()
    assert check_nik(people[0][0]).valid, people[0][0]
    tmp = tempfile.mkdtemp(prefix="lindung-bench-import-")
    flip = {"kader_desa": "pekerja_rentan"}
    summary.refresh()
    on = import_round(tmp, people, lambda c: flip.get(c, "kader_desa"), triggers_on=True)
    marked = scalar("SELECT count(DISTINCT village_code) FROM targets_dirtyvillage")
    refresh, villages = timed(summary.refresh)
    off = import_round(tmp, people, lambda c: c, triggers_on=False)
    # Put the summary back in step with the restored categories (not measured).
    sql(
        "INSERT INTO targets_dirtyvillage (village_code) SELECT DISTINCT village_id FROM "
        "programs_enrollment WHERE person_id IN (SELECT id FROM people_person WHERE nik = ANY(%s))",
        [[p[0] for p in people]],
    )
    summary.refresh()
    # One proposal-sized change: one enrollment moves, its village is refreshed.
    sql(
        "UPDATE programs_enrollment SET state_changed_at = now() WHERE id = "
        "(SELECT min(id) FROM programs_enrollment)"
    )
    single, _ = timed(summary.refresh)
    result = {
        "rows": len(people),
        "import_triggers_on": on,
        "import_triggers_off": off,
        "villages_marked": marked,
        "refresh_after_import": refresh,
        "refresh_one_village": single,
    }
    log(
        f"  import of {len(people):,} updated workers: triggers on {on:.1f} s, off {off:.1f} s; "
        f"{marked:,} villages marked, refresh {refresh:.1f} s; one village {single * 1000:.0f} ms"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-village", type=int, default=120)
    parser.add_argument("--sponsored", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--prefix", default="", help="only this province (a quick try)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the summary, timed")
    parser.add_argument("--verify", action="store_true", help="also compare with a rebuild")
    parser.add_argument("--skip-import", action="store_true", help="only the reads")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Region.objects.filter(level=4).count() < 80_000:
        load_official_regions()
    villages = scalar(
        "SELECT count(*) FROM regions_region WHERE level = 4 AND code LIKE %s",
        [f"{options.prefix}.%" if options.prefix else "%"],
    )
    expected = villages * options.per_village
    generated = options.regenerate or scalar("SELECT count(*) FROM people_person") != expected
    if generated:
        generate(options.per_village, options.sponsored, options.prefix)
    if generated or options.rebuild or not scalar("SELECT count(*) FROM targets_tally"):
        sql("SET work_mem = '256MB'")
        spent, rows = timed(summary.rebuild)
        sql("RESET work_mem")
        vacuum, _ = timed(lambda: sql("VACUUM ANALYZE targets_tally"))
        log(f"summary rebuilt from scratch: {rows:,} rows in {spent:.0f} s (vacuum {vacuum:.0f} s)")
    counts = {
        "workers": scalar("SELECT count(*) FROM people_person"),
        "enrollments": scalar("SELECT count(*) FROM programs_enrollment"),
        "transitions": scalar("SELECT count(*) FROM programs_transition"),
        "villages": villages,
        "summary_rows": scalar("SELECT count(*) FROM targets_tally"),
        "summary_size": scalar("SELECT pg_size_pretty(pg_total_relation_size('targets_tally'))"),
        "registry_size": scalar(
            "SELECT pg_size_pretty(pg_total_relation_size('people_person') + "
            "pg_total_relation_size('programs_enrollment') + "
            "pg_total_relation_size('programs_transition'))"
        ),
    }
    log(", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items()))
    if options.verify:
        spent, found = timed(summary.verify)
        log(f"summary equals a full recomputation: {not found} ({spent:.0f} s)")

    regency = biggest(2, options.prefix)
    province = biggest(1, options.prefix)
    regency_villages = scalar(
        "SELECT count(*) FROM regions_region WHERE level = 4 AND code LIKE %s", [f"{regency}.%"]
    )
    log(f"regency {regency} ({regency_villages} villages), province {province}; {DAY}")
    day = DAY.isoformat()
    for code, villages_table in ((regency, True), (province, False)):
        client = viewer(code)
        pages = [(f"dashboard page /dasbor/{code}/", f"/dasbor/{code}/?tanggal={day}")]
        if villages_table:
            # The regency's villages: the table the page fetches after it is shown, and the
            # whole page with them in one request (the link for browsers without JavaScript).
            pages += [
                (f"its village table /dasbor/{code}/desa/", f"/dasbor/{code}/desa/?tanggal={day}"),
                (
                    "page with the villages ?desa=semua",
                    f"/dasbor/{code}/?tanggal={day}&desa=semua",
                ),
            ]
        pages += [
            (f"API /api/v1/indicators?region={code}",
             f"/api/v1/indicators?region={code}&date={day}"),
            (f"API /api/v1/indicators/series?region={code}",
             f"/api/v1/indicators/series?region={code}&from=2024-01&to=2024-12"),
        ]  # fmt: skip
        found = {name: measure(name, get(client, url), options.requests) for name, url in pages}
        # The same pages when nothing is kept yet (the first reader after a refresh).
        for name, url in pages:
            fetch = get(client, url)
            fresh = lambda f=fetch: (django_cache.clear(), f())  # noqa: E731
            measure(f"{name} (fresh)", fresh, options.requests)
        base = measure(
            f"baseline GROUP BY over the registry, {code}",
            baseline(code, villages_table),
            max(5, options.requests // 4),
        )
        whole = found[pages[2 if villages_table else 0][0]]
        api = found[f"API /api/v1/indicators?region={code}"]
        ratios = base["median"] / whole["median"], base["median"] / api["median"]
        log(f"  ratio baseline/summary ({code}): whole page {ratios[0]:.1f}x, API {ratios[1]:.1f}x")
    if not options.skip_import:
        import_cost(options.import_rows)


if __name__ == "__main__":
    main()
