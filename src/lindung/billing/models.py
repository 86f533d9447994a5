"""Monthly bills (tagihan) of a program's funder, their lines, payments and the runs.

A bill is what a funder owes for one billed month: one per program and month, or, when
villages pay from their own budget (APBDes), one per village. Its lines are immutable: a
billing run only ever inserts lines. A correction (a late activation, a withdrawal, an
effective date moved) is a new line, a late month or the reversal of an earlier line,
never an edit. A bill takes new lines only until its first payment; after that the
month's new lines go into a supplementary bill (``sequence`` 2, 3…).

Lines are written by set-based SQL (``billing.run``); their foreign keys to enrollments,
programs, villages, rules and runs are not database constraints, on purpose: the run
selects them from those very tables inside one transaction, and per-row constraint
triggers would double the cost of writing a million lines. The bill foreign key, the one
invariant a line cannot live without, is a real constraint.
"""

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lindung.contributions.models import Payer
from lindung.privacy.history import tracked_history

# Contributions of a month are due by this day of the next month: the 15th is the day the
# regulations set for employers; for sponsors it is assumed the same (see docs/billing.md).
DUE_DAY = 15
# Unpaid for this many months, a membership ends (the insurer's arrears rule).
ARREARS_MONTHS = 3


class BillingRun(models.Model):
    """One run of the monthly billing of one program: what it added, who ran it, when."""

    class Via(models.TextChoices):
        WEB = "web", _("halaman")
        API = "api", _("API")
        CLI = "cli", _("perintah")

    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="billing_runs", verbose_name=_("program")
    )
    month = models.DateField(_("bulan tagihan"))
    started_at = models.DateTimeField(_("mulai"))
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=4, choices=Via.choices, default=Via.WEB)
    lines = models.IntegerField(_("baris ditambahkan"), default=0)
    amount = models.BigIntegerField(_("jumlah ditambahkan (Rp)"), default=0)
    late_lines = models.IntegerField(_("baris susulan"), default=0)
    reversals = models.IntegerField(_("baris koreksi"), default=0)

    class Meta:
        verbose_name = _("proses tagihan")
        verbose_name_plural = _("proses tagihan")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["program", "month"])]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.month:%Y-%m} #{self.pk}"


class RunPrice(models.Model):
    """The price list a run used: one row per month, income and participant filter.

    Kept as the run's audit trail, and joined by the run's SQL so that a million lines
    are priced by the one premium function without a Python call per line.
    """

    run = models.ForeignKey(BillingRun, models.CASCADE, related_name="prices")
    month = models.DateField()
    income = models.BigIntegerField()
    transport = models.BooleanField()
    amount = models.BigIntegerField()
    base_amount = models.BigIntegerField()
    jkk = models.BigIntegerField(default=0)
    jkm = models.BigIntegerField(default=0)
    jht = models.BigIntegerField(default=0)
    rule = models.ForeignKey(
        "contributions.ReliefRule", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "month", "income", "transport"], name="run_price_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.income}: {self.amount}"


class Bill(models.Model):
    """What one funder owes for one billed month of one program (tagihan)."""

    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="bills", verbose_name=_("program")
    )
    month = models.DateField(_("bulan tagihan"))
    village_code = models.CharField(
        _("desa pembayar"),
        max_length=13,
        blank=True,
        help_text=_("Kosong: tagihan seluruh program; diisi bila desa membayar dari APBDes."),
    )
    sequence = models.PositiveSmallIntegerField(_("urutan"), default=1)
    number = models.CharField(_("nomor tagihan"), max_length=60, unique=True)
    payer = models.CharField(_("pembayar"), max_length=14, choices=Payer.choices)
    created_at = models.DateTimeField(_("dibuat"))
    updated_at = models.DateTimeField(_("diperbarui"))
    due_date = models.DateField(_("jatuh tempo"))
    amount = models.BigIntegerField(_("jumlah tagihan (Rp)"), default=0)
    lines_count = models.IntegerField(_("jumlah baris"), default=0)
    paid = models.PositiveBigIntegerField(_("dibayar (Rp)"), default=0)
    locked_at = models.DateTimeField(
        _("dikunci"),
        null=True,
        blank=True,
        help_text=_("Sejak pembayaran pertama: tidak menerima baris baru lagi."),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("tagihan")
        verbose_name_plural = _("tagihan")
        ordering = ["-month", "program", "village_code", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "month", "village_code", "sequence"], name="bill_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(paid=0) | Q(paid__lte=F("amount")), name="bill_paid_within_amount"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> int:
        return max(self.amount - self.paid, 0)

    @property
    def is_paid(self) -> bool:
        return self.amount > 0 and self.paid >= self.amount

    def is_overdue(self, today: dt.date) -> bool:
        return self.outstanding > 0 and today > self.due_date

    def months_in_arrears(self, today: dt.date) -> int:
        """Whole months since the due date while unpaid (0 when paid or not yet due)."""
        if not self.is_overdue(today):
            return 0
        months = (today.year - self.due_date.year) * 12 + today.month - self.due_date.month
        return months + (1 if today.day > self.due_date.day else 0)

    def status(self, today: dt.date) -> str:
        if self.amount <= 0:
            return "credit" if self.amount < 0 else "empty"
        if self.is_paid:
            return "paid"
        if self.is_overdue(today):
            return "overdue"
        return "partial" if self.paid else "open"


STATUS_LABELS = {
    "paid": _("Lunas"),
    "open": _("Belum dibayar"),
    "partial": _("Dibayar sebagian"),
    "overdue": _("Lewat jatuh tempo"),
    "credit": _("Nota kredit"),
    "empty": _("Nihil"),
}


class BillLine(models.Model):
    """One enrollment-month on a bill, or a correction of one. Never edited once written."""

    class Kind(models.TextChoices):
        PREMIUM = "premium", _("iuran bulan tagihan")
        LATE = "late", _("susulan bulan sebelumnya")
        REVERSAL = "reversal", _("koreksi (pembatalan)")

    bill = models.ForeignKey(Bill, models.PROTECT, related_name="lines", db_index=False)
    run = models.ForeignKey(
        BillingRun, models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    program = models.ForeignKey(
        "programs.Program", models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    enrollment = models.ForeignKey(
        "programs.Enrollment", models.DO_NOTHING, related_name="bill_lines", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    covered_month = models.DateField(_("bulan iuran"))
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    base_amount = models.BigIntegerField(_("tarif dasar (Rp)"))
    jkk = models.BigIntegerField(default=0)
    jkm = models.BigIntegerField(default=0)
    jht = models.BigIntegerField(default=0)
    rule = models.ForeignKey(
        "contributions.ReliefRule", models.DO_NOTHING, null=True, blank=True, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    reverses = models.ForeignKey(
        "self", models.DO_NOTHING, null=True, blank=True, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    village = models.ForeignKey(
        "regions.Region", models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    district_code = models.CharField(max_length=8)
    regency_code = models.CharField(max_length=5)
    province_code = models.CharField(max_length=2)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("baris tagihan")
        verbose_name_plural = _("baris tagihan")
        ordering = ["bill", "village", "id"]
        indexes = [
            models.Index(fields=["enrollment", "covered_month"], name="bill_line_enrollment_month"),
            models.Index(fields=["bill", "village"], name="bill_line_bill_village"),
            models.Index(
                fields=["reverses"], name="bill_line_reverses", condition=Q(reverses__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill_id}/{self.enrollment_id}/{self.covered_month:%Y-%m}: {self.amount}"


class BillVillageTotal(models.Model):
    """Totals of one bill in one village, kept by the run (pages never sum the lines)."""

    bill = models.ForeignKey(Bill, models.CASCADE, related_name="village_totals")
    village = models.ForeignKey(
        "regions.Region", models.DO_NOTHING, related_name="+", db_constraint=False
    )
    district_code = models.CharField(max_length=8, db_index=True)
    regency_code = models.CharField(max_length=5, db_index=True)
    province_code = models.CharField(max_length=2, db_index=True)
    lines = models.IntegerField(default=0)
    people = models.IntegerField(default=0)
    amount = models.BigIntegerField(default=0)
    jkk = models.BigIntegerField(default=0)
    jkm = models.BigIntegerField(default=0)
    jht = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["bill", "village"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "village"], name="bill_village_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bill_id}/{self.village_id}: {self.amount}"


class RunBill(models.Model):
    """What one run added to one bill: dated, so billed amounts can be told at any date."""

    run = models.ForeignKey(BillingRun, models.CASCADE, related_name="bills")
    bill = models.ForeignKey(Bill, models.CASCADE, related_name="runs")
    lines = models.IntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "bill"], name="run_bill_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.bill_id}: {self.amount}"


class PaymentImport(models.Model):
    """One upload of the insurer's payment confirmation file, and what it did."""

    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("diunggah"))
    uploaded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.IntegerField(default=0)
    recorded = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    report = models.JSONField(default=list)

    class Meta:
        verbose_name = _("impor konfirmasi pembayaran")
        verbose_name_plural = _("impor konfirmasi pembayaran")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


def _proof_upload_to(instance, filename: str) -> str:
    return f"bukti-bayar/{instance.paid_on:%Y/%m}/{filename}"


class Payment(models.Model):
    """Money paid against a bill. The sum never passes the bill (guarded counter + check)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("dicatat petugas")
        IMPORT = "import", _("konfirmasi BPJS")

    bill = models.ForeignKey(Bill, models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("tanggal bayar"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    reference = models.CharField(_("referensi"), max_length=100)
    proof = models.FileField(_("bukti bayar"), upload_to=_proof_upload_to, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.MANUAL)
    payment_import = models.ForeignKey(
        PaymentImport, models.SET_NULL, null=True, blank=True, related_name="payments"
    )
    recorded_at = models.DateTimeField(_("dicatat"))
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = tracked_history(no_db_index=["payment_import", "recorded_by"])

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        ordering = ["bill", "paid_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "reference"], name="payment_unique_reference"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.bill_id}: {self.reference} ({self.amount})"
