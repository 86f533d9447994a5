"""Payments against a bill: recorded, never twice, never more than owed; the insurer's
confirmation file imported row by row, idempotent, every refusal explained."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.billing.models import Bill, Payment
from lindung.billing.services import (
    ImportUnreadable,
    PaymentRefused,
    import_payments,
    record_payment,
    run_billing,
)
from tests.billing.conftest import BATUBULAN, KETEWEL, activate, make_person, sponsor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 20)


@pytest.fixture
def january(make_billing_program):
    program = make_billing_program()
    people = [make_person(BATUBULAN) for _ in range(3)] + [make_person(KETEWEL) for _ in range(2)]
    activate(sponsor(program, people), dt.date(2024, 1, 19))
    return run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]


def pay(bill, amount, reference="SP2D-001", paid_on="15/02/2024", **kw):
    return record_payment(
        user=kw.pop("user", None), bill=bill, paid_on=paid_on, amount=amount,
        reference=reference, today=TODAY, **kw,
    )  # fmt: skip


def test_a_payment_is_recorded_with_its_proof_and_locks_the_bill(january):
    proof = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    payment = pay(january, "84.000", proof=proof)
    january.refresh_from_db()
    assert (payment.amount, payment.paid_on) == (84_000, dt.date(2024, 2, 15))
    assert payment.proof.name.endswith(".pdf")
    assert (january.paid, january.outstanding, january.status(TODAY)) == (84_000, 0, "paid")
    assert january.locked_at is not None


def test_partial_payments_add_up_to_the_bill(january):
    pay(january, 50_000, "TRF-1")
    pay(january, 34_000, "TRF-2")
    january.refresh_from_db()
    assert january.is_paid and january.payments.count() == 2


def test_a_bill_cannot_be_paid_twice(january):
    pay(january, 84_000, "SP2D-001")
    with pytest.raises(PaymentRefused) as twice:
        pay(january, 84_000, "SP2D-002")
    assert twice.value.code == "bill_already_paid"
    assert "sudah lunas" in twice.value.message and "dua kali" in twice.value.message


def test_the_same_transfer_recorded_again_is_refused(january):
    pay(january, 40_000, "SP2D-001")
    with pytest.raises(PaymentRefused) as again:
        pay(january, 40_000, "SP2D-001")
    assert again.value.code == "payment_duplicate"
    assert "SP2D-001" in again.value.message and "15/02/2024" in again.value.message


def test_an_overpayment_is_refused_with_the_outstanding_amount(january):
    pay(january, 80_000, "TRF-1")
    with pytest.raises(PaymentRefused) as excess:
        pay(january, 10_000, "TRF-2")
    assert excess.value.code == "payment_exceeds_outstanding"
    assert excess.value.message == (
        "Jumlah Rp 10.000 melebihi sisa tagihan Rp 4.000. Kelebihan bayar tidak diterima: "
        "catat paling banyak sisa tagihan."
    )
    january.refresh_from_db()
    assert january.paid == 80_000


@pytest.mark.parametrize(
    "amount, paid_on, reference, code",
    [
        (0, "15/02/2024", "X", "payment_amount_invalid"),
        (-5, "15/02/2024", "X", "payment_amount_invalid"),
        (12.5, "15/02/2024", "X", "payment_amount_invalid"),
        ("dua ribu", "15/02/2024", "X", "payment_amount_invalid"),
        (1_000, "31/02/2024", "X", "payment_date_invalid"),
        (1_000, "21/03/2024", "X", "payment_date_future"),
        (1_000, "15/02/2024", "  ", "payment_reference_missing"),
    ],
)
def test_bad_payments_are_refused_with_a_clear_message(january, amount, paid_on, reference, code):
    with pytest.raises(PaymentRefused) as refused:
        pay(january, amount, reference, paid_on)
    assert refused.value.code == code and refused.value.message
    assert not Payment.objects.exists()


def test_a_proof_must_be_a_pdf_or_an_image(january):
    with pytest.raises(PaymentRefused, match="payment_proof_invalid"):
        pay(january, 1_000, proof=SimpleUploadedFile("virus.exe", b"MZ"))


def test_who_may_record_payments(january, operator, regency_admin, viewer):
    from django.core.exceptions import PermissionDenied

    for user in (operator, viewer):
        with pytest.raises(PermissionDenied):
            pay(january, 1_000, user=user)
    assert pay(january, 1_000, user=regency_admin).recorded_by == regency_admin


CONFIRMATION = """nomor_tagihan;tanggal_bayar;jumlah;referensi
{number};15/02/2024;84.000;BPJS-CONF-1
TGH/9999/2024-01;15/02/2024;1000;BPJS-CONF-2
{number};31/02/2024;1000;BPJS-CONF-3
{number};16/02/2024;seribu;BPJS-CONF-4
{number};16/02/2024;1000;BPJS-CONF-5
"""


def test_the_insurers_confirmation_file_is_imported_once(january):
    content = CONFIRMATION.format(number=january.number).encode()
    first = import_payments(user=None, file_name="konfirmasi.csv", content=content, today=TODAY)
    assert (first.rows, first.recorded, first.unchanged, first.refused) == (5, 1, 0, 4)
    codes = {row["row"]: row["code"] for row in first.report if row["status"] == "refused"}
    assert codes == {
        3: "row_bill_unknown",
        4: "row_date_invalid",
        5: "row_amount_invalid",
        6: "bill_already_paid",
    }
    assert "nomor_tagihan" in first.report[1]["message"]
    second = import_payments(user=None, file_name="konfirmasi.csv", content=content, today=TODAY)
    assert (second.recorded, second.unchanged) == (0, 1)
    assert Payment.objects.get().source == "import"
    assert Bill.objects.get(pk=january.pk).paid == 84_000


def test_an_xlsx_confirmation_is_read_too(january):
    import io

    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Nomor Tagihan", "Tanggal Bayar", "Jumlah", "Referensi"])
    sheet.write_row(1, 0, [january.number, "15/02/2024", 84_000, "VA-123"])
    book.close()
    record = import_payments(user=None, file_name="bpjs.xlsx", content=out.getvalue(), today=TODAY)
    assert record.recorded == 1


def test_an_unreadable_file_says_which_columns_are_missing(january):
    with pytest.raises(ImportUnreadable) as missing:
        import_payments(user=None, file_name="x.csv", content=b"nomor,jumlah\n1,2\n", today=TODAY)
    assert missing.value.code == "file_columns_missing"
    assert "tanggal_bayar" in missing.value.message
