"""The monthly billing run: one line per active enrollment-month, idempotent, corrections as
new lines (late months, reversals), never an edit of a paid bill, and the budget guard."""

import datetime as dt

import pytest

from lindung.billing.models import Bill, BillingRun, BillLine
from lindung.billing.run import BillingRefused
from lindung.billing.services import record_payment, run_billing
from lindung.contributions.models import BpuRateVersion
from lindung.contributions.premiums import premium
from lindung.programs.models import Enrollment
from tests.billing.conftest import BATUBULAN, KETEWEL, activate, make_person, sponsor

pytestmark = pytest.mark.django_db
JAN, FEB, MAR, APR = (dt.date(2024, m, 1) for m in (1, 2, 3, 4))
TODAY = dt.date(2024, 8, 20)


def bill(program, month, **kw):
    return run_billing(user=None, program=program, month=month, today=TODAY, **kw)


@pytest.fixture
def program(make_billing_program):
    return make_billing_program()


@pytest.fixture
def five(program):
    people = [make_person(BATUBULAN) for _ in range(3)] + [make_person(KETEWEL) for _ in range(2)]
    enrollments = sponsor(program, people)
    activate(enrollments, dt.date(2024, 1, 19))
    return enrollments


def test_one_line_per_active_enrollment_month_the_effective_month_counts_whole(program, five):
    result = bill(program, JAN)
    assert result.as_dict() | {"bills": None, "added_amount": None} == {
        "program": program.pk,
        "month": "2024-01",
        "lines": 5,
        "amount": 5 * 16_800,
        "added_lines": 5,
        "added_amount": None,
        "late_lines": 0,
        "reversals": 0,
        "bills": None,
    }
    (only,) = result.bills
    assert only.number == f"TGH/{program.pk:04d}/2024-01"
    assert only.due_date == dt.date(2024, 2, 15)
    totals = {t.village_id: (t.lines, t.people, t.amount) for t in only.village_totals.all()}
    assert totals == {BATUBULAN: (3, 3, 50_400), KETEWEL: (2, 2, 33_600)}
    line = only.lines.first()
    assert (line.kind, line.covered_month, line.jkk, line.jkm) == ("premium", JAN, 10_000, 6_800)


def test_running_the_same_month_again_changes_nothing(program, five):
    first = bill(program, JAN)
    second = bill(program, JAN)
    assert second.run.lines == 0 and second.run.amount == 0
    assert [b.pk for b in second.bills] == [b.pk for b in first.bills]
    assert (second.lines, second.amount) == (5, 84_000)
    assert BillLine.objects.count() == 5 and BillingRun.objects.count() == 2


def test_nothing_is_billed_after_the_sponsored_months(program, five):
    for month in range(1, 9):
        bill(program, dt.date(2024, month, 1))
    assert BillLine.objects.count() == 5 * 6
    assert not Bill.objects.filter(month=dt.date(2024, 7, 1)).exists()
    enrollment = Enrollment.objects.get(pk=five[0].pk)
    assert enrollment.coverage_end == dt.date(2024, 6, 30)


def test_a_late_activation_is_billed_as_late_lines_on_the_current_bill(program, five):
    bill(program, JAN)
    bill(program, FEB)
    (late,) = sponsor(program, [make_person(BATUBULAN)])
    activate([late], dt.date(2024, 1, 25))  # the insurer's answer arrives in March
    result = bill(program, MAR)
    assert (result.run.lines, result.run.late_lines) == (8, 2)
    lines = BillLine.objects.filter(enrollment=late).order_by("covered_month")
    assert [(x.covered_month, x.kind, x.bill.month) for x in lines] == [
        (JAN, "late", MAR),
        (FEB, "late", MAR),
        (MAR, "premium", MAR),
    ]
    assert Bill.objects.get(month=JAN).amount == 5 * 16_800  # earlier bills untouched


def test_a_paid_bill_is_never_edited_a_correction_goes_to_a_supplementary_bill(program, five):
    january = bill(program, JAN).bills[0]
    record_payment(
        user=None, bill=january, paid_on="15/02/2024", amount=84_000, reference="SP2D-1",
        today=TODAY,
    )  # fmt: skip
    (late,) = sponsor(program, [make_person(KETEWEL)])
    activate([late], dt.date(2024, 1, 30))
    again = bill(program, JAN)
    assert [b.number for b in again.bills] == [january.number, f"{january.number}-S2"]
    january.refresh_from_db()
    assert (january.amount, january.lines_count, january.paid) == (84_000, 5, 84_000)
    supplement = again.bills[1]
    assert (supplement.sequence, supplement.amount, supplement.lines_count) == (2, 16_800, 1)


def test_moved_effective_date_and_withdrawal_make_reversal_lines(program, five):
    bill(program, JAN)
    bill(program, FEB)
    moved, gone = five[0], five[1]
    # The insurer corrects one effective date to March; another membership is cancelled.
    Enrollment.objects.filter(pk=moved.pk).update(
        effective_date=dt.date(2024, 3, 1), coverage_end=dt.date(2024, 8, 31)
    )
    Enrollment.objects.filter(pk=gone.pk).update(state="withdrawn")
    result = bill(program, MAR)
    reversals = BillLine.objects.filter(kind="reversal").order_by("enrollment_id", "covered_month")
    assert [(x.enrollment_id, x.covered_month, x.amount) for x in reversals] == [
        (moved.pk, JAN, -16_800),
        (moved.pk, FEB, -16_800),
        (gone.pk, JAN, -16_800),
        (gone.pk, FEB, -16_800),
    ]
    assert all(x.bill.month == MAR and x.reverses.amount == 16_800 for x in reversals)
    assert result.run.reversals == 4
    # March bills the four still covered (the moved one from March) and credits the rest.
    assert result.bills[0].amount == 4 * 16_800 - 4 * 16_800
    # Nothing more on a second run; the reversed months are not billed twice.
    assert bill(program, MAR).run.lines == 0
    # If the cancellation is undone, the months are billed again, once.
    Enrollment.objects.filter(pk=gone.pk).update(state="active")
    assert bill(program, MAR).run.late_lines == 2


def test_line_amounts_are_the_premium_function_of_their_month(make_billing_program):
    program = make_billing_program(
        name="Program CSR 2026", funder="csr_other", rounds="03/2026", year=2026,
        budget=10_000_000,
    )  # fmt: skip
    people = [make_person(BATUBULAN, income=2_000_000)]
    activate(sponsor(program, people, today=dt.date(2026, 3, 1)), dt.date(2026, 3, 3))
    for month in (3, 4, 5):
        run_billing(
            user=None, program=program, month=dt.date(2026, month, 1), today=dt.date(2026, 6, 1)
        )
    lines = {x.covered_month.month: x for x in BillLine.objects.filter(program_id=program.pk)}
    for month, line in lines.items():
        quote = premium("BPU", ["JKK", "JKM"], 1_000_000, dt.date(2026, month, 1), payer="other")
        assert (line.amount, line.base_amount, line.rule_id) == (
            quote.total,
            quote.base_total,
            quote.rule.pk if quote.rule else None,
        )
    assert lines[3].amount == 16_800 and lines[4].amount == 8_400  # PP 50/2025 from April


def test_a_regency_sponsored_worker_costs_full_price_in_2026(make_billing_program):
    program = make_billing_program(
        name="Program APBD 2026", rounds="04/2026", year=2026, budget=10_000_000
    )
    activate(sponsor(program, [make_person()], today=dt.date(2026, 4, 1)), dt.date(2026, 4, 1))
    result = run_billing(
        user=None, program=program, month=dt.date(2026, 5, 1), today=dt.date(2026, 5, 2)
    )
    assert [(x.kind, x.amount, x.rule_id) for x in BillLine.objects.order_by("covered_month")] == [
        ("late", 16_800, None),
        ("premium", 16_800, None),
    ]
    assert result.amount == 33_600


def test_village_budgets_get_one_bill_per_village(make_billing_program):
    program = make_billing_program(
        name="Program APBDes 2024", funder="apbdes", budget="", village_budget=5_000_000
    )
    people = [make_person(BATUBULAN), make_person(BATUBULAN), make_person(KETEWEL)]
    activate(sponsor(program, people), dt.date(2024, 1, 5))
    result = bill(program, JAN)
    assert {(b.village_code, b.amount, b.payer) for b in result.bills} == {
        (BATUBULAN, 33_600, "apbdes"),
        (KETEWEL, 16_800, "apbdes"),
    }
    assert all(b.number.endswith(b.village_code.replace(".", "")) for b in result.bills)


def test_a_run_past_the_budget_is_refused_and_saves_nothing(make_billing_program):
    program = make_billing_program(name="Pagu pas", budget=2 * 100_800)
    activate(sponsor(program, [make_person(), make_person()]), dt.date(2024, 1, 2))
    # A new rate version arrives after the budget was committed: JKM costs more from March.
    BpuRateVersion.objects.create(
        effective_from=MAR, jkk_rate_bp=100, jkk_min=10_000, jkk_max=207_000, jkm_amount=9_000,
        jht_rate_bp=200, income_floor=1_000_000, income_step=500_000, legal_basis="uji",
    )  # fmt: skip
    for month in (JAN, FEB, MAR, APR, dt.date(2024, 5, 1)):
        bill(program, month)
    with pytest.raises(BillingRefused) as refused:
        bill(program, dt.date(2024, 6, 1))
    assert refused.value.code == "budget_exceeded"
    assert "melebihi pagu" in refused.value.message and "Rp 201.600" in refused.value.message
    assert not Bill.objects.filter(month=dt.date(2024, 6, 1)).exists()
    assert not BillingRun.objects.filter(month=dt.date(2024, 6, 1)).exists()


def test_months_outside_the_program_or_in_the_future_are_refused(program, five):
    with pytest.raises(BillingRefused, match="month_before_program") as early:
        bill(program, dt.date(2023, 12, 1))
    assert "mulai 01/2024" in early.value.message
    with pytest.raises(BillingRefused, match="month_in_future") as future:
        run_billing(user=None, program=program, month=MAR, today=dt.date(2024, 2, 28))
    assert "belum berjalan" in future.value.message


def test_only_managers_of_the_area_run_billing(program, five, operator, regency_admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_billing(user=operator, program=program, month=JAN, today=TODAY)
    assert run_billing(user=regency_admin, program=program, month=JAN, today=TODAY).lines == 5
