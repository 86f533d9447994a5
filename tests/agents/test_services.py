"""Organisations and agents, attribution (form, proposal, import, in bulk) and status."""

import datetime as dt

import pytest
from django.http import Http404

from lindung.accounts.models import Role
from lindung.agents import selectors, services
from lindung.agents.models import Agent, Status
from lindung.imports import services as imports
from lindung.people.models import Person
from lindung.people.services import register_worker
from lindung.programs.lifecycle import State
from lindung.programs.services import propose
from tests.agents.conftest import CELUK, make_enrollment
from tests.factories import TODAY, worker_data
from tests.imports.files import row, to_csv
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

pytestmark = pytest.mark.django_db


def test_regency_admin_creates_only_in_own_regency(regency_admin):
    holding = services.create_organisation(
        user=regency_admin,
        data={"kind": "holding", "name": "PT Mitra Gianyar Aman", "regency_code": "51.04"},
        today=TODAY,
    )
    assert holding.status_changed_on == TODAY
    with pytest.raises(services.AgentRefused) as refusal:
        services.create_organisation(
            user=regency_admin,
            data={"kind": "bumdes", "name": "BumDes Pengambengan", "regency_code": "51.01"},
            today=TODAY,
        )
    assert refusal.value.code == "forbidden"
    with pytest.raises(services.AgentRefused) as refusal:
        services.create_organisation(
            user=regency_admin,
            data={"kind": "holding", "name": "PT Mitra Gianyar Aman", "regency_code": "51.04"},
            today=TODAY,
        )
    assert refusal.value.code == "name_taken"


def test_agreement_of_more_than_a_year_is_refused(gianyar, regency_admin):
    holding = gianyar[0]["holding"]
    agreement = services.add_agreement(
        user=regency_admin,
        organisation=holding,
        number="PKS/BPJSTK-GIANYAR/2024",
        start_date=dt.date(2024, 5, 28),
        end_date=dt.date(2025, 5, 28),
    )
    assert agreement.in_force_on(dt.date(2024, 12, 1))
    with pytest.raises(services.AgentRefused) as refusal:
        services.add_agreement(
            user=regency_admin,
            organisation=holding,
            number="PKS/2",
            start_date=dt.date(2024, 5, 28),
            end_date=dt.date(2025, 6, 1),
        )
    assert refusal.value.code == "agreement_too_long"
    assert "28/05/2025" in refusal.value.message


def test_villages_stay_in_the_regency_and_agents_in_their_wadah(gianyar, regency_admin):
    orgs, agents = gianyar
    with pytest.raises(services.AgentRefused) as refusal:
        services.set_organisation_villages(
            user=regency_admin, organisation=orgs["celuk"], village_codes=["51.01.01.2001"]
        )
    assert refusal.value.code == "village_outside_regency"
    with pytest.raises(services.AgentRefused) as refusal:
        services.update_agent(user=regency_admin, agent=agents["batubulan"], changes={
            "villages": [CELUK]
        })  # fmt: skip
    assert refusal.value.code == "village_not_served"


def test_a_user_links_to_one_agent_with_the_agent_role(gianyar, regency_admin, operator):
    _, agents = gianyar
    for account, code in ((operator, "user_not_agent"), (agents["ketewel"].user, "user_taken")):
        with pytest.raises(services.AgentRefused) as refusal:
            services.update_agent(
                user=regency_admin, agent=agents["batubulan"], changes={"user": account}
            )
        assert refusal.value.code == code


def test_registration_by_an_agent_user_remembers_the_agent(gianyar):
    agent = gianyar[1]["batubulan"]
    person = register_worker(user=agent.user, data=worker_data(), today=TODAY)
    assert person.agent_id == agent.pk
    agent.refresh_from_db()
    assert agent.last_activity_on is not None


def test_registration_by_an_operator_has_no_agent(operator):
    assert register_worker(user=operator, data=worker_data(), today=TODAY).agent_id is None


def test_proposal_by_an_agent_user_remembers_the_agent(gianyar, program):
    agent = gianyar[1]["batubulan"]
    Agent.objects.filter(pk=agent.pk).update(last_activity_on=None)
    enrollment = propose(
        user=agent.user, program=program, person=make_person(), today=dt.date(2025, 12, 1)
    )
    assert enrollment.agent_id == agent.pk
    agent.refresh_from_db()
    assert agent.last_activity_on is not None


def test_import_by_an_agent_user_remembers_the_agent(gianyar, tmp_path):
    agent = gianyar[1]["batubulan"]
    path = tmp_path / "pekerja.csv"
    path.write_bytes(to_csv([row(1), row(2)]))
    job, _ = imports.job_for_path(path=path, user=agent.user, today=TODAY)
    job = imports.run_job(job.pk)
    assert job.created == 2
    assert set(Person.objects.values_list("agent_id", flat=True)) == {agent.pk}
    agent.refresh_from_db()
    assert agent.last_activity_on == TODAY


def test_import_without_an_agent_leaves_it_empty(operator, tmp_path):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(to_csv([row(1)]))
    job, _ = imports.job_for_path(path=path, user=operator, today=TODAY)
    imports.run_job(job.pk)
    assert list(Person.objects.values_list("agent_id", flat=True)) == [None]


def test_bulk_assignment_of_a_village_and_of_ended_enrollments(gianyar, regency_admin, program):
    agent = gianyar[1]["ketewel"]
    here = [make_person(KETEWEL) for _ in range(3)]
    elsewhere = make_person(BATUBULAN)
    assert services.assign_village_workers(user=regency_admin, agent=agent, village_code=KETEWEL)
    assert Person.objects.filter(agent=agent).count() == 3
    assert Person.objects.get(pk=elsewhere.pk).agent_id is None
    ended = make_enrollment(program, here[0], state=State.ENDED, coverage_end=dt.date(2026, 6, 30))
    active = make_enrollment(
        program, here[1], state=State.ACTIVE, coverage_end=dt.date(2026, 12, 31)
    )
    count = services.assign_ended_enrollments(user=regency_admin, agent=agent, program=program)
    assert count == 1
    ended.refresh_from_db(), active.refresh_from_db()
    assert (ended.agent_id, active.agent_id) == (agent.pk, None)


def test_bulk_assignment_needs_a_regency_admin(gianyar, operator):
    agent = gianyar[1]["batubulan"]
    with pytest.raises(services.AgentRefused):
        services.assign_village_workers(user=operator, agent=agent, village_code=BATUBULAN)


def test_idle_agents_are_warned_then_made_inactive(gianyar):
    agent = gianyar[1]["celuk"]
    Agent.objects.filter(pk=agent.pk).update(
        last_activity_on=dt.date(2026, 9, 25), started_on=dt.date(2025, 1, 1)
    )
    assert services.mark_inactive_agents(dt.date(2026, 11, 24))["warned"] == 0
    assert services.mark_inactive_agents(dt.date(2026, 11, 25))["warned"] >= 1
    agent.refresh_from_db()
    assert (agent.status, agent.status_changed_on) == (Status.WARNED, dt.date(2026, 11, 25))
    services.note_activity(agent, dt.date(2026, 12, 1))  # a collection wakes it up
    agent.refresh_from_db()
    assert agent.status == Status.ACTIVE
    services.mark_inactive_agents(dt.date(2027, 3, 1))
    agent.refresh_from_db()
    assert (agent.status, agent.status_changed_on) == (Status.INACTIVE, dt.date(2027, 3, 1))


def test_an_agent_without_activity_counts_from_its_start(gianyar):
    agent = gianyar[1]["celuk"]  # started TODAY, never active
    services.mark_inactive_agents(TODAY + dt.timedelta(days=95))
    agent.refresh_from_db()
    assert agent.status == Status.INACTIVE


def test_an_agent_sees_its_own_organisation_only(gianyar, make_user):
    orgs, agents = gianyar
    plain = agents["batubulan"].user
    assert list(selectors.organisations_for(plain)) == [orgs["batubulan"]]
    assert list(selectors.agents_for(plain)) == [agents["batubulan"]]
    coordinator = agents["batubulan_coordinator"].user
    assert set(selectors.agents_for(coordinator)) == {
        agents["batubulan"],
        agents["batubulan_coordinator"],
    }
    holding = agents["holding_coordinator"].user
    assert set(selectors.organisations_for(holding)) == {
        orgs["holding"],
        orgs["batubulan"],
        orgs["ketewel"],
    }
    assert agents["celuk"] not in selectors.agents_for(holding)
    with pytest.raises(Http404):
        selectors.get_organisation(plain, orgs["celuk"].pk)
    with pytest.raises(Http404):
        selectors.get_agent(holding, agents["celuk"].pk)
    unlinked = make_user("agen.tanpa.wadah", Role.AGENT, "51.04.01")
    assert not selectors.organisations_for(unlinked).exists()


def test_region_scope_applies_to_admins_and_villages(gianyar, make_user, regency_admin):
    orgs, _ = gianyar
    assert selectors.organisations_for(regency_admin).count() == 4
    jembrana = make_user("disnaker.jembrana", Role.REGENCY_ADMIN, "51.01")
    assert not selectors.organisations_for(jembrana).exists()
    celuk_operator = make_user("op.celuk", Role.VILLAGE_OPERATOR, CELUK)
    assert list(selectors.organisations_for(celuk_operator)) == [orgs["celuk"]]
