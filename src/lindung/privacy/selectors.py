"""Reads of the access log and of the change history, always region-scoped."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Role
from lindung.accounts.scope import scope_code
from lindung.people import visibility
from lindung.privacy.history import Via
from lindung.privacy.models import AccessEntry, ArchivedAccessEntry
from lindung.regions.codes import ancestors

READERS = (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN)


def can_read_access_log(user) -> bool:
    return getattr(user, "role", None) in READERS


def _touching(scope: str) -> Q:
    """Entries about data of the region: inside it, or of a list spanning it (an entry of
    a whole province's or the country's export concerns each of its regencies too)."""
    return (
        Q(region_code=scope)
        | Q(region_code__startswith=scope + ".")
        | Q(region_code__in=["", *ancestors(scope)[:-1]])
    )


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def access_entries(
    user,
    *,
    worker: int | None = None,
    username: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    archived: bool = False,
) -> QuerySet:
    """The log the user may read (the regency admin: its region; the system admin: all),
    filtered by worker id, user name, and dates (inclusive, local time)."""
    if not can_read_access_log(user):
        raise PermissionDenied
    entries = (ArchivedAccessEntry if archived else AccessEntry).objects.all()
    scope = scope_code(user)
    if scope == "-":
        return entries.none()
    if scope is not None:
        entries = entries.filter(_touching(scope))
    if worker is not None:
        entries = entries.filter(Q(person_id=worker) | Q(record_ids__contains=f",{worker},"))
    if username:
        entries = entries.filter(username=username)
    if since:
        entries = entries.filter(at__gte=_end_of(since - dt.timedelta(days=1)))
    if until:
        entries = entries.filter(at__lt=_end_of(until))
    return entries


def entries_about(person_id: int) -> list:
    """Every entry, live or archived, naming one worker (for a data-subject request)."""
    about = Q(person_id=person_id) | Q(record_ids__contains=f",{person_id},")
    return [
        *AccessEntry.objects.filter(about),
        *ArchivedAccessEntry.objects.filter(about),
    ]


# ---- change history ----------------------------------------------------------------------


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryRow:
    at: dt.datetime
    type: str  # "+", "~", "-"
    user: str
    via: str
    via_detail: str
    changes: list[Change] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}[self.type]


_HIDDEN = {"updated_at", "created_at"}  # every change moves them


def _shown(record, f, viewer) -> str:
    value = getattr(record, f.attname)
    if value is None or value == "":
        return "–"
    if f.name == "nik":
        return visibility.nik(viewer, value)
    if f.name in ("birth_date", "sex") and not visibility.sees_full(viewer, f.name):
        # The hidden digits of a masked NIK are the birth date and sex (+40 for women).
        return str(value.year) if f.name == "birth_date" else "•"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def history_of(record, viewer, *, limit: int = 500) -> list[HistoryRow]:
    """The record's changes, newest first: who, when, through what, field: old → new.

    Consecutive historical rows are compared in memory (one query, not one per row).
    """
    history = record.history.model
    fields = [f for f in history.tracked_fields if f.name not in _HIDDEN]
    rows = list(record.history.select_related("history_user").order_by("-history_id")[:limit])
    rows.reverse()
    out, previous = [], None
    for row in rows:
        changes = []
        if previous is not None and row.history_type == "~":
            for f in fields:
                old, new = getattr(previous, f.attname), getattr(row, f.attname)
                if old != new:
                    changes.append(
                        Change(
                            str(f.verbose_name), _shown(previous, f, viewer), _shown(row, f, viewer)
                        )
                    )
        out.append(
            HistoryRow(
                at=row.history_date,
                type=row.history_type,
                user=row.history_user.username if row.history_user else "",
                via=str(Via(row.history_via).label)
                if row.history_via in Via.values
                else row.history_via,
                via_detail=row.history_via_detail,
                changes=changes,
            )
        )
        previous = row
    out.reverse()
    return out
