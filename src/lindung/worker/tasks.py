"""A probe job for drills: it waits, then records that it ran (once: a second run fails).

``docs/operations.md`` uses it to check several workers on one queue and a worker killed
mid-job, without touching the program's data.
"""

import time

from django.utils import timezone
from django_tasks import task

from lindung.worker.models import PeriodRun


@task()
def probe(name: str, seconds: float = 0) -> str:
    time.sleep(seconds)
    PeriodRun.objects.create(job="probe", period=name[:20], started_at=timezone.now())
    return name
