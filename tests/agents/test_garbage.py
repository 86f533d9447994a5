"""Bad input to the agent endpoints and forms: a 4xx with a code, never a 500."""

import datetime as dt
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.accounts.services import issue_token
from lindung.programs.lifecycle import State
from tests.agents.conftest import make_enrollment
from tests.programs.conftest import BATUBULAN, make_person
from tests.web.test_garbage import JSON_VALUES, NASTY

pytestmark = pytest.mark.django_db
GARBAGE = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
AGENT_FIELDS = ["full_name", "regency_code", "organisation_id", "username", "villages", "code"]
CONTACT_FIELDS = ["outcome", "contacted_on", "reason", "note"]


@pytest.fixture
def item(gianyar, program):
    return make_enrollment(
        program, make_person(BATUBULAN), state=State.ENDED, coverage_end=dt.date(2026, 11, 30)
    )


@given(body=st.dictionaries(st.sampled_from(AGENT_FIELDS), JSON_VALUES, max_size=6))
@GARBAGE
def test_garbage_agents(regency_admin, body):
    client = Client(headers={"Authorization": f"Bearer {issue_token(regency_admin)}"})
    response = client.post("/api/v1/agents", json.dumps(body), content_type="application/json")
    assert 400 <= response.status_code < 500
    if response.status_code != 400:  # 400: the middleware's answer to a NUL character
        assert "code" in response.json() or "errors" in response.json()


@given(body=st.dictionaries(st.sampled_from(CONTACT_FIELDS), JSON_VALUES, max_size=4))
@GARBAGE
def test_garbage_contacts_api(gianyar, item, body):
    user = gianyar[1]["batubulan"].user
    client = Client(headers={"Authorization": f"Bearer {issue_token(user)}"})
    response = client.post(
        f"/api/v1/continuation/{item.pk}/contacts",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code in (201, 400, 422)


@given(params=st.dictionaries(st.sampled_from(["village", "agent", "program", "as_of"]), NASTY))
@GARBAGE
def test_garbage_work_list_filters(gianyar, params):
    client = Client()
    client.force_login(gianyar[1]["holding_coordinator"].user)
    assert client.get("/agen/daftar-kerja/", params).status_code in (200, 400, 404)
    assert client.get("/api/v1/continuation", params).status_code in (200, 400, 404, 422)


@given(form=st.dictionaries(st.sampled_from(CONTACT_FIELDS), NASTY, max_size=4))
@GARBAGE
def test_garbage_contact_form(gianyar, item, form):
    client = Client()
    client.force_login(gianyar[1]["batubulan"].user)
    assert client.post(f"/agen/daftar-kerja/{item.pk}/kontak/", form).status_code in (200, 302, 400)
