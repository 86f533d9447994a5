"""``/metrics`` in Prometheus' text format: requests (django-prometheus), jobs and the queue.

Request counts and latencies come from django-prometheus' middleware. The jobs are read
from the task table at each scrape, so every web process answers the same figures. With
several server processes (``lindung serve --workers N``), prometheus_client's multiprocess
mode adds up the processes' request counters (``PROMETHEUS_MULTIPROC_DIR``, set by
``lindung serve``).

The page is for the monitoring system, not for people: it answers only the loopback
address, or a request carrying ``Authorization: Bearer <LINDUNG_METRICS_TOKEN>``; anyone
else gets a 404, as if it did not exist.
"""

import hmac
import os

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

LOOPBACK = {"127.0.0.1", "::1"}


class JobsCollector:
    """Background jobs by status, the queue's length and how long its oldest job waits."""

    def collect(self):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        by_status = dict(
            DBTaskResult.objects.values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        jobs = GaugeMetricFamily(
            "lindung_jobs", "Pekerjaan latar menurut status.", labels=["status"]
        )
        for status in TaskResultStatus:
            jobs.add_metric([status.value.lower()], by_status.get(status.value, 0))
        yield jobs
        waiting = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min("enqueued_at"))
        yield GaugeMetricFamily(
            "lindung_queue_length",
            "Pekerjaan yang siap dijalankan dan menunggu.",
            value=waiting["n"],
        )
        age = (now - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0
        yield GaugeMetricFamily(
            "lindung_queue_oldest_wait_seconds", "Lama pekerjaan tertua menunggu.", value=age
        )


def _allowed(request) -> bool:
    token = getattr(settings, "LINDUNG_METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return request.META.get("REMOTE_ADDR") in LOOPBACK


@require_GET
def metrics(request):
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests_registry = CollectorRegistry()
        MultiProcessCollector(requests_registry)
    else:
        requests_registry = REGISTRY
    jobs_registry = CollectorRegistry(auto_describe=True)
    jobs_registry.register(JobsCollector())
    body = generate_latest(requests_registry) + generate_latest(jobs_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
