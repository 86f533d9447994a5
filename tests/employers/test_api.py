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
