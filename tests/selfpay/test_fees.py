"""Fee statements: both rules of domain.md, the 25-new-NIK threshold, the Wadah's share, a
rule change within the year, frozen approved statements, idempotent runs."""

import datetime as dt

import pytest

from lindung.agents.models import Agent, Organisation
from lindung.people.models import Person
from lindung.selfpay import fees
from lindung.selfpay.models import FeeLine, FeeRule, FeeStatement
from lindung.selfpay.services import record_collection
from tests.selfpay.conftest import ended_enrollment, make_person

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def wadah(db):
    return Organisation.objects.create(kind="bumdes", name="BumDes Batubulan", regency_id="51.04")


@pytest.fixture
def perisai(wadah):
    return Agent.objects.create(organisation=wadah, regency_id="51.04", full_name="Ni Luh Ayu")


def managed(program, agent, **extra):
    enrollment = ended_enrollment(program, **extra)
    Person.objects.filter(pk=enrollment.person_id).update(agent=agent)
    return enrollment


def pay(enrollment, months, paid_on):
    return record_collection(user=None, nik=enrollment.person.nik, months=months,
                             paid_on=paid_on, method="cash", today=paid_on)  # fmt: skip


def new_workers(agent, count, created):
    people = [make_person() for _ in range(count)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(agent=agent, created_at=created)


def statement(agent, month=OCTOBER):
    return FeeStatement.objects.get(agent=agent, month=month)


def test_new_perisai_share_by_contribution_month(sponsor_program, perisai):
    young = managed(sponsor_program, perisai)  # membership from April 2026: October is month 7
    old = managed(sponsor_program, perisai)
    old.effective_date = dt.date(2024, 6, 1)  # October 2026 is month 29
    old.save()
    pay(young, ["2026-10"], dt.date(2026, 10, 20))
    pay(old, ["2026-10", "2026-11"], dt.date(2026, 10, 21))
    run = fees.run_fees(month=OCTOBER)
    assert run.rule.code == "perisai-baru-2022"
    lines = statement(perisai).lines.filter(kind="contribution").order_by("month_number")
    assert [(x.month_number, x.rate_bp, x.amount) for x in lines] == [
        (7, 1500, 1260),
        (29, 500, 420),
        (30, 500, 420),
    ]
    assert all(x.collection_line_id and x.person_id and x.rule_id == run.rule.pk for x in lines)
    assert statement(perisai).total == 2100
    assert statement(perisai).due_on == dt.date(2026, 11, 5)


def test_a_paid_month_that_earned_a_fee_cannot_be_deleted(sponsor_program, perisai):
    """The fee line's reference is kept by Django (no constraint: the collection lines are
    partitioned on PostgreSQL), so deleting the paid month is refused by Django itself."""
    from django.db.models import ProtectedError

    young = managed(sponsor_program, perisai)
    pay(young, ["2026-10"], dt.date(2026, 10, 20))
    fees.run_fees(month=OCTOBER)
    line = statement(perisai).lines.get(kind="contribution").collection_line
    with pytest.raises(ProtectedError):
        line.delete()


def test_contributions_beyond_month_60_earn_nothing(sponsor_program, perisai):
    veteran = managed(sponsor_program, perisai)
    veteran.effective_date = dt.date(2021, 9, 1)  # October 2026 is month 62
    veteran.save()
    pay(veteran, ["2026-10"], dt.date(2026, 10, 20))
    fees.run_fees(month=OCTOBER)
    assert statement(perisai).total == 0


def test_acquisition_only_from_25_new_niks_in_the_month(perisai, wadah, db):
    other = Agent.objects.create(organisation=wadah, regency_id="51.04", full_name="I Ketut")
    in_october = dt.datetime(2026, 10, 15, 10, tzinfo=dt.UTC)
    new_workers(perisai, 25, in_october)
    new_workers(other, 24, in_october)
    new_workers(other, 5, dt.datetime(2026, 9, 15, tzinfo=dt.UTC))
    fees.run_fees(month=OCTOBER)
    assert statement(perisai).lines.filter(kind="acquisition").count() == 25
    assert statement(perisai).total == 25 * 10_000
    assert statement(other).total == 0
    organisation = FeeStatement.objects.get(organisation=wadah, month=OCTOBER)
    share = organisation.lines.get(source_statement=statement(perisai))
    assert (share.rate_bp, share.amount) == (1000, 25_000)
    assert organisation.total == 25_000


def test_the_2018_rule_in_its_time(sponsor_program, perisai):
    may = dt.date(2019, 5, 1)
    enrollment = managed(sponsor_program, perisai, coverage_end=dt.date(2019, 3, 31))
    pay(enrollment, ["2019-04", "2019-05"], dt.date(2019, 5, 10))
    new_workers(perisai, 50, dt.datetime(2019, 5, 2, tzinfo=dt.UTC))
    run = fees.run_fees(month=may)
    assert run.rule.code == "perisai-2018"
    mine = statement(perisai, may)
    assert sorted(mine.lines.values_list("kind", "amount")) == [
        ("bonus", 500_000), ("contribution", 1260), ("contribution", 1260)
    ]  # fmt: skip
    assert not FeeStatement.objects.filter(organisation__isnull=False, month=may).exists()


def test_a_rule_change_within_the_year_prices_each_month_by_its_rule(sponsor_program, perisai):
    FeeRule.objects.create(code="uji-2026-11", name="Uji", legal_basis="uji",
                           effective_from=dt.date(2026, 11, 1), first_tier_months=24,
                           first_tier_bp=2000, acquisition_threshold=25)  # fmt: skip
    enrollment = managed(sponsor_program, perisai)
    pay(enrollment, ["2026-10"], dt.date(2026, 10, 30))
    pay(enrollment, ["2026-11"], dt.date(2026, 11, 2))
    fees.run_fees(month=OCTOBER)
    fees.run_fees(month=dt.date(2026, 11, 1))
    assert statement(perisai).total == 1260
    november = statement(perisai, dt.date(2026, 11, 1))
    assert november.rule.code == "uji-2026-11" and november.total == 1680


def test_runs_are_idempotent_and_approved_statements_frozen(
    sponsor_program, perisai, regency_admin, wadah
):
    first = managed(sponsor_program, perisai)
    pay(first, ["2026-10"], dt.date(2026, 10, 20))
    fees.run_fees(month=OCTOBER)
    fees.run_fees(month=OCTOBER)
    assert statement(perisai).lines.count() == 1
    frozen = list(FeeLine.objects.filter(statement=statement(perisai)).values_list("id", "amount"))
    fees.approve(user=regency_admin, statement=statement(perisai), today=dt.date(2026, 11, 2))
    late = managed(sponsor_program, perisai)
    record_collection(user=None, nik=late.person.nik, months=["2026-10"], method="qris",
                      paid_on=dt.date(2026, 10, 31), today=dt.date(2026, 11, 3))  # fmt: skip
    fees.run_fees(month=OCTOBER)
    mine = statement(perisai)
    assert set(frozen) <= set(mine.lines.values_list("id", "amount"))
    correction = mine.lines.get(correction=True)
    assert correction.amount == 1260 and mine.total == 2520
    with pytest.raises(fees.FeeRefused) as caught:
        fees.approve(user=regency_admin, statement=mine, today=dt.date(2026, 11, 3))
    assert caught.value.code == "already_approved"


def test_statements_are_approved_after_the_month_by_a_regency_admin(perisai, operator):
    new_workers(perisai, 1, dt.datetime(2026, 10, 3, tzinfo=dt.UTC))
    fees.run_fees(month=OCTOBER)
    for user, today, code in [
        (operator, dt.date(2026, 11, 2), "forbidden"),
        (None, dt.date(2026, 10, 31), "month_open"),
    ]:
        with pytest.raises(fees.FeeRefused) as caught:
            fees.approve(user=user, statement=statement(perisai), today=today)
        assert caught.value.code == code


def test_no_statement_without_a_rule_in_force(db):
    with pytest.raises(fees.FeeRefused) as caught:
        fees.run_fees(month=dt.date(2017, 5, 1))
    assert caught.value.code == "no_rule"


def test_sponsored_months_earn_fees_only_by_setting(perisai, settings):
    from lindung.billing.services import run_billing
    from lindung.programs.models import Enrollment
    from lindung.programs.services import create_program
    from tests.billing.conftest import activate, program_data, sponsor

    data = program_data(name="Pekerja Rentan Gianyar 2024", year=2024, rounds="01/2024",
                        budget=10 * 100_800)  # fmt: skip
    program = create_program(user=None, data=data)
    enrollments = sponsor(program, [make_person(), make_person()])
    activate(enrollments, dt.date(2024, 1, 10))
    Enrollment.objects.filter(pk=enrollments[0].pk).update(agent=perisai)
    run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=dt.date(2024, 1, 31))
    january = dt.date(2024, 1, 1)
    settings.LINDUNG_FEES_ON_SPONSORED = False
    fees.run_fees(month=january)
    assert not FeeStatement.objects.filter(agent=perisai, month=january).exists()
    settings.LINDUNG_FEES_ON_SPONSORED = True
    fees.run_fees(month=january)
    (line,) = statement(perisai, january).lines.all()
    assert (line.kind, line.month_number, line.base, line.amount) == ("sponsored", 1, 16_800, 2520)
    assert line.bill_line_id and line.person_id == enrollments[0].person_id
