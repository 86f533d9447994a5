"""The member list and the welfare file by API: the same services as the page and the
command, the row report in the answer, idempotent, regency staff only."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.people.models import Membership, Person
from tests.imports.files import to_csv
from tests.programs.conftest import make_person

pytestmark = pytest.mark.django_db


def post(client, kind, rows, **fields):
    data = {"file": SimpleUploadedFile(f"{kind}.csv", to_csv(rows), "text/csv"), **fields}
    return client.post(f"/api/v1/imports/{kind}", data)


def test_a_member_list_by_api_with_its_row_report(client, regency_admin):
    a = make_person()
    client.force_login(regency_admin)
    rows = [
        {"NIK": a.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF", "TANGGAL": ""},
        {"NIK": "5104011902850999", "NO_KPJ": "24100002", "STATUS": "AKTIF", "TANGGAL": ""},
    ]
    answer = post(client, "members", rows, as_of="20/11/2026")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["kind"], body["rows"], body["updated"], body["refused"]) == ("members", 2, 1, 1)
    assert body["as_of"] == "2026-11-20"
    assert [(p["row"], p["code"]) for p in body["problems"]] == [(3, "not_registered")]
    assert Membership.objects.get(person=a).kpj == "24100001"
    again = post(client, "members", rows, as_of="20/11/2026").json()
    assert (again["updated"], again["unchanged"]) == (0, 1)
    shown = client.get(f"/api/v1/imports/updates/{body['id']}")
    assert shown.status_code == 200 and shown.json()["refused"] == 1


def test_a_welfare_file_by_api(client, regency_admin):
    a = make_person()
    client.force_login(regency_admin)
    rows = [{"NIK": a.nik, "DESIL": "3"}, {"NIK": a.nik, "DESIL": "11"}]
    answer = post(client, "welfare", rows, as_of="20/11/2026")
    assert answer.status_code == 201, answer.content
    assert Person.objects.get(pk=a.pk).welfare_decile == 3
    assert [p["code"] for p in answer.json()["problems"]] == ["duplicate_in_file"]


def test_bad_requests_and_roles(client, regency_admin, operator):
    client.force_login(regency_admin)
    missing = client.post("/api/v1/imports/members", {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["code"] == "file_empty"
    future = post(client, "members", [{"NIK": "1", "NO_KPJ": "", "STATUS": "AKTIF"}], as_of="x")
    assert future.json()["errors"][0]["code"] == "as_of_invalid"
    later = (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    ahead = post(client, "welfare", [{"NIK": "1", "DESIL": "2"}], as_of=later)
    assert ahead.json()["errors"][0]["code"] == "as_of_future"
    client.force_login(operator)
    assert post(client, "welfare", [{"NIK": "1", "DESIL": "2"}]).status_code == 403
