"""``/api/v1/employers``: create, read, patch, actions and the work list; scope; errors."""

import pytest

from lindung.accounts.services import issue_token
from lindung.employers.models import Employer
from tests.employers.conftest import BATUBULAN, JEMBRANA, make_employer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, clock_today):
    def call(user, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {issue_token(user)}"}
        return getattr(client, method)(
            f"/api/v1{path}", content_type="application/json", headers=headers, **kwargs
        )

    return call


BODY = {
    "name": "Minimarket Sukawati",
    "nib": "8120000000001",
    "village_code": BATUBULAN,
    "sector": "47111",
    "total_workers": 12,
    "registered_workers": 4,
    "programs": ["JKK", "JKM", "JHT"],
    "registration_source": "insurer",
    "registration_as_of": "2026-11-01",
}


def test_create_and_read(api, regency_admin):
    response = api(regency_admin, "post", "/employers", data=BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kbli_section"] == "G" and body["size_class"] == "small"
    assert body["compliance"] == "partly" and body["reasons"] == ["pds_tk"]
    assert body["uncovered_workers"] == 8
    assert api(regency_admin, "get", f"/employers/{body['id']}").json()["nib"] == BODY["nib"]


def test_bad_fields_are_422_with_codes(api, regency_admin):
    response = api(
        regency_admin,
        "post",
        "/employers",
        data=BODY | {"nib": "123", "sector": "99999", "registered_workers": 13},
    )
    assert response.status_code == 422
    codes = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert codes == {
        "nib": "nib_invalid",
        "sector": "kbli_unknown",
        "registered_workers": "registered_above_total",
    }
    assert not Employer.objects.exists()


def test_outside_the_region_is_422_on_create_and_404_on_read(api, operator):
    response = api(operator, "post", "/employers", data=BODY | {"village_code": JEMBRANA})
    assert response.json()["errors"][0]["code"] == "out_of_scope"
    outside = make_employer(village_code=JEMBRANA)
    assert api(operator, "get", f"/employers/{outside.pk}").status_code == 404
    assert api(operator, "patch", f"/employers/{outside.pk}", data={"name": "x"}).status_code == 404


def test_patch_changes_only_what_is_sent(api, regency_admin):
    employer = make_employer(registered_workers="10")
    response = api(
        regency_admin, "patch", f"/employers/{employer.pk}", data={"registered_workers": 40}
    )
    assert response.status_code == 200
    assert response.json()["compliance"] == "registered"
    assert response.json()["name"] == "PT Ikan Segar Bali"


def test_viewer_may_not_write(api, viewer):
    assert api(viewer, "post", "/employers", data=BODY).status_code == 403


def test_an_action_and_the_work_list(api, regency_admin):
    employer = make_employer(registered_workers="0", npp="", programs="")
    response = api(
        regency_admin,
        "post",
        f"/employers/{employer.pk}/actions",
        data={"kind": "visit", "outcome": "promised", "follow_up_on": "2026-11-30"},
    )
    assert response.status_code == 201
    assert response.json()["officer"] == "disnaker.gianyar"
    work = api(regency_admin, "get", "/employers/worklist").json()
    assert [r["id"] for r in work["results"]] == [employer.pk]
    assert work["results"][0]["next_follow_up"] == "2026-11-30"
    bad = api(
        regency_admin,
        "post",
        f"/employers/{employer.pk}/actions",
        data={"kind": "letter", "outcome": "nope"},
    )
    assert {e["code"] for e in bad.json()["errors"]} == {
        "outcome_invalid",
        "letter_number_required",
    }


def test_list_filters(api, regency_admin):
    make_employer()
    make_employer(nib="8120000000009", name="Minimarket", sector="47111")
    names = [r["name"] for r in api(regency_admin, "get", "/employers?sector=G").json()["results"]]
    assert names == ["Minimarket"]


def test_a_socialisation_event_for_many_employers(api, regency_admin, viewer):
    came = make_employer(name="PT Datang", nib="8120000000011")
    away = make_employer(name="PT Absen", nib="8120000000012")
    body = {
        "title": "Sosialisasi BPJS Sukawati",
        "held_on": "2026-11-20",
        "village_code": BATUBULAN,
        "follow_up_on": "2026-12-05",
        "employer_ids": [came.pk, away.pk],
        "attended_ids": [came.pk],
    }
    response = api(regency_admin, "post", "/employers/events", data=body)
    assert response.status_code == 201, response.content
    event = response.json()
    assert {(e["employer_name"], e["outcome"]) for e in event["employers"]} == {
        ("PT Datang", "attended"),
        ("PT Absen", "absent"),
    }
    assert api(regency_admin, "get", f"/employers/events/{event['id']}").json() == event
    listed = api(viewer, "get", "/employers/events").json()
    assert listed["count"] == 1 and listed["results"][0]["title"] == body["title"]
    came.refresh_from_db()
    assert came.next_follow_up.isoformat() == "2026-12-05"
    assert api(viewer, "post", "/employers/events", data=body).status_code == 403


def test_an_event_names_only_employers_of_the_region(api, operator):
    outside = make_employer(name="PT Jembrana", nib="8120000000013", village_code=JEMBRANA)
    body = {"title": "Sosialisasi", "village_code": BATUBULAN, "employer_ids": [outside.pk]}
    response = api(operator, "post", "/employers/events", data=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "employer_unknown"
    empty = api(operator, "post", "/employers/events", data=body | {"employer_ids": []})
    assert [e["code"] for e in empty.json()["errors"]] == ["no_employers"]


def test_worker_links_by_nik_masked_for_viewers(api, regency_admin, viewer):
    from lindung.people.nik import mask_nik
    from tests.employers.test_workers import person

    employer = make_employer()
    worker = person(employer.village_id, "I Wayan Pabrik", 1)
    informal = person(employer.village_id, "I Made Tani", 2, segment="BPU")
    path = f"/employers/{employer.pk}/workers"
    linked = api(regency_admin, "post", path, data={"nik": worker.nik})
    assert linked.status_code == 201 and linked.json()["nik"] == worker.nik
    refused = api(regency_admin, "post", path, data={"nik": informal.nik})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "worker_not_formal"
    seen = api(viewer, "get", path).json()
    assert seen["count"] == 1 and seen["results"][0]["nik"] == mask_nik(worker.nik)
    assert api(viewer, "delete", f"{path}/{worker.pk}").status_code == 403
    assert api(regency_admin, "delete", f"{path}/{worker.pk}").status_code == 204
    assert api(regency_admin, "get", path).json()["count"] == 0
