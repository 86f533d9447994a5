"""API tokens: only their hash is stored, shown once, listed and revoked by their owner and
by the admin of the owner's region; a revoked token no longer opens the API."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from lindung.accounts.models import ApiToken, hash_token
from lindung.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def api_status(client, raw) -> int:
    """The API's answer to the token alone (a fresh client: no session)."""
    headers = {"Authorization": f"Bearer {raw}"}
    return Client().get("/api/v1/workers", headers=headers).status_code


def stored_text(token: ApiToken) -> str:
    return " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values())


def test_the_owner_makes_a_token_sees_it_once_and_revokes_it(client, operator):
    client.force_login(operator)
    page = client.post("/pengguna/token/", {"name": "skrip impor harian"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    raw = page.context["raw"]
    assert raw.startswith("lnd_") and raw in page.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw) and raw not in stored_text(token)
    listing = client.get("/pengguna/token/").content.decode()
    assert raw not in listing and f"{token.prefix}…" in listing and "skrip impor harian" in listing
    assert api_status(client, raw) == 200
    response = client.post(f"/pengguna/token/{token.pk}/cabut/", follow=True)
    assert "dicabut" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == operator and not token.is_active
    assert api_status(client, raw) == 401


def test_the_regency_admin_sees_and_revokes_the_tokens_of_its_users(
    client, regency_admin, operator
):
    raw = issue_token(operator, name="skrip desa")
    token = ApiToken.objects.get()
    client.force_login(regency_admin)
    assert "skrip desa" in client.get("/pengguna/token/").content.decode()
    assert client.post(f"/pengguna/token/{token.pk}/cabut/").status_code == 302
    assert api_status(client, raw) == 401


def test_tokens_outside_ones_reach_are_404(client, make_user, operator, viewer):
    issue_token(operator)
    token = ApiToken.objects.get()
    jembrana = make_user("disnaker.jembrana", "regency_admin", "51.01")
    for outsider in (jembrana, viewer):
        client.force_login(outsider)
        assert token.prefix not in client.get("/pengguna/token/").content.decode()
        assert client.post(f"/pengguna/token/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_the_command_still_prints_a_working_token(client, operator):
    out = io.StringIO()
    call_command("users", "token", operator.username, "--name", "cron", stdout=out)
    raw = out.getvalue().strip()
    assert api_status(client, raw) == 200
    assert ApiToken.objects.get().name == "cron"
