"""What the phones send when they come back online: the devices, every record received,
and the conflicts kept for a person to decide.

A phone works offline and keeps its records in the browser, each with an id it made itself
(a UUID). :class:`SyncRecord` keeps the answer the server gave to each record that changed
something (accepted, accepted with warnings, or a conflict), so that a record sent twice is
applied once and answered the same way twice. A refused record is not kept: the phone
corrects it and sends it again under the same id.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.privacy.history import tracked_history
from lindung.programs.models import RegionCodes


class Kind(models.TextChoices):
    WORKER_CREATE = "worker.create", _("Pendaftaran pekerja")
    WORKER_UPDATE = "worker.update", _("Perubahan data pekerja")
    CONTACT_CREATE = "contact.create", _("Kontak kelanjutan")
    COLLECTION_CREATE = "collection.create", _("Iuran mandiri")


class Device(models.Model):
    """A browser on a phone that has sent records, named by the id it made for itself.

    A lost phone is revoked by the regency admin: from then on the records it still holds
    are refused (``device_revoked``), whoever signs in on it."""

    uuid = models.UUIDField(_("id perangkat"), default=uuid.uuid4)
    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    label = models.CharField(_("perangkat"), max_length=200, blank=True)
    first_seen_at = models.DateTimeField(_("pertama terlihat"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("terakhir sinkron"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = tracked_history(excluded_fields=["last_seen_at"])

    class Meta:
        verbose_name = _("perangkat")
        verbose_name_plural = _("perangkat")
        ordering = ["-last_seen_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["uuid", "user"], name="sync_device_uuid_user"),
        ]

    def __str__(self) -> str:
        return self.label or str(self.uuid)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class SyncRecord(models.Model):
    """One record a phone sent and the answer it got, kept once per client id."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        WARNED = "warned", _("Diterima dengan peringatan")
        CONFLICT = "conflict", _("Konflik")

    client_id = models.UUIDField(_("id catatan"), unique=True)
    device = models.ForeignKey(Device, models.PROTECT, related_name="records")
    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    payload = models.JSONField(_("isi"), default=dict)
    base_version = models.CharField(_("versi dasar"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    answer = models.JSONField(_("jawaban"), default=dict)
    object_id = models.BigIntegerField(_("id data"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("catatan sinkron")
        verbose_name_plural = _("catatan sinkron")
        indexes = [models.Index(fields=["kind", "object_id"], name="sync_record_object")]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"


class Conflict(RegionCodes):
    """A record the server did not apply because the data changed under it: both versions
    are kept until a person decides (the phone's record itself is in ``record``)."""

    class Type(models.TextChoices):
        WORKER_CHANGED = "worker_changed", _("Data pekerja berubah di server")
        NIK_TWICE = "nik_twice", _("NIK sama didaftarkan dua kali")
        MONTH_TWICE = "month_twice", _("Bulan yang sama ditagih dua kali")

    class Resolution(models.TextChoices):
        OPEN = "open", _("Belum diputuskan")
        KEPT_SERVER = "kept_server", _("Data server dipertahankan")
        APPLIED_PHONE = "applied_phone", _("Data ponsel diterapkan")

    record = models.OneToOneField(SyncRecord, models.PROTECT, related_name="conflict")
    type = models.CharField(_("jenis konflik"), max_length=20, choices=Type.choices)
    person = models.ForeignKey(
        "people.Person", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Both versions as plain values (text, numbers), the field names of the registry.
    server_version = models.JSONField(_("versi server"), default=dict)
    phone_version = models.JSONField(_("versi ponsel"), default=dict)
    # Who made the server's version and when (the change the phone did not know of).
    server_changed_by = models.CharField(_("diubah di server oleh"), max_length=150, blank=True)
    server_changed_at = models.DateTimeField(_("diubah di server pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("tercatat"), auto_now_add=True)
    resolution = models.CharField(
        _("keputusan"), max_length=20, choices=Resolution.choices, default=Resolution.OPEN
    )
    resolved_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("konflik sinkron")
        verbose_name_plural = _("konflik sinkron")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolution == self.Resolution.OPEN
