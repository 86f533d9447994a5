"""Dated benefit tables (JKM, JKK) and the claims of sponsored workers.

A benefit figure changes by regulation, so, like the contribution rates
(``contributions.models``), it is a row with its effective date and legal basis, never a
constant in code. The estimator (``claims.benefits``) picks the version in force on the
date of the event. Sources of every figure: ``docs/claims.md``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.privacy.history import tracked_history
from lindung.programs.models import RegionCodes


class BenefitRule(models.Model):
    """The JKM and JKK benefits in force from ``effective_from`` until the next version.

    Amounts are integer rupiah; the JKK income multiples are multiples of the declared
    monthly income the contributions were computed on.
    """

    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    # JKM: death not caused by work.
    jkm_lump_sum = models.PositiveBigIntegerField(_("JKM santunan sekaligus (Rp)"))
    jkm_periodic = models.PositiveBigIntegerField(_("JKM santunan berkala (Rp)"))
    jkm_funeral = models.PositiveBigIntegerField(_("JKM biaya pemakaman (Rp)"))
    bpu_early_death_months = models.PositiveSmallIntegerField(
        _("BPU: masa kepesertaan awal (bulan)"),
        default=0,
        help_text=_("0: tidak ada aturan masa awal. Meninggal di masa ini: santunan khusus."),
    )
    bpu_early_death_amount = models.PositiveBigIntegerField(
        _("BPU: santunan bila meninggal di masa awal (Rp)"), default=0
    )
    scholarship_max = models.PositiveBigIntegerField(_("beasiswa paling banyak (Rp)"))
    scholarship_children = models.PositiveSmallIntegerField(_("beasiswa untuk anak paling banyak"))
    scholarship_min_months = models.PositiveSmallIntegerField(
        _("JKM: beasiswa setelah iuran (bulan)")
    )
    # JKK: work accident (commuting included).
    jkk_death_multiple = models.PositiveSmallIntegerField(_("JKK meninggal: kali penghasilan"))
    jkk_funeral = models.PositiveBigIntegerField(_("JKK biaya pemakaman (Rp)"))
    jkk_periodic = models.PositiveBigIntegerField(_("JKK santunan berkala (Rp)"))
    jkk_disability_multiple = models.PositiveSmallIntegerField(
        _("JKK cacat total tetap: kali penghasilan")
    )
    jkk_care = models.CharField(_("JKK perawatan"), max_length=200)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("versi tabel manfaat")
        verbose_name_plural = _("versi tabel manfaat")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y} ({self.legal_basis})"


class Status(models.TextChoices):
    REPORTED = "reported", _("Dilaporkan")
    DOCUMENTS_COMPLETE = "documents_complete", _("Berkas lengkap")
    SUBMITTED = "submitted", _("Diajukan ke BPJS")
    PAID = "paid", _("Dibayar")
    REFUSED = "refused", _("Ditolak")


class Kind(models.TextChoices):
    DEATH = "death", _("Meninggal dunia (JKM)")
    WORK_ACCIDENT_DEATH = "work_accident_death", _("Meninggal karena kecelakaan kerja (JKK)")
    TOTAL_DISABILITY = "total_disability", _("Cacat total tetap (JKK)")
    WORK_ACCIDENT_CARE = "work_accident_care", _("Kecelakaan kerja, perawatan (JKK)")


DEATHS = (Kind.DEATH, Kind.WORK_ACCIDENT_DEATH)
OPEN_STATUSES = (Status.REPORTED, Status.DOCUMENTS_COMPLETE, Status.SUBMITTED)


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("suami/istri")
    CHILD = "child", _("anak")
    PARENT = "parent", _("orang tua")
    SIBLING = "sibling", _("saudara kandung")
    OTHER = "other", _("lainnya (dengan surat keterangan ahli waris)")
    SELF = "self", _("peserta sendiri")


def _handover_upload_to(instance, filename: str) -> str:
    return f"serah-terima-klaim/{instance.event_date:%Y}/{filename}"


class Claim(RegionCodes):
    """An event reported for a worker (a death, a work accident) and its way to the insurer.

    The estimate is kept as it was when the event was reported, so a paid amount can be
    compared with it. Personal data (the heir, the testimony) and money: the history keeps
    every change (``history``), and every move is a :class:`ClaimMove`.
    """

    person = models.ForeignKey("people.Person", models.PROTECT, related_name="claims")
    enrollment = models.ForeignKey(
        "programs.Enrollment", models.PROTECT, null=True, blank=True, related_name="claims",
        help_text=_("Kepesertaan yang menanggung peristiwa ini."),
    )  # fmt: skip
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    event_date = models.DateField(_("tanggal peristiwa"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    reported_on = models.DateField(_("tanggal lapor"))
    reporter_name = models.CharField(_("pelapor"), max_length=150)
    reported_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    heir_name = models.CharField(_("nama ahli waris"), max_length=150, blank=True)
    heir_relation = models.CharField(
        _("hubungan ahli waris"), max_length=10, choices=Relation.choices, blank=True
    )
    heir_phone = models.CharField(_("kontak ahli waris"), max_length=30, blank=True)
    documents = models.JSONField(_("berkas diterima"), default=list, blank=True)
    estimate_total = models.PositiveBigIntegerField(_("perkiraan manfaat (Rp)"), default=0)
    estimate_up_to = models.PositiveBigIntegerField(_("perkiraan paling banyak (Rp)"), default=0)
    estimate_covered = models.BooleanField(_("ditanggung menurut perkiraan"), default=True)
    estimate_rule = models.CharField(_("tabel manfaat"), max_length=255, blank=True)
    submitted_on = models.DateField(_("tanggal diajukan"), null=True, blank=True)
    amount_paid = models.PositiveBigIntegerField(_("jumlah dibayar (Rp)"), null=True, blank=True)
    paid_on = models.DateField(_("tanggal dibayar"), null=True, blank=True)
    payment_note = models.TextField(_("catatan pembayaran"), blank=True)
    refusal_reason = models.TextField(_("alasan ditolak"), blank=True)
    handover_on = models.DateField(_("tanggal serah terima"), null=True, blank=True)
    handover_by = models.CharField(_("diserahkan oleh"), max_length=150, blank=True)
    handover_photo = models.FileField(
        _("foto serah terima"), upload_to=_handover_upload_to, blank=True
    )
    testimony = models.TextField(
        _("kesaksian singkat"), blank=True,
        help_text=_("Kalimat ahli waris yang boleh dikutip pejabat, dengan izinnya."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = tracked_history(no_db_index=["reported_by"])

    class Meta:
        verbose_name = _("klaim")
        verbose_name_plural = _("klaim")
        ordering = ["-event_date", "-id"]
        constraints = [
            # One death is claimed once while a claim of it is open or paid.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(kind__in=[k.value for k in DEATHS])
                & ~models.Q(status=Status.REFUSED),
                name="claim_one_death_per_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "event_date"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"KLM-{self.event_date:%Y}-{self.pk:06d}"

    @property
    def is_death(self) -> bool:
        return self.kind in DEATHS


class ClaimMove(models.Model):
    """One move of a claim (like the enrollments' transitions): who, when, why, through what."""

    claim = models.ForeignKey(Claim, models.CASCADE, related_name="moves")
    from_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(_("waktu"))
    by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("catatan"), blank=True)
    via = models.CharField(max_length=6, default="web")

    class Meta:
        verbose_name = _("perubahan status klaim")
        verbose_name_plural = _("perubahan status klaim")
        ordering = ["claim", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


# The documents the insurer asks for, per kind of claim (the checklist of the claim page).
DOCUMENT_LABELS = {
    "death_certificate": _("Surat/akta kematian"),
    "family_card": _("Kartu Keluarga (KK)"),
    "heir_statement": _("Surat keterangan ahli waris"),
    "heir_id": _("KTP ahli waris"),
    "member_card": _("Kartu peserta / nomor KPJ"),
    "accident_report": _("Laporan kecelakaan kerja (tahap I dan II)"),
    "medical_certificate": _("Surat keterangan dokter"),
    "worker_id": _("KTP peserta"),
    "bank_account": _("Buku tabungan penerima"),
}

DOCUMENTS = {
    Kind.DEATH: ["death_certificate", "family_card", "heir_statement", "heir_id", "member_card",
                 "bank_account"],
    Kind.WORK_ACCIDENT_DEATH: ["accident_report", "death_certificate", "family_card",
                               "heir_statement", "heir_id", "member_card", "bank_account"],
    Kind.TOTAL_DISABILITY: ["accident_report", "medical_certificate", "worker_id", "member_card",
                            "bank_account"],
    Kind.WORK_ACCIDENT_CARE: ["accident_report", "medical_certificate", "worker_id",
                              "member_card"],
}  # fmt: skip
