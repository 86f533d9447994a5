"""Benchmark: the request path of a NIK lookup, against ``/healthz`` in the same run (PostgreSQL).

A regency admin's API client looks workers up by NIK (``GET /api/v1/workers?nik=…``, a
different NIK of its regency on every request) through the production server
(``lindung serve``: granian, WSGI). The baseline is ``/healthz`` on the same server, the
cheapest request that still goes through every middleware and one database query. The load
is ``wrk`` (Debian's package: ``apt-get install wrk``) at a fixed number of connections for a
fixed time; each figure is the median of ``--rounds`` rounds.

Prints requests per second, p50/p95/p99 latency and non-2xx answers per request kind and
number of connections, and the ratio of the lookup's throughput to ``/healthz``'s (the goal:
at least 0.70, and p95 ≤ 20 ms at one connection).

    createdb -h 127.0.0.1 -U postgres lindung_bench_request
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_request \\
        .venv/bin/python bench/request_path.py [--people 100000] [--duration 10] [--rounds 3]

The first run migrates, loads the regions and imports ``--people`` generated workers (about a
minute); later runs reuse them.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINDUNG = [str(Path(sys.executable).parent / "lindung")]
REGENCY = "51.04"
USERNAME = "bench-request-path"

# The closing line of every wrk run, one JSON object (shared with ``mixed_load``).
WRK_SUMMARY = """  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"non2xx": %d, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
"""

# wrk calls request() for every request and done() once at the end; done() prints one JSON
# line the benchmark reads. The NIKs to look up come from a file, one a line.
WRK_SCRIPT = (
    """
local niks = {}
local token = os.getenv("BENCH_TOKEN")
local path = os.getenv("BENCH_PATH")
local file = os.getenv("BENCH_NIKS")
if file then for line in io.lines(file) do niks[#niks + 1] = line end end
local counter = 0
request = function()
  counter = counter + 1
  local url = path
  if #niks > 0 then url = path .. niks[(counter % #niks) + 1] end
  return wrk.format("GET", url, {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
"""
    + WRK_SUMMARY
    + "end\n"
)


def lindung(*args: str, env: dict, stdin: str | None = None) -> str:
    done = subprocess.run(
        [*LINDUNG, *args], env=env, input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


def prepare(env: dict, people: int, workdir: Path) -> tuple[str, Path]:
    """The database with ``people`` workers, the regency admin's token and a file of NIKs of
    its regency."""
    lindung("migrate", "--noinput", "-v0", env=env)
    code = """
import django; django.setup()
from lindung.people.models import Person
print(Person.objects.count())
"""
    have = int(
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    if have < people:
        lindung("regions", "load", env=env)
        generate = f"""
import django; django.setup()
from lindung.imports import samples
frame = samples.workers_frame({people - have}, seed={have + 1})
open({str(workdir / "pekerja.csv")!r}, "wb").write(samples.to_csv(frame, separator=","))
"""
        subprocess.run([sys.executable, "-c", generate], env=env, check=True)
        lindung(
            "users",
            "create",
            "--username",
            "bench-loader",
            "--role",
            "system_admin",
            "--region",
            "51",
            "--password-stdin",
            env=env,
            stdin="Muat-data-2026!\n",
        )
        lindung(
            "import", "workers", str(workdir / "pekerja.csv"), "--user", "bench-loader", env=env
        )
    lindung(
        "users",
        "create",
        "--username",
        USERNAME,
        "--role",
        "regency_admin",
        "--region",
        REGENCY,
        "--password-stdin",
        env=env,
        stdin="Baca-data-2026!\n",
    )
    token = lindung("users", "token", USERNAME, env=env).strip().split()[-1]
    niks = f"""
import django; django.setup()
from lindung.people.models import Person
people = Person.objects.filter(regency_code={REGENCY!r}).order_by("?")
print("\\n".join(people.values_list("nik", flat=True)[:5000]))
"""
    path = workdir / "niks.txt"
    path.write_text(
        subprocess.run(
            [sys.executable, "-c", niks], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    return token, path


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [*LINDUNG, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit("The server did not answer /healthz in 30 seconds.")


def load(port: int, path: str, connections: int, seconds: int, env: dict) -> dict:
    threads = min(2, connections)
    answer = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            env["BENCH_SCRIPT"],
            f"http://127.0.0.1:{port}{path}",
        ],
        env={**env, "BENCH_PATH": path},
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(answer.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def median_of(rounds: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def server_env(prefix: str) -> tuple[Path, dict]:
    """A work folder and the server's environment, once the benchmark can run here (a
    PostgreSQL database in ``DATABASE_URL``, ``wrk`` on the path). Shared with
    ``mixed_load``."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "LINDUNG_VAR_DIR": str(workdir / "var"),
        "LINDUNG_DEBUG": "0",
    }
    return workdir, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", default="1,32")
    parser.add_argument("--server-workers", type=int, default=int(os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    workdir, env = server_env("lindung-bench-")
    token, niks = prepare(env, args.people, workdir)
    script = workdir / "load.lua"
    script.write_text(WRK_SCRIPT)
    env.update(BENCH_TOKEN=token, BENCH_SCRIPT=str(script))

    server = serve(env, args.port, args.server_workers)
    try:
        results = {}
        for connections in (int(c) for c in args.connections.split(",")):
            for kind, path, extra in (
                ("healthz", "/healthz", {}),
                ("nik", "/api/v1/workers?nik=", {"BENCH_NIKS": str(niks)}),
            ):
                load(args.port, path, connections, 2, {**env, **extra})  # warm-up
                rounds = [
                    load(args.port, path, connections, args.duration, {**env, **extra})
                    for _ in range(args.rounds)
                ]
                results[kind, connections] = median_of(rounds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    print(
        f"server workers {args.server_workers}, {args.rounds} rounds of {args.duration} s, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'request':<10}{'conn':>6}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'non-2xx':>9}"
    )
    for (kind, connections), r in results.items():
        print(
            f"{kind:<10}{connections:>6}{r['rps']:>10.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['p99']:>9.1f}{r['non2xx'] + r['errors']:>9.0f}"
        )
    for connections in sorted({c for _k, c in results}):
        ratio = results["nik", connections]["rps"] / results["healthz", connections]["rps"]
        print(f"NIK lookup / healthz throughput at {connections} connections: {ratio:.2f}")


if __name__ == "__main__":
    main()
