"""Background refresh of the coverage summary (django-tasks, database backend; run by
``lindung db_worker``), queued by :func:`lindung.targets.services.schedule_refresh` after
large writes so that the first reader of a dashboard does not pay for them."""

import time

from django_tasks import task

from lindung.targets import summary


@task()
def refresh_summary() -> dict:
    started = time.perf_counter()
    villages = summary.refresh()
    return {"villages": villages, "seconds": round(time.perf_counter() - started, 3)}
