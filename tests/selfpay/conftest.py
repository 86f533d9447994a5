"""Builders for self-paid continuation: a Gianyar program of April–September 2026 and
workers whose sponsored months are over."""

import datetime as dt

import pytest
from django.utils import timezone

from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from tests.programs.conftest import BATUBULAN, make_person, program_data

# The sponsored months: April to September 2026 (coverage ends 30/09/2026).
COVERAGE_END = dt.date(2026, 9, 30)


@pytest.fixture
def sponsor_program(db):
    from lindung.programs.services import create_program

    return create_program(
        user=None,
        data=program_data(name="Pekerja Rentan Gianyar 2026", year=2026, rounds="04/2026"),
    )


def ended_enrollment(program, person=None, *, state=State.ENDED, coverage_end=COVERAGE_END,
                     kpj=None):  # fmt: skip
    """An enrollment whose sponsored months are over, written straight to the table."""
    person = person or make_person()
    now = timezone.now()
    enrollment = Enrollment(
        program=program,
        round=program.rounds.first(),
        person=person,
        state=state,
        state_changed_at=now,
        committed_premium=6 * 16_800,
        kpj=kpj or f"26{person.pk:09d}",
        effective_date=coverage_end.replace(day=1) - dt.timedelta(days=150),
        coverage_end=coverage_end,
        proposed_at=now,
        village_id=person.village_id,
    )
    enrollment.set_region_codes()
    enrollment.save()
    return enrollment


@pytest.fixture
def agent(agent):
    """The Sukawati agent's user, linked to its Perisai agent serving Desa Batubulan."""
    from lindung.agents.models import Agent, AgentVillage

    perisai = Agent.objects.create(regency_id="51.04", full_name="Ni Wayan Sari", user=agent)
    served = AgentVillage(agent=perisai, village_id=BATUBULAN)
    served.set_region_codes()
    served.save()
    return agent


@pytest.fixture
def ended(sponsor_program):
    return ended_enrollment(sponsor_program)


__all__ = ["BATUBULAN", "COVERAGE_END", "ended_enrollment", "make_person"]
