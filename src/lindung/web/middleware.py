"""Request checks that belong before any view."""

from django.http import HttpResponseBadRequest
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
            return HttpResponseBadRequest(
                str(REFUSAL),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
