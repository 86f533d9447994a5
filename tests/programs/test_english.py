"""The program pages in English (the second language): headings, labels and counts are translated.

Needs the compiled catalogues (`make messages`, part of `make test`)."""

import pytest
from django.utils import translation

from lindung.programs import clock
from lindung.programs.services import propose
from tests.factories import TODAY
from tests.programs.conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def english_pages(client, user, *paths: str) -> list[str]:
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        pages = [client.get(path) for path in paths]
    assert all(page.status_code == 200 for page in pages), [p.status_code for p in pages]
    return [page.content.decode() for page in pages]


def test_program_list_and_page_in_english(client, regency_admin, program):
    propose(user=None, program=program, person=make_person(), today=TODAY)
    listing, detail, participants = english_pages(
        client,
        regency_admin,
        "/program/",
        f"/program/{program.pk}/",
        f"/program/{program.pk}/peserta/",
    )
    assert "Protection programs for vulnerable workers" in listing
    assert "Committed budget" in listing and "Create a program" in listing
    assert "Verification queue" in detail and "BPJS submission" in detail
    assert "places in 64 villages" in detail and "workers sponsored" in detail
    assert "6 months" in detail and "100 per village per round" in detail
    assert "Memberships by status" in detail and "Proposed by village" in detail
    assert "<th>Filled</th>" in detail
    assert "Antrean verifikasi" not in detail and "Kuota per desa" not in detail
    assert "Program participants" in participants and "1 membership." in participants


def test_proposal_screen_in_english(client, operator, program):
    make_person()
    (page,) = english_pages(client, operator, f"/program/{program.pk}/usulan/")
    assert "Worker proposals" in page and "Choose from the village registry" in page
    assert "Propose the ticked workers" in page and "Paste NIKs (one per line)" in page
    assert "places used" in page
    assert "Usulkan yang dicentang" not in page


def test_verification_queue_and_enrollment_in_english(client, regency_admin, program):
    enrollment = propose(user=None, program=program, person=make_person(), today=TODAY)
    queue, history, form = english_pages(
        client,
        regency_admin,
        f"/program/{program.pk}/verifikasi/",
        f"/program/kepesertaan/{enrollment.pk}/",
        f"/program/{program.pk}/ubah/",
    )
    assert "1 proposal awaits verification." in queue
    assert "Verify the ticked ones" in queue and "Reject the ticked ones" in queue
    assert "Status history" in history and "Reason (required to reject or withdraw)" in history
    assert "<td>system</td>" in history  # proposed by no user (the system), not a crash
    assert "Edit program" in form and "Budget ceiling (Rp)" in form
