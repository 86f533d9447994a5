"""Gianyar's corporate agent and its BumDes, another Wadah, their agents and users, and
enrollments built straight in the tables at the state a test needs."""

import datetime as dt

import pytest
from django.utils import timezone

from lindung.accounts.models import Role, User
from lindung.agents import services
from lindung.programs.models import Enrollment
from lindung.programs.services import create_program
from tests.factories import TODAY
from tests.programs.conftest import BATUBULAN, KETEWEL, program_data

CELUK = "51.04.01.2005"
GUWANG = "51.04.01.2003"


def sponsored_program():
    """A Gianyar program of 2026 (its enrollments are made by :func:`make_enrollment`)."""
    return create_program(user=None, data=program_data(rounds="01/2026, 07/2026", year=2026))


@pytest.fixture
def program(db):
    return sponsored_program()


def agent_user(username: str, region: str) -> User:
    """A user with the agent role, without a password (hashing one costs a test seconds)."""
    return User.objects.create(username=username, role=Role.AGENT, region_id=region)


@pytest.fixture
def gianyar(db):
    return build_gianyar()


def build_gianyar():
    """PT Mitra Gianyar Aman (holding) with BumDes Batubulan and BumDes Ketewel; a BumDes of
    Celuk outside it. Each BumDes has an agent; the holding and Batubulan a coordinator."""
    holding = services.create_organisation(
        user=None,
        data={"kind": "holding", "name": "PT Mitra Gianyar Aman", "regency_code": "51.04"},
        today=TODAY,
    )
    orgs, agents = {"holding": holding}, {}
    for key, village in (("batubulan", BATUBULAN), ("ketewel", KETEWEL), ("celuk", CELUK)):
        org = services.create_organisation(
            user=None,
            data={
                "kind": "bumdes",
                "name": f"BumDes {key.title()}",
                "regency_code": "51.04",
                "parent": holding if key != "celuk" else None,
            },
            today=TODAY,
        )
        services.set_organisation_villages(user=None, organisation=org, village_codes=[village])
        orgs[key] = org
        agents[key] = services.create_agent(
            user=None,
            data={
                "full_name": f"Agen {key.title()}",
                "regency_code": "51.04",
                "organisation": org,
                "user": agent_user(f"agen.{key}", "51.04.01"),
            },
            today=TODAY,
        )
    agents["batubulan_coordinator"] = services.create_agent(
        user=None,
        data={
            "full_name": "Koordinator Batubulan",
            "regency_code": "51.04",
            "organisation": orgs["batubulan"],
            "is_coordinator": True,
            "user": agent_user("koord.batubulan", "51.04.01"),
        },
        today=TODAY,
    )
    agents["holding_coordinator"] = services.create_agent(
        user=None,
        data={
            "full_name": "Koordinator Holding",
            "regency_code": "51.04",
            "organisation": holding,
            "is_coordinator": True,
            "user": agent_user("koord.holding", "51.04"),
        },
        today=TODAY,
    )
    return orgs, agents


def make_enrollment(
    program, person, *, state: str, coverage_end: dt.date, agent=None
) -> Enrollment:
    now = timezone.now()
    enrollment = Enrollment(
        program=program,
        round=program.rounds.get(number=1),
        person=person,
        village_id=person.village_id,
        state=state,
        state_changed_at=now,
        committed_premium=100_800,
        effective_date=coverage_end.replace(day=1) - dt.timedelta(days=150),
        coverage_end=coverage_end,
        proposed_at=now,
        agent=agent,
        kpj=f"KPJ{person.pk:08d}",
    )
    enrollment.set_region_codes()
    enrollment.save()
    return enrollment
