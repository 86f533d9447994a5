"""The coverage summary: dated deltas per region, kept current village by village.

What is counted (``Tally.measure``), for the enrollments of a village:

- ``sp`` sponsored coverage: +1 on the effective date, -1 the day after the last sponsored
  day (``coverage_end``), for every enrollment that reached ``active``. Broken down by
  segment and funder (``dim`` seg/fund), and by funder within each category, sex and
  occupation (``dim`` ``fund/cat`` …): the sponsored of a category is the sum over its
  funders (every sponsorship has one), so it has no rows of its own.
- ``self`` self-paid coverage after the sponsorship: from the day after ``coverage_end``
  for an enrollment that went to ``continued``, until the day it left ``continued``
  (lapsed or renewed), open while it stays there. Same breakdowns but the funder.
- ``start`` sponsorships started (+1 on the effective date): "sponsored in the year"
  is the sum over the year's days. By segment, funder, category, sex and occupation.
- ``exp`` sponsorship ends: +1 on ``coverage_end`` with ``item`` = the effective date, so
  "expiring within 30 days of D" counts the ends in [D, D+30] of spells started by D.
- ``ret`` retention: for every sponsored spell and k in 1, 3, 6, on the last day of the
  k-th month after the sponsored months: +1 to ``item`` ``kept`` when the person is
  covered that day by any of their spells (self-paid, or sponsored again), else to
  ``lost``. Also per program and per Perisai agent of the spell (:data:`RETENTION_BY`).
- ``state`` enrollments by state, from the transitions: +1 per move on its day, ``item``
  the move ``from>to`` (``>proposed`` for the first), which adds one to the new state and
  takes one from the old (one row per move rather than two, as most days of a village
  see one kind of move); ``dim`` is the program's year (quota fill is the sum of the
  states that hold a place, for the programs of one year).
- ``places`` quota places of the programs of a year, on 1 January of that year.
- ``bill`` premiums billed (rupiah): the amount of every bill line of the village's
  enrollments, on the day of the run that wrote it; ``dim`` the program's year.

Breakdowns of a measure by category, sex and occupation (:data:`BY`) are written the same
way for every measure: ``dim`` is the measure's own ``dim`` followed by ``/`` and the
breakdown, ``item`` its own ``item`` followed by ``/`` and the value (either without the
``/`` when the measure's own is empty) — ``state`` of 2024 by category is ``dim``
``2024/cat``, ``item`` ``submitted>active/pekerja_rentan``; expiring by sex is ``dim`` ``sex``,
``item`` ``2024-07-20/P``; premiums billed for 2024 by sex ``dim`` ``2024/sex``, ``item``
``P``. Quota places are a program's, not a worker's: they have no such breakdown.

A count at date D is the sum of ``delta`` over ``day <= D``. Days are local (WITA) dates.

Keeping it current: database triggers (:mod:`lindung.coverage.triggers`) note the villages
every write touches. :func:`refresh` takes those villages, recomputes their rows from the
registry in one set-based query, and applies the difference to the village's rows and to
every region above it (district, regency, province, country) with upserts, so the cost
of a refresh follows the villages touched, not the size of the registry. Readers call
:func:`ensure_fresh` first, which costs one indexed probe when nothing is pending; after a
large write (an import, a billing run) the background worker runs the refresh
(:func:`lindung.coverage.tasks.schedule_refresh`), so that no reader has to. Each measure
is declared once in :data:`MEASURES`.
"""

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connection, transaction

from lindung.coverage import cache
from lindung.coverage.models import DirtyVillage, Tally

SPONSORED, SELF_PAID, STARTED, EXPIRING, RETAINED, STATE, PLACES, BILLED = (
    "sp",
    "self",
    "start",
    "exp",
    "ret",
    "state",
    "places",
    "bill",
)
# The breakdowns by the worker: participant category, sex, occupation (id, "" unlisted).
BY = ("cat", "sex", "occ")
SEP = "/"  # between a measure's own dim (item) and the breakdown (its value)
MOVE = ">"  # between the two states of a move (``state`` items)
COVERAGE_DIMS = ("", "seg", *BY, "fund", *(f"fund{SEP}{b}" for b in BY))
RETENTION_MONTHS = (1, 3, 6)
# Retention is also kept per program and per Perisai agent of the enrollment (``dim``
# ``3/prog``, ``item`` ``kept/<program id>``; ``3/agent``, ``kept/<agent id>``): who keeps
# a round's workers covered after its sponsored months.
RETENTION_BY = ("prog", "agent")
# States an enrollment reaches only through ``active``: it had sponsored coverage.
POST_ACTIVE = ("active", "ended", "continued", "renewed", "lapsed")

TALLY = Tally._meta.db_table
LOCK_KEY = 7_305_611_206  # any constant: the advisory lock of summary writers
LEVELS = [
    # level, region code of the row, its parent's code (from a village code)
    (4, "region_code", "substr(region_code, 1, 8)"),
    (3, "substr(region_code, 1, 8)", "substr(region_code, 1, 5)"),
    (2, "substr(region_code, 1, 5)", "substr(region_code, 1, 2)"),
    (1, "substr(region_code, 1, 2)", "''"),
    (0, "''", "'-'"),
]
COLUMNS = "region_code, measure, dim, item, day, delta"


class _Dialect:
    """The few expressions PostgreSQL and SQLite write differently."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"
        zone = ZoneInfo(settings.TIME_ZONE)
        self.tz = settings.TIME_ZONE
        offset = dt.datetime.now(zone).utcoffset() or dt.timedelta()
        self.offset_minutes = int(offset.total_seconds() // 60)

    def local_day(self, column: str) -> str:
        if self.pg:
            return f"CAST(({column} AT TIME ZONE '{self.tz}') AS date)"
        return f"date({column}, '{self.offset_minutes:+d} minutes')"

    def next_day(self, column: str) -> str:
        return f"({column} + 1)" if self.pg else f"date({column}, '+1 day')"

    def month_end_after(self, column: str, months: int) -> str:
        """The last day of the ``months``-th month after the month of ``column``."""
        if self.pg:
            return (
                f"CAST(date_trunc('month', {column}) + interval '{months + 1} months' "
                f"- interval '1 day' AS date)"
            )
        return f"date({column}, 'start of month', '+{months + 1} months', '-1 day')"

    def iso(self, column: str) -> str:
        return f"to_char({column}, 'YYYY-MM-DD')" if self.pg else column

    def year_start(self, column: str) -> str:
        text = f"(CAST({column} AS TEXT) || '-01-01')"
        return f"CAST({text} AS date)" if self.pg else text

    @property
    def date_type(self) -> str:
        return "date" if self.pg else "text"


def _no_ctes(d: _Dialect) -> str:
    return ""


@dataclass(frozen=True)
class Measure:
    """One figure the summary counts per village and day (one or more ``Tally.measure``
    codes), declared once: the rows it adds to the village's summary, and the common
    tables expressions (CTEs) it needs on top of the shared ones.

    Both are SQL written for a dialect. The shared CTEs every measure may read are:
    ``enr`` (the enrollments of the villages' people, with the worker's segment, category,
    sex and occupation, the program's funder and year, ``mine`` = 1 for the villages being
    recomputed), ``moves`` (per enrollment: went to continued, left it when), ``spell``
    (covered spells: sponsored ``sp`` and self-paid ``self``, from ``s`` to ``x``
    exclusive) and ``by_`` (the breakdowns, ``b``; ``BREAKDOWN`` is the value of ``b`` in a
    row that carries ``cat``, ``sex`` and ``occ``). ``rows`` is one or more ``SELECT``
    joined by ``UNION ALL``, each giving ``v, measure, dim, item, day, delta``. A measure
    that reads the tables of a higher app names it in ``app``: it is computed only when
    that app is installed. See ``docs/architecture.md`` for the recipe of a new figure."""

    codes: tuple[str, ...]
    rows: Callable[[_Dialect], str]
    ctes: Callable[[_Dialect], str] = _no_ctes
    app: str | None = None


# The value of the breakdown ``b`` of a row that carries the worker's cat, sex and occ.
BREAKDOWN = "CASE b WHEN 'cat' THEN cat WHEN 'sex' THEN sex ELSE occ END"


def _coverage_ctes(d: _Dialect) -> str:
    dims = ", ".join(f"('{dim}')" for dim in COVERAGE_DIMS)
    return f"""
ev AS (
  SELECT v, kind AS measure, seg, cat, sex, occ, fund, s AS day, 1 AS delta
  FROM spell WHERE mine = 1
  UNION ALL
  SELECT v, kind, seg, cat, sex, occ, fund, x, -1 FROM spell WHERE mine = 1 AND x IS NOT NULL
  UNION ALL
  SELECT v, '{STARTED}', seg, cat, sex, occ, fund, s, 1 FROM spell WHERE mine = 1 AND kind = 'sp'
),
dims(dim) AS (VALUES {dims})"""


def _coverage_rows(d: _Dialect) -> str:
    return f"""
  SELECT v, measure, dims.dim AS dim,
         CASE dims.dim WHEN '' THEN '' WHEN 'seg' THEN seg WHEN 'cat' THEN cat
                       WHEN 'sex' THEN sex WHEN 'occ' THEN occ WHEN 'fund' THEN fund
                       WHEN 'fund{SEP}cat' THEN fund || '{SEP}' || cat
                       WHEN 'fund{SEP}sex' THEN fund || '{SEP}' || sex
                       ELSE fund || '{SEP}' || occ END AS item,
         day, delta
  FROM ev CROSS JOIN dims
  WHERE NOT (measure = '{SELF_PAID}' AND dims.dim LIKE 'fund%')
    AND NOT (measure = '{STARTED}' AND dims.dim LIKE 'fund{SEP}%')
    AND NOT (measure = '{SPONSORED}' AND dims.dim IN ('cat', 'sex', 'occ'))"""


def _expiring_rows(d: _Dialect) -> str:
    return f"""
  SELECT v, '{EXPIRING}', '', {d.iso("eff")}, cend, 1 FROM spell WHERE mine = 1 AND kind = 'sp'
  UNION ALL
  SELECT v, '{EXPIRING}', b, {d.iso("eff")} || '{SEP}' || {BREAKDOWN}, cend, 1
  FROM spell CROSS JOIN by_ WHERE mine = 1 AND kind = 'sp'"""


def _retention_ctes(d: _Dialect) -> str:
    ends = " UNION ALL ".join(
        f"SELECT v, id, person_id, cat, sex, occ, prog, agent, '{k}' AS k, "
        f"{d.month_end_after('cend', k)} AS obs "
        f"FROM spell WHERE mine = 1 AND kind = 'sp'"
        for k in RETENTION_MONTHS
    )
    return f"""
ends AS ({ends}),
ret AS (
  SELECT en.v, en.k, en.obs, en.cat, en.sex, en.occ, en.prog, en.agent,
         MAX(CASE WHEN s2.s <= en.obs AND (s2.x IS NULL OR s2.x > en.obs) THEN 1 ELSE 0 END)
           AS kept
  FROM ends en JOIN spell s2 ON s2.person_id = en.person_id
  GROUP BY en.v, en.id, en.k, en.obs, en.cat, en.sex, en.occ, en.prog, en.agent
)"""


def _retention_rows(d: _Dialect) -> str:
    outcome = "CASE WHEN kept = 1 THEN 'kept' ELSE 'lost' END"
    return f"""
  SELECT v, '{RETAINED}', k, {outcome}, obs, 1 FROM ret
  UNION ALL
  SELECT v, '{RETAINED}', k || '{SEP}' || b, {outcome} || '{SEP}' || {BREAKDOWN}, obs, 1
  FROM ret CROSS JOIN by_""" + "".join(
        f"""
  UNION ALL
  SELECT v, '{RETAINED}', k || '{SEP}{column}', {outcome} || '{SEP}' || {column}, obs, 1
  FROM ret WHERE {column} <> ''"""
        for column in RETENTION_BY
    )


def _state_ctes(d: _Dialect) -> str:
    return f"""
moved AS (
  SELECT enr.v, enr.yr, enr.cat, enr.sex, enr.occ,
         t.from_state || '{MOVE}' || t.to_state AS move, {d.local_day("t.at")} AS day
  FROM programs_transition t JOIN enr ON enr.id = t.enrollment_id WHERE enr.mine = 1
)"""


def _state_rows(d: _Dialect) -> str:
    return f"""
  SELECT v, '{STATE}', yr, move, day, 1 FROM moved
  UNION ALL
  SELECT v, '{STATE}', yr || '{SEP}' || b, move || '{SEP}' || {BREAKDOWN}, day, 1
  FROM moved CROSS JOIN by_"""


def _places_rows(d: _Dialect) -> str:
    return f"""
  SELECT q.village_id, '{PLACES}', CAST(g.year AS TEXT), '', {d.year_start("g.year")}, q.quota
  FROM programs_villagequota q JOIN programs_program g ON g.id = q.program_id
  WHERE q.village_id IN (SELECT code FROM tmp_villages)"""


def _billed_ctes(d: _Dialect) -> str:
    return f"""
bill AS (
  SELECT enr.v, enr.yr, enr.cat, enr.sex, enr.occ, {d.local_day("l.created_at")} AS day,
         l.amount AS delta
  FROM billing_billline l JOIN enr ON enr.id = l.enrollment_id
  WHERE enr.mine = 1
)"""


def _billed_rows(d: _Dialect) -> str:
    return f"""
  SELECT v, '{BILLED}', yr || '{SEP}' || b, {BREAKDOWN}, day, delta FROM bill CROSS JOIN by_"""


# What the summary counts (described in the module's docstring), in the order written.
MEASURES: tuple[Measure, ...] = (
    Measure((SPONSORED, SELF_PAID, STARTED), _coverage_rows, _coverage_ctes),
    Measure((EXPIRING,), _expiring_rows),
    Measure((RETAINED,), _retention_rows, _retention_ctes),
    Measure((STATE,), _state_rows, _state_ctes),
    Measure((PLACES,), _places_rows),
    Measure((BILLED,), _billed_rows, _billed_ctes, app="lindung.billing"),
)


def measures_in_use() -> list[Measure]:
    """The declared measures whose tables are installed."""
    return [m for m in MEASURES if m.app is None or apps.is_installed(m.app)]


def derive_sql(d: _Dialect, into: str = "tmp_new") -> str:
    """Recompute the village-level rows of the villages listed in ``tmp_villages``: the
    shared CTEs, then every measure in use (:data:`MEASURES`)."""
    measures = measures_in_use()
    post_active = ", ".join(f"'{s}'" for s in POST_ACTIVE)
    at_day = d.local_day("t.at")
    after_end = d.next_day("cend")
    by = ", ".join(f"('{b}')" for b in BY)
    ctes = "".join(f",{cte}" for m in measures if (cte := m.ctes(d)))
    rows = "\n  UNION ALL".join(m.rows(d) for m in measures)
    return f"""
WITH
people_ AS (
  SELECT DISTINCT person_id FROM programs_enrollment
  WHERE village_id IN (SELECT code FROM tmp_villages)
),
enr AS (
  SELECT e.id, e.person_id, e.village_id AS v,
         CASE WHEN e.village_id IN (SELECT code FROM tmp_villages) THEN 1 ELSE 0 END AS mine,
         e.state, e.effective_date AS eff, e.coverage_end AS cend,
         CASE WHEN p.segment = 'PU' THEN 'formal' ELSE 'informal' END AS seg,
         p.category AS cat, p.sex AS sex,
         COALESCE(CAST(p.occupation_id AS TEXT), '') AS occ,
         g.funder AS fund, CAST(g.year AS TEXT) AS yr, CAST(e.program_id AS TEXT) AS prog,
         COALESCE(CAST(e.agent_id AS TEXT), '') AS agent
  FROM programs_enrollment e
  JOIN people_person p ON p.id = e.person_id
  JOIN programs_program g ON g.id = e.program_id
  WHERE e.person_id IN (SELECT person_id FROM people_)
),
moves AS (
  SELECT t.enrollment_id AS eid,
         MAX(CASE WHEN t.to_state = 'continued' THEN 1 ELSE 0 END) AS cont,
         MIN(CASE WHEN t.from_state = 'continued' THEN {at_day} END) AS cont_left
  FROM programs_transition t
  WHERE t.enrollment_id IN (SELECT id FROM enr)
  GROUP BY t.enrollment_id
),
spell AS (
  SELECT id, person_id, v, mine, seg, cat, sex, occ, fund, prog, agent, 'sp' AS kind, eff,
         cend, eff AS s, {after_end} AS x
  FROM enr
  WHERE state IN ({post_active}) AND eff IS NOT NULL AND cend IS NOT NULL AND cend >= eff
  UNION ALL
  SELECT enr.id, person_id, v, mine, seg, cat, sex, occ, fund, prog, agent, 'self' AS kind,
         eff, cend, {after_end} AS s, m.cont_left AS x
  FROM enr JOIN moves m ON m.eid = enr.id
  WHERE m.cont = 1 AND eff IS NOT NULL AND cend IS NOT NULL AND cend >= eff
    AND (m.cont_left IS NULL OR m.cont_left > {after_end})
),
by_(b) AS (VALUES {by}){ctes},
flat AS ({rows}
)
INSERT INTO {into} ({COLUMNS})
SELECT v, measure, dim, item, day, SUM(delta) FROM flat
WHERE 1 = 1
GROUP BY v, measure, dim, item, day
HAVING SUM(delta) <> 0
"""


def _temp_table(cursor, d: _Dialect, name: str, columns: str) -> None:
    if not d.pg:
        # The scratch tables are small and short-lived: in memory. SQLite refuses the
        # change inside a transaction once a temporary table exists; they then stay put.
        with contextlib.suppress(OperationalError):
            cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def _rows_table(cursor, d: _Dialect, name: str) -> None:
    _temp_table(
        cursor,
        d,
        name,
        f"region_code varchar(13), measure varchar(6), dim varchar(12), item varchar(40), "
        f"day {d.date_type}, delta bigint",
    )


def _load_villages(cursor, d: _Dialect, codes: set[str] | None) -> None:
    _temp_table(cursor, d, "tmp_villages", "code varchar(13) PRIMARY KEY")
    if codes is None:
        cursor.execute(
            "INSERT INTO tmp_villages (code) SELECT village_id FROM programs_enrollment "
            "UNION SELECT village_id FROM programs_villagequota"
        )
    else:
        cursor.executemany(
            "INSERT INTO tmp_villages (code) VALUES (%s)", [(code,) for code in sorted(codes)]
        )
    _analyze(cursor, d, "tmp_villages")


def _analyze(cursor, d: _Dialect, table: str) -> None:
    """PostgreSQL plans a temporary table as ~1,000 rows until it is analysed: one village
    would then be joined by scanning every enrollment of the country."""
    if d.pg:
        cursor.execute(f"ANALYZE {table}")


def _level_sql(into: str, source: str, level: int, code: str, parent: str) -> str:
    """Insert into ``into`` the rows of one level, summed from the village rows of ``source``."""
    # PostgreSQL refuses a constant in GROUP BY (the country's code, its parent's).
    keys = ", ".join(e for e in (code, parent) if not e.startswith("'"))
    keys = f"{keys}, " if keys else ""
    return (
        f"INSERT INTO {into} (region_code, level, parent_code, measure, dim, item, day, delta) "
        f"SELECT {code}, {level}, {parent}, measure, dim, item, day, SUM(delta) "
        f"FROM {source} WHERE 1 = 1 GROUP BY {keys}measure, dim, item, day"
    )


def _derive(cursor, d: _Dialect, codes: set[str] | None) -> None:
    """The village rows of the villages ``codes`` (``None``: all), recomputed from the
    registry into ``tmp_new`` (the villages listed in ``tmp_villages``)."""
    _load_villages(cursor, d, codes)
    _rows_table(cursor, d, "tmp_new")
    cursor.execute(derive_sql(d))


def _apply(cursor, d: _Dialect, codes: set[str] | None) -> None:
    """Recompute the villages ``codes`` (``None``: all) and move every level by the change."""
    _derive(cursor, d, codes)
    _analyze(cursor, d, "tmp_new")
    _rows_table(cursor, d, "tmp_diff")
    cursor.execute(
        f"INSERT INTO tmp_diff ({COLUMNS}) "
        f"SELECT region_code, measure, dim, item, day, SUM(delta) FROM ("
        f"  SELECT {COLUMNS} FROM tmp_new"
        f"  UNION ALL"
        f"  SELECT region_code, measure, dim, item, day, -delta FROM {TALLY}"
        # Village codes name village rows: no ``level`` test, which is not in the covering
        # index and would turn this into a scan of the whole summary.
        f"  WHERE region_code IN (SELECT code FROM tmp_villages)"
        f") u WHERE 1 = 1 GROUP BY region_code, measure, dim, item, day HAVING SUM(delta) <> 0"
    )
    _analyze(cursor, d, "tmp_diff")
    for level, code, parent in LEVELS:
        cursor.execute(
            _level_sql(TALLY, "tmp_diff", level, code, parent)
            # In the unique index's order: thousands of villages' changes then touch its
            # pages one after the other instead of at random.
            + " ORDER BY 1, 4, 5, 6, 7"
            + f" ON CONFLICT (region_code, measure, dim, item, day) "
            f"DO UPDATE SET delta = {TALLY}.delta + excluded.delta"
        )
        # A count that went back to zero leaves no row. Only the rows this difference
        # touched can have, found through the unique index (not a scan of all zeros,
        # whose index keeps dead entries until the next vacuum).
        cursor.execute(
            f"DELETE FROM {TALLY} WHERE delta = 0 AND level = {level} AND "
            f"(region_code, measure, dim, item, day) IN "
            f"(SELECT {code}, measure, dim, item, day FROM tmp_diff)"
        )
    for name in ("tmp_diff", "tmp_new", "tmp_villages"):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def writer_lock(cursor, key: int, *, pg: bool, wait: bool = True) -> bool:
    """One writer of a summary at a time (a difference applied twice would count twice):
    the transaction's advisory lock ``key``. SQLite's write transactions are serial
    already. On PostgreSQL the transaction also gets room to hash and sort in memory: a
    refresh after a large import recomputes thousands of villages at once.

    ``wait=False``: do not queue behind a refresh under way (PostgreSQL); ``False`` when
    one is. Shared with the employers' summary (``coverage.formal_summary``)."""
    if pg:
        if wait:
            cursor.execute(f"SELECT pg_advisory_xact_lock({key})")
        else:
            cursor.execute(f"SELECT pg_try_advisory_xact_lock({key})")
            if not cursor.fetchone()[0]:
                return False
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # Compiling a plan to machine code (JIT) costs more than it saves for a refresh.
        cursor.execute("SET LOCAL jit = off")
    return True


def _lock(cursor, d: _Dialect, *, wait: bool = True) -> bool:
    return writer_lock(cursor, LOCK_KEY, pg=d.pg, wait=wait)


def pending() -> bool:
    return DirtyVillage.objects.exists()


def refresh(*, wait: bool = True) -> int:
    """Bring the summary up to date for the villages marked since the last refresh.

    The marks are taken (deleted) first, in the same transaction as the recomputation:
    every change whose mark is taken committed before, so the recomputation sees it; a
    change committing later leaves its own mark for the next refresh. ``wait=False``
    returns at once (0) when another refresh is under way (PostgreSQL).
    """
    if not pending():
        return 0
    d = _Dialect(connection.vendor)
    with transaction.atomic(), connection.cursor() as cursor:
        if not _lock(cursor, d, wait=wait):
            return 0
        cursor.execute(f"DELETE FROM {DirtyVillage._meta.db_table} RETURNING village_code")
        codes = {row[0] for row in cursor.fetchall()}
        if codes:
            _apply(cursor, d, codes)
            cache.bump_now()
    return len(codes)


def ensure_fresh() -> None:
    """Called before every dashboard read: nothing to do unless a write marked villages.

    A reader does not queue behind a refresh already under way (the background worker's,
    after an import or a billing run, may take seconds): it reads the summary as that
    refresh found it, and the refresh's changes show as soon as it commits."""
    refresh(wait=False)


def rebuild() -> int:
    """Recompute the whole summary from the registry (after a bulk load, or to repair)."""
    d = _Dialect(connection.vendor)
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, d)
        cursor.execute(f"DELETE FROM {DirtyVillage._meta.db_table}")
        if d.pg:
            _rebuild_and_swap(cursor, d)
        else:
            cursor.execute(f"DELETE FROM {TALLY}")
            _apply(cursor, d, None)
        cache.bump_now()
        cursor.execute(f"SELECT COUNT(*) FROM {TALLY}")
        return cursor.fetchone()[0]


def _rebuild_and_swap(cursor, d: _Dialect) -> None:
    """PostgreSQL: write the whole summary into a new table without indexes, index it once,
    and put it in the old one's place at the end.

    Upserting tens of millions of rows into the indexed summary is several times slower than
    building its indexes once over the finished rows; and readers go on reading the old
    summary until the swap, which takes a moment at the end of the transaction. The new
    table is owned by the role that rebuilds; privileges granted on the old one to other
    roles (a reporting role, say) must be granted again.
    """
    new = f"{TALLY}_next"
    cursor.execute(
        "SELECT i.indexname, i.indexdef, c.contype, pg_get_constraintdef(c.oid) "
        "FROM pg_indexes i LEFT JOIN pg_constraint c "
        "  ON c.conname = i.indexname AND c.conrelid = %s::regclass "
        "WHERE i.schemaname = current_schema() AND i.tablename = %s",
        [TALLY, TALLY],
    )
    indexes = cursor.fetchall()
    cursor.execute(f"DROP TABLE IF EXISTS {new}")
    cursor.execute(
        f"CREATE TABLE {new} (LIKE {TALLY} INCLUDING DEFAULTS INCLUDING IDENTITY "
        f"INCLUDING CONSTRAINTS)"
    )
    _derive(cursor, d, None)
    for level, code, parent in LEVELS:
        # Villages never sum to zero (``derive_sql`` leaves none); the regions above may.
        cursor.execute(_level_sql(new, "tmp_new", level, code, parent) + " HAVING SUM(delta) <> 0")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    renames = []
    for name, definition, constraint_type, constraint in indexes:
        temporary = f"{name}_next"
        if constraint_type in ("p", "u"):
            cursor.execute(f"ALTER TABLE {new} ADD CONSTRAINT {temporary} {constraint}")
            renames.append(f"ALTER TABLE {TALLY} RENAME CONSTRAINT {temporary} TO {name}")
        else:
            # "CREATE INDEX name ON schema.table USING …", as pg_indexes writes it.
            statement = definition.replace(f"INDEX {name} ON", f"INDEX {temporary} ON", 1)
            statement = statement.replace(f".{TALLY} USING", f".{new} USING", 1)
            if f".{new} USING" not in statement:
                raise RuntimeError(f"Unexpected index definition: {definition}")
            cursor.execute(statement)
            renames.append(f"ALTER INDEX {temporary} RENAME TO {name}")
    cursor.execute(f"ANALYZE {new}")
    cursor.execute(f"DROP TABLE {TALLY}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {TALLY}")
    for statement in renames:
        cursor.execute(statement)
    cursor.execute(f"SELECT pg_get_serial_sequence('{TALLY}', 'id')")
    cursor.execute(f"ALTER SEQUENCE {cursor.fetchone()[0]} RENAME TO {TALLY}_id_seq")
    for name in ("tmp_new", "tmp_villages"):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


@dataclass(frozen=True)
class Mismatch:
    region_code: str
    measure: str
    dim: str
    item: str
    day: dt.date | str
    stored_minus_expected: int


def verify(limit: int = 20) -> list[Mismatch]:
    """Compare the stored summary with a full recomputation; changes nothing.

    An empty list means the summary is exactly what :func:`rebuild` would write.
    """
    d = _Dialect(connection.vendor)
    with transaction.atomic(), connection.cursor() as cursor:
        _derive(cursor, d, None)
        expected = " UNION ALL ".join(
            f"SELECT {code} AS region_code, measure, dim, item, day, -delta AS delta FROM tmp_new"
            for _level, code, _parent in LEVELS
        )
        cursor.execute(
            f"SELECT region_code, measure, dim, item, day, SUM(delta) FROM ("
            f"  SELECT {COLUMNS} FROM {TALLY} UNION ALL {expected}"
            f") u WHERE 1 = 1 GROUP BY region_code, measure, dim, item, day "
            f"HAVING SUM(delta) <> 0 ORDER BY 1, 2, 3, 4, 5 LIMIT {int(limit)}"
        )
        found = [Mismatch(*row) for row in cursor.fetchall()]
        for name in ("tmp_new", "tmp_villages"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return found
