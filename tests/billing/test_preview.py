"""Billing without surprises: the month offered is the next one due, a preview says what a
run would add (and writes nothing), several months at once need a confirmation, and a
program with nothing to bill says why."""

import datetime as dt

import pytest

from lindung.billing import selectors
from lindung.billing.models import Bill, BillingRun, BillLine
from lindung.billing.services import run_billing
from lindung.programs import clock
from lindung.programs.models import Enrollment
from tests.billing.conftest import BATUBULAN, KETEWEL, activate, make_person, sponsor

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 3, 15)
PREMIUM = 16_800  # JKK + JKM on Rp 1.000.000


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def active_program(make_billing_program):
    program = make_billing_program()
    people = [make_person(BATUBULAN), make_person(BATUBULAN), make_person(KETEWEL)]
    activate(sponsor(program, people), dt.date(2024, 1, 19))
    return program


def test_the_next_month_due_is_offered_first(active_program):
    assert selectors.months_due(active_program, TODAY) == [
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 1),
    ]
    assert selectors.default_run_month(active_program, TODAY) == dt.date(2024, 1, 1)
    run_billing(user=None, program=active_program, month=dt.date(2024, 1, 1), today=TODAY)
    assert selectors.default_run_month(active_program, TODAY) == dt.date(2024, 2, 1)
    run_billing(user=None, program=active_program, month=dt.date(2024, 3, 1), today=TODAY)
    # All billed: the latest month is offered again (a re-run adds only what came late).
    assert selectors.months_due(active_program, TODAY) == []
    assert selectors.default_run_month(active_program, TODAY) == dt.date(2024, 3, 1)


def test_preview_names_the_catch_up_months_and_writes_nothing(active_program):
    preview = selectors.run_preview(active_program, dt.date(2024, 3, 1), TODAY)
    assert preview.refusal == ""
    assert [(m.month.month, m.lines, m.amount) for m in preview.months] == [
        (1, 3, 3 * PREMIUM),
        (2, 3, 3 * PREMIUM),
        (3, 3, 3 * PREMIUM),
    ]
    assert (preview.lines, preview.amount) == (9, 9 * PREMIUM)
    assert preview.catch_up == [dt.date(2024, 1, 1), dt.date(2024, 2, 1)]
    assert preview.needs_confirmation
    assert not Bill.objects.exists() and not BillingRun.objects.exists()
    # The run adds exactly what the preview said.
    result = run_billing(user=None, program=active_program, month=dt.date(2024, 3, 1), today=TODAY)
    assert (result.run.lines, result.run.amount, result.run.late_lines) == (9, 9 * PREMIUM, 6)
    again = selectors.run_preview(active_program, dt.date(2024, 3, 1), TODAY)
    assert (again.lines, again.amount, again.needs_confirmation) == (0, 0, False)


def test_one_month_needs_no_confirmation(active_program):
    preview = selectors.run_preview(active_program, dt.date(2024, 1, 1), TODAY)
    assert (preview.lines, preview.catch_up, preview.needs_confirmation) == (3, [], False)


def test_preview_counts_the_reversals_the_run_will_write(active_program):
    run_billing(user=None, program=active_program, month=dt.date(2024, 1, 1), today=TODAY)
    # The insurer corrects one effective date to February: January's line is no longer due.
    moved = Enrollment.objects.order_by("id").first()
    Enrollment.objects.filter(pk=moved.pk).update(effective_date=dt.date(2024, 2, 1))
    preview = selectors.run_preview(active_program, dt.date(2024, 2, 1), TODAY)
    assert (preview.reversals, preview.reversal_amount) == (1, -PREMIUM)
    assert [(m.month.month, m.lines) for m in preview.months] == [(2, 3)]
    result = run_billing(user=None, program=active_program, month=dt.date(2024, 2, 1), today=TODAY)
    assert result.run.reversals == preview.reversals
    assert result.run.amount == preview.amount == 3 * PREMIUM - PREMIUM
    assert BillLine.objects.filter(kind="reversal").count() == 1


def test_preview_refuses_a_month_in_the_future(active_program):
    preview = selectors.run_preview(active_program, dt.date(2024, 5, 1), TODAY)
    assert "05/2024 belum berjalan" in preview.refusal and preview.months == []


def test_nothing_to_bill_says_why(make_billing_program):
    future = make_billing_program(name="PPR 2025", year=2025, rounds="01/2025")
    assert selectors.nothing_to_bill(future, TODAY) == (
        "Program ini mulai 01/2025: tagihan pertama bisa dibuat pada bulan itu."
    )
    waiting = make_billing_program(name="PPR menunggu BPJS")
    sponsor(waiting, [make_person(BATUBULAN)])  # submitted, no answer yet
    assert selectors.nothing_to_bill(waiting, TODAY).startswith("Belum ada peserta aktif")


def test_pages_preview_then_confirm(client, regency_admin, active_program, make_billing_program):
    client.force_login(regency_admin)
    page = client.get(f"/tagihan/program/{active_program.pk}/").content.decode()
    assert '<option value="01/2024" selected>' in page
    assert "3 bulan belum ditagih; berikutnya 01/2024." in page

    url = f"/tagihan/program/{active_program.pk}/pratinjau/?month=03/2024"
    page = client.get(url).content.decode()
    assert "Termasuk 2 bulan susulan: 01/2024, 02/2024." in page
    assert 'name="confirm"' in page and "Rp 151.200" in page

    run = f"/tagihan/program/{active_program.pk}/jalankan/"
    response = client.post(run, {"month": "03/2024"})
    assert response.status_code == 302 and "pratinjau" in response["Location"]
    assert not Bill.objects.exists()  # not confirmed: nothing billed
    client.post(run, {"month": "03/2024", "confirm": "1"})
    assert Bill.objects.get().amount == 9 * PREMIUM

    future = make_billing_program(name="PPR 2025", year=2025, rounds="01/2025")
    page = client.get(f"/tagihan/program/{future.pk}/").content.decode()
    assert "Program ini mulai 01/2025" in page and "Lihat pratinjau tagihan" not in page


def test_preview_page_is_for_those_who_run_bills(client, viewer, active_program):
    client.force_login(viewer)
    url = f"/tagihan/program/{active_program.pk}/pratinjau/?month=01/2024"
    assert client.get(url).status_code == 403
