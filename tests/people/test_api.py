import pytest

from lindung.accounts.services import issue_token
from lindung.people.models import Person
from lindung.people.services import register_worker
from tests.factories import nik_for, worker_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def call(user, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {issue_token(user)}"} if user else {}
        return getattr(client, method)(
            f"/api/v1{path}", content_type="application/json", headers=headers, **kwargs
        )

    return call


def test_requests_without_a_token_are_401(api):
    response = api(None, "get", "/workers")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_wrong_token_is_401(client):
    response = client.get("/api/v1/workers", headers={"Authorization": "Bearer lnd_salah"})
    assert response.status_code == 401


def test_create_get_patch_delete(api, operator):
    created = api(operator, "post", "/workers", data=worker_data())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["nik"] == "5104011902850001"
    assert body["village_code"] == "51.04.01.2001"
    assert body["declared_income"] == 1_000_000
    worker_id = body["id"]

    assert api(operator, "get", f"/workers/{worker_id}").json()["full_name"] == "I Made Sudarsana"
    patched = api(operator, "patch", f"/workers/{worker_id}", data={"phone": "081999888777"})
    assert patched.status_code == 200
    assert patched.json()["phone"] == "081999888777"
    assert api(operator, "delete", f"/workers/{worker_id}").status_code == 204
    assert not Person.objects.exists()


def test_invalid_worker_is_422_with_codes(api, operator):
    response = api(operator, "post", "/workers", data=worker_data(sex="P", category="xyz"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["code"] for e in errors} == {"sex_mismatch", "category_unknown"}
    assert all(e["message"] and e["field"] for e in errors)


def test_duplicate_nik_is_422_exists(api, operator):
    api(operator, "post", "/workers", data=worker_data())
    response = api(operator, "post", "/workers", data=worker_data())
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "exists"


def test_list_is_scoped_filtered_and_paginated(api, operator, regency_admin):
    mine = register_worker(user=None, data=worker_data())
    other = register_worker(
        user=None,
        data=worker_data(
            nik=nik_for("51.04.01", mine.birth_date, "L", 2), village_code="51.04.01.2002"
        ),
    )
    listed = api(operator, "get", "/workers").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == mine.pk
    assert api(regency_admin, "get", "/workers?village=51.04.01.2002").json()["count"] == 1
    assert api(regency_admin, "get", f"/workers?nik={other.nik}").json()["count"] == 1
    assert api(regency_admin, "get", "/workers?q=sudarsana&page_size=1").json()["count"] == 2
    page2 = api(regency_admin, "get", "/workers?page=2&page_size=1").json()
    assert page2["page"] == 2 and len(page2["results"]) == 1
    # Another village's worker does not exist for the operator.
    assert api(operator, "get", f"/workers/{other.pk}").status_code == 404
    assert api(operator, "patch", f"/workers/{other.pk}", data={"phone": ""}).status_code == 404
    assert api(operator, "delete", f"/workers/{other.pk}").status_code == 404


def test_nik_is_masked_for_roles_that_do_not_need_it(api, viewer):
    register_worker(user=None, data=worker_data())
    assert api(viewer, "get", "/workers").json()["results"][0]["nik"] == "510401******0001"


def test_viewer_cannot_write(api, viewer):
    response = api(viewer, "post", "/workers", data=worker_data())
    assert response.status_code == 403


def test_openapi_document_and_healthz(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/workers" in spec["paths"]
    assert "/api/v1/workers/{worker_id}" in spec["paths"]
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["database"] in ("sqlite", "postgresql")
    assert health["version"]
