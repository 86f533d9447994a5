"""Reads of dashboards, exports, reports and list APIs from a streaming standby.

With ``DATABASE_REPLICA_URL`` set there is a second database alias, ``replica``. The router
sends a read there only when all of these hold:

- the request is a GET to one of :data:`REPLICA_PATHS` (dashboards, exports, reports, the
  indicators and list APIs): pages that read a great deal and write nothing the same
  request reads back;
- the user has not written anything for ``LINDUNG_REPLICA_STICKY_SECONDS``: someone who has
  just registered a worker sees that worker (their reads go to the primary for that long;
  the mark is kept in the primary, so it holds across server processes and API tokens);
- the replica answers and is less than ``LINDUNG_REPLICA_MAX_LAG_SECONDS`` behind; checked
  at most every few seconds per process, so a replica that is down or far behind costs one
  check, after which reads fall back to the primary.

Writes always go to the primary, and so does everything outside such a request (the
background worker, commands).
"""

import contextvars
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

REPLICA = "replica"
REPLICA_PATHS = (
    "/dasbor/",
    "/ekspor/",
    "/laporan/",
    "/api/v1/indicators",
    "/api/v1/coverage",
)
# GET on these API collections (not their items) is a list: from the replica.
REPLICA_LISTS = ("/api/v1/workers", "/api/v1/enrollments", "/api/v1/employers", "/api/v1/claims")
SAFE_METHODS = ("GET", "HEAD")
CHECK_EVERY_SECONDS = 5.0

_request = contextvars.ContextVar("replica_request", default=None)
_state = {"checked": 0.0, "healthy": False, "lag": None, "error": ""}


def configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_status(*, force: bool = False) -> dict:
    """``{"healthy", "lag", "error"}`` of the replica, checked at most every few seconds."""
    now = time.monotonic()
    if not force and now - _state["checked"] < CHECK_EVERY_SECONDS:
        return dict(_state)
    _state["checked"] = now
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), "
                "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0), "
                "pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
            )
            standby, lag, caught_up = cursor.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        _state.update(healthy=False, lag=None, error=str(exc).splitlines()[0][:200])
        return dict(_state)
    # On a quiet primary the last replayed transaction grows old while the standby is
    # fully caught up: no lag then.
    lag = 0.0 if caught_up else float(lag)
    limit = settings.LINDUNG_REPLICA_MAX_LAG_SECONDS
    error = "" if standby else "bukan server standby"
    if standby and lag > limit:
        error = f"tertinggal {lag:.0f} detik (batas {limit:.0f})"
    _state.update(healthy=not error, lag=round(lag, 3), error=error)
    return dict(_state)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        request = _request.get()
        if request is None:
            return "default"
        decided = getattr(request, "_replica_alias", None)
        if decided is None:
            request._replica_alias = "default"  # while deciding: the user's own lookups
            decided = _decide(request)
            # An API request is authenticated by its first query (the token's); only once
            # the user is known is the answer kept for the rest of the request.
            user = getattr(request, "user", None)
            request._replica_alias = decided if user and user.is_authenticated else None
        return decided

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _decide(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and wrote_recently(user.pk):
        return "default"
    return REPLICA if replica_status()["healthy"] else "default"


def _reads_many(request) -> bool:
    path = request.path
    return path.startswith(REPLICA_PATHS) or path.rstrip("/") in REPLICA_LISTS


class ReadFromReplica:
    """Middleware: mark the requests whose reads may go to the replica, and remember writers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and response.status_code < 400:
                mark_write(user.pk)
            return response
        token = _request.set(request if _reads_many(request) else None)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def mark_write(user_id: int) -> None:
    from lindung.operations.models import RecentWrite

    RecentWrite.objects.update_or_create(user_id=user_id, defaults={"at": timezone.now()})


def wrote_recently(user_id: int) -> bool:
    from lindung.operations.models import RecentWrite

    since = timezone.now() - timezone.timedelta(seconds=settings.LINDUNG_REPLICA_STICKY_SECONDS)
    return RecentWrite.objects.using("default").filter(user_id=user_id, at__gte=since).exists()
