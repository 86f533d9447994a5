"""Keeping the summary current in the background (django-tasks, database backend; run by
``lindung db_worker``).

The writers do not call this app: they send :data:`lindung.signals.records_changed` at
the end of a large write, and :func:`schedule_refresh` listens (connected in
``CoverageConfig.ready``), so that the first reader of a dashboard does not pay for the
write. The database triggers have already marked the villages concerned in the same
transaction; this only decides who recomputes them, and when.
"""

import logging
import time

from django.apps import apps
from django.db import transaction
from django_tasks import task

from lindung.coverage import formal_summary, summary

logger = logging.getLogger(__name__)


@task()
def refresh_summary() -> dict:
    started = time.perf_counter()
    villages = summary.refresh()
    # The employers' summary (an employers' import marks its villages): the same task.
    employer_villages = formal_summary.refresh()
    return {
        "villages": villages,
        "employer_villages": employer_villages,
        "seconds": round(time.perf_counter() - started, 3),
    }


def schedule_refresh(sender=None, **kwargs) -> bool:
    """Hand the summary's refresh to the background worker, once the current transaction
    commits, when a write left villages to recompute, so that no reader of a dashboard
    waits for it (a reader refreshes by itself only what is left). Nothing is queued when
    no village waits, nor when a refresh is queued and not yet started (it takes every
    village marked by the time it runs). Never raises: the write it follows is done, and
    the next reader refreshes anyway."""
    try:
        if not summary.pending() and not formal_summary.pending():
            return False
        transaction.on_commit(_enqueue_refresh)
    except Exception:  # noqa: BLE001 — the write is done; a reader refreshes later
        logger.exception("summary refresh not scheduled")
        return False
    return True


def _enqueue_refresh() -> None:
    try:
        if not _refresh_waiting(refresh_summary.module_path):
            refresh_summary.enqueue()
    except Exception:  # noqa: BLE001 — as above
        logger.exception("summary refresh not queued")


def _refresh_waiting(task_path: str) -> bool:
    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task_path)
    return waiting.exists()
