"""The optional second factor: a TOTP code from an authenticator app (django-otp).

Anyone may turn it on for their account; ``LINDUNG_REQUIRE_2FA`` (off by default) makes it
required for system and regency admins, who can create users and see a whole regency.
Once a confirmed device exists, every sign-in asks for a code before any page opens. The
secret and its QR code come from the app itself (no third-party service sees the secret).
"""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lindung.accounts.models import Role, User

REQUIRED_ROLES = (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN)


def required_for(user: User) -> bool:
    return bool(getattr(settings, "LINDUNG_REQUIRE_2FA", False)) and user.role in REQUIRED_ROLES


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The device being set up (made once, so reloading the page keeps the same secret)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Lindung", confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    return segno.make(device.config_url, error="m").svg_inline(scale=5).encode()


def confirm(request, device: TOTPDevice, code: str) -> bool:
    """Check the first code from the app; the device then counts for every sign-in."""
    if not device.verify_token(_digits(code)):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def verify(request, code: str) -> bool:
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(_digits(code)):
        return False
    otp_login(request, device)
    return True


def _digits(code: str) -> str:
    return "".join(c for c in str(code or "") if c.isdigit())[:8]
