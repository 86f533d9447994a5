"""Writes of users and API tokens."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import ApiToken, Role, User, hash_token
from lindung.regions.models import Region


class UserInvalid(Exception):
    """A user could not be created; the message is Indonesian and says what to fix."""


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


def check_password_strength(password: str, user: User | None = None) -> None:
    validate_password(password, user)


def issue_token(user: User) -> str:
    """A new bearer token for ``user``; only its hash is kept, so show it once."""
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[4:12])
    return raw


def authenticate_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
