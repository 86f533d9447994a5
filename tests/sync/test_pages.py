"""The pages of offline work: the installable app (manifest, service worker, icons), the
offline forms and their data, the conflict report (field by field, masked as the registry
masks) with its decisions, and the device registry."""

import datetime as dt
import json

import pytest
from django.test import Client

from lindung.people.models import Person
from lindung.sync import services
from lindung.sync.models import Conflict, Device
from tests.factories import nik_for, worker_data
from tests.programs.conftest import NEGARA_JEMBRANA
from tests.sync.conftest import client_for, record, send

pytestmark = pytest.mark.django_db


def test_every_page_links_the_manifest_and_shows_the_indicator(operator):
    for client, url in ((Client(), "/masuk/"), (client_for(operator), "/pekerja/")):
        page = client.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
        assert 'id="net-status"' in page and "data-net-pending" in page
        assert "/static/lindung/sync/offline.js" in page


def test_the_manifest_and_the_service_worker_come_from_the_root():
    manifest = Client().get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["display"] == "standalone" and body["start_url"] == "/sinkron/luring/"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    worker = Client().get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    code = worker.content.decode()
    shell = json.loads(code.split("var LINDUNG_SHELL = ", 1)[1].split(";\n", 1)[0])
    assert shell[0] == "/sinkron/luring/" and "/static/lindung/sync/offline.js" in shell
    assert 'addEventListener("fetch"' in code


def test_the_icons_are_the_png_files_the_script_draws():
    from django.contrib.staticfiles import finders

    from scripts.make_icons import png

    for size in (192, 512):
        path = finders.find(f"lindung/sync/icon-{size}.png")
        with open(path, "rb") as kept:
            assert kept.read() == png(size)


def test_the_offline_page_and_its_data_are_the_user_scope_only(operator, viewer):
    client = client_for(operator)
    page = client.get("/sinkron/luring/").content.decode()
    assert 'data-kind="worker.create"' in page and 'id="offline-texts"' in page
    data = client.get("/api/v1/sync/offline-data").json()
    assert [v["code"] for v in data["villages"]] == ["51.04.01.2001"]
    assert {c["code"] for c in data["categories"]} >= {"pekerja_rentan"}
    # The workers it may edit offline, with the version a change names, and no NIK.
    send(client, [record("worker.create", worker_data())])
    person = Person.objects.get()
    (copy,) = client.get("/api/v1/sync/offline-data").json()["workers"]
    assert copy["id"] == person.pk and copy["version"] == services.worker_version(person)
    assert "nik" not in copy and "birth_date" not in copy
    assert client_for(viewer).get("/sinkron/luring/").status_code == 403
    assert client_for(viewer).get("/api/v1/sync/offline-data").status_code == 403


@pytest.fixture
def conflict(operator, regency_admin):
    nik = nik_for("51.04.01", dt.date(1985, 2, 19), "L", 1)
    send(client_for(operator), [record("worker.create", worker_data(nik=nik))])
    second = record("worker.create", worker_data(nik=nik, phone="081200001111"))
    send(client_for(regency_admin), [second])
    return Conflict.objects.get()


def test_the_conflict_report_shows_both_versions_field_by_field(regency_admin, agent, conflict):
    client = client_for(regency_admin)
    listing = client.get("/sinkron/konflik/").content.decode()
    assert "NIK sama didaftarkan dua kali" in listing and "I Made Sudarsana" in listing
    page = client.get(f"/sinkron/konflik/{conflict.pk}/").content.decode()
    assert "081234567890" in page and "081200001111" in page
    assert 'class="differs"' in page and "op.batubulan" in page
    # The agent did not send it: not its conflict.
    assert client_for(agent).get(f"/sinkron/konflik/{conflict.pk}/").status_code == 404


def test_the_agent_sees_its_conflict_with_the_nik_masked(agent, operator):
    nik = nik_for("51.04.01", dt.date(1985, 2, 19), "L", 1)
    send(client_for(operator), [record("worker.create", worker_data(nik=nik))])
    send(client_for(agent), [record("worker.create", worker_data(nik=nik, phone="081200001111"))])
    conflict = Conflict.objects.get()
    page = client_for(agent).get(f"/sinkron/konflik/{conflict.pk}/").content.decode()
    assert nik not in page and "19/02/1985" not in page


def test_a_decision_on_the_page_goes_through_the_registry(regency_admin, conflict):
    client = client_for(regency_admin)
    answer = client.post(
        f"/sinkron/konflik/{conflict.pk}/", {"action": "apply_phone", "note": "cek KK"}
    )
    assert answer.status_code == 302
    assert Person.objects.get().phone == "081200001111"
    conflict.refresh_from_db()
    assert conflict.resolution == "applied_phone" and conflict.resolved_by == regency_admin
    history = conflict.history.latest()
    assert history.history_user == regency_admin and history.history_via == "page"
    page = client.get(f"/sinkron/konflik/{conflict.pk}/").content.decode()
    assert "Data ponsel diterapkan" in page and "cek KK" in page
    assert 'id="resolve-form"' not in page


def test_the_regency_admin_revokes_a_lost_phone(operator, regency_admin, make_user):
    send(client_for(operator), [])
    device = Device.objects.get()
    other = make_user("op.jembrana", "village_operator", NEGARA_JEMBRANA)
    assert client_for(other).post(f"/sinkron/perangkat/{device.pk}/cabut/").status_code == 404
    admin = client_for(regency_admin)
    assert "op.batubulan" in admin.get("/sinkron/perangkat/").content.decode()
    assert admin.post(f"/sinkron/perangkat/{device.pk}/cabut/").status_code == 302
    device.refresh_from_db()
    assert device.revoked and device.revoked_by == regency_admin
    assert device.history.latest().revoked_at is not None
    refused = send(client_for(operator), [record("worker.create", worker_data())]).json()
    assert refused["answers"][0]["code"] == "device_revoked"
