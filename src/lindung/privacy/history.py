"""Change history of the records that hold money, coverage or personal data.

Every tracked model declares ``history = tracked_history()``: a django-simple-history
table beside the model's, whose rows also say *through what* the change came (a page, the
API, an import job, an insurer's file, a command). That comes from the change source of
the moment: :class:`ChangeSourceMiddleware` sets it for every request, and
:func:`changes_through` for a command, a background job or an import. Who made the change
is the source's user (for a request, the user the request was authenticated as, read when
the change is saved, so an API token counts too).

Writers that skip ``save()`` write the historical rows in bulk, with the same who and
through what: :func:`bulk_history` for model instances (``bulk_create``, a guarded
``update``), :func:`write_history` for set-based SQL writers (the worker import), which
copies them from the rows it has just sent (:func:`history_rows`) or reads them back from
the table.
"""

import dataclasses
import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class Via(models.TextChoices):
    PAGE = "page", _("halaman")
    API = "api", _("API")
    IMPORT = "import", _("impor")
    INSURER_FILE = "insurer_file", _("berkas BPJS")
    COMMAND = "command", _("perintah")
    ADMIN = "admin", _("admin")
    SYSTEM = "system", _("sistem")


@dataclass(frozen=True)
class ChangeSource:
    """Through what the changes of the moment come, and on whose behalf."""

    via: str
    detail: str = ""
    user: object = None
    request: object = None

    @property
    def actor(self):
        """The user: the request's when there is one (read now, after authentication)."""
        if self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user
            return None
        if self.user is not None and getattr(self.user, "pk", None):
            return self.user
        return None


_SYSTEM = ChangeSource(Via.SYSTEM)
_current: ContextVar[ChangeSource] = ContextVar("lindung_change_source", default=_SYSTEM)


def current_source() -> ChangeSource:
    return _current.get()


@contextmanager
def changes_through(via: str, detail: str = "", *, user=None):
    """Record the changes made inside the block as coming through ``via`` (a :class:`Via`),
    e.g. ``with changes_through(Via.IMPORT, f"job {job.pk}", user=job.created_by):``."""
    token = _current.set(ChangeSource(via, detail[:200], user=user))
    try:
        yield
    finally:
        _current.reset(token)


def request_via(path: str) -> str:
    if path.startswith("/api/"):
        return Via.API
    if path.startswith("/admin/"):
        return Via.ADMIN
    return Via.PAGE


class ChangeSourceMiddleware:
    """Every change made while answering a request comes through its page or operation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = ChangeSource(
            request_via(request.path), f"{request.method} {request.path}"[:200], request=request
        )
        token = _current.set(source)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class ChangeSourceFields(models.Model):
    """The columns every historical table adds to django-simple-history's own."""

    history_via = models.CharField(
        _("melalui"), max_length=20, choices=Via.choices, default=Via.SYSTEM
    )
    history_via_detail = models.CharField(_("rincian sumber"), max_length=200, default="")

    class Meta:
        abstract = True


def _source_user(instance=None, request=None, **kwargs):
    return current_source().actor


class TrackedRecords(HistoricalRecords):
    """A save that writes only excluded fields (a user's ``last_login`` at each sign-in)
    changes nothing the history keeps: no row for it."""

    def post_save(self, instance, created, using=None, **kwargs):
        fields = kwargs.get("update_fields")
        if not created and fields and set(fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


def tracked_history(**kwargs) -> HistoricalRecords:
    """The history of a model: ``history = tracked_history()`` in its class body.

    Keyword arguments go to :class:`~simple_history.models.HistoricalRecords` (e.g.
    ``excluded_fields``, ``no_db_index``). Foreign keys of the historical table keep no
    database constraint, and the history outlives the record it describes.
    """
    kwargs.setdefault("bases", [ChangeSourceFields])
    kwargs.setdefault("get_user", _source_user)
    kwargs.setdefault("user_db_constraint", False)
    return TrackedRecords(**kwargs)


def bulk_history(model, objs, *, update: bool = False) -> None:
    """The historical rows of records written without ``save()`` (``bulk_create``, a
    guarded ``QuerySet.update``): give the objects as they now are. Who and through what
    come from the current source, as for a save."""
    if not history_enabled():
        return
    source = current_source()
    model.history.bulk_history_create(
        list(objs),
        update=update,
        default_user=source.actor,
        custom_historical_attrs={
            "history_via": str(source.via),
            "history_via_detail": source.detail,
        },
    )


def history_stamp(*, created: bool, now: dt.datetime) -> dict[str, object]:
    """The columns a historical row adds to the record's own, by attribute name, as a
    ``save()`` at ``now`` through the current source would fill them."""
    source = current_source()
    return {
        "history_date": now,
        "history_type": "+" if created else "~",
        "history_user_id": getattr(source.actor, "pk", None),
        "history_change_reason": None,
        "history_via": str(source.via),
        "history_via_detail": source.detail,
    }


_TEXT = ("CharField", "TextField", "SlugField")


@dataclass(frozen=True)
class HistoryRows:
    """Historical rows made from the records' own rows, ready for :func:`write_history`
    (made ahead of the transaction that writes the records, like the records' ``COPY``)."""

    table: str
    columns: list[str]  # database columns, in the order of the rows
    text: list[str]  # those of them that never hold NULL (an empty field is '')
    count: int
    payload: bytes | None = None  # the ``COPY`` CSV, on PostgreSQL
    frame: pl.DataFrame | None = None  # elsewhere


def history_rows(
    model, records: pl.DataFrame, *, created: bool, now=None, sent: bytes | None = None
) -> HistoryRows | None:
    """The historical rows of ``records``: one row per record as written, its ``id``
    included, columns named by attribute (``village_id``) with the values as sent to the
    database. Columns ``records`` leaves out get the historical table's database default,
    the same as the record's. None when the history is off.

    ``now`` None leaves the time of the change too to the historical table's default,
    where it has one: the worker's, on PostgreSQL, is the transaction's time, as are the
    worker's own times when left to theirs (see ``people.models.TransactionNow``), so no
    timestamp is sent or parsed per row. ``sent`` (PostgreSQL), the CSV of ``records`` as
    the writer sent it (no header, one line per record), is reused: each line gets the
    columns of who, when and through what appended, instead of a second CSV being
    written.
    """
    if not history_enabled():
        return None
    history = model.history.model
    fields = {f.attname: f for f in history._meta.concrete_fields}
    stamp = {}
    for name, value in history_stamp(created=created, now=now).items():
        if value is not None:  # a NULL, or the time left to the default: left out
            value = fields[name].get_db_prep_save(value, connection)
            stamp[name] = value.isoformat() if isinstance(value, dt.datetime) else value
    used = [fields[name] for name in [*records.columns, *stamp]]
    rows = HistoryRows(
        table=history._meta.db_table,
        columns=[f.column for f in used],
        text=[f.column for f in used if f.get_internal_type() in _TEXT],
        count=records.height,
    )
    stamped = records.with_columns(pl.lit(value).alias(name) for name, value in stamp.items())
    if connection.vendor != "postgresql":  # executemany takes ISO text, not date objects
        frame = stamped.with_columns(pl.col(pl.Date, pl.Datetime).cast(pl.String))
        return dataclasses.replace(rows, frame=frame)
    if sent is not None and sent.count(b"\n") == records.height:
        # Every line break ends a record (no field holds one): append the stamp to each.
        suffix = pl.DataFrame([stamp]).write_csv(include_header=False).encode()
        return dataclasses.replace(rows, payload=sent.replace(b"\n", b"," + suffix))
    return dataclasses.replace(rows, payload=stamped.write_csv(include_header=False).encode())


def write_history(
    cursor,
    model=None,
    *,
    rows: HistoryRows | None = None,
    where: tuple[str, list] | None = None,
    created: bool = True,
    now=None,
) -> None:
    """The historical rows of records a set-based writer has just written, in its
    transaction: the one bulk writer of them, so every such writer records the same as a
    ``save()`` would (same values, who, when and through what).

    Either ``rows`` (:func:`history_rows`, made from what the writer sent, so nothing is
    read back: a ``COPY`` on PostgreSQL), or ``where``, a condition and its parameters on
    the rows ``p`` of ``model``'s table, copied by one ``INSERT … SELECT`` (for rows the
    database computed, e.g. an ``UPDATE … FROM``; ``created`` and ``now`` say what kind
    and when).
    """
    if not history_enabled():
        return
    if rows is not None:
        if rows.count == 0:
            return
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in rows.columns)
        if rows.payload is not None:
            not_null = ", ".join(quote(c) for c in rows.text)
            sql = f"COPY {rows.table} ({names}) FROM STDIN (FORMAT csv"
            sql += f", FORCE_NOT_NULL ({not_null}))" if not_null else ")"
            with cursor.cursor.copy(sql) as copy:
                step = 1 << 20
                for start in range(0, len(rows.payload), step):
                    copy.write(rows.payload[start : start + step])
        else:
            marks = ", ".join(["%s"] * len(rows.columns))
            cursor.executemany(
                f"INSERT INTO {rows.table} ({names}) VALUES ({marks})", rows.frame.rows()
            )
        return
    condition, condition_params = where
    history = model.history.model
    own = {f.column for f in model._meta.concrete_fields}
    fields = {f.attname: f for f in history._meta.concrete_fields}
    stamp = history_stamp(created=created, now=now)
    targets, sources, params = [], [], []
    for f in history._meta.concrete_fields:
        if f.primary_key:
            continue
        targets.append(connection.ops.quote_name(f.column))
        if f.column in own:
            sources.append(f"p.{connection.ops.quote_name(f.column)}")
        else:
            sources.append("%s")
            params.append(fields[f.attname].get_db_prep_save(stamp[f.attname], connection))
    cursor.execute(
        f"INSERT INTO {history._meta.db_table} ({', '.join(targets)}) "
        f"SELECT {', '.join(sources)} FROM {model._meta.db_table} p WHERE {condition}",
        params + list(condition_params),
    )


def history_enabled() -> bool:
    """django-simple-history's own switch; the bulk writers honour it too."""
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def _fill_source(sender, history_instance, **kwargs) -> None:
    if isinstance(history_instance, ChangeSourceFields):
        source = current_source()
        history_instance.history_via = source.via
        history_instance.history_via_detail = source.detail


def connect() -> None:
    pre_create_historical_record.connect(_fill_source, dispatch_uid="lindung_change_source")


class TrackedCommand(BaseCommand):
    """A ``lindung`` command whose changes are recorded as coming through it."""

    def execute(self, *args, **options):
        name = self.__module__.rsplit(".", 1)[-1]
        action = options.get("action") or options.get("kind") or ""
        with changes_through(Via.COMMAND, f"lindung {name} {action}".strip()):
            return super().execute(*args, **options)
