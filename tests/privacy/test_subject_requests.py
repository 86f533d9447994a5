"""Data-subject requests: a person's copy (JSON, PDF), a correction, an erasure; all recorded."""

import json

import pytest
from django.urls import reverse

from lindung.people.models import Person
from lindung.people.services import register_worker
from lindung.privacy.access import record_access
from lindung.privacy.models import AccessEntry, AccessKind, SubjectRequest
from lindung.programs import services as programs
from tests.factories import TODAY, worker_data
from tests.programs.conftest import program_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(operator):
    return register_worker(user=operator, data=worker_data(mother_maiden_name="Ni Luh Sari"))


@pytest.fixture
def admin(client, regency_admin):
    client.force_login(regency_admin)
    return regency_admin


def test_finding_a_person_by_nik_is_a_logged_search(client, admin, worker):
    page = client.get(reverse("privacy:subject"), {"nik": worker.nik})
    assert page.context["person"] == worker and page.context["plan"] == "delete"
    assert AccessEntry.objects.get().query == {"nik": worker.nik}
    outside = client.get(reverse("privacy:subject"), {"nik": "5101011902850003"})
    assert outside.context["person"] is None


def test_the_copy_holds_everything_and_is_recorded(client, admin, operator, worker):
    record_access(operator, AccessKind.VIEW, person=worker)
    client.force_login(operator)
    client.post(
        reverse("people:edit", args=[worker.pk]),
        worker_data(phone="081999888777", mother_maiden_name="Ni Luh Sari"),
    )
    client.force_login(admin)
    url = reverse("privacy:subject-copy", args=[worker.pk])
    response = client.post(url, {"reason": "Surat permohonan 01/12/2026", "format": "json"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["registry"]["nik"] == worker.nik
    assert data["registry"]["mother_maiden_name"] == "Ni Luh Sari"
    assert [r["type"] for r in data["history"]] == ["~", "+"]
    assert data["history"][0]["changes"][0]["new"] == "081999888777"
    # The operator's view, and this copy itself.
    assert [(e["user"], e["kind"]) for e in data["access_log"]] == [
        (operator.username, "view"),
        (admin.username, "export"),
    ]
    assert data["requests"][0]["reason"] == "Surat permohonan 01/12/2026"
    pdf = client.post(url, {"reason": "Salinan cetak", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert list(SubjectRequest.objects.values_list("kind", "made_by", "nik")) == [
        ("produce", admin.pk, worker.nik),
        ("produce", admin.pk, worker.nik),
    ]


def test_a_copy_needs_a_reason_and_a_handler(client, admin, viewer, worker):
    url = reverse("privacy:subject-copy", args=[worker.pk])
    assert client.post(url, {"reason": " ", "format": "json"}).status_code == 302
    assert not SubjectRequest.objects.exists()
    client.force_login(viewer)
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_out_of_region_is_404(client, admin, system_admin):
    other = register_worker(
        user=system_admin, data=worker_data(nik="5101011902850003", village_code="51.01.01.2001")
    )
    url = reverse("privacy:subject-copy", args=[other.pk])
    assert client.post(url, {"reason": "x", "format": "json"}).status_code == 404


def test_a_correction_changes_the_field_with_its_reason(client, admin, worker):
    url = reverse("privacy:subject-correct", args=[worker.pk])
    client.post(
        url, {"field": "full_name", "value": "I Made Sudarsana Putra", "reason": "KTP baru"}
    )
    worker.refresh_from_db()
    assert worker.full_name == "I Made Sudarsana Putra"
    last = worker.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (admin, "KTP baru")
    request = SubjectRequest.objects.get()
    assert (request.kind, request.reason) == ("correct", "KTP baru")
    assert request.details == {
        "field": "full_name",
        "old": "I Made Sudarsana",
        "new": "I Made Sudarsana Putra",
    }
    # A value the registry refuses is said, and nothing is recorded.
    client.post(url, {"field": "sex", "value": "X", "reason": "salah"})
    assert SubjectRequest.objects.count() == 1


def test_erasing_a_person_never_enrolled_deletes_them(client, admin, worker):
    record_access(admin, AccessKind.VIEW, person=worker)
    url = reverse("privacy:subject-erase", args=[worker.pk])
    client.post(url, {"reason": "Permintaan hapus", "confirm": "salah"})
    assert Person.objects.exists()  # not confirmed
    client.post(url, {"reason": "Permintaan hapus", "confirm": worker.nik})
    assert not Person.objects.exists()
    rows = Person.history.filter(id=worker.pk)
    assert rows.count() == 2  # created, deleted: who and when stay, the values do not
    assert set(rows.values_list("full_name", "nik", "mother_maiden_name", "phone")) == {
        ("", "", "", "")
    }
    request = SubjectRequest.objects.get()
    assert (request.kind, request.nik, request.details) == (
        "erase",
        worker.nik,
        {"done": "deleted"},
    )
    assert AccessEntry.objects.filter(person_id=worker.pk).count() == 1  # the log stays


def test_erasing_an_enrolled_person_keeps_what_billing_needs(client, admin, worker):
    program = programs.create_program(user=admin, data=program_data())
    enrollment = programs.propose(user=admin, program=program, person=worker, today=TODAY)
    client.post(
        reverse("privacy:subject-erase", args=[worker.pk]),
        {"reason": "Permintaan hapus", "confirm": worker.nik},
    )
    worker.refresh_from_db()
    assert (worker.nik, worker.full_name, worker.declared_income) == (
        "5104011902850001",
        "I Made Sudarsana",
        1_000_000,
    )
    assert (worker.mother_maiden_name, worker.phone, worker.address) == ("", "", "")
    assert enrollment.__class__.objects.filter(pk=enrollment.pk).exists()
    assert set(worker.history.values_list("mother_maiden_name", "phone", "address")) == {
        ("", "", "")
    }
    assert SubjectRequest.objects.get().details["done"] == "anonymised"
