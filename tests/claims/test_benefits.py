"""The benefit estimator on the dated tables: rule changes, membership thresholds, lapsed
memberships and the JKK income multiples."""

import datetime as dt

import pytest
from django.utils import timezone

from lindung.claims import benefits
from lindung.claims.models import BenefitRule
from lindung.programs.lifecycle import State
from tests.claims.conftest import TODAY, covered, make_person

pytestmark = pytest.mark.django_db


def hypo(start, months, segment="BPU", income=1_000_000):
    return benefits.hypothetical(segment=segment, income=income, start=start, months_paid=months)


def amounts(result) -> dict:
    return {c.code: c.amount for c in result.components}


def test_the_default_tables_are_seeded_with_their_sources():
    rules = list(BenefitRule.objects.order_by("effective_from"))
    assert [r.effective_from for r in rules] == [
        dt.date(2019, 12, 2), dt.date(2021, 3, 1), dt.date(2025, 2, 24)
    ]  # fmt: skip
    assert [r.legal_basis.split(" (")[0] for r in rules] == [
        "PP 82/2019", "Permenaker 5/2021", "Permenaker 1/2025"
    ]  # fmt: skip
    assert all(r.jkm_lump_sum + r.jkm_periodic + r.jkm_funeral == 42_000_000 for r in rules)


def test_death_after_three_months_gives_the_full_jkm_without_scholarship():
    result = benefits.estimate(hypo(dt.date(2025, 1, 1), 12), "death", dt.date(2025, 6, 15),
                               today=TODAY)  # fmt: skip
    assert amounts(result) == {"lump_sum": 20_000_000, "periodic": 12_000_000,
                               "funeral": 10_000_000}  # fmt: skip
    assert result.total == 42_000_000
    assert result.rule.legal_basis.startswith("Permenaker 1/2025")
    assert result.months_of_membership == 5 and result.contribution_months == 6
    assert any("Beasiswa belum berhak" in r for r in result.reasons)


def test_bpu_death_in_the_first_three_months_gives_ten_million():
    start = dt.date(2025, 3, 10)
    early = benefits.estimate(hypo(start, 6), "death", dt.date(2025, 6, 9), today=TODAY)
    assert amounts(early) == {"early_death": 10_000_000}
    # The day three whole months are reached, the full benefit is due.
    full = benefits.estimate(hypo(start, 6), "death", dt.date(2025, 6, 10), today=TODAY)
    assert full.total == 42_000_000
    # A formal (PU) member has no such period.
    pu = benefits.estimate(hypo(start, 6, "PU"), "death", dt.date(2025, 4, 1), today=TODAY)
    assert pu.total == 42_000_000


def test_the_rule_in_force_on_the_event_date_applies():
    """Before Permenaker 5/2021 (PP 82/2019 only) there was no early-death period."""
    start = dt.date(2020, 12, 1)
    before = benefits.estimate(hypo(start, 6), "death", dt.date(2021, 2, 10), today=TODAY)
    assert before.rule.legal_basis.startswith("PP 82/2019") and before.total == 42_000_000
    after = benefits.estimate(hypo(dt.date(2021, 2, 1), 6), "death", dt.date(2021, 3, 10),
                              today=TODAY)  # fmt: skip
    assert after.rule.legal_basis.startswith("Permenaker 5/2021") and after.total == 10_000_000
    # A new version (a later regulation) is a new row: events from its date use it.
    BenefitRule.objects.create(
        **{f.name: getattr(after.rule, f.name) for f in BenefitRule._meta.concrete_fields
           if f.name not in ("id", "effective_from", "created_at", "legal_basis", "jkm_lump_sum")},
        effective_from=dt.date(2026, 7, 1), legal_basis="Aturan uji 2026", jkm_lump_sum=30_000_000,
    )  # fmt: skip
    june = benefits.estimate(hypo(dt.date(2025, 1, 1), 24), "death", dt.date(2026, 6, 30),
                             today=TODAY)  # fmt: skip
    july = benefits.estimate(hypo(dt.date(2025, 1, 1), 24), "death", dt.date(2026, 7, 1),
                             today=TODAY)  # fmt: skip
    assert (june.total, july.total) == (42_000_000, 52_000_000)
    assert july.rule.legal_basis == "Aturan uji 2026"


def test_scholarship_only_after_36_months_of_contributions():
    start = dt.date(2022, 1, 1)
    at_35 = benefits.estimate(hypo(start, 40), "death", dt.date(2024, 11, 20), today=TODAY)
    at_36 = benefits.estimate(hypo(start, 40), "death", dt.date(2024, 12, 20), today=TODAY)
    assert at_35.contribution_months == 35 and "scholarship" not in amounts(at_35)
    assert at_36.contribution_months == 36 and amounts(at_36)["scholarship"] == 174_000_000
    assert at_36.total == 42_000_000 and at_36.total_up_to == 216_000_000


def test_jkk_income_multiples_and_care():
    member = hypo(dt.date(2026, 1, 1), 12, income=2_500_000)
    death = benefits.estimate(member, "work_accident_death", dt.date(2026, 2, 3), today=TODAY)
    assert amounts(death) == {"income_multiple": 120_000_000, "funeral": 10_000_000,
                              "periodic": 12_000_000, "scholarship": 174_000_000}  # fmt: skip
    assert death.total == 142_000_000
    assert "48 × Rp 2.500.000" in death.components[0].rule
    disability = benefits.estimate(member, "total_disability", dt.date(2026, 2, 3), today=TODAY)
    assert amounts(disability)["income_multiple"] == 140_000_000
    care = benefits.estimate(member, "work_accident_care", dt.date(2026, 2, 3), today=TODAY)
    assert amounts(care) == {"care": None} and care.total == 0


def test_bad_dates_are_refused_with_stable_codes():
    member = hypo(dt.date(2026, 3, 15), 6)
    with pytest.raises(benefits.EstimateRefused) as future:
        benefits.estimate(member, "death", dt.date(2026, 11, 21), today=TODAY)
    assert future.value.code == "date_in_future"
    with pytest.raises(benefits.EstimateRefused) as before:
        benefits.estimate(member, "death", dt.date(2026, 3, 14), today=TODAY)
    assert before.value.code == "event_before_membership"
    assert "15/03/2026" in before.value.message
    with pytest.raises(benefits.EstimateRefused) as kind:
        benefits.estimate(member, "flood", dt.date(2026, 4, 1), today=TODAY)
    assert kind.value.code == "event_invalid"


def test_a_hypothetical_lapsed_membership_gives_nothing_after_its_end():
    result = benefits.estimate(hypo(dt.date(2025, 1, 1), 6), "death", dt.date(2025, 9, 1),
                               today=TODAY)  # fmt: skip
    assert not result.covered and result.components == [] and result.total == 0
    assert any("06/2025" in r for r in result.reasons)


def test_a_sponsored_worker_is_covered_in_the_sponsored_months(sponsor_program):
    enrollment = covered(sponsor_program)
    member = benefits.of_person(enrollment.person)
    result = benefits.estimate(member, "death", dt.date(2026, 8, 5), today=TODAY)
    assert result.membership_start == dt.date(2026, 4, 10)
    assert result.current and result.total == 42_000_000
    # Within its first three months: the early BPU amount.
    early = benefits.estimate(member, "death", dt.date(2026, 7, 9), today=TODAY)
    assert early.total == 10_000_000
    # After the sponsored months, not continued: lapsed, nothing.
    after = benefits.estimate(member, "death", dt.date(2026, 10, 2), today=TODAY)
    assert not after.covered and after.total == 0
    with pytest.raises(benefits.EstimateRefused) as before:
        benefits.estimate(member, "death", dt.date(2026, 4, 9), today=TODAY)
    assert before.value.code == "event_before_membership"


def test_self_paid_months_continue_the_membership(sponsor_program):
    from lindung.selfpay.models import Collection, CollectionLine

    enrollment = covered(sponsor_program, state=State.CONTINUED)
    person = enrollment.person
    collection = Collection(person=person, enrollment=enrollment, paid_on=dt.date(2026, 10, 5),
                            method="cash", total=33_600, recorded_at=timezone.now(),
                            village_id=person.village_id)  # fmt: skip
    collection.set_region_codes()
    collection.save()
    for month in (dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        CollectionLine.objects.create(collection=collection, person=person, enrollment=enrollment,
                                      month=month, amount=16_800, base_amount=16_800,
                                      rule_label="-", rate_version=dt.date(2015, 7, 1))  # fmt: skip
    member = benefits.of_person(person)
    paid = benefits.estimate(member, "work_accident_death", dt.date(2026, 11, 2), today=TODAY)
    assert paid.current and paid.contribution_months == 8
    # Income of a self-paid month: the worker's declared income.
    assert paid.income == person.declared_income


def test_a_continuing_worker_in_arrears_is_covered_on_condition(sponsor_program):
    enrollment = covered(sponsor_program, state=State.CONTINUED)
    member = benefits.of_person(enrollment.person)
    result = benefits.estimate(member, "death", dt.date(2026, 11, 2), today=TODAY)
    assert result.covered and not result.current and result.total == 42_000_000
    assert any("tunggakan" in r for r in result.reasons)


def test_a_worker_never_activated_is_not_a_member(sponsor_program):
    person = make_person()
    with pytest.raises(benefits.EstimateRefused) as refused:
        benefits.estimate(benefits.of_person(person), "death", dt.date(2026, 5, 1), today=TODAY)
    assert refused.value.code == "not_a_member"


def test_permenaker_1_2025_applies_from_its_promulgation():
    """In force from 24/02/2025 (diundangkan), not from the 01/01/2025 once assumed."""
    before = benefits.estimate(hypo(dt.date(2024, 1, 1), 14), "death", dt.date(2025, 2, 23),
                               today=TODAY)  # fmt: skip
    on = benefits.estimate(hypo(dt.date(2024, 1, 1), 14), "death", dt.date(2025, 2, 24),
                           today=TODAY)  # fmt: skip
    assert before.rule.legal_basis.startswith("Permenaker 5/2021")
    assert on.rule.legal_basis.startswith("Permenaker 1/2025")
    assert before.total == on.total == 42_000_000
