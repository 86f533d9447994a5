"""A request id on every request, its response and every log line written while it runs.

The id comes from the proxy's ``X-Request-ID`` when it sends a sane one (so one id follows
a request through the proxy's log and ours), else a new one; the answer carries it back, so
a user who reports an error page can quote it.
"""

import contextvars
import logging
import re
import time
import uuid

request_id = contextvars.ContextVar("request_id", default="-")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("lindung.requests")


class RequestIdFilter(logging.Filter):
    """Puts the running request's id on each log record (``-`` outside a request)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RequestId:
    """Middleware: set the id, answer with it, and write one access line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        token = request_id.set(given if SANE_ID.match(given) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            request.request_id = request_id.get()
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            user = getattr(request, "user", None)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)
