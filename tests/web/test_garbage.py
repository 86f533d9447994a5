"""Bad input never gives a 500: garbage to every form and API endpoint of the registry."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.accounts.services import issue_token
from lindung.people.services import register_worker
from tests.factories import worker_data

pytestmark = pytest.mark.django_db

FIELDS = [
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "village_code",
    "address",
    "phone",
    "occupation",
    "category",
    "declared_income",
    "segment",
    "data_source",
    "welfare_decile",
    "has_disability",
    "mother_maiden_name",
]
NASTY = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "5.10401E+15",
            "0" * 400,
            "'; DROP TABLE people_person; --",
            "<script>alert(1)</script>",
            "31/02/2020",
            "9999-99-99",
            "-1",
            "1e309",
            "NaN",
            "\x00",
            "51.04.01.2001.9",
            "☃" * 30,
        ]
    ),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | NASTY,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children)
    ),
    max_leaves=5,
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def target(operator):
    worker = register_worker(user=None, data=worker_data())
    client = Client()
    client.force_login(operator)
    return {"client": client, "worker": worker, "token": issue_token(operator)}


def assert_no_500(response):
    assert response.status_code < 500, response.content[:500]


@FUZZ
@given(form=st.dictionaries(st.sampled_from(FIELDS), NASTY))
def test_worker_forms(target, form):
    client, worker = target["client"], target["worker"]
    assert_no_500(client.post("/pekerja/baru/", form))
    assert_no_500(client.post(f"/pekerja/{worker.pk}/ubah/", form))


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["nik", "q", "village", "category", "page"]), NASTY))
def test_list_and_picker_queries(target, params):
    client = target["client"]
    assert_no_500(client.get("/pekerja/", params))
    assert_no_500(client.get("/wilayah/pilih/", {"selected": params.get("village", "")}))
    assert_no_500(client.get("/api/v1/workers", params, headers=_auth(target)))


@FUZZ
@given(payload=st.dictionaries(st.sampled_from([*FIELDS, "extra"]), JSON_VALUES))
def test_api_write_endpoints(target, payload):
    client, worker = target["client"], target["worker"]
    body = json.dumps(payload)
    for method, path in [("post", "/api/v1/workers"), ("patch", f"/api/v1/workers/{worker.pk}")]:
        response = getattr(client, method)(
            path, body, content_type="application/json", headers=_auth(target)
        )
        assert_no_500(response)


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"[]", b"null", b'"text"', b"\xff\xfe\x00", b'{"nik": {"$gt": ""}}', b"1" * 10000],
)
def test_api_malformed_bodies(target, body):
    client, worker = target["client"], target["worker"]
    created = client.post("/api/v1/workers", body, "application/json", headers=_auth(target))
    assert created.status_code in (400, 422)
    patched = client.patch(
        f"/api/v1/workers/{worker.pk}", body, "application/json", headers=_auth(target)
    )
    assert_no_500(patched)
    worker.refresh_from_db()
    assert worker.full_name == "I Made Sudarsana"  # nothing was changed by garbage


@pytest.mark.parametrize(
    "path",
    ["/api/v1/workers/abc", "/api/v1/workers/99999999999999999999", "/pekerja/0/", "/pekerja/x/"],
)
def test_odd_ids(target, path):
    response = target["client"].get(path, headers=_auth(target))
    assert response.status_code in (404, 422)


def test_login_form_garbage(client):
    for data in [{}, {"username": "\x00"}, {"username": "a" * 5000, "password": "b" * 5000}]:
        assert_no_500(client.post("/masuk/", data))


def _auth(target):
    return {"Authorization": f"Bearer {target['token']}"}
