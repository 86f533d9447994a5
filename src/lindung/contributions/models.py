"""Dated contribution rate tables. Rates change by regulation, so they are rows, not constants.

BPU (informal) and PU (formal) versions, the JP/JKP wage caps, and relief rules on top
(PP 49/2020, PP 50/2025). One row per version: a change of regulation is a new row with
its effective date and legal basis, and old versions are kept (the admin cannot edit the
figures of a saved version). Sources of every figure: ``docs/rates.md``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.privacy.history import tracked_history


class BpuRateVersion(models.Model):
    """The BPU rates in force from ``effective_from`` until the next version starts.

    Percentages are stored in basis points (1% = 100) so money stays integer arithmetic.
    The declared income is first put in its bracket: incomes below ``income_floor`` count
    as the floor, above it they are rounded down to a multiple of ``income_step``.
    """

    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    jkk_rate_bp = models.PositiveIntegerField(
        _("JKK (basis poin dari penghasilan)"), help_text=_("1% = 100")
    )
    jkk_min = models.PositiveIntegerField(_("JKK paling sedikit (Rp)"))
    jkk_max = models.PositiveIntegerField(_("JKK paling banyak (Rp)"))
    jkm_amount = models.PositiveIntegerField(_("JKM per bulan (Rp)"))
    jht_rate_bp = models.PositiveIntegerField(
        _("JHT (basis poin dari penghasilan)"), help_text=_("2% = 200")
    )
    income_floor = models.PositiveIntegerField(_("golongan penghasilan terendah (Rp)"))
    income_step = models.PositiveIntegerField(_("langkah golongan penghasilan (Rp)"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("versi tarif iuran BPU")
        verbose_name_plural = _("versi tarif iuran BPU")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jkk_min__lte=models.F("jkk_max")),
                name="bpu_rate_jkk_min_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(income_step__gt=0), name="bpu_rate_step_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"BPU {self.effective_from:%d/%m/%Y} ({self.legal_basis})"


class Segment(models.TextChoices):
    BPU = "BPU", _("BPU (bukan penerima upah / informal)")
    PU = "PU", _("PU (penerima upah / formal)")


class Payer(models.TextChoices):
    """Who pays a premium. Relief rules exclude some payers (PP 50/2025: APBN, APBD)."""

    SELF = "self", _("peserta sendiri (mandiri)")
    EMPLOYER = "employer", _("pemberi kerja")
    APBN = "apbn", _("APBN")
    APBD = "apbd", _("APBD kabupaten/kota")
    APBD_PROVINCE = "apbd_province", _("APBD provinsi")
    APBDES = "apbdes", _("APBDes (anggaran desa)")
    OTHER = "other", _("CSR / sumber lain")


class RiskClass(models.IntegerChoices):
    """The five work-environment risk groups of the formal-sector JKK rate."""

    VERY_LOW = 1, _("1 — sangat rendah")
    LOW = 2, _("2 — rendah")
    MEDIUM = 3, _("3 — sedang")
    HIGH = 4, _("4 — tinggi")
    VERY_HIGH = 5, _("5 — sangat tinggi")


class PuRateVersion(models.Model):
    """Formal-sector (PU) percentages in force from ``effective_from``, in basis points.

    JKK and JKM are the rates the employer pays (PP 44/2015). Since the job-loss program
    (JKP, PP 37/2021) a part of them is "recomposed" into JKP inside the insurer: the
    employer pays the same, so the recomposition columns are information, not a charge.
    The JKP share the central government pays is computed, but never billed to the
    employer. The wage caps of JP and JKP change on their own dates (:class:`WageCap`).
    """

    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    jkk_class1_bp = models.PositiveIntegerField(_("JKK risiko sangat rendah (bp)"))
    jkk_class2_bp = models.PositiveIntegerField(_("JKK risiko rendah (bp)"))
    jkk_class3_bp = models.PositiveIntegerField(_("JKK risiko sedang (bp)"))
    jkk_class4_bp = models.PositiveIntegerField(_("JKK risiko tinggi (bp)"))
    jkk_class5_bp = models.PositiveIntegerField(_("JKK risiko sangat tinggi (bp)"))
    jkm_bp = models.PositiveIntegerField(_("JKM (bp)"))
    jht_employer_bp = models.PositiveIntegerField(_("JHT pemberi kerja (bp)"))
    jht_worker_bp = models.PositiveIntegerField(_("JHT pekerja (bp)"))
    jp_employer_bp = models.PositiveIntegerField(_("JP pemberi kerja (bp)"))
    jp_worker_bp = models.PositiveIntegerField(_("JP pekerja (bp)"))
    jkp_government_bp = models.PositiveIntegerField(
        _("JKP dibayar Pemerintah Pusat (bp)"), default=0
    )
    jkp_from_jkk_bp = models.PositiveIntegerField(
        _("JKP dari rekomposisi iuran JKK (bp)"), default=0
    )
    jkp_from_jkm_bp = models.PositiveIntegerField(
        _("JKP dari rekomposisi iuran JKM (bp)"), default=0
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("versi tarif iuran PU")
        verbose_name_plural = _("versi tarif iuran PU")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"PU {self.effective_from:%d/%m/%Y} ({self.legal_basis})"

    def jkk_bp(self, risk_class: int) -> int:
        return getattr(self, f"jkk_class{int(risk_class)}_bp")


class WageCap(models.Model):
    """The highest monthly wage a JP or JKP contribution is computed on, from a date."""

    class Program(models.TextChoices):
        JP = "JP", _("JP (jaminan pensiun)")
        JKP = "JKP", _("JKP (jaminan kehilangan pekerjaan)")

    program = models.CharField(_("program"), max_length=3, choices=Program.choices)
    effective_from = models.DateField(_("berlaku mulai"))
    amount = models.PositiveBigIntegerField(_("batas upah (Rp)"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("batas upah iuran")
        verbose_name_plural = _("batas upah iuran")
        ordering = ["program", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "effective_from"], name="wage_cap_unique_program_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.effective_from:%d/%m/%Y}: Rp {self.amount:,}".replace(
            ",", "."
        )


class ReliefRule(models.Model):
    """A temporary reduction on top of the base table (PP 49/2020, PP 50/2025…).

    It applies to the covered months from ``first_month`` to ``last_month`` (inclusive),
    to the listed programs of one segment (or both), to the participants the filter
    keeps, and never to a payer listed in ``excluded_payers``.
    """

    class Participants(models.TextChoices):
        ALL = "all", _("semua peserta")
        TRANSPORT = "transport", _("pekerja transportasi saja")
        NON_TRANSPORT = "non_transport", _("selain pekerja transportasi")

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    segment = models.CharField(
        _("segmen"),
        max_length=3,
        choices=Segment.choices,
        blank=True,
        help_text=_("Kosong: BPU dan PU."),
    )
    programs = models.JSONField(_("program yang diringankan"), default=list)
    discount_bp = models.PositiveIntegerField(
        _("keringanan (bp)"), help_text=_("5000 = 50%; 9900 = 99%")
    )
    first_month = models.DateField(_("bulan pertama"))
    last_month = models.DateField(_("bulan terakhir"))
    participants = models.CharField(
        _("peserta"), max_length=14, choices=Participants.choices, default=Participants.ALL
    )
    excluded_payers = models.JSONField(_("pembayar yang dikecualikan"), default=list, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("aturan keringanan iuran")
        verbose_name_plural = _("aturan keringanan iuran")
        ordering = ["-first_month", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discount_bp__gte=1, discount_bp__lte=10000),
                name="relief_discount_1_10000",
            ),
            models.CheckConstraint(
                condition=models.Q(first_month__lte=models.F("last_month")),
                name="relief_first_le_last",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_month:%m/%Y}–{self.last_month:%m/%Y})"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for name in ("first_month", "last_month"):
            value = getattr(self, name)
            if value is not None and value.day != 1:
                errors[name] = _("Tulis tanggal 1 bulan itu (aturan berlaku per bulan iuran).")
        programs = self.programs if isinstance(self.programs, list) else []
        if not programs or any(p not in ("JKK", "JKM", "JHT", "JP", "JKP") for p in programs):
            errors["programs"] = _('Daftar program, mis. ["JKK", "JKM"].')
        payers = self.excluded_payers if isinstance(self.excluded_payers, list) else None
        if payers is None or any(p not in Payer.values for p in payers):
            errors["excluded_payers"] = _(
                'Daftar kode pembayar, mis. ["apbn", "apbd", "apbd_province"].'
            )
        if errors:
            raise ValidationError(errors)

    @property
    def percent_label(self) -> str:
        return f"{self.discount_bp / 100:g}%".replace(".", ",")
