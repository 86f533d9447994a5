"""Benchmark: the worker list pages, with the access log on and off, PostgreSQL.

On a registry of ``--workers`` workers (Bali; loaded by the real import when the database
holds fewer, so a database left by ``bench/import_workers.py`` is used as it is), a
regency admin of the busiest regency and a system admin read, with Django's test Client:

  (a) the worker list ``/pekerja/`` (25 a page): the first page and a middle one;
  (b) a search by a full NIK and by a NIK prefix (the district's six digits, thousands
      of matches), on the page and in ``GET /api/v1/workers``;
  (c) one worker's page ``/pekerja/<id>/`` (a full record);
  (d) the export page's streamed CSV of one district's workers;
  (e) with ``--full-export RUNS``, the page's CSV of every worker once, and the log's part
      of it (the count of the rows it asks first and the entry) timed RUNS times.

Each request is timed with the access log on (as in production: a NIK search and a full
record write their entry in the request) and off (the same request with the log's
functions replaced by no-ops: the baseline, the same query without the logging), in
alternating order so a neighbour's load does not favour one side. Prints medians and p95
of both and their ratio. A plain list page writes no entry: its ratio shows the noise.

    createdb -h 127.0.0.1 -U postgres lindung_bench_list
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_list \\
        .venv/bin/python bench/worker_list.py [--workers 1000000] [--requests 60] \\
        [--export-requests 10] [--full-export 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
os.environ.setdefault("LINDUNG_VAR_DIR", tempfile.mkdtemp(prefix="lindung-bench-"))
os.environ.setdefault("LINDUNG_ALLOWED_HOSTS", "testserver")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.accounts.models import Role, User  # noqa: E402
from lindung.accounts.services import create_user  # noqa: E402
from lindung.imports import samples  # noqa: E402
from lindung.people.models import Person  # noqa: E402
from lindung.privacy import access  # noqa: E402
from lindung.privacy.models import AccessEntry  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402

LOGGERS = ("viewed", "searched_nik", "listed", "exported")


def log(text: str) -> None:
    print(text, flush=True)


@contextmanager
def access_log(on: bool):
    """The access log as in production, or its writers replaced by no-ops."""
    if on:
        yield
        return
    kept = {name: getattr(access, name) for name in LOGGERS}
    for name in LOGGERS:
        setattr(access, name, lambda *args, **kwargs: None)
    try:
        yield
    finally:
        for name, function in kept.items():
            setattr(access, name, function)


def ensure_registry(workers: int) -> None:
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="51.").exists():
        load_official_regions(prefixes=("51",))
    held = Person.objects.count()
    if held >= workers:
        return
    log(f"importing {workers - held:,} workers …")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pekerja.csv"
        path.write_bytes(samples.to_csv(samples.workers_frame(workers - held, seed=held + 1)))
        call_command("import", "workers", str(path), "--json", "--no-progress")


def user(username: str, role: str, region: str | None) -> User:
    return User.objects.filter(username=username).first() or create_user(
        username=username, role=role, region_code=region, password="bench-password-2026"
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(client: Client, name: str, url: str, requests: int) -> dict:
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            for _ in response.streaming_content:
                pass

    times = {True: [], False: []}
    for on in (True, False):  # warm the caches once each way
        with access_log(on):
            fetch()
    for i in range(requests):
        for on in (True, False) if i % 2 == 0 else (False, True):
            with access_log(on):
                started = time.perf_counter()
                fetch()
                times[on].append((time.perf_counter() - started) * 1000)
    result = {
        on: {"median": statistics.median(t), "p95": percentile(t, 0.95)} for on, t in times.items()
    }
    on, off = result[True], result[False]
    log(
        f"  {name:44} on {on['median']:6.1f} / {on['p95']:6.1f} ms   "
        f"off {off['median']:6.1f} / {off['p95']:6.1f} ms   "
        f"ratio {on['median'] / off['median']:.2f} / {on['p95'] / off['p95']:.2f}"
    )
    return result


def full_export(runs: int) -> None:
    """The page's streamed CSV of every worker (a system admin), and what the access log
    adds to it: the count of the rows asked before the first byte, and the entry."""
    from lindung.exports.workers import workers_to_export

    who = user("bench.system", Role.SYSTEM_ADMIN, None)
    client = Client()
    client.force_login(who)
    started = time.perf_counter()
    response = client.get("/ekspor/pekerja/?format=csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    export = time.perf_counter() - started
    parts = []
    for _ in range(runs):
        started = time.perf_counter()
        access.exported(who, {}, workers_to_export(who, {}).count(), operation="bench")
        parts.append(time.perf_counter() - started)
    part = statistics.median(parts)
    log(
        f"export of all {Person.objects.count():,} workers, page CSV ({size / 1e6:.0f} MB): "
        f"{export:.1f} s with the log; the log's part (count + entry) median {part * 1000:.0f} ms "
        f"of {runs} = {part / export:.2%} of the export"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--export-requests", type=int, default=10)
    parser.add_argument("--full-export", type=int, default=0, metavar="RUNS")
    options = parser.parse_args()
    ensure_registry(options.workers)
    busiest = (
        Person.objects.values("regency_code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("regency_code", "n")
        .first()
    )
    regency, in_regency = busiest
    sample = Person.objects.filter(regency_code=regency).order_by("nik")[in_regency // 2]
    prefix = sample.nik[:6]
    district = sample.district_code
    in_district = Person.objects.filter(district_code=district).count()
    export = f"/ekspor/pekerja/?format=csv&region={district}"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    log(
        f"registry {Person.objects.count():,} workers; regency {regency}: {in_regency:,}; "
        f"NIK prefix {prefix}: {Person.objects.filter(nik__startswith=prefix).count():,}; "
        f"access log holds {AccessEntry.objects.count():,} entries"
    )
    log("  request                                      log on median / p95    "
        "log off median / p95   ratio on/off median / p95")  # fmt: skip
    results = {}
    for who in (
        user("bench.regency", Role.REGENCY_ADMIN, regency),
        user("bench.system", Role.SYSTEM_ADMIN, None),
    ):
        client = Client()
        client.force_login(who)
        log(f"{who.username} ({who.role})")
        pages = -(-in_regency // 25) if who.region_id else -(-Person.objects.count() // 25)
        for name, url in (
            ("list page 1 /pekerja/", "/pekerja/"),
            (f"list page {pages // 2}", f"/pekerja/?page={pages // 2}"),
            ("search full NIK (page)", f"/pekerja/?nik={sample.nik}"),
            (f"search NIK prefix {prefix} (page)", f"/pekerja/?nik={prefix}"),
            ("search full NIK (API)", f"/api/v1/workers?nik={sample.nik}"),
            (f"search NIK prefix {prefix} (API)", f"/api/v1/workers?nik={prefix}"),
            ("one worker /pekerja/<id>/", f"/pekerja/{sample.pk}/"),
            (f"export CSV, district {district} ({in_district:,})", export),
        ):
            runs = options.export_requests if url == export else options.requests
            results[(who.username, name)] = measure(client, name, url, runs)
    if options.full_export:
        full_export(options.full_export)
    ratios = [r[True]["median"] / r[False]["median"] for r in results.values()]
    worst = max(r[True]["p95"] - r[False]["p95"] for r in results.values())
    log(
        f"ratio on/off of the medians: {min(ratios):.2f} … {max(ratios):.2f} "
        f"(median {statistics.median(ratios):.2f}); largest p95 difference {worst:.1f} ms; "
        f"access log now {AccessEntry.objects.count():,} entries"
    )


if __name__ == "__main__":
    main()
