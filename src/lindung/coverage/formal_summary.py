"""The employers' summary (:class:`~lindung.coverage.models.FormalTally`), kept current
village by village as the workers' summary is (:mod:`lindung.coverage.summary`).

Why: a province's formal figures read from its employers cost three times a plain
``GROUP BY`` of them (every index entry of 100,000 employers, twice: the figures and the
trend), on every first read after a change. From the summary the same figures are a few
thousand rows (``docs/performance.md``).

What is counted, per employer (``formal._group_rows`` reads it), in total and by KBLI
section and size class (``dim`` ``""``, ``sec``, ``size``); *registered* is the compliance
status registered or partly registered:

- ``employers``, ``total_workers`` and, for a registered one, ``registered_employers``:
  from ``workers_as_of`` until ``closed_on``;
- ``registered_workers``: from the later of ``workers_as_of`` and ``registration_as_of``
  until ``closed_on``;
- ``reached`` and, for a registered one, ``reached_registered``: from the later of
  ``workers_as_of`` and ``first_reached_on`` until ``closed_on`` (never without an
  outreach);
- ``reached_workers``: a registered one's registered workers, from the latest of the
  three dates.

A spell that closes on or before its first day counts nothing. Each spell is +value on its
first day and -value on its closing day, written both on the day and on the first day of
its month (``span`` ``d`` and ``m``).

Keeping it current: database triggers on the employers (:mod:`lindung.coverage.triggers`)
note the villages every write touches, whatever wrote it (the services, the import's
``COPY`` and bulk updates, the API, the demo, SQL by hand). :func:`refresh` takes those
villages, recomputes their rows from the employers in one set-based query, and applies the
difference to the village's rows and every region above it with upserts. Readers call
:func:`ensure_fresh` first (one indexed probe when nothing is pending); after an import the
background worker refreshes (``coverage.tasks``), so no reader has to.
"""

from django.db import connection, transaction

from lindung.coverage import cache
from lindung.coverage.models import FormalDirtyVillage, FormalTally
from lindung.coverage.summary import writer_lock
from lindung.employers.models import Employer

TABLE = FormalTally._meta.db_table
DIRTY = FormalDirtyVillage._meta.db_table
LOCK_KEY = 7_305_611_207  # the advisory lock of this summary's writers
DAY, MONTH = "d", "m"
SECTION, SIZE = "sec", "size"
KEYS = ("dim", "item", "span", "day")
VALUES = (
    "employers",
    "total_workers",
    "registered_workers",
    "registered_employers",
    "reached",
    "reached_registered",
    "reached_workers",
)
REGISTERED = ("registered", "partly")
LEVELS = [
    # level, region code of the row, its parent's code (from a village code)
    (4, "region_code", "substr(region_code, 1, 8)"),
    (3, "substr(region_code, 1, 8)", "substr(region_code, 1, 5)"),
    (2, "substr(region_code, 1, 5)", "substr(region_code, 1, 2)"),
    (1, "substr(region_code, 1, 2)", "''"),
    (0, "''", "'-'"),
]


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _later(first: str, second: str) -> str:
    return f"CASE WHEN {second} > {first} THEN {second} ELSE {first} END"


def _month_start(column: str) -> str:
    if _pg():
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _derive_sql() -> str:
    """The village rows of the villages in ``tmp_formal_villages``, into ``tmp_formal_new``."""
    zeros = {name: "0" for name in VALUES}
    keys = "village_id, kbli_section, size_class"

    def spell(start: str, values: dict, condition: str = "1 = 1") -> str:
        row = {**zeros, **values}
        plus = ", ".join(row[name] for name in VALUES)
        minus = ", ".join(f"-{row[name]}" if row[name] != "0" else "0" for name in VALUES)
        return (
            f"SELECT {keys}, {start} AS day, {plus} FROM e "
            f"WHERE {condition} AND (closed_on IS NULL OR closed_on > {start}) "
            f"UNION ALL SELECT {keys}, closed_on, {minus} FROM e "
            f"WHERE {condition} AND closed_on > {start}"
        )

    counted = _later("workers_as_of", "registration_as_of")
    reached = _later("workers_as_of", "first_reached_on")
    both = _later(counted, "first_reached_on")
    outreach = "first_reached_on IS NOT NULL"
    events = " UNION ALL ".join(
        (
            spell(
                "workers_as_of",
                {"employers": "1", "total_workers": "total_workers", "registered_employers": "ok"},
            ),
            spell(counted, {"registered_workers": "registered_workers"}),
            spell(reached, {"reached": "1", "reached_registered": "ok"}, outreach),
            spell(both, {"reached_workers": "registered_workers"}, f"{outreach} AND ok = 1"),
        )
    )
    registered = ", ".join(f"'{c}'" for c in REGISTERED)
    sums = ", ".join(f"SUM({name})" for name in VALUES)
    nonzero = " OR ".join(f"SUM({name}) <> 0" for name in VALUES)
    columns = ", ".join(VALUES)
    return f"""
WITH e AS (
  SELECT village_id, kbli_section, size_class, total_workers, registered_workers,
         workers_as_of, registration_as_of, closed_on, first_reached_on,
         CASE WHEN compliance IN ({registered}) THEN 1 ELSE 0 END AS ok
  FROM {Employer._meta.db_table}
  WHERE village_id IN (SELECT code FROM tmp_formal_villages)
),
ev (village_id, kbli_section, size_class, day, {columns}) AS ({events}),
dims (dim) AS (VALUES (''), ('{SECTION}'), ('{SIZE}')),
spans (span) AS (VALUES ('{DAY}'), ('{MONTH}'))
INSERT INTO tmp_formal_new (region_code, {", ".join(KEYS)}, {columns})
SELECT village_id, dims.dim,
       CASE dims.dim WHEN '' THEN '' WHEN '{SECTION}' THEN kbli_section ELSE size_class END,
       spans.span, CASE WHEN spans.span = '{DAY}' THEN day ELSE {_month_start("day")} END,
       {sums}
FROM ev CROSS JOIN dims CROSS JOIN spans
WHERE 1 = 1
GROUP BY 1, 2, 3, 4, 5
HAVING {nonzero}
"""


def _temp(cursor, name: str, columns: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def _rows_table(cursor, name: str) -> None:
    date_type = "date" if _pg() else "text"
    _temp(
        cursor,
        name,
        f"region_code varchar(13), dim varchar(4), item varchar(6), span varchar(1), "
        f"day {date_type}, " + ", ".join(f"{name} bigint" for name in VALUES),
    )


def _analyze(cursor, table: str) -> None:
    if _pg():  # a temporary table is planned as ~1,000 rows until analysed
        cursor.execute(f"ANALYZE {table}")


def _apply(cursor, codes: set[str] | None) -> None:
    """Recompute the villages ``codes`` (``None``: every village with employers, into an
    empty summary) and move every level by the difference."""
    _temp(cursor, "tmp_formal_villages", "code varchar(13) PRIMARY KEY")
    if codes is None:
        cursor.execute(
            "INSERT INTO tmp_formal_villages (code) "
            f"SELECT DISTINCT village_id FROM {Employer._meta.db_table}"
        )
    else:
        cursor.executemany(
            "INSERT INTO tmp_formal_villages (code) VALUES (%s)", [(c,) for c in sorted(codes)]
        )
    _analyze(cursor, "tmp_formal_villages")
    _rows_table(cursor, "tmp_formal_new")
    cursor.execute(_derive_sql())
    keys = ", ".join(KEYS)
    columns = ", ".join(VALUES)
    sums = ", ".join(f"SUM({name})" for name in VALUES)
    if codes is None:
        source = "tmp_formal_new"  # the summary is empty: the new rows are the difference
    else:
        source = "tmp_formal_diff"
        _rows_table(cursor, source)
        negated = ", ".join(f"-{name}" for name in VALUES)
        nonzero = " OR ".join(f"SUM({name}) <> 0" for name in VALUES)
        cursor.execute(
            f"INSERT INTO {source} (region_code, {keys}, {columns}) "
            f"SELECT region_code, {keys}, {sums} FROM ("
            f"  SELECT region_code, {keys}, {columns} FROM tmp_formal_new"
            f"  UNION ALL"
            f"  SELECT region_code, {keys}, {negated} FROM {TABLE}"
            f"  WHERE region_code IN (SELECT code FROM tmp_formal_villages)"
            f") u WHERE 1 = 1 GROUP BY region_code, {keys} HAVING {nonzero}"
        )
    _analyze(cursor, source)
    updates = ", ".join(f"{name} = {TABLE}.{name} + excluded.{name}" for name in VALUES)
    all_zero = " AND ".join(f"{name} = 0" for name in VALUES)
    for level, code, parent in LEVELS:
        # PostgreSQL refuses a constant in GROUP BY (the provinces' parent, the country).
        grouped = ", ".join(e for e in (code, parent, keys) if not e.startswith("'"))
        insert = (
            f"INSERT INTO {TABLE} (region_code, level, parent_code, {keys}, {columns}) "
            f"SELECT {code}, {level}, {parent}, {keys}, {sums} FROM {source} "
            f"WHERE 1 = 1 GROUP BY {grouped} "
        )
        if codes is None:
            # Villages never sum to zero (``_derive_sql`` leaves none); the regions above may.
            nonzero = " OR ".join(f"SUM({name}) <> 0" for name in VALUES)
            cursor.execute(f"{insert} HAVING {nonzero}")
            continue
        cursor.execute(
            f"{insert} ORDER BY 1, 4, 5, 6, 7 "
            f"ON CONFLICT (region_code, {keys}) DO UPDATE SET {updates}"
        )
        # A figure back to zero leaves no row (only the rows this difference touched can).
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE {all_zero} AND level = {level} AND "
            f"(region_code, {keys}) IN (SELECT {code}, {keys} FROM {source})"
        )
    for name in ("tmp_formal_diff", "tmp_formal_new", "tmp_formal_villages"):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _lock(cursor, *, wait: bool = True) -> bool:
    return writer_lock(cursor, LOCK_KEY, pg=_pg(), wait=wait)


def pending() -> bool:
    return FormalDirtyVillage.objects.exists()


def refresh(*, wait: bool = True) -> int:
    """Bring the summary up to date for the villages marked since the last refresh; the
    marks are taken in the same transaction as the recomputation (a change committing later
    leaves its own mark). ``wait=False`` returns 0 at once when another refresh is under
    way (PostgreSQL). Returns the number of villages recomputed."""
    if not pending():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if not _lock(cursor, wait=wait):
            return 0
        cursor.execute(f"DELETE FROM {DIRTY} RETURNING village_code")
        codes = {row[0] for row in cursor.fetchall()}
        if codes:
            _apply(cursor, codes)
            cache.bump_now()
    return len(codes)


def ensure_fresh() -> None:
    """Called before every read of the formal figures: nothing to do unless a write marked
    villages; a reader does not queue behind a refresh under way."""
    refresh(wait=False)


def rebuild() -> int:
    """Recompute the whole summary from the employers (to repair, or after a bulk load with
    the triggers off). Returns the number of rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        cursor.execute(f"DELETE FROM {DIRTY}")
        cursor.execute(f"DELETE FROM {TABLE}")
        _apply(cursor, None)
        cache.bump_now()
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def verify(limit: int = 20) -> list[tuple]:
    """The stored rows that differ from a full recomputation (empty: none); changes
    nothing. Each difference is (region, dim, item, span, day, the stored minus the
    expected values…)."""
    keys = ", ".join(KEYS)
    columns = ", ".join(VALUES)
    sums = ", ".join(f"SUM({name})" for name in VALUES)
    negated = ", ".join(f"-{name}" for name in VALUES)
    nonzero = " OR ".join(f"SUM({name}) <> 0" for name in VALUES)
    with transaction.atomic(), connection.cursor() as cursor:
        _temp(cursor, "tmp_formal_villages", "code varchar(13) PRIMARY KEY")
        cursor.execute(
            "INSERT INTO tmp_formal_villages (code) "
            f"SELECT DISTINCT village_id FROM {Employer._meta.db_table}"
        )
        _rows_table(cursor, "tmp_formal_new")
        cursor.execute(_derive_sql())
        expected = " UNION ALL ".join(
            f"SELECT {code} AS region_code, {keys}, {negated} FROM tmp_formal_new"
            for _level, code, _parent in LEVELS
        )
        cursor.execute(
            f"SELECT region_code, {keys}, {sums} FROM ("
            f"  SELECT region_code, {keys}, {columns} FROM {TABLE} UNION ALL {expected}"
            f") u WHERE 1 = 1 GROUP BY region_code, {keys} HAVING {nonzero} "
            f"ORDER BY 1, 2, 3, 4, 5 LIMIT {int(limit)}"
        )
        found = cursor.fetchall()
        for name in ("tmp_formal_new", "tmp_formal_villages"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return found
