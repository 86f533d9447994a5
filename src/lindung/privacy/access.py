"""Writing the access log: one entry per view, export or NIK search of personal data.

:func:`record_access` is called by the view, API operation or command itself, in the same
request, before the data leaves: one ``INSERT`` of one row, whatever the size of the list
(a list is named by its query and count, and by its workers' ids when it is short).
"""

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from lindung.accounts.scope import scope_code
from lindung.privacy.history import current_source
from lindung.privacy.models import AccessEntry, AccessKind, ArchivedAccessEntry

# Lists up to this many workers keep their ids; longer ones only the query and the count.
LISTED_IDS = 1000


def _actor_of(who):
    if isinstance(who, HttpRequest):
        user = getattr(who, "user", None)
        return user if user is not None and user.is_authenticated else None
    return who


def record_access(
    who,
    kind: str,
    *,
    person=None,
    people=None,
    query: dict | None = None,
    count: int | None = None,
    region_code: str | None = None,
    operation: str = "",
) -> AccessEntry:
    """Log that ``who`` (a request, or the user of a command; ``None`` for a command run
    without ``--user``) saw or exported personal data: one ``person``, or a list given by
    ``people`` (ids) and/or ``query`` and ``count``.

    ``region_code`` is the region the data belongs to, which decides whose admins read the
    entry: by default the person's village, else the user's region (the whole country for
    a user without one).
    """
    user = _actor_of(who)
    request = who if isinstance(who, HttpRequest) else None
    if request is not None:
        operation = operation or f"{request.method} {request.path}"
        address = request.META.get("REMOTE_ADDR") or None
    else:
        operation = operation or current_source().detail or "lindung"
        address = None
    if region_code is None:
        if person is not None:
            region_code = person.village_id
        else:
            scope = scope_code(user)
            region_code = "" if scope in (None, "-") else scope
    ids = list(people) if people is not None else []
    if person is not None:
        count = 1 if count is None else count
    elif people is not None and count is None:
        count = len(ids)
    return AccessEntry.objects.create(
        user=user,
        username=getattr(user, "username", "") or "",
        kind=kind,
        operation=operation[:200],
        address=address,
        region_code=region_code,
        person_id=getattr(person, "pk", None),
        record_ids="," + ",".join(map(str, ids)) + "," if 0 < len(ids) <= LISTED_IDS else "",
        query=query or None,
        count=count,
    )


def viewed(request, person) -> None:
    """A full record of one worker was shown."""
    record_access(request, AccessKind.VIEW, person=person)


def searched_nik(request, nik: str, people, *, count: int | None = None) -> None:
    """A search by NIK (or a NIK prefix): the query, how many matched and which (up to
    :data:`LISTED_IDS` of them). A page that has counted the matches for its paginator
    passes ``count``: a prefix matching thousands is then logged without reading them
    again (which had made such a search half as slow again)."""
    if count is not None and count > LISTED_IDS:
        record_access(request, AccessKind.SEARCH, query={"nik": nik}, count=count)
        return
    ids = list(people.values_list("pk", flat=True)[: LISTED_IDS + 1])
    record_access(
        request,
        AccessKind.SEARCH,
        people=ids if len(ids) <= LISTED_IDS else None,
        query={"nik": nik},
        count=len(ids) if len(ids) <= LISTED_IDS else people.count(),
    )


def listed(request, people: list[int], filters: dict, count: int) -> None:
    """A page of a list that shows workers' contact details (the agents' work list): the
    workers on the page, the filters and how many the whole list holds."""
    query = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    record_access(
        request, AccessKind.VIEW, people=people, query=query or {"all": True}, count=count
    )


def exported(who, filters: dict, count: int, *, operation: str = "") -> None:
    """A worker list left as a file: its filters (the region one decides whose log it is)
    and its count."""
    region = filters.get("region")
    record_access(
        who,
        AccessKind.EXPORT,
        query=dict(filters) or {"all": True},
        count=count,
        region_code=region if region else None,
        operation=operation,
    )


# ---- retention ---------------------------------------------------------------------------


def retention_days() -> int:
    return settings.LINDUNG_ACCESS_LOG_RETENTION_DAYS


@transaction.atomic
def archive(*, now: dt.datetime | None = None) -> int:
    """Move the entries older than the retention period into the archive table.

    Copy, then delete what was copied, in one transaction: run again (or after a failure)
    it moves only what is left, and an entry is never in both tables nor in neither.
    Returns the number of entries moved.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    fields = [f.column for f in ArchivedAccessEntry._meta.concrete_fields]
    names = ", ".join(connection.ops.quote_name(c) for c in fields)
    live, kept = AccessEntry._meta.db_table, ArchivedAccessEntry._meta.db_table
    at = AccessEntry._meta.get_field("at").get_db_prep_value(cutoff, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The append-only trigger lets this transaction, and only it, delete.
            cursor.execute("SET LOCAL lindung.access_log_archive = 'on'")
        cursor.execute(
            f"INSERT INTO {kept} ({names}) SELECT {names} FROM {live} WHERE at < %s "
            f"ON CONFLICT (id) DO NOTHING",
            [at],
        )
        cursor.execute(f"DELETE FROM {live} WHERE at < %s", [at])
        moved = cursor.rowcount
    if connection.vendor == "postgresql":
        ensure_partitions(now or timezone.now())
    return moved


def _month_start(day: dt.date, ahead: int) -> dt.date:
    month = day.month - 1 + ahead
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def ensure_partitions(now: dt.datetime, months: int = 3) -> list[str]:
    """PostgreSQL: the monthly partitions of this month and the next ``months - 1``.

    Entries of a month without its partition go to the default partition (nothing is
    lost); a month whose entries already sit there keeps them there.
    """
    today = now.astimezone(dt.UTC).date()  # the connection's time zone on PostgreSQL
    made = []
    with connection.cursor() as cursor:
        for ahead in range(months):
            start, end = _month_start(today, ahead), _month_start(today, ahead + 1)
            name = f"privacy_accessentry_{start:%Y_%m}"
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                continue
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM privacy_accessentry_default "
                "WHERE at >= %s AND at < %s)",
                [start, end],
            )
            if cursor.fetchone()[0]:
                continue
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF privacy_accessentry "
                f"FOR VALUES FROM (%s) TO (%s)",
                [start.isoformat(), end.isoformat()],
            )
            made.append(name)
    return made
