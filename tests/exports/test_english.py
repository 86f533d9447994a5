"""The export page in English (the second language).

Needs the compiled catalogues (`make messages`, part of `make test`)."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def english_page(client, user) -> str:
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        response = client.get(reverse("exports:workers"))
    assert response.status_code == 200
    return response.content.decode()


def test_export_page_in_english(client, regency_admin, agent):
    page = english_page(client, regency_admin)
    assert "Export the worker registry" in page and "Download Excel (.xlsx)" in page
    assert "NIKs are written in full" in page and "Membership status" in page
    assert "Covered (active or continuing self-paid)" in page
    assert "Ekspor registri pekerja" not in page
    assert "NIKs are masked for your role" in english_page(client, agent)
