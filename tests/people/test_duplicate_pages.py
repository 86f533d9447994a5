"""The review of possible duplicates: page and API, scope, access log, decisions."""

import datetime as dt
import json

import pytest

from lindung.accounts.services import issue_token
from lindung.people.models import Person, PossibleDuplicate
from lindung.people.services import register_worker
from lindung.privacy.models import AccessEntry
from tests.factories import TODAY, nik_for, worker_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(operator):
    born = dt.date(1985, 2, 19)
    for serial, name in ((1, "I Made Sudarta"), (2, "I Made Sudartha")):
        data = worker_data(
            nik=nik_for("51.04.01", born, "L", serial), full_name=name, phone=f"08120000000{serial}"
        )
        register_worker(user=operator, data=data, today=TODAY)
    return PossibleDuplicate.objects.get()


def call(client, user, method, path, body=None):
    body = {} if method == "get" else {"data": json.dumps(body or {})}
    return getattr(client, method)(
        f"/api/v1{path}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(user)}"},
        **body,
    )


def test_the_form_warns_and_saves(client, operator, pair):
    client.force_login(operator)
    data = worker_data(
        nik=nik_for("51.04.01", dt.date(1985, 2, 19), "L", 3), full_name="Made Sudarta",
        phone="081200000009",
    )  # fmt: skip
    page = client.post("/pekerja/baru/", data, follow=True).content.decode()
    assert Person.objects.count() == 3
    assert "Mungkin orang yang sama dengan I Made Sudart" in page


def test_regency_admin_reviews_side_by_side_with_the_access_log(client, regency_admin, pair):
    client.force_login(regency_admin)
    page = client.get("/pekerja/ganda/").content.decode()
    assert "I Made Sudarta" in page and "I Made Sudartha" in page
    detail = client.get(f"/pekerja/ganda/{pair.pk}/").content.decode()
    assert pair.person.nik in detail and pair.other.nik in detail  # the admin sees NIKs
    logged = AccessEntry.objects.filter(user=regency_admin).order_by("id")
    assert logged.count() == 2
    ids = logged.last().record_ids
    ids = ids.split(",") if isinstance(ids, str) else ids
    assert sorted(int(i) for i in ids if str(i).strip()) == sorted([pair.person_id, pair.other_id])

    answer = client.post(f"/pekerja/ganda/{pair.pk}/", {"decision": "dismiss", "note": "kembar"})
    assert answer.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "dismissed" and pair.note == "kembar"


def test_the_page_merges_and_says_why_not(client, regency_admin, pair):
    client.force_login(regency_admin)
    refused = client.post(f"/pekerja/ganda/{pair.pk}/", {"decision": "merge"}, follow=True)
    assert "Pilih data yang disimpan" in refused.content.decode()
    kept = pair.other_id
    client.post(f"/pekerja/ganda/{pair.pk}/", {"decision": "merge", "keep": str(kept)})
    assert list(Person.objects.values_list("pk", flat=True)) == [kept]


def test_operators_and_other_regencies_are_kept_out(client, operator, make_user, pair):
    client.force_login(operator)
    assert client.get("/pekerja/ganda/").status_code == 403
    badung = make_user("disnaker.badung", "regency_admin", "51.03")
    client.force_login(badung)
    assert client.get(f"/pekerja/ganda/{pair.pk}/").status_code == 404
    assert call(client, badung, "post", f"/workers/duplicates/{pair.pk}/dismiss").status_code == 404


def test_api_lists_and_decides(client, regency_admin, viewer, pair):
    listed = call(client, regency_admin, "get", "/workers/duplicates").json()
    assert listed["count"] == 1
    first = listed["results"][0]
    assert first["reason"] == "name" and first["person"]["full_name"] == "I Made Sudartha"
    assert first["other"]["nik"] == pair.other.nik
    assert call(client, viewer, "get", "/workers/duplicates").status_code == 403

    refused = call(client, regency_admin, "post", f"/workers/duplicates/{pair.pk}/merge")
    assert refused.status_code == 409 and refused.json()["code"] == "merge_keep_missing"
    merged = call(
        client, regency_admin, "post", f"/workers/duplicates/{pair.pk}/merge",
        {"keep": pair.person_id, "note": "sama"},
    )  # fmt: skip
    assert merged.status_code == 200
    body = merged.json()
    assert body["status"] == "merged" and body["other"] is None and body["other_label"]
    assert list(Person.objects.values_list("pk", flat=True)) == [pair.person_id]
    again = call(client, regency_admin, "post", f"/workers/duplicates/{pair.pk}/dismiss")
    assert again.status_code == 409 and again.json()["code"] == "duplicate_decided"


def test_api_registration_names_the_possible_duplicates(client, operator, pair):
    data = worker_data(
        nik=nik_for("51.04.01", dt.date(1985, 2, 19), "L", 3), full_name="Ni Luh Ayu", sex="L",
        phone="081200000001",
    )  # fmt: skip
    answer = call(client, operator, "post", "/workers", data)
    assert answer.status_code == 201
    assert [d["reason"] for d in answer.json()["possible_duplicates"]] == ["phone"]
