"""Sign out a session left idle: village offices share their computers."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lindung.accounts import second_factor

SEEN = "lindung_last_seen"
# The time of the last request is written at most this often, not on every request.
_WRITE_EVERY = 60


def idle_seconds() -> int:
    return int(getattr(settings, "LINDUNG_IDLE_MINUTES", 30)) * 60


class IdleTimeout:
    """After ``LINDUNG_IDLE_MINUTES`` (30) without a request from the person, the session
    ends; the working-day limit (``SESSION_COOKIE_AGE``) holds besides.

    Requests htmx makes on its own (a progress bar or a counter polling every few
    seconds) check the timeout but do not count as activity, otherwise a page left open
    on a shared computer would keep its session forever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        now = int(time.time())
        seen = request.session.get(SEEN)
        if seen is not None and now - seen > idle_seconds():
            return self._signed_out(request)
        background = request.headers.get("HX-Request") == "true" and request.method == "GET"
        if not background and (seen is None or now - seen >= _WRITE_EVERY):
            request.session[SEEN] = now
        return self.get_response(request)

    def _signed_out(self, request):
        logout(request)
        minutes = idle_seconds() // 60
        messages.info(
            request,
            _(
                "Sesi berakhir karena tidak ada kegiatan selama %(minutes)s menit. "
                "Silakan masuk lagi."
            )
            % {"minutes": minutes},
        )
        login = f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        if request.path.startswith("/api/"):
            return self.get_response(request)
        return redirect(login)


class SecondFactor:
    """Before any page: a signed-in person with a second factor enters the code first; an
    admin whose role requires one (``LINDUNG_REQUIRE_2FA``) sets it up first.

    The sign-in, sign-out, language switch, static files and the second-factor pages stay
    open. API calls with a token are not concerned (tokens are for scripts); an API call
    on an unverified session is refused with 403.
    """

    OPEN = ("/masuk/", "/keluar/", "/i18n/", "/static/", "/pengguna/2fa/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or request.path.startswith(self.OPEN)
        ):
            return self.get_response(request)
        if second_factor.confirmed_device(user) is not None:
            target = "accounts:2fa-verify"
        elif second_factor.required_for(user):
            target = "accounts:2fa-setup"
        else:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Masukkan kode verifikasi dua langkah di halaman masuk dulu.")
            return JsonResponse({"code": "second_factor_required", "message": message}, status=403)
        url = f"{reverse(target)}?next={request.get_full_path()}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
