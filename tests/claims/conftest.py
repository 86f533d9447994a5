"""Builders for the claims tests: a Gianyar program of April–September 2026 and its workers."""

import datetime as dt

import pytest
from django.utils import timezone

from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from tests.programs.conftest import BATUBULAN, make_person, program_data

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def frozen_today(monkeypatch):
    from lindung.programs import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def sponsor_program(db):
    from lindung.programs.services import create_program

    return create_program(
        user=None,
        data=program_data(name="Pekerja Rentan Gianyar 2026", year=2026, rounds="04/2026"),
    )


def covered(program, person=None, *, state=State.ACTIVE, effective=dt.date(2026, 4, 10),
            coverage_end=dt.date(2026, 9, 30)):  # fmt: skip
    """An enrollment the insurer activated, written straight to the table."""
    person = person or make_person()
    now = timezone.now()
    enrollment = Enrollment(
        program=program,
        round=program.rounds.first(),
        person=person,
        state=state,
        state_changed_at=now,
        committed_premium=6 * 16_800,
        kpj=f"26{person.pk:09d}",
        effective_date=effective,
        coverage_end=coverage_end,
        proposed_at=now,
        village_id=person.village_id,
    )
    enrollment.set_region_codes()
    enrollment.save()
    return enrollment


__all__ = ["BATUBULAN", "TODAY", "covered", "make_person"]
