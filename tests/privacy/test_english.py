"""The privacy pages in English (the second language).

Needs the compiled catalogues (`make messages`, part of `make test`)."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_privacy_pages_in_english(client, regency_admin):
    client.force_login(regency_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        log = client.get(reverse("privacy:access-log")).content.decode()
        subject = client.get(reverse("privacy:subject"), {"nik": "5104011902850001"})
    assert "Personal-data access log" in log and "Download XLSX" in log
    assert "Log akses data pribadi" not in log
    assert "No person with this NIK in your region." in subject.content.decode()
