"""Import jobs and what they found, row by row.

Each batch of a job commits an :class:`ImportBatch` in the same transaction as its
registry rows, so the batches that exist are exactly the work that is done: a run that
died is continued with the batches that are missing, and the job's counts are the sum of
its batches. Only the
rows with something to say (refused, or accepted with a warning) are kept, with their
values as written, which is what the report needs; clean rows live in the registry.
"""

from django.conf import settings
from django.db import models
from django.db.models import Func
from django.utils.translation import gettext_lazy as _


class CurrentDate(Func):
    """The database's ``CURRENT_DATE`` (both PostgreSQL and SQLite know it): the default of
    a column the import's ``COPY`` leaves out."""

    template = "CURRENT_DATE"
    output_field = models.DateField()


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        WORKERS = "workers", _("Registri pekerja")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        REFUSED = "refused", _("Berkas ditolak")
        FAILED = "failed", _("Terhenti")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("menunggu")
        READING = "reading", _("membaca berkas")
        VALIDATING = "validating", _("memeriksa baris")
        LOADING = "loading", _("menyimpan ke registri")
        FINISHED = "finished", _("selesai")

    FINAL = (Status.DONE, Status.REFUSED, Status.CANCELLED)

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKERS)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("pengguna"),
    )
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    source_path = models.CharField(max_length=500, blank=True)
    source_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    update_existing = models.BooleanField(_("perbarui data yang sudah ada"), default=False)
    default_village = models.CharField(_("desa bawaan"), max_length=13, blank=True)
    today = models.DateField()

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.WAITING)
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=dict, blank=True)

    rows_total = models.PositiveIntegerField(default=0)
    rows_validated = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    errors_by_code = models.JSONField(default=dict, blank=True)
    warnings_by_code = models.JSONField(default=dict, blank=True)

    batch_rows = models.PositiveIntegerField(default=50_000)
    cancel_requested = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    runner = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impor berkas")
        verbose_name_plural = _("impor berkas")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_name}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def percent(self) -> int:
        """Progress of the whole job: reading and checking count for a tenth."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        checked = 10 * self.rows_validated // self.rows_total
        return min(99, checked + 90 * self.rows_loaded // self.rows_total)

    def summary(self) -> dict:
        """The counts, in the shape of ``lindung import workers --json``."""
        return {
            "rows": self.rows_total,
            "accepted": self.accepted,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors_by_code": dict(self.errors_by_code),
        }


class ImportRow(models.Model):
    """A row of the file that was refused or accepted with a warning."""

    # Written in bulk by the job itself, up to a row per row of the file: no foreign-key
    # check per row at every batch's commit (Django's cascade still deletes them with the
    # job), and no index of its own (the unique (job, row) index leads with it).
    job = models.ForeignKey(
        ImportJob, models.CASCADE, related_name="rows", db_constraint=False, db_index=False
    )
    row = models.PositiveIntegerField(_("baris"))
    rejected = models.BooleanField(default=False)
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    values = models.JSONField(default=dict)  # the cells as written, by field
    first_row = models.PositiveIntegerField(null=True, blank=True)  # of a duplicated NIK
    # The day the row was written (UTC), by the database: the key of the monthly partitions
    # on PostgreSQL (``lindung.partitioning``), so old reports can be detached and archived.
    written_on = models.DateField(_("ditulis"), db_default=CurrentDate(), editable=False)

    class Meta:
        verbose_name = _("baris impor")
        verbose_name_plural = _("baris impor")
        ordering = ["job", "row"]
        # A unique key of a partitioned table holds its partition key. A job's row is
        # written once all the same (a batch's rows commit with the batch, and a resumed
        # job writes only the batches that are missing).
        constraints = [
            models.UniqueConstraint(fields=["job", "row", "written_on"], name="import_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row}"


class ImportBatch(models.Model):
    """One committed batch of a job: the proof that its rows are in, and its counts."""

    job = models.ForeignKey(ImportJob, models.CASCADE, related_name="batches")
    index = models.PositiveIntegerField()
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    errors_by_code = models.JSONField(default=dict)
    warnings_by_code = models.JSONField(default=dict)
    committed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="import_batch_once")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.index}"


class UpdateImport(models.Model):
    """A file that updated a few facts of registered workers by NIK, and its row report.

    The insurer's member list (KPJ and status) and the social office's welfare file
    (DTSEN decile): small next to a worker import, so applied in one transaction during
    the request; the report keeps only the rows with a problem.
    """

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Daftar peserta BPJS")
        WELFARE = "welfare", _("Data kesejahteraan (DTSEN)")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("diunggah"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    region_code = models.CharField(_("wilayah"), max_length=13, blank=True)
    as_of = models.DateField(_("tanggal data"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("baris"), default=0)
    updated = models.PositiveIntegerField(_("diperbarui"), default=0)
    unchanged = models.PositiveIntegerField(_("tetap"), default=0)
    refused = models.PositiveIntegerField(_("ditolak"), default=0)
    report = models.JSONField(default=list)

    class Meta:
        verbose_name = _("impor pembaruan data")
        verbose_name_plural = _("impor pembaruan data")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"
