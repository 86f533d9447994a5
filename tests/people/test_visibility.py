"""The masked NIK cannot be rebuilt: the matrix of ``docs/permissions.md`` in every place.

Each test reads :data:`lindung.people.visibility.POLICY` (the table the code uses) to know
what a role should see, and then looks at the rendered body itself: the birth date in every
format it is written, the whole NIK, the sex. A place that skipped the policy would show the
date to a role the table says gets the year only.
"""

import csv
import datetime as dt
import io

import fastexcel
import pytest
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.accounts.services import issue_token
from lindung.people import visibility
from lindung.people.nik import mask_nik
from lindung.people.services import register_worker
from lindung.people.visibility import POLICY, Shown
from tests.factories import worker_data

pytestmark = pytest.mark.django_db

BORN = dt.date(1985, 2, 19)
NIK = "5104015902850001"  # a woman: day 19 + 40
DATES = ("19/02/1985", "1985-02-19", "19-02-1985", "590285")

# One user per role, all of whom may see the worker's village (a province viewer too).
USERS = {
    Role.SYSTEM_ADMIN: None,
    Role.REGENCY_ADMIN: "51.04",
    Role.VILLAGE_OPERATOR: "51.04.01.2001",
    Role.AGENT: "51.04.01",
    Role.VIEWER: "51",
}


@pytest.fixture
def worker():
    return register_worker(
        user=None,
        data=worker_data(nik=NIK, full_name="Ni Luh Sari", sex="P", birth_date="19/02/1985"),
    )


@pytest.fixture(params=list(USERS), ids=str)
def user(request, make_user):
    return make_user(f"u.{request.param}", request.param, USERS[request.param])


def test_every_role_has_a_row_for_every_field():
    assert set(POLICY) == set(Role.values)
    for row in POLICY.values():
        assert set(row) == set(visibility.FIELDS)


def test_no_role_gets_the_masked_nik_with_what_rebuilds_it():
    for role, row in POLICY.items():
        if row["nik"] != Shown.FULL:
            assert row["birth_date"] in (Shown.YEAR, Shown.HIDDEN), role
            assert row["sex"] == Shown.HIDDEN, role


def assert_body_follows_policy(user, body: str, place: str) -> None:
    row = POLICY[user.role]
    assert "Ni Luh Sari" in body, place
    if row["nik"] == Shown.FULL:
        assert NIK in body, place
    else:
        assert NIK not in body and mask_nik(NIK) in body, place
    if row["birth_date"] == Shown.FULL:
        assert any(written in body for written in DATES[:2]), place
    else:
        assert not any(written in body for written in DATES), place
        assert "1985" in body, place  # the year stays, for ages and reports


@pytest.mark.parametrize("page", ["people:list", "people:detail"])
def test_pages(client, user, worker, page):
    client.force_login(user)
    args = [worker.pk] if page == "people:detail" else []
    body = client.get(reverse(page, args=args)).content.decode()
    assert_body_follows_policy(user, body, page)
    if POLICY[user.role]["sex"] != Shown.FULL:
        assert "Perempuan" not in body and "Jenis kelamin" not in body


def test_api_answers(client, user, worker):
    headers = {"Authorization": f"Bearer {issue_token(user)}"}
    one = client.get(f"/api/v1/workers/{worker.pk}", headers=headers)
    many = client.get("/api/v1/workers", headers=headers)
    for response in (one, many):
        assert_body_follows_policy(user, response.content.decode(), "api")
    body = one.json()
    assert body["birth_year"] == 1985
    full = POLICY[user.role]["birth_date"] == Shown.FULL
    assert body["birth_date"] == ("1985-02-19" if full else None)
    assert body["sex"] == ("P" if POLICY[user.role]["sex"] == Shown.FULL else None)


def test_exports(client, user, worker):
    client.force_login(user)
    url = reverse("exports:workers")
    response = client.get(url, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert_body_follows_policy(user, text, "csv")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["nama"] == "Ni Luh Sari")
    if POLICY[user.role]["birth_date"] == Shown.FULL:
        assert row["tanggal_lahir"] in ("1985-02-19", "19/02/1985")
        assert row["jenis_kelamin"] == "P"
    else:
        assert "tanggal_lahir" not in row and row["tahun_lahir"] == "1985"
        assert row["jenis_kelamin"] == ""

    data = b"".join(client.get(url, {"format": "xlsx"}).streaming_content)
    frame = fastexcel.read_excel(data).load_sheet(0, dtypes="string").to_polars()
    cells = " ".join(str(v) for r in frame.iter_rows() for v in r)
    assert_body_follows_policy(user, cells + " " + " ".join(frame.columns), "xlsx")


def test_the_edit_form_has_no_hidden_fields_to_read(client, user, worker):
    client.force_login(user)
    response = client.get(reverse("people:edit", args=[worker.pk]))
    if not user.can_edit_workers:
        assert response.status_code == 403
        return
    body = response.content.decode()
    for field in visibility.FIELDS:
        assert (f'name="{field}"' in body) == (POLICY[user.role][field] == Shown.FULL)
    assert not any(written in body for written in DATES) or visibility.sees_full(user, "birth_date")


def test_a_masked_role_cannot_guess_the_birth_date_by_editing(client, make_user, worker):
    agent = make_user("agen", Role.AGENT, "51.04.01")
    headers = {"Authorization": f"Bearer {issue_token(agent)}"}
    for guess in ("18/02/1985", "19/02/1985"):
        response = client.patch(
            f"/api/v1/workers/{worker.pk}",
            {"birth_date": guess},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == "field_hidden"
    allowed = client.patch(
        f"/api/v1/workers/{worker.pk}",
        {"phone": "081999888777"},
        content_type="application/json",
        headers=headers,
    )
    assert allowed.status_code == 200


def test_a_masked_role_cannot_search_by_the_hidden_digits(client, make_user, worker):
    """``510401`` + ``59…`` would tell the day of birth one request at a time."""
    agent = make_user("agen", Role.AGENT, "51.04.01")
    headers = {"Authorization": f"Bearer {issue_token(agent)}"}

    def count(nik):
        return client.get("/api/v1/workers", {"nik": nik}, headers=headers).json()["count"]

    assert count("51040159") == count("51040118") == 1  # cut to the region part
    assert count(NIK) == 1  # the whole NIK from the card in hand
    assert count("5104015902850002") == 0
