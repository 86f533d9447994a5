"""The access log: every full view, NIK search and export leaves its entry; scoped reads."""

import datetime as dt
import json

import fastexcel
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from lindung.accounts.services import issue_token
from lindung.people.services import register_worker
from lindung.privacy.access import archive, record_access
from lindung.privacy.models import AccessEntry, AccessKind, ArchivedAccessEntry
from tests.factories import worker_data

pytestmark = pytest.mark.django_db
JEMBRANA_NIK, JEMBRANA_VILLAGE = "5101011902850003", "51.01.01.2001"


@pytest.fixture
def worker(operator):
    return register_worker(user=operator, data=worker_data())


@pytest.fixture
def jembrana_worker(system_admin):
    data = worker_data(nik=JEMBRANA_NIK, village_code=JEMBRANA_VILLAGE)
    return register_worker(user=system_admin, data=data)


def _bearer(user):
    return {"Authorization": f"Bearer {issue_token(user)}"}


def test_a_full_view_on_the_page_leaves_an_entry(client, operator, worker):
    client.force_login(operator)
    assert client.get(reverse("people:detail", args=[worker.pk])).status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.username, entry.kind) == (operator, operator.username, "view")
    assert (entry.person_id, entry.count, entry.region_code) == (worker.pk, 1, worker.village_id)
    assert entry.operation == f"GET /pekerja/{worker.pk}/"
    assert entry.address == "127.0.0.1"


def test_a_full_view_through_the_api_leaves_an_entry(client, operator, worker):
    response = client.get(f"/api/v1/workers/{worker.pk}", headers=_bearer(operator))
    assert response.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.kind, entry.person_id) == (operator, "view", worker.pk)
    assert entry.operation == f"GET /api/v1/workers/{worker.pk}"


def test_a_nik_search_leaves_the_query_count_and_ids(client, operator, worker):
    client.force_login(operator)
    client.get(reverse("people:list"), {"nik": "510401"})
    client.get("/api/v1/workers", {"nik": "9999"}, headers=_bearer(operator))
    page, api = AccessEntry.objects.order_by("id")
    assert (page.kind, page.query, page.count, page.ids) == (
        "search",
        {"nik": "510401"},
        1,
        [worker.pk],
    )
    assert (api.kind, api.query, api.count, api.ids) == ("search", {"nik": "9999"}, 0, [])
    client.get(reverse("people:list"), {"q": "Made"})  # a name search is not logged
    assert AccessEntry.objects.count() == 2


def test_a_search_matching_more_than_the_listed_ids_logs_the_pages_count(
    client, operator, worker, monkeypatch
):
    """Past LISTED_IDS matches the entry holds the query and the count the page's paginator
    took, without the ids and without reading the matches again."""
    from lindung.privacy import access

    register_worker(user=operator, data=worker_data(nik="5104011902850002"))
    monkeypatch.setattr(access, "LISTED_IDS", 1)
    client.force_login(operator)
    client.get(reverse("people:list"), {"nik": "510401"})
    client.get("/api/v1/workers", {"nik": "510401"}, headers=_bearer(operator))
    assert AccessEntry.objects.count() == 2
    for entry in AccessEntry.objects.order_by("id"):
        assert (entry.kind, entry.query, entry.count, entry.ids) == (
            "search",
            {"nik": "510401"},
            2,
            [],
        )


def test_exports_page_and_command_leave_query_and_count(client, regency_admin, worker, tmp_path):
    client.force_login(regency_admin)
    response = client.get(
        reverse("exports:workers"), {"format": "xlsx", "category": "pekerja_rentan"}
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    csv = client.get(reverse("exports:workers"), {"format": "csv", "region": "51.04.01"})
    b"".join(csv.streaming_content)
    call_command("export", "workers", str(tmp_path / "a.csv"), "--user", regency_admin.username)
    xlsx, stream, command = AccessEntry.objects.order_by("id")
    assert (xlsx.kind, xlsx.query, xlsx.count) == ("export", {"category": "pekerja_rentan"}, 1)
    assert xlsx.region_code == "51.04"  # the admin's region: what the list could span
    assert (stream.query, stream.count, stream.region_code) == (
        {"region": "51.04.01"},
        1,
        "51.04.01",
    )
    assert (command.user, command.operation) == (regency_admin, "lindung export workers a.csv")
    assert (command.query, command.count, command.address) == ({"all": True}, 1, None)


def test_an_import_report_download_is_logged(client, operator, write_file):
    from tests.imports.files import row, to_csv

    call_command("import", "workers", str(write_file(to_csv([row(1)]))), "--user",
                 operator.username, "--json")  # fmt: skip
    from lindung.imports.models import ImportJob

    job = ImportJob.objects.get()
    client.force_login(operator)
    assert client.get(reverse("imports:report", args=[job.pk, "csv"])).status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.kind, entry.query, entry.count) == (
        "export",
        {"import_job": job.pk, "format": "csv"},
        1,
    )


def test_the_regency_admin_reads_its_region_only(client, regency_admin, system_admin, viewer,
                                                 worker, jembrana_worker):  # fmt: skip
    record_access(regency_admin, AccessKind.VIEW, person=worker)
    record_access(system_admin, AccessKind.VIEW, person=jembrana_worker)
    record_access(system_admin, AccessKind.EXPORT, query={"all": True}, count=2)  # the country
    client.force_login(regency_admin)
    page = client.get(reverse("privacy:access-log"))
    assert page.status_code == 200
    assert [e.person_id for e in page.context["page"].object_list] == [None, worker.pk]
    api = client.get("/api/v1/access-log", headers=_bearer(regency_admin)).json()
    assert [r["worker"] for r in api["results"]] == [None, worker.pk]
    # A filter on a worker of another regency finds nothing, rather than its entries.
    outside = client.get("/api/v1/access-log", {"worker": jembrana_worker.pk},
                         headers=_bearer(regency_admin))  # fmt: skip
    assert outside.json()["count"] == 0
    everything = client.get("/api/v1/access-log", headers=_bearer(system_admin)).json()
    assert everything["count"] == 3
    assert client.get("/api/v1/access-log", headers=_bearer(viewer)).status_code == 403
    client.force_login(viewer)
    assert client.get(reverse("privacy:access-log")).status_code == 403


def test_the_api_filters_by_worker_user_and_dates(client, regency_admin, operator, worker):
    record_access(operator, AccessKind.VIEW, person=worker)
    record_access(regency_admin, AccessKind.SEARCH, people=[worker.pk], query={"nik": "5104"})
    entries = AccessEntry.objects.order_by("id")
    assert [e.kind for e in entries] == ["view", "search"]

    def get(**params):
        response = client.get("/api/v1/access-log", params, headers=_bearer(regency_admin))
        assert response.status_code == 200, response.content
        return [r["kind"] for r in response.json()["results"]]

    assert get(worker=worker.pk) == ["search", "view"]  # the list that named it too
    assert get(user=operator.username) == ["view"]
    today = timezone.localdate()
    assert get(**{"from": today.isoformat(), "to": today.isoformat()}) == ["search", "view"]
    assert get(to=(today - dt.timedelta(days=1)).isoformat()) == []
    assert client.get("/api/v1/access-log", {"from": "kemarin"},
                      headers=_bearer(regency_admin)).status_code == 422  # fmt: skip


def test_the_log_is_exportable_as_xlsx(client, regency_admin, worker):
    record_access(regency_admin, AccessKind.VIEW, person=worker)
    client.force_login(regency_admin)
    response = client.get(reverse("privacy:access-log"), {"format": "xlsx"})
    sheet = fastexcel.read_excel(b"".join(response.streaming_content)).load_sheet("Log akses")
    frame = sheet.to_polars()
    assert frame.get_column("pengguna").to_list() == [regency_admin.username]
    assert frame.get_column("pekerja").to_list() == [worker.pk]


def test_the_admin_cannot_change_or_delete_entries(admin_client, operator, worker):
    entry = record_access(operator, AccessKind.VIEW, person=worker)
    url = reverse("admin:privacy_accessentry_change", args=[entry.pk])
    assert admin_client.post(url, {"username": "x"}).status_code == 403
    delete = reverse("admin:privacy_accessentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessEntry.objects.get().username == operator.username


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_updates_and_deletes(operator, worker):
    record_access(operator, AccessKind.VIEW, person=worker)
    for change in (lambda: AccessEntry.objects.update(username="x"),
                   lambda: AccessEntry.objects.all().delete()):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert AccessEntry.objects.get().username == operator.username


def test_archive_moves_old_entries_once(operator, worker, settings, capsys):
    settings.LINDUNG_ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    old = AccessEntry.objects.create(
        at=now - dt.timedelta(days=31),
        username="lama",
        kind="view",
        operation="GET /",
        person_id=worker.pk,
    )
    record_access(operator, AccessKind.VIEW, person=worker)
    call_command("privacy", "archive")
    assert "1 entri" in capsys.readouterr().out
    assert list(AccessEntry.objects.values_list("username", flat=True)) == [operator.username]
    kept = ArchivedAccessEntry.objects.get()
    assert (kept.pk, kept.username, kept.person_id) == (old.pk, "lama", worker.pk)
    assert archive(now=now) == 0  # again: nothing left to move, nothing doubled
    assert ArchivedAccessEntry.objects.count() == 1


def test_the_worker_history_api_is_scoped(client, operator, regency_admin, worker, jembrana_worker):
    client.patch(f"/api/v1/workers/{worker.pk}", data={"phone": "081999888777"},
                 content_type="application/json", headers=_bearer(operator))  # fmt: skip
    response = client.get(f"/api/v1/workers/{worker.pk}/history", headers=_bearer(regency_admin))
    assert response.status_code == 200
    newest, created = response.json()
    assert (newest["type"], newest["user"], newest["via"]) == ("~", operator.username, "API")
    change = {"field": "nomor HP", "old": "081234567890", "new": "081999888777"}
    assert newest["changes"] == [change]
    assert created["type"] == "+"
    assert AccessEntry.objects.filter(kind="view", person_id=worker.pk).exists()
    other = client.get(
        f"/api/v1/workers/{jembrana_worker.pk}/history", headers=_bearer(regency_admin)
    )
    assert other.status_code == 404


def test_riwayat_tabs(client, operator, regency_admin, worker, jembrana_worker):
    client.force_login(operator)
    client.post(reverse("people:edit", args=[worker.pk]), worker_data(address="Banjar Kelod"))
    client.force_login(regency_admin)
    page = client.get(reverse("people:detail", args=[worker.pk]))
    assert reverse("privacy:history", args=["pekerja", worker.pk]) in page.content.decode()
    tab = client.get(reverse("privacy:history", args=["pekerja", worker.pk]))
    text = tab.content.decode()
    assert "Banjar Kaja → Banjar Kelod" in text and operator.username in text
    assert (
        client.get(reverse("privacy:history", args=["pekerja", jembrana_worker.pk])).status_code
        == 404
    )
    assert client.get("/privasi/riwayat/lain/1/").status_code == 404


def test_the_access_log_is_in_the_openapi_document(client):
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    parameters = {p["name"] for p in paths["/api/v1/access-log"]["get"]["parameters"]}
    assert {"worker", "user", "from", "to"} <= parameters
    assert "/api/v1/workers/{worker_id}/history" in paths


def test_a_nik_search_among_proposal_candidates_is_logged(client, operator, worker):
    from lindung.programs.services import create_program
    from tests.programs.conftest import program_data

    program = create_program(user=None, data=program_data())
    client.force_login(operator)
    page = client.get(f"/program/{program.pk}/usulan/", {"q": worker.nik[:8]})
    assert page.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.kind, entry.query, entry.ids) == ("search", {"nik": worker.nik[:8]}, [worker.pk])
    client.get(f"/program/{program.pk}/usulan/", {"q": "Made"})
    assert AccessEntry.objects.count() == 1


def test_riwayat_of_a_program_an_enrollment_and_a_bill(client, regency_admin, make_user, worker):
    import datetime as dt

    from lindung.billing.models import Bill
    from lindung.billing.services import run_billing
    from lindung.programs.services import create_program
    from tests.billing.conftest import activate, program_data, sponsor

    program = create_program(user=regency_admin, data=program_data(year=2024, rounds="01/2024"))
    enrollment = sponsor(program, [worker])[0]
    activate([enrollment], dt.date(2024, 1, 1))
    run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=dt.date(2024, 2, 1))
    bill = Bill.objects.get()
    client.force_login(regency_admin)
    for kind, pk, seen in (
        ("program", program.pk, regency_admin.username),
        ("kepesertaan", enrollment.pk, "Aktif"),
        ("tagihan", bill.pk, "Jumlah tagihan"),
    ):
        page = client.get(reverse("privacy:history", args=[kind, pk]))
        assert page.status_code == 200 and seen.lower() in page.content.decode().lower(), kind
    jembrana = make_user("disnaker.jembrana", "regency_admin", "51.01")
    client.force_login(jembrana)
    assert client.get(reverse("privacy:history", args=["tagihan", bill.pk])).status_code == 404
