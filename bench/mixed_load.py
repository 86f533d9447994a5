"""Benchmark: a regency's busy morning, a mixed load on the production server (PostgreSQL).

Village operators registering workers and proposing them to a program, officials on the
dashboards and exporting the registry, and API clients looking up NIKs, all at once,
against ``lindung serve`` (granian) with one background worker (``lindung db_worker``)
running, as in production. The load is ``wrk`` (``apt-get install wrk``), one process per
kind of request, all started together for ``--duration`` seconds; each connection is one
client that sends its next request when the answer came (``--think-ms`` of pause between
them, drawn between 0 and twice that, so the clients do not move in step; 0 is the worst
case, every client always waiting on the server).

Kinds and default connections (``--operators`` split in two, ``--officials`` split 6:4):

  register   25  ``POST /api/v1/workers``, a new worker of the operator's own village
  propose    25  ``POST /api/v1/programs/<id>/enrollments``, a registered worker of it
  dashboard   6  ``GET /dasbor/51.04/`` and its village table ``/dasbor/51.04/desa/``
                 (a signed-in official's session)
  export      4  ``GET /ekspor/pekerja/?format=csv&region=<a district of 51.04>``
  nik        10  ``GET /api/v1/workers?nik=…`` (a regency admin's token)

Prints per kind: requests, requests/s, p50/p95/p99 and the errors (non-2xx answers and
socket errors), and the load average before and after.

    createdb -h 127.0.0.1 -U postgres lindung_bench_mixed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_mixed \\
        .venv/bin/python bench/mixed_load.py [--people 100000] [--duration 60] [--think-ms 0]

The first run migrates, loads the regions and the demo data, and imports ``--people``
generated workers of Bali (a few minutes); later runs reuse them (and add the workers they
register).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import request_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REGENCY = request_path.REGENCY

# Each wrk thread takes every ``threads``-th line of its kind's file, from its own offset,
# so no two connections send the same line (a registration or a proposal is sent once).
# A line is: method, path, body (may be empty), then header name/value pairs, tab-separated.
WRK_SCRIPT = (
    """
local lines = {}
for line in io.lines(os.getenv("BENCH_LINES")) do
  local fields = {}
  for field in (line .. "\\t"):gmatch("([^\\t]*)\\t") do fields[#fields + 1] = field end
  lines[#lines + 1] = fields
end
local threads = tonumber(os.getenv("BENCH_THREADS"))
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
local next_id = 0
local all_threads = {}
local codes = {301, 302, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504}
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  all_threads[#all_threads + 1] = thread
end
response = function(status, headers, body)
  if status >= 300 then  -- a redirect is the sign-in page: an error here too
    local name = "s" .. status
    _G[name] = (_G[name] or 0) + 1
  end
end
local counter = 0
request = function()
  local fields = lines[(offset + (tid or 0) + counter * threads) % #lines + 1]
  counter = counter + 1
  local headers = {}
  for i = 4, #fields - 1, 2 do headers[fields[i]] = fields[i + 1] end
  local body = fields[3]
  if body == "" then body = nil end
  return wrk.format(fields[1], fields[2], headers, body)
end
-- A pause drawn between 0 and twice the mean, so that the clients do not move in step.
if think > 0 then
  math.randomseed(os.time() + (tid or 0))
  delay = function() return math.random(0, 2 * think) end
end
done = function(summary, latency, requests)
  local statuses = {}
  for _, code in ipairs(codes) do
    local n = 0
    for _, thread in ipairs(all_threads) do n = n + (thread:get("s" .. code) or 0) end
    if n > 0 then statuses[#statuses + 1] = string.format('"%d": %d', code, n) end
  end
  io.write('{"statuses": {' .. table.concat(statuses, ", ") .. '}}\\n')
"""
    + request_path.WRK_SUMMARY
    + "end\n"
)

# Run inside Django (``python -c``): users, tokens, sessions, a program, and the request
# lines of every kind, written as JSON for the benchmark.
SETUP = r"""
import datetime as dt, json, random, sys
import django; django.setup()
from django.test import Client
from lindung.accounts.models import Role, User
from lindung.accounts.services import create_user, issue_token
from lindung.people.models import Person
from lindung.programs.models import Enrollment, Program
from lindung.programs import services as programs
from lindung.programs.api import ProgramIn
from lindung.regions.models import Region

REGENCY = sys.argv[1]
OPERATORS, OFFICIALS, LINES = (int(a) for a in sys.argv[2:5])
PASSWORD = "Pagi-Sibuk-2026!"
rng = random.Random(21)

def user(name, role, region):
    return User.objects.filter(username=name).first() or create_user(
        username=name, role=role, region_code=region, password=PASSWORD)

# The villages of the regency with the most generated workers, one operator each.
villages = list(
    Person.objects.filter(regency_code=REGENCY, village__kind="desa")
    .values_list("village_id", flat=True).distinct().order_by("village_id"))
counts = {v: Person.objects.filter(village_id=v).count() for v in villages}
villages = sorted(villages, key=lambda v: -counts[v])[:OPERATORS]
operators = {v: user(f"bench.op.{v}", Role.VILLAGE_OPERATOR, v) for v in villages}
tokens = {v: issue_token(u) for v, u in operators.items()}

program = Program.objects.filter(name="Bench: pagi sibuk").first()
if program is None:
    program = programs.create_program(
        user=user("bench.pagi.admin", Role.REGENCY_ADMIN, REGENCY),
        data=ProgramIn(
            name="Bench: pagi sibuk", year=2027, area_code=REGENCY, funder="apbd",
            budget=1_000_000_000_000, rounds=["01/2027", "07/2027"],
            quota_per_village=5000, min_age=15, max_age=80,
        ).model_dump(),
    )

register, propose = [], []
taken = set(Person.objects.filter(regency_code=REGENCY).values_list("nik", flat=True))
for v in villages:
    district = v[:8].replace(".", "")
    auth = ["Authorization", f"Bearer {tokens[v]}", "Content-Type", "application/json"]
    made = 0
    while made < LINES // len(villages) + 1:
        born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(12000))
        sex = rng.choice("LP")
        day = born.day + (40 if sex == "P" else 0)
        nik = f"{district}{day:02d}{born:%m%y}{rng.randrange(5000, 10000):04d}"
        if nik in taken:
            continue
        taken.add(nik)
        made += 1
        # A phone of its own: one shared by many workers makes every registration record
        # a possible duplicate with each of them (docs/performance.md, "Mixed load").
        body = {"nik": nik, "full_name": "Pekerja Pagi Sibuk", "sex": sex,
                "birth_date": born.strftime("%d/%m/%Y"), "village_code": v,
                "address": "Banjar Kaja", "phone": f"0819{nik[-8:]}", "occupation": "Petani",
                "category": "pekerja_rentan", "declared_income": "1000000", "segment": "BPU"}
        register.append(["POST", "/api/v1/workers", json.dumps(body), *auth])
    open_ = Enrollment.objects.filter(person__village_id=v).values("person_id")
    for nik in (Person.objects.filter(village_id=v).exclude(full_name="Pekerja Pagi Sibuk")
                .exclude(id__in=open_).values_list("nik", flat=True)[:LINES]):
        propose.append(["POST", f"/api/v1/programs/{program.pk}/enrollments",
                        json.dumps({"nik": nik}), *auth])
rng.shuffle(register)
rng.shuffle(propose)

sessions = []
for n in range(OFFICIALS):
    client = Client()
    role = Role.REGENCY_ADMIN if n % 2 else Role.VIEWER
    client.force_login(user(f"bench.pejabat.{n}", role, REGENCY))
    sessions.append(client.cookies["sessionid"].value)
dashboard = []
for n, session in enumerate(sessions):
    cookie = ["Cookie", f"sessionid={session}", "Accept-Encoding", "gzip"]
    dashboard.append(["GET", f"/dasbor/{REGENCY}/", "", *cookie])
    dashboard.append(["GET", f"/dasbor/{REGENCY}/desa/", "", *cookie])
districts = list(Region.objects.filter(level=3, code__startswith=REGENCY + ".")
                 .values_list("code", flat=True))
export = [["GET", f"/ekspor/pekerja/?format=csv&region={d}", "", "Cookie",
           f"sessionid={sessions[n % len(sessions)]}"] for n, d in enumerate(districts)]
print(json.dumps({"register": register, "propose": propose, "dashboard": dashboard,
                  "export": export, "program": program.pk,
                  "villages": len(villages), "proposable": len(propose)}))
"""


def wrk(port: int, kind: str, connections: int, seconds: int, env: dict) -> subprocess.Popen:
    threads = min(2, connections)
    return subprocess.Popen(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            env["BENCH_SCRIPT"],
            f"http://127.0.0.1:{port}/",
        ],
        env={**env, "BENCH_LINES": env[f"BENCH_LINES_{kind}"], "BENCH_THREADS": str(threads)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_lines(path: Path, lines: list[list[str]]) -> str:
    path.write_text("\n".join("\t".join(fields) for fields in lines) + "\n")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--think-ms", type=int, default=0)
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--officials", type=int, default=10)
    parser.add_argument("--api", type=int, default=10)
    parser.add_argument("--server-workers", type=int, default=int(os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    workdir, env = request_path.server_env("lindung-bench-mixed-")
    request_path.lindung("migrate", "--noinput", "-v0", env=env)
    demo = "from lindung.accounts.models import User as U; print(U.objects.filter(username="
    demo += "'operator.batubulan').exists())"
    if "True" not in request_path.lindung("shell", "--no-imports", "-c", demo, env=env):
        request_path.lindung("regions", "load", env=env)
        request_path.lindung("demo", "load", env=env)
    token, niks = request_path.prepare(env, args.people, workdir)

    operators, officials = args.operators, args.officials
    # Enough lines that no connection sends one twice at full speed for the duration.
    wanted = max(2000, operators * args.duration * 20)
    made = subprocess.run(
        [sys.executable, "-c", SETUP, REGENCY, str(operators), str(officials), str(wanted)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    plan = json.loads(made.stdout.strip().splitlines()[-1])
    sizes = {kind: len(plan[kind]) for kind in ("register", "propose", "dashboard", "export")}
    if not all(sizes.values()):
        sys.exit(f"Nothing to send for a kind: {sizes}")
    nik_lines = [
        ["GET", f"/api/v1/workers?nik={nik}", "", "Authorization", f"Bearer {token}"]
        for nik in niks.read_text().split()
    ]
    script = workdir / "mixed.lua"
    script.write_text(WRK_SCRIPT)
    env.update(BENCH_SCRIPT=str(script), BENCH_THINK_MS=str(args.think_ms))
    for kind in ("register", "propose", "dashboard", "export"):
        env[f"BENCH_LINES_{kind}"] = write_lines(workdir / f"{kind}.tsv", plan[kind])
    env["BENCH_LINES_nik"] = write_lines(workdir / "nik.tsv", nik_lines)
    kinds = {
        "register": operators - operators // 2,
        "propose": operators // 2,
        "dashboard": officials - officials * 4 // 10,
        "export": officials * 4 // 10,
        "nik": args.api,
    }
    kinds = {kind: n for kind, n in kinds.items() if n > 0}

    server = request_path.serve(env, args.port, args.server_workers)
    worker = subprocess.Popen(
        [*request_path.LINDUNG, "db_worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Warm-up: every kind once, a few seconds, so the figures do not hold first visits;
        # from the second half of the lines, which the run does not reach (a registration or
        # a proposal sent twice would be refused).
        for kind in kinds:
            half = len(Path(env[f"BENCH_LINES_{kind}"]).read_text().splitlines()) // 2
            env_kind = {**env, "BENCH_THINK_MS": "0", "BENCH_OFFSET": str(half)}
            warm = wrk(args.port, kind, 1, 2, env_kind)
            warm.communicate()
        before = os.getloadavg()
        running = {kind: wrk(args.port, kind, n, args.duration, env) for kind, n in kinds.items()}
        results = {}
        for kind, process in running.items():
            out, err = process.communicate()
            if process.returncode != 0:
                sys.exit(f"wrk {kind}: {err}")
            lines = out.strip().splitlines()
            results[kind] = {**json.loads(lines[-1]), **json.loads(lines[-2])}
        after = os.getloadavg()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        os.killpg(server.pid, signal.SIGTERM)
        worker.wait()
        server.wait()

    total = sum(kinds.values())
    print(
        f"{total} connections ({', '.join(f'{k} {n}' for k, n in kinds.items())}), "
        f"{args.duration} s, think {args.think_ms} ms, server workers {args.server_workers}, "
        f"{plan['villages']} operators' villages, program {plan['program']}"
    )
    print("load average before: " + " ".join(f"{x:.2f}" for x in before))
    print(
        f"{'kind':<10}{'conn':>6}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}"
    )
    errors = 0
    for kind, r in results.items():
        redirects = sum(n for code, n in r["statuses"].items() if code.startswith("3"))
        failed = r["non2xx"] + r["errors"] + redirects
        errors += failed
        print(
            f"{kind:<10}{kinds[kind]:>6}{r['requests']:>10}{r['requests'] / r['seconds']:>9.1f}"
            f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{failed:>8}"
            + (f"  {r['statuses']}" if r["statuses"] else "")
        )
    print(f"errors in all: {errors}")
    print("load average after: " + " ".join(f"{x:.2f}" for x in after))


if __name__ == "__main__":
    main()
