"""The daily job in the background worker (django-tasks, database backend).

``daily_job`` runs :func:`lindung.selfpay.daily.run_daily` and queues its own next run
for the next night, so ``lindung db_worker`` keeps it going without cron. The worker queues
the first run when it starts (``lindung.worker``), as does ``lindung daily``: whenever none
is waiting, :func:`ensure_scheduled` queues one.
"""

import datetime as dt

from django.apps import apps
from django.utils import timezone
from django_tasks import task

from lindung.programs import clock

# The hour (local time) the job runs: after the day's work, before the next morning.
RUN_AT = dt.time(1, 30)


def next_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    at = timezone.make_aware(dt.datetime.combine(local.date(), RUN_AT))
    return at if at > local else at + dt.timedelta(days=1)


def _waiting() -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=daily_job.module_path
    ).exists()


def ensure_scheduled(*, now: dt.datetime | None = None) -> bool:
    """Queue the next daily run unless one is waiting; ``True`` when one was queued.

    Several workers starting together may each queue one; the run claims its day
    (:func:`lindung.worker.lifecycle.claim_period`), so the copies after the first do nothing.
    """
    if not apps.is_installed("django_tasks_db") or _waiting():
        return False
    daily_job.using(run_after=next_run(now or timezone.now())).enqueue()
    return True


@task()
def daily_job() -> dict:
    from lindung.selfpay.daily import run_daily
    from lindung.worker.lifecycle import claim_period

    today = clock.today()
    if not claim_period("daily", today.isoformat()):
        # Another copy ran today, and it has queued the next night's run.
        return {"skipped": f"sudah dijalankan untuk {today:%d/%m/%Y}"}
    try:
        return run_daily(today=today)
    finally:
        # Queued even when the run failed, so one bad day does not stop the next ones.
        daily_job.using(run_after=next_run(timezone.now())).enqueue()
