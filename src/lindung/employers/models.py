"""Employers (pemberi kerja), the rule that sizes and judges them, and the outreach to them.

Formal workers are covered through their employer: the insurer registers the company (its
NPP) and then its workers, program by program. The regency's manpower office (Disnaker)
keeps this registry to see which employers lag and to push them: socialisation events,
letters of appeal, visits, policy notices and sanction warnings (:class:`Action`).

Every figure says where it came from and as of when (the company manpower report WLKP, the
insurer's list, a field visit, the employer itself), because lists of different dates
disagree and the office must know which one it is reading.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.people.models import TransactionNow
from lindung.privacy.history import tracked_history
from lindung.programs.models import RegionCodes

PROGRAMS = ("JKK", "JKM", "JHT", "JP", "JKP")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Mikro")
    SMALL = "small", _("Kecil")
    MEDIUM = "medium", _("Menengah")
    LARGE = "large", _("Besar")


class Compliance(models.TextChoices):
    REGISTERED = "registered", _("Terdaftar")
    PARTLY = "partly", _("Terdaftar sebagian (PDS)")
    NOT_REGISTERED = "not_registered", _("Belum terdaftar")
    CLOSED = "closed", _("Tutup")


class Reason(models.TextChoices):
    """The insurer's categories of a partly registered employer (Perusahaan Daftar
    Sebagian)."""

    PDS_WORKERS = "pds_tk", _("PDS tenaga kerja: sebagian pekerja belum didaftarkan")
    PDS_WAGE = "pds_upah", _("PDS upah: upah dilaporkan lebih rendah dari sebenarnya")
    PDS_PROGRAM = "pds_program", _("PDS program: sebagian program wajib belum diikuti")


class FigureSource(models.TextChoices):
    WLKP = "wlkp", _("Wajib Lapor Ketenagakerjaan Perusahaan (WLKP)")
    INSURER = "insurer", _("Daftar BPJS Ketenagakerjaan")
    VISIT = "visit", _("Kunjungan lapangan")
    EMPLOYER = "employer", _("Keterangan pemberi kerja")
    UMKM_LIST = "umkm", _("Daftar UMKM desa")


class LegalForm(models.TextChoices):
    PT = "pt", _("Perseroan Terbatas (PT)")
    CV = "cv", _("Persekutuan Komanditer (CV)")
    FIRMA = "firma", _("Firma")
    COOPERATIVE = "koperasi", _("Koperasi")
    BUMDES = "bumdes", _("BUMDes")
    LPD = "lpd", _("Lembaga Perkreditan Desa (LPD)")
    FOUNDATION = "yayasan", _("Yayasan")
    SOLE = "perorangan", _("Usaha perorangan / UD")
    OTHER = "lainnya", _("Lainnya")


class ComplianceRule(models.Model):
    """The dated rule that sizes an employer by its workers and names the programs its size
    must register. Data, not code: a new regulation is a new row from its date.

    The seeded row: sizes by workers as BPS counts them (micro 1–4, small 5–19, medium
    20–99, large 100 or more), since PP 7/2021 (Pasal 35–36) sizes businesses by capital and
    turnover and lets other criteria, such as the number of workers, be used where those are
    unknown, as they are in the regency's lists; programs by Perpres 109/2013 Pasal 6 (large
    and medium: JKK, JKM, JHT, JP; small: JKK, JKM, JHT; micro: JKK, JKM) with JKP added by
    PP 37/2021 for employers whose workers are in JKK, JKM, JHT and JP.
    """

    valid_from = models.DateField(_("berlaku mulai"), unique=True)
    micro_max = models.PositiveIntegerField(_("mikro: paling banyak pekerja"))
    small_max = models.PositiveIntegerField(_("kecil: paling banyak pekerja"))
    medium_max = models.PositiveIntegerField(_("menengah: paling banyak pekerja"))
    programs_micro = models.CharField(_("program wajib usaha mikro"), max_length=40)
    programs_small = models.CharField(_("program wajib usaha kecil"), max_length=40)
    programs_medium = models.CharField(_("program wajib usaha menengah"), max_length=40)
    programs_large = models.CharField(_("program wajib usaha besar"), max_length=40)
    source = models.TextField(_("dasar hukum / sumber"))

    class Meta:
        verbose_name = _("aturan ukuran dan kepatuhan")
        verbose_name_plural = _("aturan ukuran dan kepatuhan")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(micro_max__lt=F("small_max")) & Q(small_max__lt=F("medium_max")),
                name="employers_rule_sizes_increase",
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}"

    def size_of(self, workers: int) -> str:
        if workers <= self.micro_max:
            return SizeClass.MICRO
        if workers <= self.small_max:
            return SizeClass.SMALL
        if workers <= self.medium_max:
            return SizeClass.MEDIUM
        return SizeClass.LARGE

    def required_programs(self, size: str) -> list[str]:
        text = getattr(self, f"programs_{size}")
        return [p for p in text.split(",") if p]


class KbliCode(models.Model):
    """A 5-digit KBLI 2020 code (*kelompok*) loaded from the BPS publication's table by
    ``lindung kbli load`` (:func:`lindung.employers.services.load_kbli`).

    The sections and the few codes in ``data/kbli2020.csv`` come with the product; the
    full list of about 1,800 codes is loaded from the file BPS publishes, so that every
    real code is accepted and none is typed from memory. A code is never deleted: an
    employer may carry it.
    """

    code = models.CharField(_("kode KBLI"), max_length=5, primary_key=True)
    title = models.TextField(_("judul"))
    section = models.CharField(_("kategori"), max_length=1)
    source = models.CharField(_("sumber"), max_length=200)
    loaded_at = models.DateTimeField(_("dimuat"))
    history = tracked_history()

    class Meta:
        verbose_name = _("kode KBLI")
        verbose_name_plural = _("kode KBLI")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


def _letter_upload_to(instance, filename: str) -> str:
    return f"surat-pemberi-kerja/{timezone.localdate():%Y}/{filename}"


class Employer(RegionCodes):
    """A business that employs workers, placed in the village of its address.

    Indexes: only those a read needs, since an import of hundreds of thousands of employers
    pays for every one of them on every row (``docs/performance.md``). The region codes
    and the village are indexed as plain columns (``Meta.indexes``: no pattern-ops twin,
    since no read compares them by prefix).
    """

    village = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
        db_constraint=False,
        db_index=False,  # the index is named in Meta.indexes
    )
    district_code = models.CharField(max_length=8, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    province_code = models.CharField(max_length=2, editable=False)

    name = models.CharField(_("nama usaha"), max_length=200)
    # NULL, not "": many employers have no NIB yet and the unique NIB must let them be.
    nib = models.CharField(  # noqa: DJ001
        _("NIB"),
        max_length=13,
        null=True,
        blank=True,
        help_text=_("Nomor Induk Berusaha dari OSS: 13 angka."),
    )
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    legal_form = models.CharField(
        _("bentuk usaha"), max_length=12, choices=LegalForm.choices, default=LegalForm.OTHER
    )
    kbli_section = models.CharField(_("kategori KBLI"), max_length=1)
    kbli_code = models.CharField(_("kode KBLI"), max_length=5, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    contact_name = models.CharField(_("narahubung"), max_length=150, blank=True)
    contact_phone = models.CharField(_("telepon narahubung"), max_length=20, blank=True)
    contact_email = models.EmailField(_("surel narahubung"), blank=True)

    total_workers = models.PositiveIntegerField(_("jumlah pekerja"))
    workers_male = models.PositiveIntegerField(_("pekerja laki-laki"), null=True, blank=True)
    workers_female = models.PositiveIntegerField(_("pekerja perempuan"), null=True, blank=True)
    workers_source = models.CharField(
        _("sumber jumlah pekerja"), max_length=10, choices=FigureSource.choices
    )
    workers_as_of = models.DateField(_("jumlah pekerja per tanggal"))

    registered_workers = models.PositiveIntegerField(_("pekerja terdaftar BPJS (PU)"), default=0)
    programs = models.CharField(_("program terdaftar"), max_length=40, blank=True)
    npp = models.CharField(_("NPP"), max_length=20, blank=True)
    wage_underreported = models.BooleanField(_("upah dilaporkan lebih rendah"), default=False)
    registration_source = models.CharField(
        _("sumber data kepesertaan"), max_length=10, choices=FigureSource.choices
    )
    registration_as_of = models.DateField(_("data kepesertaan per tanggal"))
    closed_on = models.DateField(_("tutup sejak"), null=True, blank=True)

    # Worked out by the rule at every write (services.judge), stored so lists filter and
    # order on them with an index.
    size_class = models.CharField(
        _("skala usaha"), max_length=6, choices=SizeClass.choices, editable=False
    )
    compliance = models.CharField(
        _("status kepatuhan"), max_length=14, choices=Compliance.choices, editable=False
    )
    reasons = models.CharField(_("alasan"), max_length=60, blank=True, editable=False)
    uncovered = models.PositiveIntegerField(_("pekerja belum terdaftar"), editable=False)
    identified_by_name = models.BooleanField(
        _("dikenali dari nama dan desa"),
        default=False,
        help_text=_("Tanpa NIB: impor mencocokkan nama dan desa, yang bisa keliru."),
    )
    # The earliest follow-up still open, copied from the actions for the work list's order.
    next_follow_up = models.DateField(_("tindak lanjut berikutnya"), null=True, blank=True)
    # The first outreach that reached the employer (any action but a socialisation it did
    # not attend), copied from the actions for the outreach funnel of the dashboards.
    first_reached_on = models.DateField(
        _("pertama dijangkau"), null=True, blank=True, editable=False
    )

    # The import's COPY leaves the times to the database: the transaction's time, for the
    # records and their historical rows alike, with no timestamp sent or parsed per row.
    created_at = models.DateTimeField(auto_now_add=True, db_default=TransactionNow())
    updated_at = models.DateTimeField(auto_now=True, db_default=TransactionNow())
    created_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        # Users are deactivated, not deleted (Django still nulls this if one is): no index,
        # and no database check, which would run once per row at an import's commit.
        db_index=False,
        db_constraint=False,
    )

    # An import writes a historical row per employer: the history is read by record
    # (``id``) only, so its region and user columns carry no index.
    history = tracked_history(no_db_index=["village", "created_by"])

    class Meta:
        verbose_name = _("pemberi kerja")
        verbose_name_plural = _("pemberi kerja")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=Q(nib__isnull=False), name="employers_unique_nib"
            ),
            models.CheckConstraint(
                condition=Q(registered_workers__lte=F("total_workers")),
                name="employers_registered_within_total",
            ),
        ]
        indexes = [
            # The work list (``selectors.WorkList``): the open employers with uncovered
            # workers, most uncovered first; the region is a filter along the walk.
            models.Index(
                fields=["-uncovered", "id"],
                condition=Q(uncovered__gt=0) & ~Q(compliance="closed"),
                name="employer_worklist_open",
            ),
            # The overdue section of the work list (``next_follow_up <= today``): only the
            # employers with a follow-up, so an import's new rows add no entry to it.
            models.Index(
                fields=["next_follow_up", "id"],
                condition=Q(next_follow_up__isnull=False),
                name="employer_follow_up",
            ),
            # The region scope (``accounts.scope``: one equality per level) and the
            # district filter. (employer_formal starts with the province too, but a
            # province's count along it reads an index several times the size.)
            models.Index(fields=["village"], name="employer_village"),
            models.Index(fields=["district_code"], name="employer_district"),
            models.Index(fields=["regency_code"], name="employer_regency"),
            models.Index(fields=["province_code"], name="employer_province"),
            models.Index(fields=["name", "id"], name="employer_name"),
            # Formal coverage (``coverage.formal``): a region's employers grouped by the
            # level below, sector and size, read from the index alone on PostgreSQL.
            models.Index(
                fields=["province_code", "regency_code", "district_code"],
                include=[
                    "village_id",
                    "kbli_section",
                    "size_class",
                    "compliance",
                    "total_workers",
                    "registered_workers",
                    "registration_as_of",
                    "workers_as_of",
                    "closed_on",
                    "first_reached_on",
                ],
                name="employer_formal",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def program_list(self) -> list[str]:
        return [p for p in self.programs.split(",") if p]

    @property
    def reason_list(self) -> list[str]:
        return [Reason(r).label for r in self.reasons.split(",") if r]

    @property
    def sector_label(self) -> str:
        from lindung.employers import kbli

        return kbli.label(self.kbli_section, self.kbli_code)


class Event(RegionCodes):
    """A socialisation event (sosialisasi) held in a village for many employers at once."""

    title = models.CharField(_("judul"), max_length=200)
    held_on = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    officer = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("sosialisasi")
        verbose_name_plural = _("sosialisasi")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    """One step of outreach to one employer, with its outcome and the next follow-up."""

    class Kind(models.TextChoices):
        SOCIALISATION = "socialisation", _("Sosialisasi")
        LETTER = "letter", _("Surat imbauan")
        VISIT = "visit", _("Kunjungan")
        POLICY_NOTICE = "policy", _("Pemberitahuan kebijakan")
        SANCTION_WARNING = "sanction", _("Peringatan sanksi")

    class Outcome(models.TextChoices):
        NO_RESPONSE = "no_response", _("Belum ada tanggapan")
        ATTENDED = "attended", _("Hadir")
        ABSENT = "absent", _("Tidak hadir")
        PROMISED = "promised", _("Berjanji mendaftar")
        PARTLY = "partly", _("Mendaftarkan sebagian")
        REGISTERED = "registered", _("Sudah mendaftar")
        REFUSED = "refused", _("Menolak")
        CLOSED = "closed", _("Usaha tutup")

    employer = models.ForeignKey(Employer, models.CASCADE, related_name="actions")
    event = models.ForeignKey(Event, models.CASCADE, null=True, blank=True, related_name="actions")
    kind = models.CharField(_("jenis"), max_length=14, choices=Kind.choices)
    done_on = models.DateField(_("tanggal"))
    letter_number = models.CharField(_("nomor surat"), max_length=120, blank=True)
    document = models.FileField(_("berkas surat (PDF)"), upload_to=_letter_upload_to, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("catatan"), blank=True)
    follow_up_on = models.DateField(_("tindak lanjut berikutnya"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("tindak lanjut selesai"), default=False)
    officer = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("tindakan penjangkauan")
        verbose_name_plural = _("tindakan penjangkauan")
        ordering = ["-done_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "employer"],
                condition=Q(event__isnull=False),
                name="employers_action_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on:%d/%m/%Y}"

    def clean(self) -> None:
        if self.follow_up_on and self.follow_up_on < self.done_on:
            raise ValidationError({"follow_up_on": _("Tindak lanjut tidak boleh sebelum tanggal.")})
