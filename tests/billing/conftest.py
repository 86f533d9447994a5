"""Builders for billing tests: programs with workers already active with the insurer.

The programs' own services take each enrollment through the lifecycle (proposed,
verified, submitted, active), so billing reads exactly what the programs app writes.
"""

import datetime as dt

import pytest

from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from lindung.programs.services import activate_many, move_many, propose
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person, program_data

__all__ = ["BATUBULAN", "KETEWEL", "activate", "make_person", "program_data", "sponsor"]

PROPOSED_ON = dt.date(2024, 1, 2)


def sponsor(program, people, *, today=PROPOSED_ON) -> list[Enrollment]:
    """Propose, verify and submit ``people``; returns their enrollments (not yet active)."""
    enrollments = [propose(user=None, program=program, person=p, today=today) for p in people]
    queryset = Enrollment.objects.filter(pk__in=[e.pk for e in enrollments])
    move_many(user=None, enrollments=queryset, to_state=State.VERIFIED)
    move_many(user=None, enrollments=queryset, to_state=State.SUBMITTED)
    return list(queryset.order_by("id"))


def activate(enrollments, effective: dt.date) -> None:
    """The insurer's answer: KPJ numbers and one effective date."""
    activate_many(
        user=None,
        answers={e.pk: (f"{24_000_000_000 + e.pk}", effective) for e in enrollments},
    )


@pytest.fixture
def make_billing_program(db):
    """A 2024 Gianyar APBD program (one 6-month round from 01/2024) unless overridden."""
    from lindung.programs.services import create_program

    def make(**overrides):
        values = {
            "name": "Perlindungan Pekerja Rentan Gianyar 2024",
            "year": 2024,
            "rounds": "01/2024",
            "budget": 64 * 100 * 100_800,
        }
        data = program_data(**(values | overrides))
        return create_program(user=None, data=data)

    return make
