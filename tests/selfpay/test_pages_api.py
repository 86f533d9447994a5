"""Pages and API of collections and fees: the phone form, the receipt (page and PDFs), the
409 answers with a code, the fee statement of an agent, and scope (404 outside it)."""

import datetime as dt

import pytest
from django.test import Client

from lindung.agents.models import Agent
from lindung.people.models import Person
from lindung.programs import clock
from lindung.selfpay import fees
from lindung.selfpay.models import Collection
from tests.factories import TODAY
from tests.selfpay.conftest import ended_enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_collection(client, enrollment, months, **extra):
    body = {"nik": enrollment.person.nik, "months": months, "paid_on": "2026-11-25",
            "method": "qris", **extra}  # fmt: skip
    return client.post("/api/v1/collections", body, content_type="application/json")


def test_the_agent_collects_on_the_phone_form_and_gets_a_receipt(agent, ended):
    client = client_for(agent)
    page = client.get("/mandiri/")
    assert page.status_code == 200 and b"2026-08" in page.content  # the oldest payable month
    answer = client.post("/mandiri/", {"nik": ended.person.nik, "paid_on": "25/11/2026",
                                       "method": "cash",
                                       "months": ["2026-10", "2026-11", "2026-12"]})  # fmt: skip
    collection = Collection.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/mandiri/kuitansi/{collection.pk}/"
    receipt = client.get(answer["Location"]).content.decode()
    assert "Rp 25.200" in receipt and "Dua puluh lima ribu dua ratus rupiah" in receipt
    for size in ("a6", "phone"):
        pdf = client.get(f"/mandiri/kuitansi/{collection.pk}.pdf?ukuran={size}")
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_form_says_why_a_month_is_refused(agent, ended):
    client = client_for(agent)
    body = {"nik": ended.person.nik, "paid_on": "25/11/2026", "method": "cash",
            "months": ["2026-09"]}  # fmt: skip
    page = client.post("/mandiri/", body).content.decode()
    assert "masih dibiayai program sponsor" in page
    assert not Collection.objects.exists()


def test_api_answers_lines_with_amounts_and_rule(agent, ended):
    answer = post_collection(client_for(agent), ended, ["2026-12", "2027-01"])
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert [(x["month"], x["amount"]) for x in body["lines"]] == [
        ("2026-12", 8400), ("2027-01", 16800)
    ]  # fmt: skip
    assert body["lines"][0]["rule"] and "PP 50/2025" in body["lines"][0]["rule_label"]
    assert body["enrollment_state"] == "continued" and body["total"] == 25_200
    listed = client_for(agent).get("/api/v1/collections").json()
    assert listed["count"] == 1 and listed["results"][0]["number"] == body["number"]


def test_api_409_for_a_month_paid_or_out_of_the_window(agent, operator, ended, sponsor_program):
    assert post_collection(client_for(agent), ended, ["2026-10"]).status_code == 201
    again = post_collection(client_for(operator), ended, ["2026-10"])
    assert again.status_code == 409 and again.json()["code"] == "month_paid"
    old = ended_enrollment(sponsor_program, coverage_end=dt.date(2026, 6, 30))
    late = post_collection(client_for(agent), old, ["2026-07"])
    assert late.status_code == 409 and late.json()["code"] == "arrears_beyond_window"
    bad = post_collection(client_for(agent), ended, ["2026-11"], amount=-1)
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "amount_invalid"


def test_outside_the_scope_nothing_exists(agent, ended, make_user):
    answer = post_collection(client_for(agent), ended, ["2026-10"])
    pk = answer.json()["id"]
    jembrana = make_user("op.jembrana", "village_operator", "51.01.01.2001")
    client = client_for(jembrana)
    assert client.get(f"/mandiri/kuitansi/{pk}/").status_code == 404
    assert client.get(f"/api/v1/collections/{pk}").status_code == 404
    assert client.get("/api/v1/collections").json()["count"] == 0
    refused = post_collection(client, ended, ["2026-11"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "worker_not_found"


def test_an_agents_fee_statement_in_the_api(agent, ended, regency_admin, make_user):
    post_collection(client_for(agent), ended, ["2026-11"])
    Person.objects.filter(pk=ended.person_id).update(agent=agent.agent)
    fees.run_fees(month=dt.date(2026, 11, 1))
    answer = client_for(regency_admin).get(f"/api/v1/agents/{agent.agent.pk}/fees?month=2026-11")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["rule"] == "perisai-baru-2022" and body["total"] == 1260
    (line,) = body["lines"]
    assert (line["kind"], line["month_number"], line["rate_bp"]) == ("contribution", 8, 1500)
    assert line["collection_line_id"] and line["full_name"] == ended.person.full_name
    admin = client_for(regency_admin)
    assert admin.get(f"/api/v1/agents/{agent.agent.pk}/fees?month=2026-10").status_code == 404
    assert admin.get(f"/api/v1/agents/{agent.agent.pk}/fees?month=11-2026").status_code == 422
    other = Agent.objects.create(regency_id="51.01", full_name="Agen Jembrana")
    jembrana = make_user("admin.jembrana", "regency_admin", "51.01")
    assert (
        client_for(jembrana).get(f"/api/v1/agents/{agent.agent.pk}/fees?month=2026-11").status_code
        == 404
    )
    assert admin.get(f"/api/v1/agents/{other.pk}/fees?month=2026-11").status_code == 404


def test_the_openapi_document_has_the_new_paths(agent):
    paths = client_for(agent).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/collections", "/api/v1/agents/{agent_id}/fees"} <= set(paths)


def test_the_pages_and_refusals_in_english(agent, ended):
    from django.utils import translation

    client = client_for(agent)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Record self-paid contributions" in client.get("/mandiri/").content.decode()
    body = {"nik": ended.person.nik, "paid_on": "25/11/2026", "method": "cash",
            "months": ["2026-09"]}  # fmt: skip
    assert "still paid by the sponsoring program" in client.post("/mandiri/", body).content.decode()
    with translation.override("en"):
        answer = post_collection(client, ended, ["2026-10", "2026-10"])  # one month, twice
        assert [line["month"] for line in answer.json()["lines"]] == ["2026-10"]
        refused = post_collection(client, ended, ["2026-10"])
        assert refused.json()["message"] == "10/2026 already paid: a month is paid once."
