"""The demo's claims: a death paid to the heirs, a work accident, a refused claim on a
lapsed membership; loaded once; the report shows the benefits paid.

Run by ``tests/test_demo.py`` on the demo it loads once for every app's checks."""

from lindung.claims.models import Claim
from lindung.reports import inpres
from tests.factories import TODAY


def check_claims_reach_the_report():
    claims = Claim.objects.filter(regency_code="51.04")
    paid = claims.get(status="paid")
    assert paid.kind == "death" and paid.amount_paid == paid.estimate_total > 0
    assert paid.handover_on and paid.testimony
    assert claims.filter(kind="work_accident_care", status="submitted").exists()
    refused = claims.get(status="refused")
    assert not refused.estimate_covered and refused.refusal_reason
    assert Claim.objects.count() == 3
    year = paid.paid_on.year
    half = f"{year}-{1 if paid.paid_on.month <= 6 else 2}"
    report = inpres.inpres("51.04", half, TODAY)
    benefits = next(s for s in report.sections if s.key == "manfaat")
    assert any(f.value == paid.amount_paid for f in benefits.figures)


COUNTED = (Claim,)
