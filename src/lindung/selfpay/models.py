"""Self-paid continuation: collections (receipts and their months), deposits to the insurer,
the insurer's payment statement, and agents' fees.

A month of a worker can be paid once: ``CollectionLine`` has a unique key on (person,
month), which holds also when two agents record the same month at the same moment.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.privacy.history import tracked_history
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

    history = tracked_history()

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
    agent = models.ForeignKey(
        "agents.Agent",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="collections",
        verbose_name=_("agen penagih"),
    )
    recorded_at = models.DateTimeField(_("dicatat"))
    via = models.CharField(max_length=6, default="web")
    deposit = models.ForeignKey(
        Deposit, models.SET_NULL, null=True, blank=True, related_name="collections"
    )

    history = tracked_history()

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


class FeeRule(models.Model):
    """A dated version of the agents' fee rule, kept as data (the insurer changes it).

    The rule in force on the first day of a statement's month prices that statement.
    Contribution fees are a share of each managed participant's contributions by the
    participant's contribution month (counted from the start of their membership): months
    1 to ``first_tier_months`` at ``first_tier_bp``, then up to ``second_tier_months`` at
    ``second_tier_bp``; an empty limit means every month. Acquisition pays per new
    participant (by package) and/or a flat bonus, only in a month when the agent registered
    at least ``acquisition_threshold`` new NIKs; the Wadah gets ``organisation_bp`` on top of
    its agents' fees. Fees are due on ``due_day`` of the following month.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    legal_basis = models.CharField(_("dasar"), max_length=255)
    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    first_tier_months = models.PositiveSmallIntegerField(
        _("bulan iuran tahap 1 (s.d.)"), null=True, blank=True
    )
    first_tier_bp = models.PositiveIntegerField(_("imbal jasa tahap 1 (bp)"))
    second_tier_months = models.PositiveSmallIntegerField(
        _("bulan iuran tahap 2 (s.d.)"), null=True, blank=True
    )
    second_tier_bp = models.PositiveIntegerField(_("imbal jasa tahap 2 (bp)"), default=0)
    acquisition_threshold = models.PositiveIntegerField(_("syarat NIK baru sebulan"))
    incentive_basic = models.PositiveIntegerField(_("insentif per peserta JKK+JKM (Rp)"), default=0)
    incentive_with_jht = models.PositiveIntegerField(
        _("insentif per peserta JKK+JKM+JHT (Rp)"), default=0
    )
    acquisition_bonus = models.PositiveIntegerField(_("bonus akuisisi sebulan (Rp)"), default=0)
    organisation_bp = models.PositiveIntegerField(_("tambahan untuk wadah (bp)"), default=0)
    due_day = models.PositiveSmallIntegerField(_("dibayar paling lambat tanggal"), default=5)
    notes = models.TextField(_("catatan"), blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("aturan imbal jasa agen")
        verbose_name_plural = _("aturan imbal jasa agen")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


class FeeStatement(models.Model):
    """The fees of one agent, or of one Wadah, for one month.

    A draft is recomputed by every run; an approved statement is frozen: a later run only
    adds correction lines for contributions recorded after the approval.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        APPROVED = "approved", _("disetujui")

    agent = models.ForeignKey(
        "agents.Agent", models.PROTECT, null=True, blank=True, related_name="fee_statements"
    )
    organisation = models.ForeignKey(
        "agents.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="fee_statements",
    )
    month = models.DateField(_("bulan"))
    rule = models.ForeignKey(FeeRule, models.PROTECT, related_name="statements")
    regency_code = models.CharField(max_length=5, db_index=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    total = models.BigIntegerField(_("jumlah (Rp)"), default=0)
    due_on = models.DateField(_("jatuh tempo"))
    computed_at = models.DateTimeField(_("dihitung"))
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("rekap imbal jasa")
        verbose_name_plural = _("rekap imbal jasa")
        ordering = ["-month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agent__isnull=True) ^ models.Q(organisation__isnull=True),
                name="selfpay_fee_statement_agent_xor_organisation",
            ),
            models.UniqueConstraint(
                fields=["agent", "month"], name="selfpay_fee_statement_agent_month"
            ),
            models.UniqueConstraint(
                fields=["organisation", "month"], name="selfpay_fee_statement_organisation_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent or self.organisation} {self.month:%m/%Y}"


class FeeLine(models.Model):
    """One figure of a statement, traceable to its participant (or agent) and its rule."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("imbal jasa iuran")
        SPONSORED = "sponsored", _("imbal jasa iuran sponsor")
        ACQUISITION = "acquisition", _("insentif akuisisi")
        BONUS = "bonus", _("bonus akuisisi")
        ORGANISATION = "organisation", _("tambahan wadah")

    statement = models.ForeignKey(FeeStatement, models.CASCADE, related_name="lines")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    rule = models.ForeignKey(FeeRule, models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", models.DO_NOTHING, null=True, blank=True, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    # No constraint in the database: collection lines are partitioned by month on
    # PostgreSQL, whose key (id, month) a foreign key on the id alone cannot reference.
    # Django still protects a line with fees from deletion (PROTECT is Django's).
    collection_line = models.ForeignKey(
        CollectionLine, models.PROTECT, null=True, blank=True, related_name="fee_lines",
        db_constraint=False,
    )  # fmt: skip
    bill_line = models.ForeignKey(
        "billing.BillLine", models.DO_NOTHING, null=True, blank=True, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    source_statement = models.ForeignKey(
        FeeStatement, models.PROTECT, null=True, blank=True, related_name="+"
    )
    contribution_month = models.DateField(_("bulan iuran"), null=True, blank=True)
    month_number = models.PositiveSmallIntegerField(_("bulan iuran ke-"), null=True, blank=True)
    base = models.BigIntegerField(_("dasar (Rp)"))
    rate_bp = models.PositiveIntegerField(_("persen (bp)"), default=0)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    correction = models.BooleanField(_("koreksi setelah disetujui"), default=False)

    class Meta:
        verbose_name = _("baris imbal jasa")
        verbose_name_plural = _("baris imbal jasa")
        ordering = ["statement", "kind", "id"]
        indexes = [models.Index(fields=["statement", "kind"])]

    def __str__(self) -> str:
        return f"{self.statement_id} {self.kind} {self.amount}"


class StatementImport(models.Model):
    """One import of the insurer's payment statement (KPJ, month, amount, paid date)."""

    file_name = models.CharField(_("berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("diunggah"))
    uploaded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveIntegerField(_("baris"), default=0)
    recorded = models.PositiveIntegerField(_("dicatat"), default=0)
    unchanged = models.PositiveIntegerField(_("sudah tercatat"), default=0)
    refused = models.PositiveIntegerField(_("ditolak"), default=0)

    class Meta:
        verbose_name = _("impor rekening koran BPJS")
        verbose_name_plural = _("impor rekening koran BPJS")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class StatementProblem(models.Model):
    """A statement row that was not recorded, with its row number, code and message."""

    statement_import = models.ForeignKey(StatementImport, models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField(_("baris"))
    kpj = models.CharField(_("KPJ"), max_length=40, blank=True)
    code = models.CharField(_("kode"), max_length=40)
    message = models.CharField(_("keterangan"), max_length=300)

    class Meta:
        verbose_name = _("baris rekening koran ditolak")
        verbose_name_plural = _("baris rekening koran ditolak")
        ordering = ["statement_import", "row"]

    def __str__(self) -> str:
        return f"{self.row}: {self.code}"


class StatementLine(models.Model):
    """A month the insurer says it received for a KPJ; the last import of it wins."""

    kpj = models.CharField(_("KPJ"), max_length=20)
    month = models.DateField(_("bulan iuran"))
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"))
    enrollment = models.ForeignKey(
        "programs.Enrollment", models.DO_NOTHING, related_name="+", db_constraint=False
    )
    regency_code = models.CharField(max_length=5)
    statement_import = models.ForeignKey(
        StatementImport, models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("baris rekening koran BPJS")
        verbose_name_plural = _("baris rekening koran BPJS")
        ordering = ["kpj", "month"]
        constraints = [
            models.UniqueConstraint(fields=["kpj", "month"], name="selfpay_statement_kpj_month"),
        ]
        indexes = [models.Index(fields=["regency_code", "month"])]

    def __str__(self) -> str:
        return f"{self.kpj} {self.month:%Y-%m}"
