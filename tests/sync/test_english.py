"""The offline pages in English (needs the compiled catalogues: `make messages`)."""

import pytest
from django.test import Client

from tests.factories import worker_data
from tests.programs.test_english import english_pages
from tests.sync.conftest import client_for, record, send

pytestmark = pytest.mark.django_db


def test_offline_page_conflicts_and_devices_in_english(operator, regency_admin):
    send(client_for(operator), [record("worker.create", worker_data())])
    send(client_for(regency_admin), [record("worker.create", worker_data(phone="081200001111"))])
    from lindung.sync.models import Conflict

    conflict = Conflict.objects.get()
    offline, report, detail, devices = english_pages(
        Client(),
        regency_admin,
        "/sinkron/luring/",
        "/sinkron/konflik/",
        f"/sinkron/konflik/{conflict.pk}/",
        "/sinkron/perangkat/",
    )
    assert "Offline work" in offline and "Save on the phone" in offline and "Sync now" in offline
    assert '"online": "Online"' in offline  # the script's texts
    assert "Same NIK registered twice" in report and "Sync conflict report" in report
    assert "Keep the server data" in detail and "Apply the phone data" in detail
    assert "Revoke" in devices and "Offline devices" in devices
