"""The claims and report pages in English (the second language). Needs the compiled
catalogues (`make messages`, part of `make test`)."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_claims_and_report_pages_in_english(client, regency_admin, frozen_today):
    client.force_login(regency_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        estimate = client.get("/klaim/perkiraan-manfaat/", {
            "event": "death", "date": "2026-06-01", "income": "1000000",
            "start": "2025-01-01"}).content.decode()  # fmt: skip
        claims = client.get("/klaim/").content.decode()
        report = client.get("/laporan/", {"region": "51.04", "half": "2026-1"}).content.decode()
    assert "JKM and JKK benefit estimate" in estimate and "Lump sum" in estimate
    assert "This is an estimate." in estimate and "Perkiraan manfaat JKM" not in estimate
    assert "Workers' social security claims" in claims and "Report a claim" in claims
    assert "Inpres 2/2021 implementation report" in report and "not available" in report
