"""Writes of users and API tokens."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import ApiToken, Role, User, hash_token
from lindung.accounts.scope import in_scope
from lindung.regions.models import Region


class UserInvalid(Exception):
    """A user could not be saved; messages are Indonesian and say what to fix.

    ``problems`` maps a field name to its message, for forms.
    """

    def __init__(self, message: str = "", problems: dict[str, str] | None = None):
        self.problems = problems or {"__all__": message}
        super().__init__(message or "; ".join(self.problems.values()))


@transaction.atomic
def create_user(
    *, username: str, role: str, region_code: str | None, password: str, **extra
) -> User:
    """Create a user, or update the role, region and password of an existing one."""
    if role not in Role.values:
        raise UserInvalid(f"Peran '{role}' tidak dikenal. Pilihan: {', '.join(Role.values)}.")
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise UserInvalid(
                f"Wilayah '{region_code}' tidak ada. Muat wilayah dulu (lindung regions load) "
                "dan tulis kode Kemendagri, mis. 51.04."
            )
    elif role != Role.SYSTEM_ADMIN:
        raise UserInvalid("Setiap peran selain system_admin wajib punya wilayah (--region).")
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.region = role, region
    user.is_staff = user.is_superuser = role == Role.SYSTEM_ADMIN
    for name, value in extra.items():
        setattr(user, name, value)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def save_user(
    *,
    actor: User,
    user: User | None,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    region_code: str,
    password: str = "",
    is_active: bool = True,
) -> User:
    """Create (``user=None``) or change a user on behalf of ``actor``, within its powers.

    A regency admin staffs its own region only, and never grants more than it has.
    """
    if not actor.can_manage_users or (user is not None and user.role not in actor.manageable_roles):
        raise PermissionDenied
    problems = {}
    username = username.strip()
    if user is None:
        if not username:
            problems["username"] = _("Nama pengguna wajib diisi.")
        elif User.objects.filter(username__iexact=username).exists():
            problems["username"] = _("Nama pengguna sudah dipakai: pilih nama lain.")
    if role not in actor.manageable_roles:
        problems["role"] = _("Anda tidak boleh memberi peran ini.")
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is None and role != Role.SYSTEM_ADMIN:
        problems["region"] = _("Pilih wilayah kerja pengguna ini.")
    elif region is not None and not in_scope(actor, region.code):
        problems["region"] = _("Wilayah ini di luar wilayah kerja Anda.")
    if user is None and not password:
        problems["password"] = _("Kata sandi awal wajib diisi.")
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            problems["password"] = " ".join(error.messages)
    if problems:
        raise UserInvalid(problems=problems)
    user = user or User(username=username)
    user.first_name, user.last_name = first_name.strip()[:150], last_name.strip()[:150]
    user.role, user.region, user.is_active = role, region, is_active
    user.is_staff = user.is_superuser = role == Role.SYSTEM_ADMIN
    if password:
        user.set_password(password)
    user.save()
    return user


def issue_token(user: User, *, name: str = "") -> str:
    """A new bearer token for ``user``; only its hash is kept, so show it once."""
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=user,
        name=" ".join(name.replace("\x00", "").split())[:100],
        key_hash=hash_token(raw),
        prefix=raw[4:12],
    )
    return raw


def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke ``token``: its owner may, and an admin whose region holds the owner (the
    caller has found ``token`` through ``selectors.tokens_for``, so it is in scope)."""
    if token.user_id != actor.pk and not actor.can_manage_users:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def authenticate_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=hash_token(raw), user__is_active=True, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
