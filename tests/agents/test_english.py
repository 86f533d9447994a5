"""The agent pages in English (needs the compiled catalogues: `make messages`)."""

import datetime as dt

import pytest

from lindung.programs import clock
from lindung.programs.lifecycle import State
from tests.agents.conftest import make_enrollment
from tests.programs.conftest import BATUBULAN, make_person
from tests.programs.test_english import english_pages

pytestmark = pytest.mark.django_db


def test_work_list_and_contact_in_english(client, gianyar, program, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 15))
    ended = make_enrollment(
        program, make_person(BATUBULAN), state=State.ENDED, coverage_end=dt.date(2026, 11, 30)
    )
    work, contact = english_pages(
        client,
        gianyar[1]["batubulan"].user,
        "/agen/daftar-kerja/",
        f"/agen/daftar-kerja/{ended.pk}/kontak/",
    )
    assert "Continuation work list" in work and "Sponsorship ended" in work
    assert "4 months left to continue (until 31/03/2027)" in work
    assert "Will continue self-paid" in contact and "Save contact" in contact


def test_organisation_page_in_english(client, gianyar, regency_admin):
    (page,) = english_pages(client, regency_admin, f"/agen/wadah/{gianyar[0]['holding'].pk}/")
    assert "Cooperation agreements" in page and "Member BumDes" in page
