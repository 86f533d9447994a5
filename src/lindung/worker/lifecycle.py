"""Heartbeats, lost jobs and once-per-period runs for several ``lindung db_worker``.

A worker beats every ``LINDUNG_WORKER_BEAT_SECONDS`` (10 s). A running job whose worker has
not beaten for ``LINDUNG_WORKER_LOST_SECONDS`` (60 s) was lost with its worker: it goes back
to the queue, and after ``LINDUNG_WORKER_ATTEMPTS`` (2) tries it is marked failed with the
reason instead, so a job that kills its worker every time does not loop for ever. Jobs are
written to be run again (imports resume from their last batch, billing and summaries are
idempotent), which is what makes giving them back safe.
"""

import datetime as dt
import os
import socket

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lindung.worker.models import PeriodRun, WorkerBeat

LOST_JOB = "lindung.worker.lifecycle.WorkerLost"


def beat_seconds() -> float:
    return float(getattr(settings, "LINDUNG_WORKER_BEAT_SECONDS", 10))


def lost_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "LINDUNG_WORKER_LOST_SECONDS", 60)))


def attempts() -> int:
    return int(getattr(settings, "LINDUNG_WORKER_ATTEMPTS", 2))


def beat(worker_id: str, *, now: dt.datetime | None = None) -> None:
    """Say this worker is alive."""
    now = now or timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
            },
        )


def stop(worker_id: str) -> None:
    """A worker that stops cleanly leaves no heartbeat behind."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def reap_lost_jobs(*, now: dt.datetime | None = None) -> dict[str, list]:
    """Give back or fail the running jobs of workers that stopped beating.

    Answers ``{"retried": [ids], "failed": [ids]}``. A job whose worker never beat is left
    alone until it has run for the same grace time, so a worker that has just started is
    not mistaken for a dead one.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    since = now - lost_after()
    beats = dict(WorkerBeat.objects.values_list("worker_id", "seen_at"))
    done: dict[str, list] = {"retried": [], "failed": []}
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )
        for result in running:
            worker = result.worker_ids[-1] if result.worker_ids else ""
            seen = beats.get(worker) or result.started_at
            if seen is None or seen >= since:
                continue
            if len(result.worker_ids) < attempts():
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                done["retried"].append(result.id)
                continue
            result.status = TaskResultStatus.FAILED
            result.finished_at = now
            result.exception_class_path = LOST_JOB
            result.traceback = (
                f"Pekerja latar {worker} berhenti saat menjalankan pekerjaan ini (tanda hidup "
                f"terakhir {timezone.localtime(seen):%d/%m/%Y %H:%M:%S %Z}); sudah dicoba "
                f"{len(result.worker_ids)} kali, tidak diulang lagi."
            )
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            done["failed"].append(result.id)
        WorkerBeat.objects.filter(seen_at__lt=now - 10 * lost_after()).delete()
    return done


def claim_period(job: str, period: str, *, worker_id: str = "") -> bool:
    """Take ``period`` of the periodic ``job``: ``True`` for the one run that may go on."""
    try:
        with transaction.atomic():
            PeriodRun.objects.create(
                job=job, period=period, worker_id=worker_id[:64], started_at=timezone.now()
            )
    except IntegrityError:
        return False
    return True
