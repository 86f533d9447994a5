"""The home page lists the work waiting for each role: counts and one link each, only in
the user's region and only work the role may act on. Hand-built data, every count known."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.billing.services import run_billing
from lindung.imports.models import ImportJob
from lindung.programs import clock
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from lindung.programs.services import create_program, move_many, propose
from lindung.web.selectors import home_summary
from tests.agents.conftest import build_gianyar, make_enrollment
from tests.billing.conftest import activate, sponsor
from tests.programs.conftest import BATUBULAN, KETEWEL, NEGARA_JEMBRANA, make_person, program_data

pytestmark = pytest.mark.django_db

# Any date works: the counts read states, dates and counters, not the services' timestamps
# (recent imports and refusals are "the last 30 days" of the real clock, as they are news).
TODAY = dt.date(2027, 6, 10)
PROPOSED_ON = dt.date(2027, 1, 2)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def build_world(admin):
    """Gianyar's 2027 program (rounds 01/2027 and 07/2027, six months each) with work at
    every step, and Jembrana's program with a proposal the Gianyar users must not see."""
    program = create_program(
        user=None,
        data=program_data(
            name="PPR Gianyar 2027", year=2027, rounds="01/2027, 07/2027", budget=720_000
        ),
    )
    waiting = [propose(user=None, program=program, person=make_person(BATUBULAN),
                       today=PROPOSED_ON) for _ in range(2)]  # fmt: skip
    verified, submitted = sponsor(program, [make_person(BATUBULAN), make_person(KETEWEL)])
    Enrollment.objects.filter(pk=submitted.pk).update(state=State.SUBMITTED)
    Enrollment.objects.filter(pk=verified.pk).update(state=State.VERIFIED)
    active = sponsor(program, [make_person(BATUBULAN), make_person(KETEWEL)])
    activate(active, dt.date(2027, 1, 1))
    refused = propose(user=None, program=program, person=make_person(BATUBULAN), today=PROPOSED_ON)
    move_many(
        user=None,
        enrollments=Enrollment.objects.filter(pk=refused.pk),
        to_state=State.REJECTED,
        reason="NIK tidak cocok",
    )
    run_billing(user=None, program=program, month=dt.date(2027, 1, 1), today=TODAY)
    ImportJob.objects.create(user=admin, source_name="pekerja-sukawati.xlsx", today=TODAY,
                             status="done", rejected=3, rows_total=20)  # fmt: skip
    ImportJob.objects.create(user=admin, source_name="bersih.xlsx", today=TODAY, status="done",
                             rows_total=20)  # fmt: skip

    jembrana = create_program(
        user=None,
        data=program_data(name="PPR Jembrana 2027", year=2027, rounds="01/2027",
                          area_code="51.01", funder_name="Pemkab Jembrana"),
    )  # fmt: skip
    propose(user=None, program=jembrana, person=make_person(NEGARA_JEMBRANA), today=PROPOSED_ON)
    return program, waiting


def by_kind(items) -> dict[str, list]:
    kinds: dict[str, list] = {}
    for item in items:
        kinds.setdefault(item.kind, []).append(item)
    return kinds


def test_regency_admin_sees_each_step_waiting_in_its_regency(make_user):
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    program, _ = build_world(admin)
    kinds = by_kind(home_summary(admin, TODAY)["waiting"])

    def one(kind):
        assert len(kinds[kind]) == 1, kinds.get(kind)
        return kinds[kind][0]

    assert (one("to_verify").count, one("to_verify").url) == (
        2,
        reverse("programs:verify", args=[program.pk]),
    )
    assert one("to_verify").detail == "PPR Gianyar 2027"  # Jembrana's is not counted
    assert (one("to_submit").count, one("to_submit").url) == (
        1,
        reverse("bpjs:program", args=[program.pk]),
    )
    assert one("awaiting_answer").count == 1
    # Billed 01/2027: February to June are due (the program's round 1 ends in June).
    bills = one("bills_to_run")
    assert bills.count == 5
    assert bills.url == reverse("billing:program", args=[program.pk])
    assert "02/2027, 03/2027, 04/2027…" in bills.detail
    unpaid = one("bills_unpaid")
    assert unpaid.count == 1
    assert unpaid.url == reverse("billing:list") + "?status=open"
    assert unpaid.detail == "sisa Rp 33.600"  # two workers, January
    # Six places held of Rp 100.800 each = Rp 604.800 of a Rp 720.000 budget: 84%.
    risk = one("budget_at_risk")
    assert risk.label == "Anggaran terpakai 84% dari pagu"
    assert risk.url == reverse("billing:realisation", args=[program.pk])
    rejected = one("import_rejected")
    assert (rejected.count, rejected.detail) == (3, "pekerja-sukawati.xlsx")
    assert rejected.url.startswith("/impor/")
    expiring = one("expiring")  # the two active ones end on 30/06/2027
    assert expiring.count == 2
    assert expiring.url == reverse("programs:enrollments", args=[program.pk]) + "?expiring=1"
    assert "quota_left" not in kinds and "work_ending" not in kinds


def test_the_home_page_shows_the_counts_and_links(make_user):
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    program, _ = build_world(admin)
    client = Client()
    client.force_login(admin)
    page = client.get("/").content.decode()
    assert "Pekerjaan menunggu" in page
    assert f'href="{reverse("programs:verify", args=[program.pk])}"' in page
    assert "Usulan menunggu verifikasi" in page
    assert "pekerja terdaftar" not in page  # no registry count any more


def test_village_operator_sees_its_quota_refusals_and_expiring(make_user):
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    program, _ = build_world(admin)
    operator = make_user("op.batubulan", Role.VILLAGE_OPERATOR, BATUBULAN)
    ImportJob.objects.create(user=operator, source_name="batubulan.csv", today=TODAY,
                             status="done", rejected=5, rows_total=200)  # fmt: skip
    kinds = by_kind(home_summary(operator, TODAY)["waiting"])

    [quota] = kinds["quota_left"]  # round 2 starts 07/2027; round 1 is closed
    assert quota.count == 100
    assert quota.label == "Sisa kuota putaran 2 (mulai 07/2027)"
    assert quota.url == reverse("programs:propose", args=[program.pk]) + "?round=2"
    [rejected] = kinds["import_rejected"]  # its own import only, not the admin's
    assert (rejected.count, rejected.detail) == (5, "batubulan.csv")
    [refused] = kinds["proposals_refused"]
    assert refused.count == 1
    assert refused.url == reverse("programs:enrollments", args=[program.pk]) + "?state=rejected"
    [expiring] = kinds["expiring"]
    assert expiring.count == 1  # Batubulan's one of the two
    for regency_work in ("to_verify", "to_submit", "bills_to_run", "bills_unpaid", "fee_draft"):
        assert regency_work not in kinds


def test_agent_sees_its_continuation_work_list(make_user):
    from lindung.agents.models import Agent
    from lindung.programs.services import create_program as create

    _orgs, agents = build_gianyar()
    program = create(user=None, data=program_data(rounds="01/2027", year=2027))
    make_enrollment(program, make_person(BATUBULAN), state=State.ACTIVE,
                    coverage_end=dt.date(2027, 6, 30))  # fmt: skip
    for _ in range(2):
        make_enrollment(program, make_person(BATUBULAN), state=State.ENDED,
                        coverage_end=dt.date(2027, 5, 31))  # fmt: skip
    # Celuk is served by another BumDes: not on this agent's list.
    make_enrollment(program, make_person("51.04.01.2005"), state=State.ENDED,
                    coverage_end=dt.date(2027, 5, 31))  # fmt: skip
    user = Agent.objects.get(pk=agents["batubulan"].pk).user
    kinds = by_kind(home_summary(user, TODAY)["waiting"])
    assert [w.count for w in kinds["work_ending"]] == [1]
    assert [w.count for w in kinds["work_ended"]] == [2]
    assert kinds["work_ending"][0].url == reverse("agents:work-list")
    [collections] = kinds["collections_month"]
    assert (collections.count, collections.detail) == (0, "Rp 0")
    assert collections.url == reverse("selfpay:collections")
    assert "to_verify" not in kinds and "quota_left" not in kinds


def test_viewer_sees_the_dashboard_headline_from_the_summary(make_user):
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    build_world(admin)
    viewer = make_user("bupati", Role.VIEWER, "51.04")
    summary = home_summary(viewer, TODAY)
    assert summary["waiting"] == []
    assert summary["headline"].covered == 2  # the two active workers of Gianyar
    assert summary["headline"].rate is None  # no workforce figure: no rate
    assert summary["headline"].url == reverse("dashboards:home")
    client = Client()
    client.force_login(viewer)
    page = client.get("/").content.decode()
    assert 'data-testid="headline"' in page and "pekerja terlindungi" in page


def test_nothing_waiting_is_said(make_user):
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    assert home_summary(admin, TODAY)["waiting"] == []
    client = Client()
    client.force_login(admin)
    assert "Tidak ada pekerjaan yang menunggu." in client.get("/").content.decode()


def test_regency_admin_sees_agents_fee_statements_in_draft(make_user):
    from lindung.agents.models import Agent, Organisation
    from lindung.people.models import Person
    from lindung.selfpay import fees

    wadah = Organisation.objects.create(kind="bumdes", name="BumDes Batubulan", regency_id="51.04")
    perisai = Agent.objects.create(organisation=wadah, regency_id="51.04", full_name="Ni Luh Ayu")
    worker = make_person(BATUBULAN)
    Person.objects.filter(pk=worker.pk).update(
        agent=perisai, created_at=dt.datetime(2026, 10, 3, tzinfo=dt.UTC)
    )
    fees.run_fees(month=dt.date(2026, 10, 1))  # drafts for the agent and for its BumDes
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    [draft] = by_kind(home_summary(admin, TODAY)["waiting"])["fee_draft"]
    assert (draft.count, draft.url) == (2, reverse("selfpay:fees"))
    jembrana = make_user("disnaker.jembrana", Role.REGENCY_ADMIN, "51.01")
    assert "fee_draft" not in by_kind(home_summary(jembrana, TODAY)["waiting"])
