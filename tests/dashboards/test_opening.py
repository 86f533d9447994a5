"""A dashboard opens on the answer: the latest date with data rather than today's empty
one, the last target that exists when the date's year has none (said which), and dates
typed and shown as DD/MM/YYYY."""

import datetime as dt
import re

import pytest
from django.test import Client

from lindung.dashboards import selectors
from lindung.programs import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def sign_in(user):
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def late_today(monkeypatch):
    today = dt.date(2026, 12, 7)
    monkeypatch.setattr(clock, "today", lambda: today)
    return today


def text_of(html: str, ident: str) -> str:
    match = re.search(rf'id="{ident}"[^>]*>(.*?)</', html, re.S)
    assert match, ident
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_page_opens_on_the_last_day_with_data(gianyar, viewer, client_for, late_today):
    # The last sponsored worker of the hand-built Gianyar (round 2) was covered to 31/12/2024.
    assert selectors.opening_day(viewer, "51.04", late_today).day == dt.date(2024, 12, 31)
    html = client_for(viewer).get("/dasbor/51.04/").content.decode()
    assert 'value="31/12/2024"' in html
    assert text_of(html, "kpi-covered") == "101"  # the round-2 worker and 100 reported
    assert text_of(html, "kpi-rate") != "–"
    notice = text_of(html, "dibuka-pada")
    assert "31/12/2024" in notice and "07/12/2026" in notice
    assert 'href="?tanggal=2026-12-07"' in html
    # The year of the date has its targets: said so.
    assert "Target tahun 2024" in text_of(html, "target-tahun")


def test_today_when_workers_are_covered_today(gianyar, viewer, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2024, 3, 1))
    html = client_for(viewer).get("/dasbor/51.04/").content.decode()
    assert 'value="01/03/2024"' in html and 'id="dibuka-pada"' not in html


def test_today_when_the_region_never_had_any(viewer, client_for, late_today, db):
    html = client_for(viewer).get("/dasbor/51.04/").content.decode()
    assert 'value="07/12/2026"' in html and 'id="dibuka-pada"' not in html


def test_the_last_target_that_exists_when_the_year_has_none(gianyar, viewer, client_for):
    html = client_for(viewer).get("/dasbor/51.04/?tanggal=15/03/2025").content.decode()
    said = text_of(html, "target-tahun")
    assert "Belum ada target untuk tahun 2025" in said and "tahun 2024" in said
    assert "31/12/2024" in said
    assert 'href="?tanggal=2024-12-31"' in html
    assert "Belum ada target untuk tahun ini" not in html


def test_the_date_box_is_typed_as_dd_mm_yyyy(gianyar, viewer, client_for):
    html = client_for(viewer).get("/dasbor/51.04/?tanggal=25/07/2024").content.decode()
    assert re.search(r'<input type="text" name="tanggal" value="25/07/2024"', html)
    assert 'type="date"' not in html
    assert text_of(html, "kpi-covered") == "103"
