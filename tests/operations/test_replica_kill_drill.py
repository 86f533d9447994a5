"""Drill: the read replica killed with ``kill -9`` (its postmaster) under a running server,
then started again.

With a real streaming standby (``scripts/standby.sh start``, port 5433): the server reads
from it; the standby's postmaster gets SIGKILL; ``/healthz`` reports the fallback with its
reason, and the reads the replica served (an API list) answer 200 from the primary. A
write made on the primary meanwhile reaches the standby once it is started again
(``pg_ctl restart``: crash recovery, then streaming from where it stopped), and the server
goes back to reading from it.

Skipped on SQLite, when no standby answers at ``LINDUNG_STANDBY_PORT`` (5433), and when
this process may not signal or restart the standby (not root nor its owner).
"""

import json
import os
import signal
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest

from tests.operations.conftest import LINDUNG, lindung
from tests.operations.test_replica_drill import (
    connect_or_none,
    health,
    standby_url,
    wait_until,
)
from tests.web.test_serve import free_port, get

SETUP = """
from lindung.accounts.models import Role
from lindung.accounts.services import create_user, issue_token
user = create_user(username="admin.drill", role=Role.SYSTEM_ADMIN, region_code=None,
                   password="Latihan-Replika-2026")
print(issue_token(user))
"""
WRITE = "from lindung.worker.tasks import probe; print(probe.enqueue('replika-mati').id)"


def pg_ctl(data_dir: str) -> list[str]:
    found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
    binary = Path(found.stdout.strip() or "/usr/bin") / "pg_ctl"
    if not binary.exists():
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        binary = versions[-1] if versions else Path("pg_ctl")
    command = [str(binary), "-D", data_dir]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def gone(pid: int) -> bool:
    """Whether a process has ended (a zombie not yet reaped by whoever adopted it counts)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def start_again(data_dir: str, postmaster: int) -> subprocess.CompletedProcess:
    """Start the killed standby as an operator would: once its postmaster has ended, its
    stale lock file removed (``pg_ctl restart`` waits for a shutdown that never comes while
    the killed postmaster is an unreaped zombie); ``restart`` rather than ``start``, to
    start it with its former options (port, sockets, configuration files)."""
    wait_until(lambda: gone(postmaster), 60)
    lock = Path(data_dir, "postmaster.pid")
    if lock.exists() and lock.read_text().split()[0] == str(postmaster):
        lock.unlink()
    log = f"{data_dir}/standby.log"
    return subprocess.run(
        [*pg_ctl(data_dir), "-w", "-t", "300", "-l", log, "restart"], capture_output=True, text=True
    )


def api_list(base: str, token: str) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/workers", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        json.loads(answer.read())
        return answer.status


def test_a_killed_replica_falls_back_then_catches_up(fresh_databases, request):
    env = fresh_databases[0]
    if "DATABASE_URL" not in env:
        pytest.skip("PostgreSQL only")
    replica = standby_url(env["DATABASE_URL"])
    if replica is None:
        pytest.skip("no standby at port 5433 (scripts/standby.sh start)")
    # The new database reaches the standby by streaming: wait for it there.
    with wait_until(lambda: connect_or_none(replica), 120) as conn:
        data_dir = conn.execute("SHOW data_directory").fetchone()[0]
    try:
        postmaster = int(Path(data_dir, "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, 0)
    except (OSError, ValueError) as exc:
        pytest.skip(f"cannot signal the standby's postmaster here: {exc}")

    replica = urlparse(replica)._replace(path=urlparse(env["DATABASE_URL"]).path).geturl()
    env = {**env, "DATABASE_REPLICA_URL": replica}
    request.getfixturevalue("migrate")(env)
    token = lindung("shell", "--no-imports", "-c", SETUP, env=env).stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [LINDUNG, "serve", "--port", str(port), "--workers", "1", "--no-collectstatic"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    restarted = False
    try:
        get(f"{base}/healthz")
        wait_until(lambda: health(base)["replica"]["status"] == "ok", 120)
        assert api_list(base, token) == 200

        os.kill(postmaster, signal.SIGKILL)
        state = wait_until(lambda: (h := health(base))["replica"]["status"] == "fallback" and h, 60)
        assert state["status"] == "ok", state
        assert "connection" in state["replica"]["reason"].lower(), state  # the driver's words
        assert api_list(base, token) == 200  # the replica's reads, from the primary
        written = lindung("shell", "--no-imports", "-c", WRITE, env=env).stdout.split()[-1]

        # Started again: crash recovery, streaming resumes, the write made meanwhile arrives.
        started = start_again(data_dir, postmaster)
        assert started.returncode == 0, started.stdout + started.stderr
        restarted = True

        def arrived():
            try:
                with psycopg.connect(replica, autocommit=True, connect_timeout=3) as conn:
                    return conn.execute(
                        "SELECT 1 FROM django_tasks_database_dbtaskresult WHERE id = %s",
                        [written],
                    ).fetchone()
            except psycopg.Error:
                return None

        wait_until(arrived, 120)
        wait_until(lambda: health(base)["replica"]["status"] == "ok", 120)
        assert api_list(base, token) == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        if not restarted and subprocess.run([*pg_ctl(data_dir), "status"]).returncode != 0:
            start_again(data_dir, postmaster)
