"""Benchmark: the offline sync of a phone's records against the online path.

Measures in each round, on fresh NIKs:

  (a) ``POST /api/v1/sync`` with ``--records`` worker registrations (one batch, under the
      batch limit): each record in its savepoint, through ``people.services.register_worker``,
      kept with its client id and answer;
  (b) the baseline: the same registrations sent online, one ``POST /api/v1/workers`` each;
  (c) the same batch again (all replayed: the answers read back, nothing applied);
  (d) a 10,000-record batch (the limit's worth applied, the rest answered ``deferred``).

Prints medians over ``--rounds`` and the ratio (a)/(b).

    createdb -h 127.0.0.1 -U postgres lindung_bench_sync
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench_sync \\
        .venv/bin/python bench/sync_batch.py [--records 200] [--rounds 3]
    dropdb -h 127.0.0.1 -U postgres lindung_bench_sync
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
os.environ.setdefault("LINDUNG_VAR_DIR", tempfile.mkdtemp(prefix="lindung-bench-"))
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.accounts.models import User  # noqa: E402
from lindung.accounts.services import create_user  # noqa: E402
from lindung.people.models import Person  # noqa: E402
from lindung.regions.models import Region  # noqa: E402
from lindung.regions.services import load_official_regions  # noqa: E402

VILLAGE = "51.04.01.2001"  # Desa Batubulan, Sukawati, Gianyar
DEVICE = "7d1e0c9b-8a7f-4e6d-9c5b-4a3f2e1d0c9b"


def log(text: str) -> None:
    print(text, flush=True)


def worker(serial: int) -> dict:
    born = dt.date(1980, 1, 1) + dt.timedelta(days=serial % 9000)
    nik = f"510401{born.day:02d}{born.month:02d}{born.year % 100:02d}{serial % 10_000:04d}"
    return {
        "nik": nik,
        "full_name": "Pekerja " + "".join("abcdefghij"[int(d)] for d in str(serial)).title(),
        "sex": "L",
        "birth_date": born.strftime("%d/%m/%Y"),
        "village_code": VILLAGE,
        "address": "Banjar Bench",
        "phone": "081234567890",
        "occupation": "Petani",
        "category": "pekerja_rentan",
        "declared_income": "1000000",
    }


def fresh(count: int, start: int) -> list[dict]:
    """Workers whose NIKs are not in the registry yet (serials from ``start`` on)."""
    taken = set(Person.objects.values_list("nik", flat=True))
    found, serial = [], start
    while len(found) < count:
        data = worker(serial)
        if data["nik"] not in taken:
            found.append(data)
            taken.add(data["nik"])
        serial += 1
    return found


def post(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=VILLAGE).exists():
        load_official_regions(prefixes=("51",))
    operator = User.objects.filter(username="bench.sync").first() or create_user(
        username="bench.sync",
        role="village_operator",
        region_code=VILLAGE,
        password="bench-password-2026",
    )
    client = Client()
    client.force_login(operator)
    n = options.records
    results = {"a": [], "b": [], "c": [], "d": []}
    serial = Person.objects.count() * 3 + 1
    for round_ in range(options.rounds):
        people = fresh(2 * n, serial)
        serial += 4 * n
        batch = [
            {"client_id": str(uuid.uuid4()), "kind": "worker.create", "payload": p}
            for p in people[:n]
        ]
        body = {"device": DEVICE, "records": batch}

        def sync_once(body=body):
            answer = post(client, "/api/v1/sync", body).json()["answers"]
            assert {a["status"] for a in answer} <= {"accepted", "warned"}, answer[0]

        def online(people=people[n:]):
            for p in people:
                assert post(client, "/api/v1/workers", p).status_code == 201

        def replay(body=body):
            assert all(a["replayed"] for a in post(client, "/api/v1/sync", body).json()["answers"])

        big = fresh(200, serial)
        serial += 400
        records = [{"client_id": str(uuid.uuid4()), "kind": "worker.create", "payload": p}
                   for p in big]  # fmt: skip
        records += [
            {"client_id": str(uuid.uuid4()), "kind": "contact.create", "payload": {}}
            for _ in range(10_000 - len(records))
        ]

        def ten_thousand(records=records):
            answers = post(client, "/api/v1/sync", {"device": DEVICE, "records": records})
            assert len(answers.json()["answers"]) == 10_000

        results["a"].append(timed(sync_once))
        results["b"].append(timed(online))
        results["c"].append(timed(replay))
        results["d"].append(timed(ten_thousand))
        log(
            f"round {round_ + 1}: sync {results['a'][-1]:.2f} s, online {results['b'][-1]:.2f} s, "
            f"replay {results['c'][-1]:.2f} s, 10,000-record batch {results['d'][-1]:.2f} s"
        )
    med = {k: statistics.median(v) for k, v in results.items()}
    log(f"\n{n} registrations, medians over {options.rounds} rounds:")
    log(
        f"  (a) one sync batch              {med['a']:.2f} s  ({med['a'] / n * 1000:.1f} ms/record)"
    )
    log(
        f"  (b) baseline, {n} online POSTs  {med['b']:.2f} s  ({med['b'] / n * 1000:.1f} ms/record)"
    )
    log(f"  (c) the same batch replayed     {med['c']:.2f} s")
    log(f"  (d) 10,000-record batch         {med['d']:.2f} s")
    log(f"  ratio (a)/(b) = {med['a'] / med['b']:.2f}")


if __name__ == "__main__":
    main()
