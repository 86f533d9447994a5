"""The worker registry: one row per person, keyed by NIK."""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from lindung.people.categories import Category
from lindung.privacy.history import tracked_history


class TransactionNow(Now):
    """The time the transaction began: PostgreSQL's ``CURRENT_TIMESTAMP`` (Django's ``Now``
    is the statement's); elsewhere the same as ``Now``.

    The default of the times an import's ``COPY`` leaves out: a batch's registry rows and
    their historical rows, written by two statements of one transaction, then hold the
    same times, with no timestamp sent or parsed per row (see ``imports.loading``)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="CURRENT_TIMESTAMP", **extra_context)


class Occupation(models.Model):
    """A managed list of occupations (jenis pekerjaan); the regency tidies it."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=80, unique=True)
    name_en = models.CharField(_("nama (Inggris)"), max_length=80, blank=True)
    is_transport = models.BooleanField(
        _("pekerja transportasi"),
        default=False,
        help_text=_("Ojek, pengemudi, kurir, logistik: aturan keringanan iuran sendiri."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis pekerjaan")
        verbose_name_plural = _("jenis pekerjaan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A worker, with the codes of their village's district, regency and province.

    The registry takes imports of a million rows, and every index is paid for on each of
    them: besides the id, there is the NIK's unique index and one more, on the village,
    which serves a village's list and, as a range of village codes, the scope of every
    larger region (see :mod:`lindung.accounts.scope`). For that the village column sorts
    byte by byte: its collation is ``C`` on PostgreSQL (migration 0004; a later
    ``AlterField`` of ``village`` must keep it). The index holds the village alone, not
    the name too: PostgreSQL then stores each village's rows as one deduplicated entry, a
    fraction of the size and of the work per insert; a village's few hundred workers are
    sorted by name when read.
    """

    # accounts.scope: a region is a range of village codes here, not an equality.
    # The columns an import does not fill have database defaults (``db_default``), so the
    # import's ``COPY`` leaves them out (see ``imports.loading``).
    village_in_range = True

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Segment(models.TextChoices):
        BPU = "BPU", _("BPU (bukan penerima upah / informal)")
        PU = "PU", _("PU (penerima upah / formal)")

    nik = models.CharField(_("NIK"), max_length=16)  # unique: see Meta.constraints
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    # The name made comparable (``people.names``): what a possible duplicate is matched on.
    name_key = models.CharField(
        _("kunci nama"), max_length=160, blank=True, db_default="", editable=False
    )
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True, db_default="")
    mother_maiden_name = models.CharField(
        _("nama ibu kandung"),
        max_length=150,
        blank=True,
        db_default="",
        help_text=_("Untuk verifikasi identitas oleh BPJS; tidak ditampilkan di daftar."),
    )
    village = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="residents",
        verbose_name=_("desa/kelurahan"),
        db_constraint=False,
        db_index=False,  # the index is named in Meta.indexes
    )
    district_code = models.CharField(max_length=8, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    province_code = models.CharField(max_length=2, editable=False)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    occupation = models.ForeignKey(
        Occupation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("pekerjaan"),
        db_index=False,  # occupations are retired, not deleted: no read needs it
        db_constraint=False,  # imports resolve ids from the table; deletes are PROTECTed by Django
    )
    occupation_text = models.CharField(
        _("pekerjaan (seperti tertulis)"),
        max_length=80,
        blank=True,
        help_text=_("Diisi bila pekerjaan belum ada di daftar; dirapikan oleh kabupaten."),
    )
    category = models.CharField(_("kategori peserta"), max_length=20, choices=Category.choices)
    declared_income = models.PositiveBigIntegerField(
        _("penghasilan sebulan (Rp)"), help_text=_("Rupiah bulat, tanpa titik.")
    )
    segment = models.CharField(
        _("segmen"),
        max_length=3,
        choices=Segment.choices,
        default=Segment.BPU,
        db_default=Segment.BPU.value,
    )
    data_source = models.CharField(
        _("sumber data"),
        max_length=60,
        blank=True,
        db_default="",
        help_text=_("mis. musyawarah desa, DTSEN"),
    )
    welfare_decile = models.PositiveSmallIntegerField(
        _("desil DTSEN"), null=True, blank=True, help_text=_("1 (termiskin) s.d. 10")
    )
    welfare_decile_as_of = models.DateField(_("desil per tanggal"), null=True, blank=True)
    has_disability = models.BooleanField(
        _("penyandang disabilitas"), default=False, db_default=False
    )
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

    agent = models.ForeignKey(
        "agents.Agent",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agen Perisai"),
        help_text=_("Agen yang mendaftarkan atau mengelola pekerja ini."),
        # Like the creator: imports write it per row, and reads go through the village
        # index first (an agent's portfolio is its villages), so neither index nor check.
        db_index=False,
        db_constraint=False,
    )
    employer = models.ForeignKey(
        "employers.Employer",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemberi kerja"),
        help_text=_("Untuk pekerja penerima upah (PU): usaha tempat ia bekerja."),
        # Named like the agent, by string: the registry does not import the employers app.
        # Only the workers with an employer are indexed (a partial index, below), so an
        # import of informal workers pays nothing for it.
        db_index=False,
        db_constraint=False,
    )
    history = tracked_history(
        # An import writes a historical row per person: only the indexes a read needs.
        no_db_index=["village", "occupation", "created_by", "agent", "employer"]
    )

    class Meta:
        verbose_name = _("pekerja")
        verbose_name_plural = _("pekerja")
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["village"], name="person_village"),
            models.Index(
                fields=["employer"],
                condition=models.Q(employer__isnull=False),
                name="person_employer",
            ),
        ]
        constraints = [
            # A constraint rather than ``unique=True``: on PostgreSQL the latter adds a second,
            # pattern-ops index on the NIK; prefix searches use ranges on this one instead.
            models.UniqueConstraint(fields=["nik"], name="people_person_nik_unique"),
            models.CheckConstraint(
                condition=models.Q(welfare_decile__isnull=True)
                | models.Q(welfare_decile__gte=1, welfare_decile__lte=10),
                name="person_welfare_decile_1_10",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def set_name_key(self) -> None:
        from lindung.people.names import name_key

        self.name_key = name_key(self.full_name)

    def set_region_codes(self) -> None:
        """Copy the village's ancestors' codes onto the row (see ``accounts.scope``)."""
        code = self.village_id
        self.district_code, self.regency_code, self.province_code = code[:8], code[:5], code[:2]

    @property
    def occupation_label(self) -> str:
        return self.occupation.name if self.occupation_id else self.occupation_text


class Membership(models.Model):
    """What is known of a worker at the insurer: the KPJ and whether the membership is active.

    Learned from the insurer's answer to a program's submission, or from the member list of
    a region the insurer hands over (imported by NIK), each with the date it was true on and
    where it came from: ``already_covered`` then refuses a worker who is an active member
    elsewhere before the insurer has to, and names the source. A KPJ belongs to one person:
    the unique constraint holds that even against two answer files applied at once.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktif")
        INACTIVE = "inactive", _("tidak aktif")

    class Source(models.TextChoices):
        PROGRAM = "program", _("jawaban BPJS atas usulan program")
        MEMBER_LIST = "member_list", _("daftar peserta dari BPJS")

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="membership", verbose_name=_("pekerja")
    )
    kpj = models.CharField(_("nomor KPJ"), max_length=20, blank=True)
    status = models.CharField(_("status kepesertaan"), max_length=10, choices=Status.choices)
    as_of = models.DateField(_("per tanggal"))
    source = models.CharField(_("sumber"), max_length=12, choices=Source.choices)
    source_label = models.CharField(
        _("keterangan sumber"), max_length=200, help_text=_("Nama program atau nama berkas.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("kepesertaan BPJS")
        verbose_name_plural = _("kepesertaan BPJS")
        ordering = ["person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpj"], condition=~models.Q(kpj=""), name="membership_kpj_one_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpj or '-'} ({self.get_status_display()})"

    @property
    def where(self) -> str:
        """Where the worker is covered, as a refusal names it."""
        return f"{self.get_source_display()}: {self.source_label}"


class PossibleDuplicate(models.Model):
    """Two registry records that may be one person, flagged (never refused) when the second
    was registered or imported, for the regency to merge or dismiss.

    ``person`` is the later record (the larger id), ``other`` the earlier one, so a pair
    found twice (an import finds both sides of a pair within its own file, a re-run) is
    one row. A merge deletes one of the two: ``other`` is then empty and ``other_label``
    says who it was (name and masked NIK).
    """

    class Reason(models.TextChoices):
        NAME = "name", _("nama mirip, tanggal lahir dan jenis kelamin sama")
        PHONE = "phone", _("nomor HP sama")

    class Status(models.TextChoices):
        OPEN = "open", _("menunggu keputusan")
        MERGED = "merged", _("digabung")
        DISMISSED = "dismissed", _("bukan orang yang sama")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="+", verbose_name=_("pekerja (data baru)")
    )
    other = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pekerja (data lama)"),
    )
    other_label = models.CharField(_("data yang digabung"), max_length=200, blank=True)
    regency_code = models.CharField(max_length=5, editable=False)
    reason = models.CharField(_("alasan"), max_length=10, choices=Reason.choices)
    score = models.FloatField(_("kemiripan nama"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    found_via = models.CharField(_("ditemukan lewat"), max_length=20, blank=True)
    import_job_id = models.PositiveIntegerField(null=True, blank=True)
    import_row = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("kemungkinan data ganda")
        verbose_name_plural = _("kemungkinan data ganda")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="duplicate_pair_once"),
        ]
        indexes = [
            models.Index(fields=["regency_code", "status"], name="duplicate_regency_status"),
            models.Index(fields=["import_job_id", "import_row"], name="duplicate_import_row"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.other_id or self.other_label}"
