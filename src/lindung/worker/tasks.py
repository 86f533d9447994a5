"""The worker's own jobs.

``probe``: a job for drills: it waits, then records that it ran (once: a second run fails).
``docs/operations.md`` uses it to check several workers on one queue and a worker killed
mid-job, without touching the program's data.

``partitions_job``: every night, the partitions of the history tables for the months
ahead (PostgreSQL), queued by the worker when it starts like the daily job.
"""

import datetime as dt
import time

from django.utils import timezone
from django_tasks import task

from lindung.worker.models import PeriodRun


@task()
def probe(name: str, seconds: float = 0) -> str:
    time.sleep(seconds)
    PeriodRun.objects.create(job="probe", period=name[:20], started_at=timezone.now())
    return name


# ---- partitions made ahead (PostgreSQL) ---------------------------------------------------

# The hour (local time) of the nightly partitions job: before the daily job (01:30).
PARTITIONS_AT = dt.time(1, 0)


def _next_partitions_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    at = timezone.make_aware(dt.datetime.combine(local.date(), PARTITIONS_AT))
    return at if at > local else at + dt.timedelta(days=1)


def ensure_partitions_scheduled(*, now: dt.datetime | None = None) -> bool:
    """Queue the next nightly partitions run unless one is waiting (PostgreSQL only)."""
    from django.apps import apps
    from django.db import connection
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if connection.vendor != "postgresql" or not apps.is_installed("django_tasks_db"):
        return False
    if DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=partitions_job.module_path
    ).exists():
        return False
    partitions_job.using(run_after=_next_partitions_run(now or timezone.now())).enqueue()
    return True


@task()
def partitions_job() -> dict:
    """Make the partitions of this month and the next ones (``operations.partitions``),
    once a night whichever worker takes it, then queue the next night's run."""
    from lindung.operations.partitions import create_ahead
    from lindung.worker.lifecycle import claim_period

    today = timezone.localdate()
    if not claim_period("partitions", today.isoformat()):
        return {"skipped": f"sudah dijalankan untuk {today:%d/%m/%Y}"}
    try:
        return {"created": create_ahead()}
    finally:
        partitions_job.using(run_after=_next_partitions_run(timezone.now())).enqueue()
