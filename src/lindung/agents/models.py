"""Perisai agents, the organisations (Wadah) they belong to, and their contacts with workers.

A Wadah is a BumDes, a cooperative or a holding (a corporate agent grouping many BumDes, as
PT Mitra Gianyar Aman does in Gianyar). It signs a cooperation agreement of at most one year
with the insurer's branch and serves villages. An agent is a person who signs workers up and
collects their contributions, alone or for a Wadah; the users who sign in as that agent are
linked to it. The portfolio an agent works is the villages it or its Wadah serves.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.privacy.history import tracked_history
from lindung.programs.models import RegionCodes


class Status(models.TextChoices):
    """An agent's standing: warned after 2 months without acquisition or collection,
    inactive after 3 (the insurer terminates an agent idle for 3 months in a row)."""

    ACTIVE = "active", _("Aktif")
    WARNED = "warned", _("Diperingatkan")
    INACTIVE = "inactive", _("Tidak aktif")


class BankAccount(models.Model):
    """Where fees are paid to."""

    bank_name = models.CharField(_("bank"), max_length=80, blank=True)
    bank_account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_account_holder = models.CharField(_("nama pemilik rekening"), max_length=150, blank=True)

    class Meta:
        abstract = True


class Organisation(BankAccount):
    """A Wadah: the organisation agents work for, with its agreement and villages."""

    class Kind(models.TextChoices):
        BUMDES = "bumdes", _("BumDes")
        COOPERATIVE = "cooperative", _("Koperasi")
        HOLDING = "holding", _("Holding BumDes (agen korporasi)")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=200)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("holding induk"),
        help_text=_("Untuk BumDes yang bernaung di bawah holding (agen korporasi)."),
    )
    regency = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        db_constraint=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("status sejak"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("wadah agen")
        verbose_name_plural = _("wadah agen")
        ordering = ["regency", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "name"], name="agents_organisation_unique_name"
            ),
            # Only a holding groups others, and a holding is never a member itself.
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(kind="holding"),
                name="agents_organisation_holding_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.kind == self.Kind.HOLDING:
                raise ValidationError({"parent": _("Holding tidak bernaung di bawah holding.")})
            if self.parent.kind != self.Kind.HOLDING:
                raise ValidationError({"parent": _("Induk harus berupa holding BumDes.")})
            if self.parent.regency_id != self.regency_id:
                raise ValidationError({"parent": _("Holding harus di kabupaten yang sama.")})

    @property
    def is_holding(self) -> bool:
        return self.kind == self.Kind.HOLDING


def add_year(start: dt.date) -> dt.date:
    """The same day a year later (29 February becomes 28 February)."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


def _agreement_upload_to(instance, filename: str) -> str:
    return f"perjanjian-perisai/{timezone.localdate():%Y}/{filename}"


class Agreement(models.Model):
    """A cooperation agreement (perjanjian kerja sama) of a Wadah with the insurer's branch:
    at most one year long, renewed by a new agreement."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="agreements")
    number = models.CharField(_("nomor perjanjian"), max_length=120)
    start_date = models.DateField(_("berlaku mulai"))
    end_date = models.DateField(_("berlaku sampai"))
    branch = models.CharField(_("kantor cabang BPJS"), max_length=150, blank=True)
    document = models.FileField(_("berkas perjanjian"), upload_to=_agreement_upload_to, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("perjanjian kerja sama")
        verbose_name_plural = _("perjanjian kerja sama")
        ordering = ["organisation", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="agents_agreement_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["organisation", "number"], name="agents_agreement_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError(
                    {"end_date": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")}
                )
            if self.end_date > add_year(self.start_date):
                raise ValidationError(
                    {"end_date": _("Perjanjian kerja sama Perisai berlaku paling lama 1 tahun.")}
                )

    def in_force_on(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date


class OrganisationVillage(RegionCodes):
    """A village a Wadah serves (its workers are the Wadah's portfolio)."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="served")
    since = models.DateField(_("sejak"), null=True, blank=True)

    class Meta:
        verbose_name = _("desa layanan wadah")
        verbose_name_plural = _("desa layanan wadah")
        ordering = ["organisation", "village"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "village"], name="agents_organisation_village_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.village_id}"


class Agent(BankAccount):
    """An individual Perisai agent, on its own or for a Wadah.

    ``user`` is the login of the agent (role ``agent``); a coordinator of a Wadah sees the
    work of all its agents (and, for a holding, of its member BumDes). ``last_activity_on``
    is the last acquisition or collection: :func:`lindung.agents.services.note_activity`
    moves it, and :func:`~lindung.agents.services.mark_inactive_agents` reads it.
    """

    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        verbose_name=_("wadah"),
    )
    regency = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        db_constraint=False,
    )
    full_name = models.CharField(_("nama agen"), max_length=150)
    code = models.CharField(
        _("kode agen"), max_length=40, blank=True, help_text=_("Kode agen dari BPJS, bila ada.")
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="agent",
        verbose_name=_("akun pengguna"),
    )
    is_coordinator = models.BooleanField(
        _("koordinator wadah"),
        default=False,
        help_text=_("Koordinator melihat pekerjaan semua agen wadahnya."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("status sejak"), null=True, blank=True)
    started_on = models.DateField(_("mulai menjadi agen"), null=True, blank=True)
    last_activity_on = models.DateField(_("aktivitas terakhir"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("agen Perisai")
        verbose_name_plural = _("agen Perisai")
        ordering = ["regency", "full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_coordinator=False) | Q(organisation__isnull=False),
                name="agents_agent_coordinator_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class AgentVillage(RegionCodes):
    """A village an agent works in; an agent of a Wadah without any works all the Wadah's."""

    agent = models.ForeignKey(Agent, models.CASCADE, related_name="served")

    class Meta:
        verbose_name = _("desa layanan agen")
        verbose_name_plural = _("desa layanan agen")
        ordering = ["agent", "village"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "village"], name="agents_agent_village_unique"
            ),
        ]


class Contact(RegionCodes):
    """An agent's contact with a worker whose sponsored coverage ends or has ended."""

    class Outcome(models.TextChoices):
        CALLED = "called", _("Ditelepon")
        VISITED = "visited", _("Dikunjungi")
        WILL_CONTINUE = "will_continue", _("Akan lanjut iuran mandiri")
        DECLINED = "declined", _("Menolak")
        UNREACHABLE = "unreachable", _("Tidak dapat dihubungi")
        MOVED = "moved", _("Pindah")
        DIED = "died", _("Meninggal dunia")

    enrollment = models.ForeignKey("programs.Enrollment", models.CASCADE, related_name="contacts")
    agent = models.ForeignKey(Agent, models.PROTECT, null=True, blank=True, related_name="contacts")
    outcome = models.CharField(_("hasil"), max_length=14, choices=Outcome.choices)
    contacted_on = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan menolak"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("kontak agen")
        verbose_name_plural = _("kontak agen")
        ordering = ["enrollment", "-contacted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="declined") | ~Q(reason=""),
                name="agents_contact_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.outcome} {self.contacted_on:%d/%m/%Y}"
