"""How failed sign-ins slow an attacker down without walling an office out.

django-axes records every failed attempt (one row per username, address and browser, with
its count and the time of the last failure); this module decides what those rows mean:

- **per username and address**: after ``LINDUNG_LOCKOUT_PER_ADDRESS`` failures (10) that
  pair waits ``LINDUNG_LOCKOUT_FIRST_MINUTES`` (1 minute) after its last failure, and the
  wait doubles with each further failure, up to ``LINDUNG_LOCKOUT_MAX_MINUTES`` (60). A
  village office shares one address behind its router: someone mistyping a colleague's
  name locks that colleague out for a minute or two, not for an hour.
- **per username across every address**: after ``LINDUNG_LOCKOUT_PER_USERNAME`` failures
  (30) from anywhere, the same back-off applies to the username everywhere, so guessing
  one account's password from many addresses gets a few tries an hour at most.

Failures made while locked are not counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``
is off), so the wait grows with the attempts the policy let through, and an attacker
hammering a locked account cannot push its owner's wait further. Attempts are forgotten a
day after their last failure, and a successful sign-in clears that pair's count.
"""

import datetime as dt
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

USERNAME_LIMIT = 150
# How long an attempt counts after the last failure of its row (AXES_COOLOFF_TIME).
WINDOW = dt.timedelta(hours=24)


def attempted_username(request, credentials=None) -> str:
    """The username of a login attempt, cut to what a user name can be.

    Attempts are stored; a 5,000-character or NUL-laden name typed at the login page must
    count as a failed attempt, not break the write.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    name = str(source.get("username") or "")
    return name.replace("\x00", "")[:USERNAME_LIMIT]


def window(request=None) -> dt.timedelta:
    return WINDOW


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def backoff(failures: int, limit: int) -> dt.timedelta:
    """The wait after ``failures`` failures once ``limit`` is reached: doubling, capped."""
    first = _setting("LINDUNG_LOCKOUT_FIRST_MINUTES", 1)
    cap = _setting("LINDUNG_LOCKOUT_MAX_MINUTES", 60)
    steps = min(failures - limit, 16)  # 2**16 minutes is far past any cap
    return dt.timedelta(minutes=min(first * 2**steps, cap))


def locked_until(username: str, address: str | None, now: dt.datetime) -> dt.datetime | None:
    """When the username may try again from ``address``; None when it may now."""
    if not username:
        return None
    rows = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - WINDOW)
    checks = [
        (rows.filter(ip_address=address), _setting("LINDUNG_LOCKOUT_PER_ADDRESS", 10)),
        (rows, _setting("LINDUNG_LOCKOUT_PER_USERNAME", 30)),
    ]
    until = None
    for attempts, limit in checks:
        figures = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        failures, last = figures["failures"] or 0, figures["last"]
        if failures >= limit and last is not None:
            end = last + backoff(failures, limit)
            if end > now and (until is None or end > until):
                until = end
    return until


class BackoffHandler(AxesDatabaseHandler):
    """Axes' database handler with the policy above deciding who is locked."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this with AXES_FAILURE_LIMIT (1): 1 means locked now, 0 free.
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        return int(locked_until(username, address, timezone.now()) is not None)


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, saying in Indonesian how long to wait (HTTP 429)."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    until = locked_until(username, address, timezone.now())
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60)) if until else 1
    message = _(
        "Terlalu banyak percobaan masuk yang salah untuk nama pengguna ini. Coba lagi dalam "
        "%(minutes)s menit, atau minta admin kabupaten mengatur ulang kata sandi."
    ) % {"minutes": minutes}
    return render(
        request,
        "registration/login.html",
        {"locked_message": message, "title": _("Masuk")},
        status=429,
    )
