"""The claims pages (list, report, detail with its actions) and ``/api/v1/claims``."""

import pytest
from django.test import Client

from lindung.claims.models import DOCUMENTS, Claim, Kind
from lindung.privacy.models import AccessEntry
from lindung.programs.models import Program
from tests.claims.conftest import covered, make_person

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker(sponsor_program):
    Program.objects.filter(pk=sponsor_program.pk).update(committed=10 * 6 * 16_800)
    return covered(sponsor_program).person


def death(person) -> dict:
    return {"nik": person.nik, "kind": "death", "event_date": "15/07/2026",
            "heir_name": "Ni Luh Sari", "heir_relation": "spouse",
            "heir_phone": "081234567890"}  # fmt: skip


def test_report_on_the_page_then_move_it_along(operator, regency_admin, worker, frozen_today):
    village = client_of(operator)
    refused = village.post("/klaim/baru/", death(worker) | {"heir_name": ""})
    assert refused.status_code == 200 and 'data-code="heir_required"' in refused.content.decode()
    created = village.post("/klaim/baru/", death(worker))
    assert created.status_code == 302
    claim = Claim.objects.get()
    detail = village.get(created["Location"]).content.decode()
    assert claim.number in detail and "Rp 42.000.000" in detail
    assert "Surat/akta kematian" in detail and 'value="documents_complete"' in detail
    assert 'value="paid"' not in detail  # only the regency decides
    assert AccessEntry.objects.filter(person_id=worker.pk, operation__contains="/klaim/").exists()
    village.post(f"/klaim/{claim.pk}/", {"action": "documents",
                                         "documents": DOCUMENTS[Kind.DEATH]})  # fmt: skip
    village.post(f"/klaim/{claim.pk}/", {"action": "move", "to_status": "documents_complete"})
    claim.refresh_from_db()
    assert claim.status == "documents_complete"
    assert village.post(f"/klaim/{claim.pk}/", {"action": "move", "to_status": "submitted"}
                        ).status_code == 403  # fmt: skip
    regency = client_of(regency_admin)
    regency.post(f"/klaim/{claim.pk}/", {"action": "move", "to_status": "submitted"})
    above = regency.post(f"/klaim/{claim.pk}/", {"action": "move", "to_status": "paid",
                                                 "amount_paid": "50000000",
                                                 "paid_on": "01/11/2026"}, follow=True)  # fmt: skip
    assert "melebihi perkiraan" in above.content.decode()
    pay = {"action": "move", "to_status": "paid", "amount_paid": "42000000",
           "paid_on": "01/11/2026"}  # fmt: skip
    regency.post(f"/klaim/{claim.pk}/", pay)
    claim.refresh_from_db()
    assert (claim.status, claim.amount_paid) == ("paid", 42_000_000)
    listing = village.get("/klaim/").content.decode()
    assert claim.number in listing and "Dibayar" in listing


def test_other_regions_do_not_see_the_claim(operator, make_user, worker, frozen_today):
    client_of(operator).post("/klaim/baru/", death(worker))
    claim = Claim.objects.get()
    other = make_user("op.jembrana", "village_operator", "51.01.01.2001")
    assert client_of(other).get(f"/klaim/{claim.pk}/").status_code == 404
    assert claim.number not in client_of(other).get("/klaim/").content.decode()
    assert client_of(other).get(f"/api/v1/claims/{claim.pk}").status_code == 404


def test_api_report_patch_and_conflicts(operator, regency_admin, worker, frozen_today):
    village = client_of(operator)
    created = village.post("/api/v1/claims", death(worker), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "reported" and body["estimate_total"] == 42_000_000
    assert body["documents_required"] == DOCUMENTS[Kind.DEATH]
    again = village.post("/api/v1/claims", death(worker), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "claim_duplicate"
    outside = make_person("51.01.01.2001")
    unknown = village.post("/api/v1/claims", death(outside), content_type="application/json")
    assert unknown.status_code == 404
    bad = village.post("/api/v1/claims", death(worker) | {"event_date": "2027-01-01"},
                       content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["errors"][0] == {
        "field": "event_date", "code": "date_in_future",
        "message": bad.json()["errors"][0]["message"]}  # fmt: skip
    url = f"/api/v1/claims/{body['id']}"
    patched = village.patch(url, {"documents": DOCUMENTS[Kind.DEATH],
                                  "status": "documents_complete"},
                            content_type="application/json")  # fmt: skip
    assert patched.status_code == 200 and patched.json()["status"] == "documents_complete"
    forbidden = village.patch(url, {"status": "submitted"}, content_type="application/json")
    assert forbidden.status_code == 403
    regency = client_of(regency_admin)
    assert regency.patch(url, {"status": "submitted"}, content_type="application/json"
                         ).status_code == 200  # fmt: skip
    refused = regency.patch(url, {"status": "refused"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "reason_required"
    pay = {"status": "paid", "amount_paid": 42_000_000, "paid_on": "2026-11-01"}
    paid = regency.patch(url, pay, content_type="application/json")
    assert paid.status_code == 200
    handed = village.patch(url, {"handover_on": "2026-11-05", "handover_by": "Bupati",
                                 "testimony": "Sangat membantu"},
                           content_type="application/json")  # fmt: skip
    assert handed.status_code == 200 and handed.json()["handover_by"] == "Bupati"
    assert [m["to_status"] for m in handed.json()["moves"]] == [
        "reported", "documents_complete", "submitted", "paid"]  # fmt: skip
    listed = village.get("/api/v1/claims", {"status": "paid"}).json()
    assert listed["count"] == 1 and listed["results"][0]["amount_paid"] == 42_000_000
