"""Users, their role and the region they may see, and API tokens for scripts."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.privacy.history import tracked_history


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Admin sistem")
    REGENCY_ADMIN = "regency_admin", _("Admin kabupaten (Disnaker)")
    VILLAGE_OPERATOR = "village_operator", _("Operator desa")
    AGENT = "agent", _("Agen Perisai")
    VIEWER = "viewer", _("Pimpinan / pemantau")


class User(AbstractUser):
    """A person who signs in. ``region`` is the scope of every personal record they see.

    A system admin has no region: the whole country. Everybody else has one region of
    any level (province, regency, district or village).
    """

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah kerja"),
    )

    history = tracked_history(
        # No password hashes in the history; sign-ins are not changes of the record.
        excluded_fields=["password", "last_login"]
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def sees_everything(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN and self.region_id is None

    @property
    def manageable_roles(self) -> list[str]:
        """The roles this user may give to others: a regency admin staffs its own region."""
        if self.role == Role.SYSTEM_ADMIN:
            return list(Role.values)
        if self.role == Role.REGENCY_ADMIN:
            return [Role.VILLAGE_OPERATOR, Role.AGENT, Role.VIEWER]
        return []

    @property
    def can_manage_users(self) -> bool:
        return bool(self.manageable_roles)

    @property
    def can_edit_workers(self) -> bool:
        return self.role in (
            Role.SYSTEM_ADMIN,
            Role.REGENCY_ADMIN,
            Role.VILLAGE_OPERATOR,
            Role.AGENT,
        )


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for scripts. Only its SHA-256 hash is stored (the token is 256 random
    bits, so a fast hash suffices); the token itself is shown once, when it is made.

    A revoked token stays listed (who revoked it, when) but no longer authenticates.
    """

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="revoked_tokens"
    )

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def generate() -> str:
        return "lnd_" + secrets.token_urlsafe(32)
