"""Request checks that belong before any view."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext_lazy as _

REFUSAL = _("Isian berisi karakter NUL yang tidak sah. Ketik ulang isian tanpa karakter itu.")

# Form posts and JSON bodies: a NUL byte there is never data (file uploads may hold them).
_TEXT_BODIES = ("application/x-www-form-urlencoded", "application/json")


class RefuseNulCharacters:
    """Answer 400 to text input holding a NUL character.

    PostgreSQL cannot store NUL in text, so such input would fail deep in a query; it is
    refused at the door with a message instead, for pages and the API alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        content_type = request.META.get("CONTENT_TYPE", "")
        body = request.body if content_type.startswith(_TEXT_BODIES) else b""
        if "%00" in query or b"\x00" in body or b"%00" in body or b"\\u0000" in body:
            if request.path.startswith("/api/"):  # the API's refusal shape, as documented
                return JsonResponse({"code": "nul_character", "message": str(REFUSAL)}, status=400)
            return HttpResponseBadRequest(
                str(REFUSAL),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class IndonesianFirstLocale(LocaleMiddleware):
    """Indonesian unless the user chose English with the ID/EN switch.

    Django's own middleware follows the browser's ``Accept-Language`` when no choice was
    made, and many office computers and phones in Indonesia are set to English: their users
    would get the second language without asking for it. Here only the switch's cookie
    counts; everything else is Indonesian.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
