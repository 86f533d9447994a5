"""Files exchanged with BPJS Ketenagakerjaan: submission batches out, the insurer's answers in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionBatch(models.Model):
    """Verified enrollments handed to the insurer together, as one registration file.

    ``region_code`` is the region of whoever made the batch (the regency, usually): the
    batch holds only enrollments from inside it, and only users who see it see the batch.
    """

    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="submission_batches"
    )
    number = models.PositiveIntegerField(_("nomor"))
    region_code = models.CharField(_("wilayah"), max_length=13, db_index=True)
    created_at = models.DateTimeField(_("dibuat"))
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("batch pengajuan")
        verbose_name_plural = _("batch pengajuan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="batch_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.program} — batch {self.number}"

    @property
    def label(self) -> str:
        return f"P{self.program_id:04d}-B{self.number:03d}"


class AnswerImport(models.Model):
    """One upload of the insurer's answer file, with what it changed and what it refused."""

    program = models.ForeignKey("programs.Program", models.PROTECT, related_name="answer_imports")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("diunggah"))
    uploaded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region_code = models.CharField(_("wilayah"), max_length=13, db_index=True)
    rows = models.PositiveIntegerField(default=0)
    activated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, help_text=_("baris yang ditolak atau tidak dikenal"))

    class Meta:
        verbose_name = _("jawaban BPJS")
        verbose_name_plural = _("jawaban BPJS")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%d/%m/%Y %H:%M})"


class BatchEntry(models.Model):
    """One enrollment in one batch, and the insurer's answer about it once it came."""

    class Answer(models.TextChoices):
        PENDING = "", _("menunggu jawaban")
        ACCEPTED = "accepted", _("diterima")
        REJECTED = "rejected", _("ditolak")

    batch = models.ForeignKey(SubmissionBatch, models.CASCADE, related_name="entries")
    enrollment = models.OneToOneField(
        "programs.Enrollment", models.PROTECT, related_name="batch_entry"
    )
    nik = models.CharField(max_length=16, db_index=True)
    answer = models.CharField(max_length=8, choices=Answer.choices, default="", blank=True)
    kpj = models.CharField(max_length=20, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    answer_reason = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_import = models.ForeignKey(
        AnswerImport, models.SET_NULL, null=True, blank=True, related_name="entries"
    )

    class Meta:
        verbose_name = _("isi batch")
        verbose_name_plural = _("isi batch")
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return f"{self.nik} — {self.get_answer_display()}"
