"""Brute force against the sign-in page: per username and address, per username across
addresses, a doubling wait instead of an hour's wall; a forged CSRF post; idle sessions."""

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.test import Client

from lindung.accounts.middleware import SEEN
from lindung.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, address):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(username, address, times=1):
    for _ in range(times):
        response = sign_in(Client(), username, "salah-sekali", address)
        assert response.status_code in (200, 429)
    return response


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def wait(minutes):
    """Move every recorded failure back in time, as if ``minutes`` had passed."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def test_an_office_address_locks_one_username_briefly_and_nobody_else(regency_admin, operator):
    office = "10.20.30.40"
    response = fail(regency_admin.username, office, times=10)
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-code="login_locked"' in page and "Coba lagi dalam 1 menit" in page
    locked = sign_in(Client(), regency_admin.username, PASSWORD, office)
    assert locked.status_code == 429  # even the right password waits
    assert signed_in(sign_in(Client(), operator.username, PASSWORD, office))  # a colleague
    assert signed_in(sign_in(Client(), regency_admin.username, PASSWORD, "10.99.0.1"))
    wait(minutes=2)
    assert signed_in(sign_in(Client(), regency_admin.username, PASSWORD, office))


def test_the_wait_doubles_with_each_failure_let_through(regency_admin):
    office = "10.20.30.40"
    fail(regency_admin.username, office, times=10)  # 1 minute
    wait(minutes=1.1)
    assert fail(regency_admin.username, office).status_code == 429  # the 11th: 2 minutes
    wait(minutes=1.1)
    assert sign_in(Client(), regency_admin.username, PASSWORD, office).status_code == 429
    wait(minutes=1)
    assert signed_in(sign_in(Client(), regency_admin.username, PASSWORD, office))


def test_failures_while_locked_do_not_lengthen_the_wait(regency_admin):
    office = "10.20.30.40"
    fail(regency_admin.username, office, times=10)
    fail(regency_admin.username, office, times=20)  # hammering a locked account
    wait(minutes=1.1)
    assert signed_in(sign_in(Client(), regency_admin.username, PASSWORD, office))


def test_brute_force_across_addresses_locks_the_username(regency_admin):
    for i in range(30):  # one failure from each of 30 addresses: no pair reaches 10
        fail(regency_admin.username, f"192.0.2.{i + 1}")
    response = sign_in(Client(), regency_admin.username, PASSWORD, "198.51.100.7")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    wait(minutes=1.1)
    assert fail(regency_admin.username, "198.51.100.8").status_code == 429  # now 2 minutes
    wait(minutes=2.1)
    assert signed_in(sign_in(Client(), regency_admin.username, PASSWORD, "198.51.100.9"))


def test_a_forged_csrf_post_is_refused_and_writes_nothing(regency_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(regency_admin)
    data = {"username": "penyusup", "role": "viewer", "region": "51.04", "password": PASSWORD}
    assert client.post("/pengguna/baru/", data).status_code == 403
    client.cookies["csrftoken"] = "a" * 32
    forged = client.post("/pengguna/baru/", {**data, "csrfmiddlewaretoken": "b" * 32})
    assert forged.status_code == 403
    assert not User.objects.filter(username="penyusup").exists()


def test_an_idle_session_ends_and_background_polling_is_not_activity(client, regency_admin):
    client.force_login(regency_admin)
    assert client.get("/").status_code == 200
    session = client.session
    session[SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/", HTTP_HX_REQUEST="true").status_code == 200  # polling: not activity
    assert client.session[SEEN] < time.time() - 28 * 60
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/program/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/?next=/program/")
    page = client.get(response["Location"]).content.decode()
    assert "tidak ada kegiatan selama 30 menit" in page
    assert client.get("/program/").status_code == 302  # signed out for good


def test_an_idle_htmx_request_is_sent_to_the_sign_in_page(client, regency_admin):
    client.force_login(regency_admin)
    client.get("/")
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/program/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/masuk/")
