"""PostgreSQL declarative partitioning of the tables that grow with time.

Shared by the migrations that turn a plain table into a partitioned one (they live in the
apps that own the tables, below ``operations``) and by ``lindung.operations.partitions``
(the partitions made ahead, listed, detached and archived). It imports nothing of ours.

A table is partitioned ``BY RANGE`` of one date or timestamp column, by month or by year,
with a ``DEFAULT`` partition that takes any row whose month has no partition yet (nothing
is ever refused for want of a partition). PostgreSQL wants the partition key in every
primary key and unique constraint, so the database's primary key becomes ``(id, key)``;
Django keeps ``id`` as the model's primary key, and ids stay unique because one sequence
gives them. SQLite has no partitioning: everything here is a no-op there.

Partition names: ``<table>_<YYYY>_<MM>`` (month) or ``<table>_<YYYY>`` (year) and
``<table>_default``. A timestamp key's bounds are midnight of the first day of the period
in the table's time zone, so a month as the program counts it is one partition.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

MONTH, YEAR = "month", "year"

# A partition is made for at most this many periods past the newest row when a table is
# converted; rows further out wait in the default partition (a typing error, not a plan).
MAX_PERIODS_AHEAD_OF_DATA = 36


@dataclass(frozen=True)
class Scheme:
    """How one table is partitioned: its key column, its period and (timestamps) zone."""

    table: str
    column: str
    interval: str = MONTH
    zone: str | None = None  # None: a date column; else the zone of a timestamp's bounds

    @property
    def default(self) -> str:
        return f"{self.table}_default"

    def start_of(self, day: dt.date) -> dt.date:
        return day.replace(day=1) if self.interval == MONTH else dt.date(day.year, 1, 1)

    def after(self, start: dt.date, periods: int = 1) -> dt.date:
        if self.interval == YEAR:
            return dt.date(start.year + periods, 1, 1)
        month = start.month - 1 + periods
        return dt.date(start.year + month // 12, month % 12 + 1, 1)

    def name(self, start: dt.date) -> str:
        suffix = f"{start:%Y}" if self.interval == YEAR else f"{start:%Y_%m}"
        return f"{self.table}_{suffix}"

    def bound(self, day: dt.date) -> dt.date | dt.datetime:
        """The key value where the period starting ``day`` begins."""
        if self.zone is None:
            return day
        return dt.datetime.combine(day, dt.time(0), zoneinfo.ZoneInfo(self.zone))

    def literal(self, day: dt.date) -> str:
        return f"'{self.bound(day).isoformat()}'"

    def day_of(self, value) -> dt.date:
        """The period-day a key value falls on (a timestamp seen in the table's zone)."""
        if isinstance(value, dt.datetime):
            return value.astimezone(zoneinfo.ZoneInfo(self.zone or "UTC")).date()
        return value


def month_after(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s."""
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_partitioned(cursor, table: str) -> bool:
    cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", [quote(table)])
    row = cursor.fetchone()
    return bool(row and row[0])


_BOUND = re.compile(r"FOR VALUES FROM \('([^']*)'\) TO \('([^']*)'\)")


def _parse(text: str) -> dt.date | dt.datetime:
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)


def partitions(cursor, table: str) -> list[dict]:
    """The partitions of ``table``: name, bounds (``None`` for the default), estimated rows
    and bytes on disk, oldest first and the default last."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint,
               pg_total_relation_size(c.oid)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass(%s)
        """,
        [quote(table)],
    )
    found = []
    for name, bound, rows, size in cursor.fetchall():
        match = _BOUND.match(bound or "")
        low, high = (_parse(match[1]), _parse(match[2])) if match else (None, None)
        found.append({"name": name, "from": low, "to": high, "rows": max(rows, 0), "bytes": size})
    found.sort(key=lambda p: (p["from"] is None, str(p["from"])))
    return found


def create_partition(cursor, scheme: Scheme, start: dt.date) -> str | None:
    """The partition of the period starting ``start``, made unless a partition already
    covers any of it; ``None`` when nothing was made.

    Rows of that period that were waiting in the default partition are moved into the new
    one in the same transaction (PostgreSQL would refuse the new partition otherwise).
    """
    end = scheme.after(start)
    low, high = scheme.bound(start), scheme.bound(end)
    for existing in partitions(cursor, scheme.table):
        if existing["from"] is not None and existing["from"] < high and low < existing["to"]:
            return None
    name = scheme.name(start)
    table, key = quote(scheme.table), quote(scheme.column)
    values = f"FOR VALUES FROM ({scheme.literal(start)}) TO ({scheme.literal(end)})"
    waiting = False
    if _has_default(cursor, scheme):
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {quote(scheme.default)} "
            f"WHERE {key} >= %s AND {key} < %s)",
            [low, high],
        )
        waiting = cursor.fetchone()[0]
    if not waiting:
        cursor.execute(f"CREATE TABLE {quote(name)} PARTITION OF {table} {values}")
        return name
    # The period's rows leave the default partition for a table of their own, which then
    # becomes the partition. An append-only table (the access log) lets this transaction
    # delete, as its archive does: the rows move, nothing is lost.
    cursor.execute("SET LOCAL lindung.access_log_archive = 'on'")
    cursor.execute(
        f"CREATE TABLE {quote(name)} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )
    cursor.execute(
        f"WITH moved AS (DELETE FROM {quote(scheme.default)} "
        f"WHERE {key} >= %s AND {key} < %s RETURNING *) "
        f"INSERT INTO {quote(name)} SELECT * FROM moved",
        [low, high],
    )
    cursor.execute("SET LOCAL lindung.access_log_archive = 'off'")
    cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {quote(name)} {values}")
    return name


def waiting_periods(cursor, scheme: Scheme) -> list[dt.date]:
    """The periods that have rows in the default partition (none has its partition yet)."""
    if not _has_default(cursor, scheme):
        return []
    key = quote(scheme.column)
    local = key if scheme.zone is None else f"({key} AT TIME ZONE %s)"
    params = [] if scheme.zone is None else [scheme.zone]
    cursor.execute(
        f"SELECT DISTINCT date_trunc('{scheme.interval}', {local})::date "
        f"FROM {quote(scheme.default)} ORDER BY 1",
        params,
    )
    return [row[0] for row in cursor.fetchall()]


def _has_default(cursor, scheme: Scheme) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [quote(scheme.default)])
    return cursor.fetchone()[0]


# ---- converting a plain table -------------------------------------------------------------


def _definitions(cursor, table: str) -> dict:
    """What a table carries besides its columns, as SQL that recreates it."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename = %s",
        [table],
    )
    indexes = dict(cursor.fetchall())
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid), "
        "ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = conrelid "
        "      AND attnum = ANY(conkey) ORDER BY attnum) "
        "FROM pg_constraint WHERE conrelid = to_regclass(%s) ORDER BY conname",
        [quote(table)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal ORDER BY tgname",
        [quote(table)],
    )
    triggers = [row[0] for row in cursor.fetchall()]
    primary = [(name, columns) for name, kind, _d, columns in constraints if kind == "p"]
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [quote(table)])
    sequence = cursor.fetchone()[0]
    cursor.execute(
        "SELECT attidentity <> '' FROM pg_attribute "
        "WHERE attrelid = to_regclass(%s) AND attname = 'id'",
        [quote(table)],
    )
    identity = cursor.fetchone()[0]
    return {
        "indexes": indexes,
        "constraints": constraints,
        "triggers": triggers,
        "primary": primary[0] if primary else None,
        "sequence": sequence,
        "identity": identity,
    }


def _columns(cursor, table: str) -> str:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        [quote(table)],
    )
    return ", ".join(quote(row[0]) for row in cursor.fetchall())


def _rebuild(cursor, table: str, *, scheme: Scheme | None, today: dt.date, ahead: int) -> None:
    """Copy ``table`` into a new one of the same name, partitioned by ``scheme`` (or plain
    when ``None``), with the same columns, defaults, checks, indexes, foreign keys,
    triggers and id sequence; the old table is dropped. One transaction (the migration's).
    """
    found = _definitions(cursor, table)
    key = scheme.column if scheme else None
    # Going back to a plain table, the primary key loses the partition key it had to hold.
    dropped = None if scheme else _partition_key(cursor, table)
    for name, kind, definition, columns in found["constraints"]:
        if kind in ("u", "x") and key and key not in columns:
            raise RuntimeError(
                f"{table}: {name} ({definition}) does not hold the partition key {key}"
            )
    old = f"{table}__old"
    cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
    last = None
    sequence = found["sequence"]
    if sequence:
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        last = cursor.fetchone()
        if found["identity"]:  # the identity's sequence goes with it; a plain one replaces it
            cursor.execute(f"ALTER TABLE {quote(old)} ALTER COLUMN id DROP IDENTITY")
    partition = f" PARTITION BY RANGE ({quote(key)})" if scheme else ""
    cursor.execute(
        f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS "
        f"INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS){partition}"
    )
    if sequence and found["identity"]:
        cursor.execute(f"CREATE SEQUENCE {sequence} AS bigint")
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, *last])
        cursor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)",
            [sequence],
        )
    if sequence:
        cursor.execute(f"ALTER SEQUENCE {sequence} OWNED BY {quote(table)}.id")
    if scheme:
        cursor.execute(f"CREATE TABLE {quote(scheme.default)} PARTITION OF {quote(table)} DEFAULT")
        for start in _initial_periods(cursor, old, scheme, today, ahead):
            create_partition(cursor, scheme, start)
    columns = _columns(cursor, table)
    cursor.execute(f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM {quote(old)}")
    cursor.execute(f"DROP TABLE {quote(old)}")
    if found["primary"]:
        name, columns = found["primary"]
        columns = [c for c in columns if c not in (key, dropped)] + ([key] if key else [])
        cursor.execute(
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
            f"PRIMARY KEY ({', '.join(quote(c) for c in columns)})"
        )
    primary_name = found["primary"][0] if found["primary"] else None
    for name, definition in found["indexes"].items():
        if name != primary_name and not _is_constraint(found, name):
            cursor.execute(definition)
    for name, kind, definition, _unused in found["constraints"]:
        if kind in ("f", "u", "x"):
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for definition in found["triggers"]:
        cursor.execute(definition)
    # Statistics for the partitions that hold rows only: an empty partition analyzed as
    # empty is planned as such even while a statement fills it (``billing.run``); one never
    # analyzed is costed as a few pages.
    if scheme is None:
        cursor.execute(f"ANALYZE {quote(table)}")
    for partition in partitions(cursor, table) if scheme else []:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(partition['name'])})")
        if cursor.fetchone()[0]:
            cursor.execute(f"ANALYZE {quote(partition['name'])}")


def _partition_key(cursor, table: str) -> str | None:
    cursor.execute(
        "SELECT a.attname FROM pg_partitioned_table p JOIN pg_attribute a "
        "ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
        "WHERE p.partrelid = to_regclass(%s)",
        [quote(table)],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _is_constraint(found: dict, index: str) -> bool:
    return any(name == index and kind in ("p", "u", "x") for name, kind, *_ in found["constraints"])


def _initial_periods(cursor, old: str, scheme: Scheme, today: dt.date, ahead: int):
    """The periods from the oldest row's to the one ``ahead`` months past today's (or the
    newest row's, within reason)."""
    key = quote(scheme.column)
    cursor.execute(f"SELECT MIN({key}), MAX({key}) FROM {quote(old)}")
    low, high = cursor.fetchone()
    first = scheme.start_of(min(scheme.day_of(low), today) if low is not None else today)
    last = scheme.after(scheme.start_of(month_after(today, ahead)))
    if high is not None:
        cap = scheme.after(scheme.start_of(today), MAX_PERIODS_AHEAD_OF_DATA)
        last = max(last, min(scheme.after(scheme.start_of(scheme.day_of(high))), cap))
    start = first
    while start < last:
        yield start
        start = scheme.after(start)


def partition_table(
    schema_editor, scheme: Scheme, *, ahead: int = 3, today: dt.date | None = None
) -> None:
    """For a migration: make ``scheme.table`` partitioned (PostgreSQL only; idempotent),
    with the partitions of its rows' periods up to ``ahead`` months past today."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if is_partitioned(cursor, scheme.table):
            return
        if today is None:
            from django.utils import timezone

            zone = zoneinfo.ZoneInfo(scheme.zone) if scheme.zone else None
            today = timezone.localdate(timezone=zone)
        _rebuild(cursor, scheme.table, scheme=scheme, today=today, ahead=ahead)


def unpartition_table(schema_editor, table: str) -> None:
    """For a migration's way back: a plain table again, with every row of every
    partition (detached ones excepted: they are no longer part of the table)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            return
        _rebuild(cursor, table, scheme=None, today=dt.date.today(), ahead=0)


def schemes() -> dict[str, Scheme]:
    """The partitioned tables (on PostgreSQL), by table name.

    - ``billing_billline`` by month of ``covered_month`` (the month a line pays for; a
      premium line's is its bill's month, a late line's an earlier one, a reversal's that
      of the line it reverses, so a charge and its reversal sit in one partition).
    - ``programs_transition`` by year of ``at`` in the program's time zone: transitions
      are read by enrollment (no date), so every partition costs a probe; a year keeps
      them few, and a program runs by the year.
    - ``privacy_accessentry`` by month of ``at`` in UTC (migration ``privacy/0001``).
    - ``selfpay_collectionline`` by month of ``month`` (the month a self-payer's line pays
      for): the agents' fees and the insurer's statement read collections by month.
    - ``imports_importrow`` by month of ``written_on`` (UTC, the database's day): a
      report's rows are read by job, from the job's day on (``imports.selectors``).
    """
    from django.conf import settings

    return {
        scheme.table: scheme
        for scheme in (
            Scheme("billing_billline", "covered_month", MONTH),
            Scheme("programs_transition", "at", YEAR, zone=settings.TIME_ZONE),
            Scheme("privacy_accessentry", "at", MONTH, zone="UTC"),
            Scheme("selfpay_collectionline", "month", MONTH),
            Scheme("imports_importrow", "written_on", MONTH),
        )
    }
