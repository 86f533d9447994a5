"""Every write of billing: runs, payments, the insurer's payment confirmations.

A payment moves ``Bill.paid`` with one conditional ``UPDATE`` (``paid + amount <=
amount``), so two clerks recording the same transfer at once cannot pay a bill twice; a
check constraint holds the same rule in the database, and the unique reference per bill
refuses the same transfer recorded twice.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role
from lindung.accounts.scope import in_scope
from lindung.billing import run as billing_run
from lindung.billing.models import Bill, Payment, PaymentImport
from lindung.billing.run import BillingRefused, RunResult
from lindung.formatting import rupiah, tanggal
from lindung.people.validation import parse_date
from lindung.privacy.history import Via, bulk_history, changes_through
from lindung.programs import permissions
from lindung.programs.models import Program
from lindung.programs.services import parse_rupiah
from lindung.refusals import Refusal
from lindung.signals import records_changed
from lindung.uploads import UPLOAD_MESSAGES, inspect

MAX_PROOF_BYTES = 5 * 1024 * 1024
PROOF_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
PAYMENT_MESSAGES = {
    "payment_amount_invalid": _(
        "Jumlah bayar harus rupiah bulat lebih dari 0, mis. 16800 atau 16.800."
    ),
    "payment_date_invalid": _("Tanggal bayar tidak dikenali: tulis seperti 19/02/2024."),
    "payment_date_future": _("Tanggal bayar %(date)s belum terjadi: periksa tanggalnya."),
    "payment_reference_missing": _(
        "Isi referensi pembayaran (nomor bukti transfer, SP2D atau kode bayar BPJS)."
    ),
    "payment_proof_invalid": _("Bukti bayar harus PDF, JPG atau PNG, paling besar 5 MB."),
    "bill_nothing_to_pay": _("Tagihan %(number)s tidak bernilai tagihan: tidak ada yang dibayar."),
    "bill_already_paid": _(
        "Tagihan %(number)s sudah lunas (%(amount)s): tagihan tidak dapat dibayar dua kali."
    ),
    "payment_exceeds_outstanding": _(
        "Jumlah %(amount)s melebihi sisa tagihan %(outstanding)s. Kelebihan bayar tidak "
        "diterima: catat paling banyak sisa tagihan."
    ),
    "payment_duplicate": _(
        "Pembayaran dengan referensi %(reference)s sudah tercatat untuk tagihan %(number)s "
        "(%(date)s, %(amount)s): tagihan tidak dapat dibayar dua kali."
    ),
}

IMPORT_MESSAGES = {
    **UPLOAD_MESSAGES,
    "file_unreadable": _(
        "Berkas tidak dapat dibaca: unggah CSV (dipisah koma atau titik koma) atau XLSX."
    ),
    "file_columns_missing": _(
        "Kolom wajib tidak ada: %(columns)s. Baris judul harus memuat nomor_tagihan, "
        "tanggal_bayar, jumlah dan referensi."
    ),
    "row_bill_unknown": _(
        "Nomor tagihan '%(value)s' tidak ditemukan atau di luar wilayah Anda: periksa kolom "
        "nomor_tagihan."
    ),
    "row_date_invalid": _(
        "Kolom tanggal_bayar: '%(value)s' bukan tanggal; tulis seperti 19/02/2024."
    ),
    "row_amount_invalid": _(
        "Kolom jumlah: '%(value)s' bukan rupiah bulat; tulis seperti 16800 atau 16.800."
    ),
    "row_reference_missing": _("Kolom referensi kosong: isi nomor bukti pembayaran."),
    "row_reference_conflict": _(
        "Referensi %(value)s sudah tercatat untuk tagihan ini dengan jumlah lain (%(amount)s): "
        "periksa berkas BPJS."
    ),
}

COLUMN_ALIASES = {
    "nomor_tagihan": ("nomor_tagihan", "no_tagihan", "nomor tagihan", "no tagihan", "tagihan"),
    "tanggal_bayar": ("tanggal_bayar", "tanggal bayar", "tgl_bayar", "tgl bayar", "tanggal"),
    "jumlah": ("jumlah", "jumlah_bayar", "jumlah bayar", "nominal", "jumlah (rp)"),
    "referensi": ("referensi", "no_referensi", "nomor referensi", "kode_bayar", "kode bayar"),
}


class PaymentRefused(Refusal):
    """A payment refused with a stable ``code`` and an Indonesian ``message``."""

    messages = PAYMENT_MESSAGES


class ImportUnreadable(Refusal):
    messages = IMPORT_MESSAGES


# --- permissions -------------------------------------------------------------------------


def can_run(user, program: Program) -> bool:
    return permissions.can_manage(user, program.area_id)


def can_pay(user, bill: Bill) -> bool:
    """The regency (or province) records payments; a village pays its own APBDes bills."""
    if permissions.can_manage(user, bill.program.area_id):
        return True
    return bool(
        bill.village_code
        and user is not None
        and user.role == Role.VILLAGE_OPERATOR
        and in_scope(user, bill.village_code)
    )


def _actor(user):
    return user if user is not None and user.pk else None


# --- runs ----------------------------------------------------------------------------------


def run_billing(
    *, user, program: Program, month: dt.date, today: dt.date, via: str = "web"
) -> RunResult:
    """Bill one program for one month (idempotent). Raises :class:`BillingRefused`."""
    if not can_run(user, program):
        raise PermissionDenied
    result = billing_run.execute(
        program=program, month=month, today=today, by=_actor(user), via=via
    )
    records_changed.send(sender=__name__)  # premiums billed per worker
    return result


# Programs with more billable enrollments than this are billed by the background worker.
BACKGROUND_ABOVE = 100_000


def runs_in_background(program: Program) -> bool:
    from django.conf import settings

    from lindung.billing.run import BILLABLE

    limit = getattr(settings, "LINDUNG_BILLING_BACKGROUND_ABOVE", BACKGROUND_ABOVE)
    return program.enrollments.filter(state__in=BILLABLE).count() > limit


# --- payments ------------------------------------------------------------------------------


def _check_proof(proof) -> None:
    if proof is None:
        return
    name = (getattr(proof, "name", "") or "").lower()
    if not name.endswith(PROOF_TYPES) or (proof.size or 0) > MAX_PROOF_BYTES:
        raise PaymentRefused("payment_proof_invalid")


def record_payment(
    *,
    user,
    bill: Bill,
    paid_on,
    amount,
    reference: str,
    today: dt.date,
    proof=None,
    source: str = Payment.Source.MANUAL,
    payment_import: PaymentImport | None = None,
) -> Payment:
    """Record money paid against a bill, or raise :class:`PaymentRefused` saying why not."""
    if not can_pay(user, bill):
        raise PermissionDenied
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    value = parse_rupiah(amount) if not isinstance(amount, float) else None
    if not value:
        raise PaymentRefused("payment_amount_invalid")
    day = parse_date(paid_on) if paid_on not in (None, "") else None
    if day is None:
        raise PaymentRefused("payment_date_invalid")
    if day > today:
        raise PaymentRefused("payment_date_future", date=tanggal(day))
    reference = " ".join(str(reference or "").split())[:100]
    if not reference:
        raise PaymentRefused("payment_reference_missing")
    _check_proof(proof)
    with transaction.atomic():
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        if bill.amount <= 0:
            raise PaymentRefused("bill_nothing_to_pay", number=bill.number)
        earlier = Payment.objects.filter(bill=bill, reference=reference).first()
        if earlier is not None:
            raise PaymentRefused(
                "payment_duplicate",
                reference=reference,
                number=bill.number,
                date=tanggal(earlier.paid_on),
                amount=rupiah(earlier.amount),
            )
        now = timezone.now()
        taken = Bill.objects.filter(pk=bill.pk, paid__lte=F("amount") - value).update(
            paid=F("paid") + value, locked_at=Coalesce(F("locked_at"), now)
        )
        if not taken:
            if bill.outstanding == 0:
                raise PaymentRefused(
                    "bill_already_paid", number=bill.number, amount=rupiah(bill.amount)
                )
            raise PaymentRefused(
                "payment_exceeds_outstanding",
                amount=rupiah(value),
                outstanding=rupiah(bill.outstanding),
            )
        # The counter moved without save(): its history row is written here.
        bill.refresh_from_db(fields=["paid", "locked_at"])
        bulk_history(Bill, [bill], update=True)
        payment = Payment(
            bill=bill,
            paid_on=day,
            amount=value,
            reference=reference,
            source=source,
            payment_import=payment_import,
            recorded_at=now,
            recorded_by=_actor(user),
        )
        if proof is not None:
            payment.proof.save(_proof_name(bill, reference, proof.name), proof, save=False)
        try:
            with transaction.atomic():
                payment.save()
        except IntegrityError as exc:  # the same reference recorded at the same moment
            raise PaymentRefused(
                "payment_duplicate",
                reference=reference,
                number=bill.number,
                date=tanggal(day),
                amount=rupiah(value),
            ) from exc
    return payment


def _proof_name(bill: Bill, reference: str, original: str) -> str:
    import re

    suffix = original.lower().rsplit(".", 1)[-1]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{bill.number}-{reference}").strip("-").lower()
    return f"{slug[:80]}.{suffix}"


# --- the insurer's payment confirmation file -----------------------------------------------


def _key(text) -> str:
    return " ".join(str(text or "").replace("_", " ").lower().split())


def _read_rows(file_name: str, content: bytes) -> list[dict]:
    """Rows as dicts keyed by the canonical column names (values as read)."""
    inspect(content, file_name, refuse=ImportUnreadable)
    try:
        if file_name.lower().endswith((".xlsx", ".xls")):
            import fastexcel

            sheet = fastexcel.read_excel(content).load_sheet(0)
            frame = sheet.to_polars()
            header = [str(c) for c in frame.columns]
            records = [list(row) for row in frame.iter_rows()]
        else:
            import csv

            text = content.decode("utf-8-sig")
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
            reader = list(csv.reader(io.StringIO(text), dialect))
            header, records = reader[0], reader[1:]
    except Exception as exc:  # any parser failure is the same answer to the user
        raise ImportUnreadable("file_unreadable") from exc
    wanted = {}
    keys = [_key(h) for h in header]
    for canonical, aliases in COLUMN_ALIASES.items():
        for index, key in enumerate(keys):
            if key in {_key(a) for a in aliases}:
                wanted[canonical] = index
                break
    missing = [c for c in COLUMN_ALIASES if c not in wanted]
    if missing:
        raise ImportUnreadable("file_columns_missing", columns=", ".join(missing))
    rows = []
    for record in records:
        if not any(str(v or "").strip() for v in record):
            continue
        rows.append({c: record[i] if i < len(record) else None for c, i in wanted.items()})
    return rows


@dataclass
class RowResult:
    row: int
    number: str
    status: str  # recorded | unchanged | refused
    code: str = ""
    message: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "number": self.number,
            "status": self.status,
            "code": self.code,
            "message": self.message,
        }


def import_payments(
    *, user, file_name: str, content: bytes, today: dt.date, bills=None
) -> PaymentImport:
    """Record the payments of the insurer's confirmation file; the same file twice changes
    nothing. ``bills`` is the queryset the user may pay (from ``selectors.bills_for``)."""
    with changes_through(Via.INSURER_FILE, f"konfirmasi bayar {file_name}", user=user):
        return _import_payments(
            user=user, file_name=file_name, content=content, today=today, bills=bills
        )


def _import_payments(*, user, file_name: str, content: bytes, today: dt.date, bills):
    from lindung.billing.selectors import bills_for

    rows = _read_rows(file_name, content)
    bills = bills if bills is not None else bills_for(user)
    record = PaymentImport.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=timezone.now(),
        uploaded_by=_actor(user),
        rows=len(rows),
    )
    results = []
    by_number = {
        b.number: b
        for b in bills.select_related("program").filter(
            number__in=[str(r["nomor_tagihan"] or "").strip() for r in rows]
        )
    }
    for index, row in enumerate(rows, start=2):  # row 1 is the header
        results.append(_import_row(user, index, row, by_number, today, record))
    record.recorded = sum(r.status == "recorded" for r in results)
    record.unchanged = sum(r.status == "unchanged" for r in results)
    record.refused = sum(r.status == "refused" for r in results)
    record.report = [r.as_dict() for r in results]
    record.save(update_fields=["recorded", "unchanged", "refused", "report"])
    return record


def _refused(index, number, code, **params) -> RowResult:
    return RowResult(index, number, "refused", code, str(IMPORT_MESSAGES[code]) % params)


def _import_row(user, index, row, by_number, today, record) -> RowResult:
    number = str(row["nomor_tagihan"] or "").strip()
    bill = by_number.get(number)
    if bill is None or not can_pay(user, bill):
        return _refused(index, number, "row_bill_unknown", value=number)
    day = parse_date(row["tanggal_bayar"]) if row["tanggal_bayar"] not in (None, "") else None
    if day is None:
        return _refused(index, number, "row_date_invalid", value=row["tanggal_bayar"])
    raw = row["jumlah"]
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    amount = parse_rupiah(raw) if not isinstance(raw, float) else None
    if not amount:
        return _refused(index, number, "row_amount_invalid", value=row["jumlah"])
    reference = " ".join(str(row["referensi"] or "").split())[:100]
    if not reference:
        return _refused(index, number, "row_reference_missing")
    earlier = Payment.objects.filter(bill=bill, reference=reference).first()
    if earlier is not None:
        if earlier.amount == amount:
            return RowResult(index, number, "unchanged")
        return _refused(
            index, number, "row_reference_conflict", value=reference, amount=rupiah(earlier.amount)
        )
    try:
        record_payment(
            user=user,
            bill=bill,
            paid_on=day,
            amount=amount,
            reference=reference,
            today=today,
            source=Payment.Source.IMPORT,
            payment_import=record,
        )
    except PaymentRefused as refusal:
        return RowResult(index, number, "refused", refusal.code, refusal.message)
    return RowResult(index, number, "recorded")


__all__ = [
    "BillingRefused",
    "ImportUnreadable",
    "PaymentRefused",
    "can_pay",
    "can_run",
    "import_payments",
    "record_payment",
    "run_billing",
]
