"""Dates and times in the deployment's zone (``LINDUNG_TIME_ZONE``, WITA by default):
stored in UTC, computed and shown in the zone, with the zone's name on timestamps."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from lindung import formatting
from lindung.accounts.models import Role
from lindung.people.models import Person
from lindung.programs import clock
from tests.coverage.builders import BATUBULAN, enroll, make_person, make_program

UTC = dt.UTC
LATE_EVENING = dt.datetime(2026, 12, 5, 15, 30, tzinfo=UTC)  # 23:30 WITA, 5 December
EARLY_MORNING = dt.datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # 07:30 WITA, 5 December


def test_timestamps_carry_the_zone_and_dates_are_local():
    assert formatting.waktu(LATE_EVENING) == "05/12/2026 23:30 WITA"
    assert formatting.tanggal(EARLY_MORNING) == "05/12/2026"  # 04/12 in UTC
    assert formatting.waktu(dt.date(2026, 12, 5)) == "05/12/2026"
    assert formatting.waktu(None) == "–"
    rendered = Template("{{ at|tanggal }} · {{ at|waktu }} · {{ at }}").render(
        Context({"at": EARLY_MORNING})
    )
    assert rendered == "05/12/2026 · 05/12/2026 07:30 WITA · 05/12/2026 07:30 WITA"


def test_another_zone_is_a_setting(settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    assert formatting.waktu(LATE_EVENING) == "05/12/2026 22:30 WIB"
    settings.TIME_ZONE = "Asia/Jayapura"
    assert formatting.waktu(LATE_EVENING) == "06/12/2026 00:30 WIT"


def test_today_is_the_local_day(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: EARLY_MORNING)
    assert clock.today() == dt.date(2026, 12, 5)


@pytest.mark.django_db
def test_a_late_proposal_and_an_early_registration_show_the_local_day(make_user):
    program = make_program(year=2026, starts=(dt.date(2026, 7, 1),))
    late = enroll(make_person(BATUBULAN), program, [("proposed", dt.date(2026, 12, 5))])
    early = enroll(make_person(BATUBULAN), program, [("proposed", dt.date(2026, 12, 5))])
    type(late).objects.filter(pk=late.pk).update(proposed_at=LATE_EVENING)
    type(early).objects.filter(pk=early.pk).update(proposed_at=EARLY_MORNING)
    Person.objects.filter(pk=early.person_id).update(created_at=EARLY_MORNING)
    client = Client()
    client.force_login(make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04"))
    queue = client.get(f"/program/{program.pk}/verifikasi/").content.decode()
    assert queue.count("<td>05/12/2026</td>") == 2
    assert "04/12/2026" not in queue
    worker = client.get(f"/pekerja/{early.person_id}/").content.decode()
    assert "05/12/2026" in worker and "04/12/2026" not in worker
