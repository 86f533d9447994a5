"""The personal-data access log (UU PDP) and the data-subject requests.

The access log is append-only: the product never changes or deletes an entry (no admin,
no service does; on PostgreSQL a trigger refuses it, see migration 0001); only
``lindung privacy archive`` moves entries older than the retention period into
:class:`ArchivedAccessEntry`. On PostgreSQL the table is partitioned by month on ``at``.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    VIEW = "view", _("melihat data lengkap")
    EXPORT = "export", _("ekspor / unduhan")
    SEARCH = "search", _("pencarian NIK")


class AccessFields(models.Model):
    """Who saw or exported whose personal data, when, through what, from where."""

    at = models.DateTimeField(_("waktu"), default=timezone.now)
    user = models.ForeignKey(
        "accounts.User",
        models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # an entry outlives a deleted user; the name is kept below
        db_index=False,  # named in the concrete models' Meta.indexes
        verbose_name=_("pengguna"),
    )
    username = models.CharField(_("nama pengguna"), max_length=150)
    kind = models.CharField(_("jenis akses"), max_length=10, choices=AccessKind.choices)
    operation = models.CharField(_("halaman atau operasi"), max_length=200)
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    # The region of the records: a worker's village, a list's filter or the user's scope
    # ("" for the whole country). Whose log an admin reads is decided on it.
    region_code = models.CharField(_("wilayah data"), max_length=13, blank=True)
    person_id = models.BigIntegerField(_("pekerja"), null=True, blank=True)
    # The workers of a short list, as ",12,45,": one text test finds a worker's entries on
    # SQLite and PostgreSQL alike. Longer lists are named by their query and count.
    record_ids = models.TextField(_("pekerja dalam daftar"), blank=True, default="")
    query = models.JSONField(_("kueri"), null=True, blank=True)
    count = models.IntegerField(_("jumlah data"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def ids(self) -> list[int]:
        return [int(i) for i in self.record_ids.strip(",").split(",") if i]


class AccessEntry(AccessFields):
    class Meta:
        verbose_name = _("entri log akses")
        verbose_name_plural = _("log akses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="access_at"),
            models.Index(fields=["person_id"], name="access_person"),
            models.Index(fields=["user"], name="access_user"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind} {self.operation}"


class ArchivedAccessEntry(AccessFields):
    """Entries past the retention period, moved here by ``lindung privacy archive``."""

    id = models.BigIntegerField(primary_key=True)  # the entry's own id, kept

    class Meta:
        verbose_name = _("entri log akses (arsip)")
        verbose_name_plural = _("log akses (arsip)")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person_id"], name="access_archive_person")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind} {self.operation}"


class SubjectRequest(models.Model):
    """A data-subject request about one person (UU PDP art. 5–9) and what was done."""

    class Kind(models.TextChoices):
        PRODUCE = "produce", _("salinan data")
        CORRECT = "correct", _("perbaikan data")
        ERASE = "erase", _("penghapusan / anonimisasi")

    kind = models.CharField(_("jenis permintaan"), max_length=10, choices=Kind.choices)
    nik = models.CharField(_("NIK"), max_length=16)
    person = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("pekerja"),
    )
    region_code = models.CharField(_("wilayah"), max_length=13)
    reason = models.TextField(_("alasan"))
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    made_at = models.DateTimeField(_("waktu"), default=timezone.now)
    made_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("oleh")
    )

    class Meta:
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["nik"], name="subject_request_nik")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.nik} ({self.made_at:%Y-%m-%d})"
