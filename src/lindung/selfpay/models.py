"""Self-paid continuation: collections (receipts and their months), deposits to the insurer,
the insurer's payment statement, and agents' fees.

A month of a worker can be paid once: ``CollectionLine`` has a unique key on (person,
month), which holds also when two agents record the same month at the same moment.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.programs.models import RegionCodes


class Method(models.TextChoices):
    CASH = "cash", _("tunai")
    TRANSFER = "transfer", _("transfer bank")
    QRIS = "qris", _("QRIS")


class Deposit(models.Model):
    """Collections handed to the insurer in one payment (a bank transfer, a teller slip)."""

    reference = models.CharField(_("referensi setoran"), max_length=100)
    deposited_on = models.DateField(_("tanggal setor"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    collections_count = models.PositiveIntegerField(_("jumlah kuitansi"), default=0)
    regency_code = models.CharField(max_length=5, db_index=True, editable=False)
    created_at = models.DateTimeField(_("dicatat"))
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("setoran ke BPJS")
        verbose_name_plural = _("setoran ke BPJS")
        ordering = ["-deposited_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency_code", "reference"], name="selfpay_deposit_unique_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.deposited_on:%d/%m/%Y})"


class Collection(RegionCodes):
    """One receipt: the months a worker paid on one day, to one collector."""

    person = models.ForeignKey("people.Person", models.PROTECT, related_name="collections")
    enrollment = models.ForeignKey(
        "programs.Enrollment", models.PROTECT, related_name="collections"
    )
    paid_on = models.DateField(_("tanggal bayar"))
    method = models.CharField(_("cara bayar"), max_length=10, choices=Method.choices)
    total = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    collected_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"))
    via = models.CharField(max_length=6, default="web")
    deposit = models.ForeignKey(
        Deposit, models.SET_NULL, null=True, blank=True, related_name="collections"
    )

    class Meta:
        verbose_name = _("iuran mandiri diterima")
        verbose_name_plural = _("iuran mandiri diterima")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The receipt number: year of payment and the record's id, never reused."""
        return f"KW-{self.paid_on:%Y}-{self.pk:07d}"


class CollectionLine(models.Model):
    """One paid month, priced by the premium engine, with the rule that priced it."""

    collection = models.ForeignKey(Collection, models.CASCADE, related_name="lines")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="+", db_index=False)
    enrollment = models.ForeignKey("programs.Enrollment", models.PROTECT, related_name="+")
    month = models.DateField(_("bulan iuran"))
    amount = models.PositiveBigIntegerField(_("iuran (Rp)"))
    base_amount = models.PositiveBigIntegerField(_("tarif dasar (Rp)"))
    rule = models.ForeignKey(
        "contributions.ReliefRule", models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule_label = models.CharField(_("aturan"), max_length=300)
    rate_version = models.DateField(_("versi tarif"))

    class Meta:
        verbose_name = _("bulan iuran mandiri")
        verbose_name_plural = _("bulan iuran mandiri")
        ordering = ["collection", "month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="selfpay_month_paid_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m}"
