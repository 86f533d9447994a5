"""Drill: the web server (``lindung serve``, granian) killed with ``kill -9`` in the middle of
a write, then started again.

A village operator's API client registers a worker (``POST /api/v1/workers``: the person,
its change-history row and the coverage trigger's mark, one transaction). The drill holds
the change-history table locked, so the request stops *after* inserting the person and
before its history row: the write is half done. Every process of the server is then
killed with SIGKILL and the lock released. The database must hold nothing of that write
(PostgreSQL rolls back the transaction of a client that went away), and the server, started
again, serves and takes the same registration again (201, not "NIK sudah terdaftar").

PostgreSQL only: on SQLite a writer locks the whole file, so a held lock stops the request
before its first insert and there is no half-done write to kill (SQLite's own journal rolls
back an interrupted transaction; that is SQLite's guarantee, not ours to drill).
"""

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from tests.factories import worker_data
from tests.operations.conftest import LINDUNG, lindung
from tests.web.test_serve import free_port, get

SETUP = """
from lindung.regions.services import load_official_regions
from lindung.accounts.models import Role
from lindung.accounts.services import create_user, issue_token
load_official_regions(prefixes=("51",))
user = create_user(username="op.drill", role=Role.VILLAGE_OPERATOR,
                   region_code="51.04.01.2001", password="Latihan-Gangguan-2026")
print(issue_token(user))
"""


def serve(env, port) -> subprocess.Popen:
    server = subprocess.Popen(
        [LINDUNG, "serve", "--port", str(port), "--workers", "2", "--no-collectstatic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the drill kills all of it
    )
    assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    return server


def register(base: str, token: str, answers: list) -> None:
    request = urllib.request.Request(
        f"{base}/api/v1/workers",
        data=json.dumps(worker_data()).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            answers.append((answer.status, json.loads(answer.read())))
    except urllib.error.HTTPError as error:
        answers.append((error.code, error.read().decode()))
    except OSError as error:  # the server died under the request
        answers.append(("connection", repr(error)))


def rows(conn, nik: str) -> tuple[int, int]:
    people = conn.execute("SELECT count(*) FROM people_person WHERE nik = %s", [nik]).fetchone()
    history = conn.execute(
        "SELECT count(*) FROM people_historicalperson WHERE nik = %s", [nik]
    ).fetchone()
    return people[0], history[0]


def test_a_server_killed_mid_write_leaves_all_or_nothing_and_serves_again(fresh_databases, request):
    env = fresh_databases[0]
    if "DATABASE_URL" not in env:
        pytest.skip("PostgreSQL only: SQLite locks the whole file, no half-done write to kill")
    request.getfixturevalue("migrate")(env)
    token = lindung("shell", "--no-imports", "-c", SETUP, env=env).stdout.split()[-1]
    nik = worker_data()["nik"]
    dbname = env["DATABASE_URL"].rsplit("/", 1)[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    watcher = psycopg.connect(env["DATABASE_URL"], autocommit=True)
    locker = psycopg.connect(env["DATABASE_URL"])
    server = serve(env, port)
    started = [server]
    try:
        dirty = watcher.execute("SELECT count(*) FROM targets_dirtyvillage").fetchone()[0]
        locker.execute("LOCK TABLE people_historicalperson IN EXCLUSIVE MODE")
        answers: list = []
        client = threading.Thread(target=register, args=(base, token, answers))
        client.start()

        # Half done: a server backend holds its insert into people_person and waits for the
        # history table.
        deadline, waiting = time.monotonic() + 120, None
        while waiting is None:
            assert time.monotonic() < deadline, "the request never reached the history table"
            waiting = watcher.execute(
                "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid "
                "WHERE a.datname = %s AND a.wait_event_type = 'Lock' AND l.granted "
                "AND l.relation = 'people_person'::regclass AND l.mode = 'RowExclusiveLock'",
                [dbname],
            ).fetchone()
            time.sleep(0.1)

        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        client.join(timeout=60)
        assert answers and answers[0][0] == "connection", answers

        # The lock goes; the orphaned backend finishes its insert, finds its client gone
        # and rolls back.
        locker.commit()
        deadline = time.monotonic() + 60
        while watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", waiting).fetchone():
            assert time.monotonic() < deadline, "the orphaned backend stayed"
            time.sleep(0.2)
        assert rows(watcher, nik) == (0, 0)
        assert watcher.execute("SELECT count(*) FROM targets_dirtyvillage").fetchone()[0] == dirty

        # Started again: it serves, and the same registration is taken whole.
        server = serve(env, port)
        started.append(server)
        answers.clear()
        register(base, token, answers)
        assert answers[0][0] == 201, answers
        assert answers[0][1]["nik"] == nik
        assert rows(watcher, nik) == (1, 1)
        answers.clear()
        register(base, token, answers)  # a client that retries once too often
        assert answers[0][0] == 422 and "exists" in answers[0][1], answers
        assert rows(watcher, nik) == (1, 1)
    finally:
        locker.close()
        watcher.close()
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)
