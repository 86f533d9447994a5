"""The programs API: create, read, quota, propose (201 or 409 with a code), transitions."""

import pytest

from lindung.accounts.services import issue_token
from lindung.programs import clock
from lindung.programs.models import Enrollment
from tests.factories import TODAY
from tests.programs.conftest import KETEWEL, make_person, program_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def api(client):
    def call(user, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {issue_token(user)}"} if user else {}
        return getattr(client, method)(
            f"/api/v1{path}", content_type="application/json", headers=headers, **kwargs
        )

    return call


def test_create_and_read_a_program(api, regency_admin):
    data = program_data()
    data["eligible_categories"] = ["pekerja_rentan", "Petugas parkir"]
    created = api(regency_admin, "post", "/programs", data=data)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["funding_code"] == "SG" and body["benefits"] == ["JKK", "JKM"]
    assert [r["start_month"] for r in body["rounds"]] == ["2027-01", "2027-07"]
    assert body["rounds"][0]["end_month"] == "2027-06"
    assert body["eligible_categories"] == ["pekerja_rentan", "petugas_parkir"]
    assert body["totals"]["villages"] == 64 and body["totals"]["places"] == 12_800
    got = api(regency_admin, "get", f"/programs/{body['id']}")
    assert got.status_code == 200 and got.json()["budget"] == 1_290_240_000


def test_program_errors_are_422_with_codes(api, regency_admin):
    data = program_data(budget="satu miliar", rounds="13/2027", area_code="51.01")
    response = api(regency_admin, "post", "/programs", data=data)
    assert response.status_code == 422
    codes = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert codes == {
        ("budget", "budget_invalid"),
        ("rounds", "round_invalid"),
        ("area_code", "area_out_of_scope"),
    }


def test_operators_and_viewers_cannot_create_programs(api, operator, viewer):
    for user in (operator, viewer):
        assert api(user, "post", "/programs", data=program_data()).status_code == 403


def test_propose_201_then_409_with_code(api, operator, program, regency_admin):
    person = make_person()
    response = api(
        operator, "post", f"/programs/{program.pk}/enrollments", data={"nik": person.nik}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "proposed" and body["round"] == 1
    assert body["committed_premium"] == 100_800
    assert body["transitions"][0]["by"] == operator.username
    again = api(operator, "post", f"/programs/{program.pk}/enrollments", data={"nik": person.nik})
    assert again.status_code == 409
    assert again.json() == {
        "code": "already_covered",
        "message": again.json()["message"],
    } and again.json()["message"].startswith("Pekerja ini sudah")


def test_propose_quota_full_is_409(api, operator, program, regency_admin):
    api(regency_admin, "get", "/programs")  # a token for the admin too
    from lindung.programs.services import set_village_quota

    set_village_quota(user=regency_admin, program=program, village_code="51.04.01.2001", quota=0)
    person = make_person()
    response = api(
        operator, "post", f"/programs/{program.pk}/enrollments", data={"nik": person.nik}
    )
    assert response.status_code == 409 and response.json()["code"] == "quota_full"


def test_propose_unknown_or_foreign_nik_is_422(api, operator, program):
    foreign = make_person(KETEWEL)
    for nik in (foreign.nik, "5104011902850999", "123"):
        response = api(operator, "post", f"/programs/{program.pk}/enrollments", data={"nik": nik})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "nik"


def test_quota_per_village(api, operator, regency_admin, program):
    api(operator, "post", f"/programs/{program.pk}/enrollments", data={"nik": make_person().nik})
    mine = api(operator, "get", f"/programs/{program.pk}/quota").json()
    assert [(q["village_code"], q["quota"], q["used"]) for q in mine] == [("51.04.01.2001", 200, 1)]
    assert mine[0]["rounds"][0] == {"round": 1, "start_month": "2027-01", "quota": 100, "used": 1}
    everything = api(regency_admin, "get", f"/programs/{program.pk}/quota").json()
    assert len(everything) == 64


def test_transitions(api, operator, regency_admin, program):
    person = make_person()
    enrollment_id = api(
        operator, "post", f"/programs/{program.pk}/enrollments", data={"nik": person.nik}
    ).json()["id"]
    assert api(operator, "post", f"/enrollments/{enrollment_id}/verify").status_code == 403
    verified = api(regency_admin, "post", f"/enrollments/{enrollment_id}/verify")
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
    again = api(regency_admin, "post", f"/enrollments/{enrollment_id}/verify")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    no_reason = api(regency_admin, "post", f"/enrollments/{enrollment_id}/reject", data={})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["code"] == "reason_required"
    withdrawn = api(
        operator,
        "post",
        f"/enrollments/{enrollment_id}/withdraw",
        data={"reason": "Pindah ke luar desa"},
    )
    assert withdrawn.status_code == 200
    assert [t["to_state"] for t in withdrawn.json()["transitions"]] == [
        "proposed",
        "verified",
        "withdrawn",
    ]
    assert Enrollment.objects.get(pk=enrollment_id).state == "withdrawn"


def test_out_of_scope_is_404(api, program, make_user):
    jembrana = make_user("disnaker.jembrana", "regency_admin", "51.01")
    assert api(jembrana, "get", f"/programs/{program.pk}").status_code == 404
    enrollment = api(jembrana, "post", f"/programs/{program.pk}/enrollments", data={"nik": "1"})
    assert enrollment.status_code == 404


def test_openapi_lists_the_paths(api, regency_admin):
    schema = api(regency_admin, "get", "/openapi.json").json()
    for path in (
        "/api/v1/programs",
        "/api/v1/programs/{program_id}",
        "/api/v1/programs/{program_id}/enrollments",
        "/api/v1/programs/{program_id}/quota",
        "/api/v1/enrollments/{enrollment_id}/verify",
        "/api/v1/enrollments/{enrollment_id}/reject",
        "/api/v1/enrollments/{enrollment_id}/withdraw",
    ):
        assert path in schema["paths"], path


def test_a_submission_batch_through_the_api(api, regency_admin, operator, program):
    """Verified enrollments become a batch, as on the page."""
    from lindung.programs import services

    people = [make_person(), make_person()]
    for person in people:
        services.propose(user=None, program=program, person=person, today=TODAY)
    Enrollment.objects.update(state="verified")
    refused = api(operator, "post", f"/programs/{program.pk}/batches", data={})
    assert refused.status_code == 403
    made = api(regency_admin, "post", f"/programs/{program.pk}/batches", data={"note": "uji"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["number"], body["entries"], body["note"]) == (1, 2, "uji")
    again = api(regency_admin, "post", f"/programs/{program.pk}/batches", data={"round": 1})
    assert again.status_code == 409 and again.json()["code"] == "nothing_to_submit"
