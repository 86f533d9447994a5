"""Sponsorship programs, their villages and rounds, and the enrollments they pay for.

Counters that must hold under concurrency live in rows the database guards:
``VillageQuota.used`` (places taken in one village for one round) and
``Program.committed`` / ``ProgramVillage.committed`` (premiums promised). Proposals move
them with conditional ``UPDATE``s, and check constraints refuse any value past the limit,
so no two operators can take the last place at once.
"""

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.people.categories import Category
from lindung.privacy.history import tracked_history
from lindung.programs.lifecycle import OPEN, State


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


class Funder(models.TextChoices):
    APBD = "apbd", _("APBD kabupaten/kota")
    APBDES = "apbdes", _("APBDes (anggaran desa, per desa)")
    PROVINCE = "province", _("APBD provinsi")
    CSR_OTHER = "csr_other", _("CSR / sumber lain")


class FundingCode(models.TextChoices):
    """How the insurer codes a sponsor (Wadah) by its source of money."""

    SD = "SD", _("SD — desa, dibiayai APBDes")
    SA = "SA", _("SA — desa, dibiayai APBD")
    SL = "SL", _("SL — desa, sumber lain")
    SG = "SG", _("SG — pemerintah daerah")


DEFAULT_FUNDING_CODE = {
    Funder.APBD: FundingCode.SG,
    Funder.APBDES: FundingCode.SD,
    Funder.PROVINCE: FundingCode.SG,
    Funder.CSR_OTHER: FundingCode.SL,
}


def _legal_upload_to(instance, filename: str) -> str:
    return f"dasar-hukum/{timezone.localdate():%Y}/{filename}"


class EndCause(models.TextChoices):
    """Why a sponsored coverage ended before its last month (``services.end_early``)."""

    DEATH = "death", _("meninggal dunia")
    MOVED_OUT = "moved_out", _("pindah ke luar wilayah program")
    BECAME_FORMAL = "became_formal", _("menjadi pekerja formal (PU)")


class LegalDocument(models.Model):
    """A regulation a program rests on (Inpres, Permendagri, Perbup, SK…), with its PDF."""

    number = models.CharField(_("nomor"), max_length=120)
    title = models.CharField(_("judul"), max_length=400)
    issued_on = models.DateField(_("tanggal"))
    pdf = models.FileField(_("berkas PDF"), upload_to=_legal_upload_to, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("dasar hukum")
        verbose_name_plural = _("dasar hukum")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Program(models.Model):
    """A sponsorship program: who pays, for whom, how many, for how long, on what basis."""

    name = models.CharField(_("nama program"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"))
    area = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah program"),
        db_constraint=False,
    )
    funder = models.CharField(_("sumber dana"), max_length=12, choices=Funder.choices)
    funder_name = models.CharField(_("nama pemberi dana"), max_length=150, blank=True)
    funding_code = models.CharField(
        _("kode pendanaan BPJS"), max_length=2, choices=FundingCode.choices
    )
    budget = models.PositiveBigIntegerField(_("pagu anggaran (Rp)"))
    committed = models.PositiveBigIntegerField(_("iuran terikat (Rp)"), default=0)
    includes_jht = models.BooleanField(_("termasuk JHT"), default=False)
    income_basis = models.PositiveBigIntegerField(
        _("dasar penghasilan iuran (Rp)"),
        null=True,
        blank=True,
        help_text=_("Kosong: penghasilan yang dilaporkan pekerja. Biasanya 1.000.000 (terendah)."),
    )
    sponsored_months = models.PositiveSmallIntegerField(_("bulan dibiayai"), default=6)
    quota_per_village = models.PositiveIntegerField(_("kuota per desa per putaran"), default=100)
    include_kelurahan = models.BooleanField(_("kelurahan ikut"), default=False)
    eligible_categories = models.JSONField(_("kategori sasaran"), default=list)
    min_age = models.PositiveSmallIntegerField(_("umur minimal"), default=18)
    max_age = models.PositiveSmallIntegerField(_("umur maksimal"), default=65)
    target_workers = models.PositiveIntegerField(
        _("target pekerja"),
        null=True,
        blank=True,
        help_text=_(
            "Jumlah pekerja yang dibiayai menurut rencana (mis. 2.829), bila tidak sama dengan "
            "kuota × desa."
        ),
    )
    favoured_decile_max = models.PositiveSmallIntegerField(
        _("desil diutamakan sampai"),
        null=True,
        blank=True,
        help_text=_("mis. 4: pekerja desil DTSEN 1–4 diutamakan; kosong: tanpa prioritas desil."),
    )
    others_fill_remaining = models.BooleanField(
        _("desil lain boleh mengisi sisa tempat"),
        default=True,
        help_text=_(
            "Bila tidak, pekerja di luar desil yang diutamakan (atau tanpa desil) ditolak."
        ),
    )
    legal_basis = models.ManyToManyField(
        LegalDocument, blank=True, related_name="programs", verbose_name=_("dasar hukum")
    )
    notes = models.TextField(_("catatan"), blank=True)
    returns_place_on_early_end = models.BooleanField(
        _("kuota kembali bila kepesertaan berakhir lebih awal"),
        default=False,
        db_default=False,
        help_text=_(
            "Biasanya tidak: tempat itu sudah terpakai. Centang bila aturan program "
            "mengizinkan desa mengusulkan pengganti."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed__lte=F("budget")), name="program_committed_within_budget"
            ),
            models.CheckConstraint(
                condition=Q(min_age__lte=F("max_age")), name="program_min_age_le_max_age"
            ),
            models.CheckConstraint(
                condition=Q(sponsored_months__gte=1, sponsored_months__lte=24),
                name="program_sponsored_months_1_24",
            ),
            models.UniqueConstraint(fields=["area", "name"], name="program_unique_name_in_area"),
        ]

    def __str__(self) -> str:
        return self.name

    def decile_favoured(self, decile: int | None) -> bool:
        """Whether a worker of this DTSEN decile is among those the program favours."""
        if self.favoured_decile_max is None:
            return True
        return decile is not None and decile <= self.favoured_decile_max

    @property
    def benefits(self) -> list[str]:
        return ["JKK", "JKM", "JHT"] if self.includes_jht else ["JKK", "JKM"]

    @property
    def benefits_label(self) -> str:
        return " + ".join(self.benefits)

    @property
    def remaining(self) -> int:
        return self.budget - self.committed

    def category_labels(self) -> list[str]:
        return [str(Category(code).label) for code in self.eligible_categories]


class Round(models.Model):
    """One intake of a program: its sponsored months start in ``start_month``."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("putaran"))
    start_month = models.DateField(_("bulan mulai"))

    class Meta:
        verbose_name = _("putaran")
        verbose_name_plural = _("putaran")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="round_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.start_month:%m/%Y})"

    @property
    def end_month(self) -> dt.date:
        """The first day of the last sponsored month."""
        return add_months(self.start_month, self.program.sponsored_months - 1)

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.start_month, i) for i in range(self.program.sponsored_months)]


class RegionCodes(models.Model):
    """A row placed in one village, with the codes ``accounts.scope`` filters on."""

    village = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
        db_constraint=False,
    )
    district_code = models.CharField(max_length=8, db_index=True, editable=False)
    regency_code = models.CharField(max_length=5, db_index=True, editable=False)
    province_code = models.CharField(max_length=2, db_index=True, editable=False)

    class Meta:
        abstract = True

    def set_region_codes(self) -> None:
        code = self.village_id
        self.district_code, self.regency_code, self.province_code = code[:8], code[:5], code[:2]


class ProgramVillage(RegionCodes):
    """A village taking part in a program, its quota per round and (APBDes) its own budget."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="villages")
    quota = models.PositiveIntegerField(_("kuota per putaran"))
    budget = models.PositiveBigIntegerField(_("anggaran desa (Rp)"), null=True, blank=True)
    committed = models.PositiveBigIntegerField(_("iuran terikat desa (Rp)"), default=0)

    class Meta:
        verbose_name = _("desa peserta program")
        verbose_name_plural = _("desa peserta program")
        ordering = ["program", "village"]
        constraints = [
            models.UniqueConstraint(fields=["program", "village"], name="program_village_unique"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(committed__lte=F("budget")),
                name="program_village_committed_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.village_id}"


class VillageQuota(RegionCodes):
    """Places of one village in one round: ``used`` can never pass ``quota``."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="quotas")
    round = models.ForeignKey(Round, models.CASCADE, related_name="quotas")
    quota = models.PositiveIntegerField(_("kuota"))
    used = models.PositiveIntegerField(_("terpakai"), default=0)

    class Meta:
        verbose_name = _("kuota desa")
        verbose_name_plural = _("kuota desa")
        ordering = ["round", "village"]
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="village_quota_unique"),
            models.CheckConstraint(
                condition=Q(used__lte=F("quota")), name="village_quota_used_within_quota"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} putaran {self.round_id}: {self.used}/{self.quota}"


class Enrollment(RegionCodes):
    """One person sponsored by one program in one round, from proposal to the end."""

    program = models.ForeignKey(Program, models.PROTECT, related_name="enrollments")
    round = models.ForeignKey(Round, models.PROTECT, related_name="enrollments")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="enrollments")
    state = models.CharField(_("status"), max_length=10, choices=State.choices)
    state_changed_at = models.DateTimeField(_("status berubah"))
    reason = models.TextField(_("alasan terakhir"), blank=True)
    committed_premium = models.PositiveBigIntegerField(_("iuran terikat (Rp)"))
    kpj = models.CharField(_("nomor KPJ"), max_length=20, blank=True, db_index=True)
    effective_date = models.DateField(_("tanggal efektif"), null=True, blank=True)
    coverage_end = models.DateField(_("akhir masa sponsor"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("diusulkan"))
    proposed_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agent = models.ForeignKey(
        "agents.Agent",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("agen Perisai"),
        help_text=_("Agen yang mengusulkan atau melanjutkan kepesertaan ini."),
    )
    # Nullable: SQLite adds the column without rebuilding the table, whose rebuild would
    # break the coverage triggers on the transitions that read it (coverage/triggers.py).
    # The months bought at proposal: fewer than the program's when the round had already
    # started (``premiums.months_bought``). Empty on older rows: the whole round.
    first_month = models.DateField(_("bulan pertama dibiayai"), null=True, blank=True)
    months = models.SmallIntegerField(_("bulan dibiayai"), null=True, blank=True)
    end_cause = models.CharField(  # noqa: DJ001
        _("sebab berakhir lebih awal"),
        max_length=14,
        choices=EndCause.choices,
        null=True,
        blank=True,
    )

    history = tracked_history(no_db_index=["round", "proposed_by"])

    class Meta:
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state__in=sorted(OPEN)),
                name="enrollment_one_open_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "state"]),
            models.Index(fields=["program", "village", "state"]),
            models.Index(fields=["state", "coverage_end"]),
            # The work list's ended section, newest first (``agents.selectors``).
            models.Index(
                fields=["-coverage_end", "id"],
                condition=Q(state__in=["active", "ended"]),
                name="enrollment_to_continue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.program}"

    @property
    def months_sponsored(self) -> int:
        """How many months this enrollment's funder pays: what the proposal committed."""
        return self.months or self.program.sponsored_months

    @property
    def sponsored_from(self) -> dt.date:
        """The first month the proposal committed (the round's first, unless it came late)."""
        return self.first_month or self.round.start_month


class Transition(models.Model):
    """One move of an enrollment: the audit trail of who did what, when and why."""

    class Via(models.TextChoices):
        WEB = "web", _("halaman")
        API = "api", _("API")
        CLI = "cli", _("perintah")
        BPJS = "bpjs", _("jawaban BPJS")
        SYSTEM = "system", _("sistem")

    enrollment = models.ForeignKey(Enrollment, models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=10, blank=True, choices=State.choices)
    to_state = models.CharField(max_length=10, choices=State.choices)
    at = models.DateTimeField(_("waktu"))
    by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan"), blank=True)
    via = models.CharField(max_length=6, choices=Via.choices, default=Via.WEB)

    class Meta:
        verbose_name = _("perubahan status")
        verbose_name_plural = _("perubahan status")
        ordering = ["enrollment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"


def _minutes_upload_to(instance, filename: str) -> str:
    return f"berita-acara-musdes/{dt.date.today():%Y}/{filename}"


class AgreedList(RegionCodes):
    """The list a village's meeting (*musyawarah desa*) agreed for one round of a program.

    A record of its own, not a paste box: each upload or typed list is a new
    :class:`AgreedListVersion` with its meeting date, minutes number and signed minutes,
    and the versions are kept, so a regency sees what the village agreed and when it
    changed. Proposals are made from the latest version.
    """

    program = models.ForeignKey(Program, models.CASCADE, related_name="agreed_lists")
    round = models.ForeignKey(Round, models.CASCADE, related_name="agreed_lists")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("daftar hasil musyawarah desa")
        verbose_name_plural = _("daftar hasil musyawarah desa")
        ordering = ["round", "village"]
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="agreed_list_one_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} putaran {self.round_id}"


class AgreedListVersion(models.Model):
    """One version of a village's agreed list: what the meeting agreed, as uploaded or typed.

    ``fingerprint`` is the digest of the meeting's date and minutes number, the minutes
    file and the entries: the same content again makes no new version.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", _("unggah berkas")
        TYPED = "typed", _("diketik")
        API = "api", _("API")

    agreed_list = models.ForeignKey(AgreedList, models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    meeting_date = models.DateField(_("tanggal musyawarah desa"))
    minutes_number = models.CharField(_("nomor berita acara"), max_length=100)
    minutes = models.FileField(_("berita acara bertanda tangan"), upload_to=_minutes_upload_to)
    minutes_kind = models.CharField(max_length=4)  # pdf, jpeg, png
    fingerprint = models.CharField(max_length=64)
    source = models.CharField(_("cara masuk"), max_length=6, choices=Source.choices)
    file_name = models.CharField(_("nama berkas daftar"), max_length=200, blank=True)
    entries_count = models.PositiveIntegerField(_("jumlah nama"), default=0)
    passed_count = models.PositiveIntegerField(_("lolos pemeriksaan"), default=0)
    checked_at = models.DateTimeField(_("diperiksa"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("versi daftar musyawarah desa")
        verbose_name_plural = _("versi daftar musyawarah desa")
        ordering = ["agreed_list", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreed_list", "number"], name="agreed_list_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreed_list} v{self.number}"


class AgreedEntry(models.Model):
    """One worker on a version of an agreed list, with the verdict of the checks.

    ``code`` is empty when the entry passed the registry and the program's rules, else
    the refusal code (the registry's NIK codes, ``not_registered``, the eligibility codes);
    ``proposal_code`` is the refusal met when the entry was proposed (``quota_full``,
    ``budget_exceeded``…), empty when it was proposed or never tried.
    """

    version = models.ForeignKey(AgreedListVersion, models.CASCADE, related_name="entries")
    row = models.PositiveIntegerField(_("baris"))
    nik = models.CharField(_("NIK"), max_length=20)
    full_name = models.CharField(_("nama"), max_length=200, blank=True)
    category = models.CharField(_("kategori"), max_length=30, blank=True)
    person = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    code = models.CharField(_("kode"), max_length=40, blank=True)
    message = models.TextField(_("keterangan"), blank=True)
    proposal_code = models.CharField(_("kode usulan"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("nama dalam daftar musyawarah desa")
        verbose_name_plural = _("nama dalam daftar musyawarah desa")
        ordering = ["version", "row"]
        indexes = [models.Index(fields=["version", "code"])]

    def __str__(self) -> str:
        return f"{self.nik} ({self.code or 'ok'})"

    @property
    def passed(self) -> bool:
        return not self.code
