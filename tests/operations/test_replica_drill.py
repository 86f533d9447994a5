"""A real streaming standby (``scripts/standby.sh start``, port 5433): the server reports it
in ``/healthz``, serves the replica's reads, and falls back when the replica lags.

Skipped when no standby answers at ``LINDUNG_STANDBY_PORT`` (5433) on the pass's
PostgreSQL host, or on SQLite.
"""

import json
import os
import subprocess
import time
import urllib.request
from urllib.parse import urlparse

import psycopg
import pytest

from tests.operations.conftest import LINDUNG, lindung
from tests.web.test_serve import free_port, get

STANDBY_PORT = int(os.environ.get("LINDUNG_STANDBY_PORT", "5433"))


def standby_url(primary_url: str) -> str | None:
    parts = urlparse(primary_url)
    try:
        with psycopg.connect(
            host=parts.hostname, port=STANDBY_PORT, user=parts.username or "postgres",
            dbname="postgres", connect_timeout=3,
        ) as conn:  # fmt: skip
            if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                return None
    except psycopg.Error:
        return None
    return parts._replace(
        netloc=f"{parts.username or 'postgres'}@{parts.hostname}:{STANDBY_PORT}"
    ).geturl()


def health(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/healthz", timeout=30) as answer:
        return json.loads(answer.read())


def connect_or_none(url: str):
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        return None


def wait_until(check, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(1)
    raise AssertionError("not reached in time")


def test_the_server_reads_from_a_real_standby_and_falls_back(fresh_databases, migrate):
    env = fresh_databases[0]
    if "DATABASE_URL" not in env:
        pytest.skip("PostgreSQL only")
    replica = standby_url(env["DATABASE_URL"])
    if replica is None:
        pytest.skip(f"no standby at port {STANDBY_PORT} (scripts/standby.sh start)")
    replica = urlparse(replica)._replace(path=urlparse(env["DATABASE_URL"]).path).geturl()
    env = {**env, "DATABASE_REPLICA_URL": replica, "LINDUNG_REPLICA_MAX_LAG_SECONDS": "2"}
    migrate(env)
    port = free_port()
    server = subprocess.Popen(
        [LINDUNG, "serve", "--port", str(port), "--workers", "1", "--no-collectstatic"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    # The new database reaches the standby by streaming: wait for it there.
    standby = wait_until(lambda: connect_or_none(replica), 120)
    try:
        get(f"{base}/healthz")
        # The new database reached the standby by streaming; its replica answers.
        state = wait_until(lambda: health(base)["replica"]["status"] == "ok" and health(base), 120)
        assert state["replica"]["lag_seconds"] < 2

        # Replay paused while the primary writes: the replica falls behind, reads fall back.
        standby.execute("SELECT pg_wal_replay_pause()")
        code = "from lindung.worker.tasks import probe; [probe.enqueue(str(n)) for n in range(5)]"
        deadline = time.monotonic() + 120
        while health(base)["replica"]["status"] != "fallback":
            lindung("shell", "--no-imports", "-c", code, env=env)
            assert time.monotonic() < deadline, "the lag was never reported"
            time.sleep(1)
        assert "tertinggal" in health(base)["replica"]["reason"]
        assert get(f"{base}/healthz")[0] == 200  # the app stays up on its primary
    finally:
        standby.execute("SELECT pg_wal_replay_resume()")
        standby.close()
        server.terminate()
        server.wait(timeout=60)
