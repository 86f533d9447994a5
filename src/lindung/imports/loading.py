"""Set-based loading of checked rows into the registry, one transaction per batch.

No per-row ORM. On PostgreSQL a batch of people the registry does not hold yet, the usual
case of a new file, goes straight into the registry with one ``COPY``: the NIK's unique
index refuses the whole ``COPY`` if any of them is registered already, and the batch then
takes the general path. That path puts the batch into a temporary staging table
(PostgreSQL ``COPY``, SQLite ``executemany``), then one ``INSERT … SELECT`` adds the new
people and, when asked, one ``UPDATE … FROM`` changes the existing ones whose data differ.
Either way the NIK's unique index is the arbiter: two imports of the same file, or an
import racing a form, can never make a second person.

Every person the batch adds or changes gets its historical row (the change history, see
:mod:`lindung.privacy.history`) in the same transaction, with the same values per-row
saving would record, without a statement per row. On the direct ``COPY`` the batch's ids
are taken from the registry's sequence ahead (:func:`prepare_direct`), so the historical
rows are a second ``COPY`` made from the same rows, with nothing read back; on the general
path one ``INSERT … SELECT`` copies them from the registry rows the statement returned.

Rows whose NIK is already registered outside the importing user's region are never
touched; the scope test is the same region test as :func:`lindung.accounts.scope.scoped`, on
the region codes every row carries.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation

from lindung.accounts.scope import LEVEL_FIELDS, scope_code
from lindung.imports.reading import ROW
from lindung.people.models import Person
from lindung.people.services import acting_agent_id
from lindung.privacy.history import HistoryRows, history_rows, write_history
from lindung.regions.codes import level_of

STAGE = "lindung_import_stage"
# Staged columns and their SQL types; text columns never hold NULL.
STAGED = {
    ROW: "integer",
    "nik": "text",
    "full_name": "text",
    "name_key": "text",  # people.names: what the duplicate check compares
    "sex": "text",
    "birth_date": "date",
    "village_id": "text",
    "district_code": "text",
    "regency_code": "text",
    "province_code": "text",
    "address": "text",
    "phone": "text",
    "occupation_id": "bigint",
    "occupation_text": "text",
    "category": "text",
    "declared_income": "bigint",
}
TEXT = [name for name, kind in STAGED.items() if kind == "text"]
# Compared to decide "unchanged" and written on update. Address and phone only when the
# file has those columns: a file without them must not blank what the registry holds.
COMPARED = [
    "full_name",
    "name_key",
    "sex",
    "birth_date",
    "village_id",
    "district_code",
    "regency_code",
    "province_code",
    "occupation_id",
    "occupation_text",
    "category",
    "declared_income",
]
OPTIONAL = ["address", "phone"]


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    out_of_scope: list[int] = field(default_factory=list)  # row numbers
    differing: list[int] = field(default_factory=list)  # existing, different, not updated
    # Some NIKs of the batch were registered already (the direct ``COPY`` was refused).
    overlapped: bool = False
    direct: bool = False  # loaded by the direct ``COPY``, with the ids taken ahead
    created_ids: list[int] = field(default_factory=list)  # for the duplicate check
    duplicates: dict[int, str] = field(default_factory=dict)  # row → the other record(s)


def _scope_sql(user, alias: str) -> tuple[str, list]:
    """The SQL test that a registry row ``alias`` lies inside the user's region."""
    scope = scope_code(user)
    if scope is None:
        return "1 = 1", []
    if scope == "-":
        return "1 = 0", []
    column = LEVEL_FIELDS[level_of(scope)]
    return f"{alias}.{connection.ops.quote_name(column)} = %s", [scope]


def _distinct(left: str, right: str) -> str:
    op = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return f"{left} {op} {right}"


def stamps_for(user) -> dict[str, int]:
    """The columns an import fills from who runs it: the creator and, when the user works
    as a Perisai agent, the agent every new worker is attributed to."""
    stamps = {"created_by_id": getattr(user, "pk", None), "agent_id": acting_agent_id(user)}
    return {name: value for name, value in stamps.items() if value is not None}


def _fixed_value(f, stamps: dict, now):
    """What an import writes into a column the file does not give."""
    if f.attname in ("created_at", "updated_at"):
        return f.get_db_prep_value(now, connection)
    if f.attname in stamps:
        return stamps[f.attname]
    return f.get_db_prep_save(f.get_default(), connection)


def _written_columns(stamps: dict, *, times: bool) -> list:
    """Person's columns an import writes: the file's, the creator and agent when there are
    any, and any other the database could not fill by itself (the others have a
    ``db_default`` or are NULL by default): fewer bytes to write, send and parse per row.

    ``times``: the batch's time as ``created_at`` and ``updated_at`` (a parameter of the
    general path's ``INSERT … SELECT``, free). The direct ``COPY`` leaves them to their
    default, the transaction's time, which the historical rows' ``COPY`` leaves to the same
    default: the same values, and no timestamp to parse per row (about 1 µs each)."""
    return [
        f
        for f in Person._meta.concrete_fields
        if not f.primary_key
        and (
            f.attname in STAGED
            or f.attname in stamps
            or (times and f.attname in ("created_at", "updated_at"))
            or not (f.has_db_default() or (f.null and f.get_default() is None))
        )
    ]


@dataclass(frozen=True)
class Direct:
    """A batch made ready, ahead of its transaction, for the direct ``COPY``: its registry
    rows with ids already taken from the sequence, and their historical rows."""

    payload: bytes
    history: HistoryRows | None
    ids: list[int]


_sequence: dict[str, str] = {}


def _take_ids(count: int) -> list[int]:
    """``count`` new ids from the registry's sequence. A sequence is outside transactions:
    no other writer gets them, and those of a batch that takes the general path instead
    are only a gap."""
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        if table not in _sequence:  # looked up once: per row it costs more than nextval
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            _sequence[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
            [_sequence[table], count],
        )
        return cursor.fetchone()[0] or []


def prepare_direct(batch: pl.DataFrame, *, stamps: dict) -> Direct:
    """The rows of ``batch`` as the direct ``COPY`` into the registry and the ``COPY`` of
    their historical rows read them (PostgreSQL; made while the previous batch loads).
    The times of both are the transaction's (see :func:`_written_columns`)."""
    ids = _take_ids(batch.height)
    columns = [pl.Series("id", ids, dtype=pl.Int64)]
    for f in _written_columns(stamps, times=False):
        if f.attname in STAGED:
            columns.append(pl.col(f.attname))
        else:
            columns.append(pl.lit(_fixed_value(f, stamps, None)).alias(f.attname))
    rows = batch.select(columns)
    payload = rows.write_csv(include_header=False).encode()
    history = history_rows(Person, rows, created=True, sent=payload)
    return Direct(payload=payload, history=history, ids=ids)


def _copy(cursor, sql: str, payload: bytes) -> None:
    with cursor.cursor.copy(sql) as copy:
        step = 1 << 20
        for start in range(0, len(payload), step):
            copy.write(payload[start : start + step])


def _copy_into_registry(cursor, payload: bytes, stamps: dict) -> None:
    columns = _written_columns(stamps, times=False)
    names = ", ".join(["id", *(connection.ops.quote_name(f.column) for f in columns)])
    # Text columns never hold NULL: an empty field is an empty string there.
    text = [
        connection.ops.quote_name(f.column)
        for f in columns
        if f.get_internal_type() in ("CharField", "TextField", "SlugField")
    ]
    _copy(
        cursor,
        f"COPY {Person._meta.db_table} ({names}) FROM STDIN "
        f"(FORMAT csv, FORCE_NOT_NULL ({', '.join(text)}))",
        payload,
    )


def _stage(cursor, batch: pl.DataFrame) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGED.items())
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns}) ON COMMIT DROP")
        payload = batch.select(list(STAGED)).write_csv(include_header=False).encode()
        _copy(
            cursor,
            f"COPY {STAGE} ({', '.join(STAGED)}) FROM STDIN "
            f"(FORMAT csv, FORCE_NOT_NULL ({', '.join(TEXT)}))",
            payload,
        )
    else:
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns})")
        marks = ", ".join(["%s"] * len(STAGED))
        rows = batch.select(list(STAGED)).with_columns(pl.col("birth_date").cast(pl.String))
        cursor.executemany(
            f"INSERT INTO {STAGE} ({', '.join(STAGED)}) VALUES ({marks})", rows.rows()
        )


def _returning_ids(sql: str, params: list) -> tuple[str, list]:
    return f"{sql} RETURNING id", params


def _insert_sql(stamps: dict, now, *, on_conflict: bool) -> tuple[str, list]:
    """``INSERT … SELECT`` naming every concrete column of Person, with its default.

    The rows go in ordered by village and NIK, the order of most of the table's indexes,
    which keeps index pages in cache. The fast form leaves out the NIKs already there by an
    anti-join; ``on_conflict`` adds ``ON CONFLICT (nik) DO NOTHING`` for the rare batch that
    races another writer of the same NIK.
    """
    targets, sources, params = [], [], []
    for f in _written_columns(stamps, times=True):
        targets.append(connection.ops.quote_name(f.column))
        if f.attname in STAGED:
            sources.append(f"s.{f.attname}")
        else:
            sources.append("%s")
            params.append(_fixed_value(f, stamps, now))
    table = Person._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(targets)}) "
        f"SELECT {', '.join(sources)} FROM {STAGE} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE p.nik = s.nik) "
        f"ORDER BY s.village_id, s.nik"
    )
    if on_conflict:
        sql += " ON CONFLICT (nik) DO NOTHING"
    return sql, params


def _write_history(cursor, ids: list[int], now, *, created: bool) -> None:
    """The historical rows of the registry rows with these ids, just written."""
    if not ids:
        return
    if connection.vendor == "postgresql":
        where = ("p.id = ANY(%s)", [ids])
    else:  # one JSON parameter instead of a variable per row
        where = ("p.id IN (SELECT value FROM json_each(%s))", [json.dumps(ids)])
    write_history(cursor, Person, where=where, created=created, now=now)


def load_batch(
    batch: pl.DataFrame,
    *,
    user=None,
    update: bool = False,
    present: set[str] = frozenset(),
    now: dt.datetime | None = None,
    direct: Direct | None = None,
) -> BatchResult:
    """Load the valid rows of one batch; the caller holds the transaction.

    ``direct`` (PostgreSQL), :func:`prepare_direct` of ``batch`` made with the same
    ``user``, asks for the direct ``COPY`` first: give it when the registry
    probably holds none of these NIKs (see the module's docstring).
    """
    result = BatchResult()
    if batch.height == 0:
        return result
    now = now or timezone.now()
    table = Person._meta.db_table
    compared = COMPARED + [name for name in OPTIONAL if name in present]
    differs = " OR ".join(_distinct(f"p.{name}", f"s.{name}") for name in compared)
    inside, inside_params = _scope_sql(user, "p")
    stamps = stamps_for(user)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A batch is small next to the registry: look each NIK up in the unique index.
            # Without this the planner, whose statistics lag behind a fast-growing table,
            # hashes the whole registry for every batch.
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
            cursor.execute("SET LOCAL jit = off")  # compiling costs more than these queries
            # The commit need not wait for the disk: the batch and its record commit or
            # vanish together, and a batch lost in a server crash is loaded again on resume.
            cursor.execute("SET LOCAL synchronous_commit = off")
        else:
            # SQLite's default page cache (2 MB) is far smaller than the registry's indexes;
            # a larger one for this connection keeps their pages in memory between batches.
            cursor.execute("PRAGMA cache_size = -262144")
        if direct is not None and connection.vendor == "postgresql":
            try:
                with transaction.atomic():
                    _copy_into_registry(cursor, direct.payload, stamps)
                if direct.history is not None:
                    write_history(cursor, rows=direct.history)
                result.created = batch.height
                result.created_ids = direct.ids
                result.direct = True
                return result
            except UniqueViolation:
                pass  # some are registered: the general path sorts them out
        _stage(cursor, batch)
        cursor.execute(
            f"SELECT s.{ROW}, CASE WHEN {inside} THEN 1 ELSE 0 END, "
            f"CASE WHEN {differs} THEN 1 ELSE 0 END "
            f"FROM {STAGE} s JOIN {table} p ON p.nik = s.nik "
            f"WHERE NOT ({inside}) OR ({differs})",
            inside_params * 2,
        )
        for row, is_inside, is_different in cursor.fetchall():
            if not is_inside:
                result.out_of_scope.append(row)
            elif is_different and not update:
                result.differing.append(row)
        try:
            with transaction.atomic():
                cursor.execute(*_returning_ids(*_insert_sql(stamps, now, on_conflict=False)))
                created = [row[0] for row in cursor.fetchall()]
        except IntegrityError:
            cursor.execute(*_returning_ids(*_insert_sql(stamps, now, on_conflict=True)))
            created = [row[0] for row in cursor.fetchall()]
        result.created = len(created)
        result.created_ids = created
        _write_history(cursor, created, now, created=True)
        if update:
            assignments = ", ".join(f"{name} = s.{name}" for name in compared)
            cursor.execute(
                f"UPDATE {table} AS p SET {assignments}, updated_at = %s "
                f"FROM {STAGE} s WHERE p.nik = s.nik AND {inside} AND ({differs}) "
                "RETURNING id",
                [Person._meta.get_field("updated_at").get_db_prep_value(now, connection)]
                + inside_params,
            )
            changed = [row[0] for row in cursor.fetchall()]
            result.updated = len(changed)
            _write_history(cursor, changed, now, created=False)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    result.unchanged = batch.height - result.created - result.updated - len(result.out_of_scope)
    result.overlapped = result.created < batch.height
    return result


ROW_TABLE_COLUMNS = ["job_id", "row", "rejected", "errors", "warnings", "values", "first_row"]


def write_rows(frame: pl.DataFrame) -> None:
    """Bulk-write report rows (:class:`~lindung.imports.models.ImportRow`) from a frame with
    the columns of ``ROW_TABLE_COLUMNS``, the JSON columns already encoded as text."""
    if frame.height == 0:
        return
    from lindung.imports.models import ImportRow

    table = ImportRow._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in ROW_TABLE_COLUMNS)
    frame = frame.select(ROW_TABLE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            payload = frame.write_csv(include_header=False).encode()
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(payload)
        else:
            marks = ", ".join(["%s"] * len(ROW_TABLE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", frame.rows())
