"""The TOTP second factor: optional for everyone, required for system and regency admins
when LINDUNG_REQUIRE_2FA is on; the secret and QR code come from the app itself."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lindung.accounts.services import issue_token
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def sign_in(user) -> Client:
    client = Client()
    response = client.post("/masuk/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_off_by_default_nothing_is_asked(regency_admin):
    assert sign_in(regency_admin).get("/program/").status_code == 200


def test_required_admin_sets_it_up_before_any_page(regency_admin, operator, settings):
    settings.LINDUNG_REQUIRE_2FA = True
    client = sign_in(regency_admin)
    response = client.get("/program/")
    assert response.status_code == 302 and response["Location"] == "/pengguna/2fa/?next=/program/"
    page = client.get(response["Location"])
    assert page["Cache-Control"] == "no-store"
    body = page.content.decode()
    assert (
        "<svg" in body
        and 'data-testid="secret"' in body
        and "http" not in body.split("<svg")[1][:200]
    )
    device = TOTPDevice.objects.get(user=regency_admin)
    wrong = client.post("/pengguna/2fa/", {"code": "000000", "next": "/program/"})
    assert "Kode tidak cocok" in wrong.content.decode()
    time.sleep(1.1)  # django-otp waits a second after a wrong code (doubling after each)
    done = client.post("/pengguna/2fa/", {"code": code(device), "next": "/program/"})
    assert done.status_code == 302 and done["Location"] == "/program/"
    assert client.get("/program/").status_code == 200
    assert sign_in(operator).get("/program/").status_code == 200  # not required of operators


def test_a_confirmed_device_is_asked_at_every_sign_in(operator):
    device = TOTPDevice.objects.create(user=operator, name="Lindung", confirmed=True)
    client = sign_in(operator)
    response = client.get("/pekerja/")
    assert response["Location"] == "/pengguna/2fa/masuk/?next=/pekerja/"
    api = client.get("/api/v1/workers")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    assert client.post("/pengguna/2fa/masuk/", {"code": "123456"}).status_code == 200
    assert client.get("/pekerja/").status_code == 302
    time.sleep(1.1)
    ok = client.post(
        "/pengguna/2fa/masuk/", {"code": code(device), "next": "https://evil.example/"}
    )
    assert ok["Location"] == "/"  # never sent elsewhere
    assert client.get("/pekerja/").status_code == 200


def test_api_tokens_are_not_asked_for_a_code(operator, settings):
    settings.LINDUNG_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=operator, name="Lindung", confirmed=True)
    headers = {"Authorization": f"Bearer {issue_token(operator)}"}
    assert Client().get("/api/v1/workers", headers=headers).status_code == 200
