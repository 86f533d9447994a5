"""Formula injection: text typed by people (payment references, names, funders, the
preparer's name) reaches the bill and realisation workbooks as text, never as a formula."""

import datetime as dt

import pytest

from lindung.billing.services import record_payment, run_billing
from lindung.programs import clock
from tests.billing.conftest import BATUBULAN, activate, make_person, sponsor
from tests.spreadsheet_checks import PAYLOAD, PAYLOADS, assert_text_not_formula

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def paid_bill(make_billing_program, regency_admin):
    program = make_billing_program(funder_name="+62 Pemda", name="-Perlindungan Gianyar")
    people = [make_person(BATUBULAN, name=payload) for payload in PAYLOADS]
    activate(sponsor(program, people), dt.date(2024, 1, 19))
    bill = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]
    record_payment(
        user=regency_admin, bill=bill, paid_on="15/02/2024", amount=1000, reference=PAYLOAD,
        today=TODAY,
    )  # fmt: skip
    regency_admin.first_name = "@Kepala"
    regency_admin.save()
    return bill


def test_bill_workbook_holds_the_payment_reference_and_names_as_text(
    client, paid_bill, regency_admin
):
    client.force_login(regency_admin)
    response = client.get(f"/tagihan/{paid_bill.pk}/xlsx/")
    assert response.status_code == 200
    assert_text_not_formula(
        response.content, [PAYLOAD, *PAYLOADS, "+62 Pemda", "-Perlindungan Gianyar", "@Kepala"]
    )


def test_realisation_workbook_holds_program_text_as_text(client, paid_bill, regency_admin):
    client.force_login(regency_admin)
    response = client.get(f"/tagihan/program/{paid_bill.program_id}/realisasi/?format=xlsx")
    assert response.status_code == 200
    assert_text_not_formula(response.content, ["-Perlindungan Gianyar"])
