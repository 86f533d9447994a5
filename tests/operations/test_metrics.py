"""``/metrics``: Prometheus' text for requests, jobs and the queue, only for the monitor."""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from lindung.selfpay.tasks import ensure_scheduled

pytestmark = pytest.mark.django_db


def test_metrics_count_requests_jobs_and_the_queue():
    client = Client()
    client.get("/healthz")
    ensure_scheduled()  # a job for tonight: queued, not yet due
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert 'lindung_jobs{status="ready"} 1.0' in text
    assert "lindung_queue_length 0.0" in text
    assert DBTaskResult.objects.count() == 1


def test_metrics_answer_only_the_monitor(settings):
    assert Client(REMOTE_ADDR="10.0.0.9").get("/metrics").status_code == 404
    settings.LINDUNG_METRICS_TOKEN = "rahasia-pemantau"
    assert Client().get("/metrics").status_code == 404
    monitor = Client(headers={"Authorization": "Bearer rahasia-pemantau"}, REMOTE_ADDR="10.0.0.9")
    assert monitor.get("/metrics").status_code == 200


def test_every_answer_carries_a_request_id():
    client = Client()
    given = client.get("/healthz", headers={"X-Request-ID": "proxy-1234abcd"})
    assert given["X-Request-ID"] == "proxy-1234abcd"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "bad id <script>"
