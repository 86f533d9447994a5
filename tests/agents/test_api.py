"""``/api/v1/agents`` and ``/api/v1/continuation``: scope, attribution, errors as JSON codes."""

import datetime as dt

import pytest

from lindung.accounts.services import issue_token
from lindung.agents.models import Contact
from lindung.programs import clock
from lindung.programs.lifecycle import State
from lindung.programs.services import create_program
from tests.agents.conftest import CELUK, make_enrollment
from tests.factories import worker_data
from tests.programs.conftest import BATUBULAN, make_person, program_data

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 15)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: AS_OF)


@pytest.fixture
def api(client):
    def call(user, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {issue_token(user)}"} if user else {}
        return getattr(client, method)(
            f"/api/v1{path}", content_type="application/json", headers=headers, **kwargs
        )

    return call


@pytest.fixture
def ended(gianyar, program):
    def make(village, name):
        return make_enrollment(
            program,
            make_person(village, name=name),
            state=State.ENDED,
            coverage_end=dt.date(2026, 11, 30),
        )

    return make(BATUBULAN, "Ni Luh Sari"), make(CELUK, "I Wayan Celuk")


def test_agents_list_in_the_agents_scope(api, gianyar, regency_admin):
    orgs, agents = gianyar
    every = api(regency_admin, "get", "/agents").json()
    assert every["count"] == 5
    own = api(agents["batubulan"].user, "get", "/agents").json()
    assert [a["full_name"] for a in own["results"]] == ["Agen Batubulan"]
    assert own["results"][0]["villages"] == [BATUBULAN]
    assert api(agents["batubulan"].user, "get", f"/agents/{agents['celuk'].pk}").status_code == 404
    holding = api(agents["holding_coordinator"].user, "get", "/agents").json()
    assert {a["full_name"] for a in holding["results"]} == {
        "Agen Batubulan",
        "Agen Ketewel",
        "Koordinator Batubulan",
        "Koordinator Holding",
    }


def test_create_an_agent(api, gianyar, regency_admin, make_user):
    orgs, _ = gianyar
    make_user("agen.guwang", "agent", "51.04.01")
    response = api(
        regency_admin,
        "post",
        "/agents",
        data={
            "full_name": "Ketut Guwang",
            "regency_code": "51.04",
            "organisation_id": orgs["celuk"].pk,
            "username": "agen.guwang",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "agen.guwang"
    again = api(
        regency_admin,
        "post",
        "/agents",
        data={"full_name": "Lagi", "regency_code": "51.04", "username": "agen.guwang"},
    )
    assert (again.status_code, again.json()["code"]) == (409, "user_taken")


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"full_name": "X", "regency_code": "51.01"}, 403, "forbidden"),
        ({"full_name": "X", "regency_code": "51"}, 422, "not_a_regency"),
        ({"full_name": "", "regency_code": "51.04"}, 422, "name_required"),
        ({"full_name": "X", "regency_code": "51.04", "organisation_id": 2**62}, 404, None),
        ({"full_name": "X", "regency_code": "51.04", "is_coordinator": True}, 422, None),
        ({"full_name": "X"}, 422, None),
    ],
)
def test_bad_agents_are_refused_with_a_code(api, regency_admin, data, status, code):
    response = api(regency_admin, "post", "/agents", data=data)
    assert response.status_code == status
    body = response.json()
    found = body["errors"][0]["code"] if status == 422 else body.get("code")
    assert found == code or code is None


def test_an_agent_cannot_create_agents(api, gianyar):
    user = gianyar[1]["batubulan_coordinator"].user
    response = api(user, "post", "/agents", data={"full_name": "X", "regency_code": "51.04"})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_continuation_list_and_contacts(api, gianyar, ended):
    here, there = ended
    user = gianyar[1]["batubulan"].user
    body = api(user, "get", "/continuation").json()
    assert body["as_of"] == "2026-12-15"
    assert [r["full_name"] for r in body["results"]] == ["Ni Luh Sari"]
    row = body["results"][0]
    assert (row["section"], row["months_left"], row["continue_by"]) == ("ended", 4, "2027-03-31")
    assert row["nik"].endswith("****") or "*" in row["nik"]
    response = api(
        user,
        "post",
        f"/continuation/{here.pk}/contacts",
        data={"outcome": "will_continue", "contacted_on": "2026-12-14", "note": "Januari"},
    )
    assert response.status_code == 201, response.content
    assert Contact.objects.get().agent == gianyar[1]["batubulan"]
    response = api(user, "post", f"/continuation/{there.pk}/contacts", data={"outcome": "called"})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = api(user, "post", f"/continuation/{here.pk}/contacts", data={"outcome": "declined"})
    assert (response.status_code, response.json()["errors"][0]["code"]) == (422, "reason_required")


def test_continuation_filters(api, gianyar, ended, regency_admin, program):
    orgs, agents = gianyar
    body = api(regency_admin, "get", f"/continuation?village={CELUK}").json()
    assert [r["full_name"] for r in body["results"]] == ["I Wayan Celuk"]
    body = api(
        regency_admin, "get", f"/continuation?agent={agents['batubulan'].pk}&program={program.pk}"
    ).json()
    assert [r["full_name"] for r in body["results"]] == ["Ni Luh Sari"]
    body = api(regency_admin, "get", "/continuation?as_of=2026-06-01").json()
    assert body["count"] == 0
    assert api(regency_admin, "get", "/continuation?as_of=31/02/2026").status_code == 422
    user = agents["batubulan"].user
    assert api(user, "get", f"/continuation?agent={agents['celuk'].pk}").status_code == 404
    assert api(user, "get", f"/continuation?agent={2**70}").status_code in (404, 422)


def test_workers_api_shows_the_agent(api, gianyar):
    agent = gianyar[1]["batubulan"]
    created = api(agent.user, "post", "/workers", data=worker_data())
    assert created.status_code == 201
    assert (created.json()["agent_id"], created.json()["agent_name"]) == (
        agent.pk,
        "Agen Batubulan",
    )


def test_the_openapi_document_names_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/agents",
        "/api/v1/agents/{agent_id}",
        "/api/v1/continuation",
        "/api/v1/continuation/{enrollment_id}/contacts",
    ):
        assert path in paths


def test_a_proposal_through_the_api_remembers_the_agent(api, gianyar):
    agent = gianyar[1]["batubulan"]
    program = create_program(user=None, data=program_data(rounds="01/2027"))
    person = make_person(BATUBULAN)
    response = api(
        agent.user, "post", f"/programs/{program.pk}/enrollments", data={"nik": person.nik}
    )
    assert response.status_code == 201, response.content
    assert response.json()["agent_id"] == agent.pk
