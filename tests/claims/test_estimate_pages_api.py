"""The estimator's page and ``GET /api/v1/benefits/estimate``: answers, errors, scope."""

import pytest
from django.test import Client

from lindung.privacy.models import AccessEntry
from tests.claims.conftest import covered, make_person

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_estimates_a_worker_by_nik_and_logs_the_access(operator, sponsor_program,
                                                            frozen_today):  # fmt: skip
    enrollment = covered(sponsor_program)
    answer = client_of(operator).get(
        "/api/v1/benefits/estimate",
        {"nik": enrollment.person.nik, "event": "work_accident_death", "date": "2026-08-20"},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["estimate"] is True and body["total"] == 48 * 1_000_000 + 22_000_000
    assert body["membership_start"] == "2026-04-10" and body["contributions_current"] is True
    assert [c["code"] for c in body["components"]] == [
        "income_multiple", "funeral", "periodic", "scholarship"]  # fmt: skip
    assert AccessEntry.objects.filter(person_id=enrollment.person.pk).exists()


def test_api_hypothetical_member_and_stable_error_codes(operator, frozen_today):
    client = client_of(operator)
    ok = client.get("/api/v1/benefits/estimate", {
        "segment": "BPU", "income": "1500000", "start": "01/01/2026", "event": "total_disability",
        "date": "2026-05-05"})  # fmt: skip
    assert ok.status_code == 200 and ok.json()["total"] == 56 * 1_500_000
    bad = client.get("/api/v1/benefits/estimate", {"event": "flood", "date": "kemarin"})
    assert bad.status_code == 422
    codes = {e["field"]: e["code"] for e in bad.json()["errors"]}
    assert codes["event"] == "event_invalid" and codes["date"] == "date_invalid"
    assert codes["income"] == "income_invalid" and codes["start"] == "start_invalid"
    future = client.get(
        "/api/v1/benefits/estimate",
        {"income": "1000000", "start": "2026-01-01", "event": "death", "date": "2027-01-01"},
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["code"] == "date_in_future"


def test_api_a_worker_outside_the_region_is_unknown(operator, sponsor_program, frozen_today):
    outside = make_person("51.01.01.2001")  # Jembrana, not the operator's village
    answer = client_of(operator).get("/api/v1/benefits/estimate", {
        "nik": outside.nik, "event": "death", "date": "2026-08-20"})  # fmt: skip
    assert answer.status_code == 404 and answer.json()["code"] == "worker_not_found"


def test_page_shows_components_rule_and_reasons(operator, sponsor_program, frozen_today):
    enrollment = covered(sponsor_program)
    page = client_of(operator).get("/klaim/perkiraan-manfaat/", {
        "nik": enrollment.person.nik, "event": "death", "date": "05/08/2026"})  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200
    assert "Rp 42.000.000" in text and "Permenaker 1/2025" in text
    assert "Ini perkiraan" in text and "10/04/2026" in text
    lapsed = client_of(operator).get("/klaim/perkiraan-manfaat/", {
        "nik": enrollment.person.nik, "event": "death", "date": "05/11/2026"})  # fmt: skip
    assert 'id="no-benefit"' in lapsed.content.decode()


def test_page_explains_bad_input(operator, frozen_today):
    page = client_of(operator).get("/klaim/perkiraan-manfaat/", {
        "event": "death", "date": "2026-05-01", "income": "0", "start": "2026-01-01"})  # fmt: skip
    text = page.content.decode()
    assert 'data-code="income_invalid"' in text and "rupiah bulat" in text
    assert 'value="2026-01-01"' in text
