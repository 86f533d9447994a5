"""Several background workers on one queue: each job once, a dead worker's job given back
or failed with its reason, and periodic jobs once per period."""

import datetime as dt
import os
import signal
import subprocess
import time

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lindung.selfpay import tasks as selfpay_tasks
from lindung.worker import lifecycle
from lindung.worker.models import PeriodRun, WorkerBeat
from lindung.worker.tasks import probe
from tests.operations.conftest import LINDUNG, lindung

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def running_on(*workers: str, started: dt.datetime) -> DBTaskResult:
    result = probe.enqueue("uji")
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.worker_ids, row.started_at = TaskResultStatus.RUNNING, list(workers), started
    row.save()
    return row


@pytest.mark.django_db
def test_a_dead_workers_job_is_retried_then_failed_with_its_reason():
    lifecycle.beat("pekerja-a", now=NOW - dt.timedelta(minutes=5))
    lifecycle.beat("pekerja-b", now=NOW - dt.timedelta(seconds=5))
    lost = running_on("pekerja-a", started=NOW - dt.timedelta(minutes=6))
    alive = running_on("pekerja-b", started=NOW - dt.timedelta(minutes=6))
    assert lifecycle.reap_lost_jobs(now=NOW) == {"retried": [lost.id], "failed": []}
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY and lost.started_at is None

    # Claimed again by a second worker that dies too: no third try.
    lost.status, lost.worker_ids = TaskResultStatus.RUNNING, ["pekerja-a", "pekerja-c"]
    lost.started_at = NOW - dt.timedelta(minutes=3)
    lost.save()
    assert lifecycle.reap_lost_jobs(now=NOW) == {"retried": [], "failed": [lost.id]}
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == lifecycle.LOST_JOB
    assert "pekerja-c berhenti" in lost.traceback and "dicoba 2 kali" in lost.traceback
    alive.refresh_from_db()
    assert alive.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_worker_that_just_started_is_not_taken_for_dead():
    fresh = running_on("pekerja-baru", started=NOW - dt.timedelta(seconds=20))
    assert lifecycle.reap_lost_jobs(now=NOW) == {"retried": [], "failed": []}
    fresh.refresh_from_db()
    assert fresh.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_clean_stop_leaves_no_heartbeat():
    lifecycle.beat("pekerja-a")
    lifecycle.stop("pekerja-a")
    assert not WorkerBeat.objects.exists()


@pytest.mark.django_db
def test_a_period_is_run_once(monkeypatch):
    assert lifecycle.claim_period("daily", "2026-12-07", worker_id="a")
    assert not lifecycle.claim_period("daily", "2026-12-07", worker_id="b")
    assert lifecycle.claim_period("daily", "2026-12-08", worker_id="b")

    # Two copies of the daily job (two workers started at once): the second does nothing.
    monkeypatch.setattr(selfpay_tasks.clock, "today", lambda: dt.date(2026, 11, 25))
    assert selfpay_tasks.daily_job.call()["today"] == "2026-11-25"
    assert "skipped" in selfpay_tasks.daily_job.call()
    assert PeriodRun.objects.filter(job="daily", period="2026-11-25").count() == 1


# Drills with real worker processes on a fresh database.


def enqueue(env, code: str) -> None:
    lindung(
        "shell", "--no-imports", "-c", f"from lindung.worker.tasks import probe; {code}", env=env
    )


def probe_states(env) -> list[str]:
    code = (
        "from django_tasks_db.models import DBTaskResult as R; "
        "print(' '.join(f'{r.status}:{len(r.worker_ids)}' for r in "
        "R.objects.filter(task_path__endswith='probe').order_by('enqueued_at')))"
    )
    out = lindung("shell", "--no-imports", "-c", code, env=env).stdout.strip()
    return out.splitlines()[-1].split() if out else []


def wait_for(env, expected, seconds: float) -> None:
    """Wait until the probes' states satisfy ``expected`` (a function of the list)."""
    deadline = time.monotonic() + seconds
    states = []
    while time.monotonic() < deadline:
        states = probe_states(env)
        if expected(states):
            return
        time.sleep(1)
    raise AssertionError(f"the workers did not get there in time: {states}")


def worker(env, started: list) -> subprocess.Popen:
    process = subprocess.Popen(
        [LINDUNG, "db_worker", "--interval", "0.2", "--no-startup-delay"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started.append(process)
    return process


def test_two_workers_share_the_queue_and_a_killed_workers_job_is_given_back(
    fresh_databases, migrate
):
    env = {
        **fresh_databases[0],
        "LINDUNG_WORKER_BEAT_SECONDS": "0.5",
        "LINDUNG_WORKER_LOST_SECONDS": "3",
    }
    migrate(env)
    started: list[subprocess.Popen] = []
    try:
        enqueue(env, "[probe.enqueue(f'job-{n}') for n in range(20)]")
        first, second = worker(env, started), worker(env, started)
        # A probe that runs twice fails on its unique row: 20 successes is 20 single runs.
        wait_for(env, lambda states: states.count("SUCCESSFUL:1") == 20, 600)
        for process in (first, second):
            process.terminate()
            process.wait(timeout=60)

        # A long job whose workers are killed one after the other: given back once, then
        # failed with its reason (LINDUNG_WORKER_ATTEMPTS=2), never left "running".
        enqueue(env, "probe.enqueue('lama', seconds=3600)")
        for claims in (1, 2):
            doomed = worker(env, started)
            wait_for(env, lambda states, n=claims: states[-1:] == [f"RUNNING:{n}"], 900)
            os.kill(doomed.pid, signal.SIGKILL)
            doomed.wait()
        worker(env, started)
        wait_for(env, lambda states: states[-1:] == ["FAILED:2"], 900)
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
