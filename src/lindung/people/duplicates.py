"""Finding the same person twice: one query for records just saved, the same rule on frames
for an import.

A record is a *possible duplicate* of another in the same regency when

- their names are similar (:mod:`lindung.people.names`: the birth-order names agree and
  the cores have a trigram similarity of at least ``names.THRESHOLD``) and they share
  the birth date and the sex, or
- they share a phone number (already normalised to ``08…`` by the checks).

It is flagged, never refused: two cousins may share a phone and twins a birth date; the
regency decides (``services.merge_duplicate`` / ``services.dismiss_duplicate``).

The same SQL runs on both databases: ``similarity()`` is ``pg_trgm``'s on PostgreSQL and
the same function in Python on SQLite (``people.apps``). It joins the new records to the
registry by regency, birth date and sex, which is far more selective than any trigram (a
regency of 100,000 workers holds a handful per birth date and sex), so the trigram
similarity is computed only for those few pairs and needs no trigram index; the registry
side is read through the village index, as a range per regency (``accounts.scope``). The
first letter of the name's core is part of the join too: it divides the similarities to
compute by about ten, and two typings of one name rarely differ in their first letter
(the spellings that do, ``Tjandra``/``Candra``, are made one by the key).
Set-wise: 50,000 records are one statement, not 50,000.

An import applies the same rule in its own frames instead (:func:`compact` and
:func:`match`, driven by :mod:`lindung.imports.duplicates`): the file's rows are in memory
already, and polars joins a batch with the rows before it in a fraction of the time the
query takes to join it with its regency again for every batch.
"""

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.db import connection

from lindung.people.models import Person
from lindung.people.names import THRESHOLD, similarity
from lindung.people.nik import mask_nik


@dataclass(frozen=True)
class Found:
    new_id: int  # the record checked
    new_nik: str
    other_id: int  # the record it resembles
    reason: str  # PossibleDuplicate.Reason
    score: float | None  # the names' similarity (None for a shared phone)
    regency_code: str = ""

    @property
    def pair(self) -> tuple[int, int]:
        """(later, earlier): the pair's one row, whichever side was found first."""
        return max(self.new_id, self.other_id), min(self.new_id, self.other_id)


def check_enabled() -> bool:
    """Whether registration and imports look for duplicates (``LINDUNG_DUPLICATE_CHECK``,
    setting or environment; on). Off only to measure what the check costs."""
    value = getattr(settings, "LINDUNG_DUPLICATE_CHECK", None)
    if value is None:
        value = os.environ.get("LINDUNG_DUPLICATE_CHECK", "1")
    return str(value).lower() not in ("0", "false", "off", "no")


def _ids_sql(ids: list[int]) -> tuple[str, list]:
    """The records ``n`` with these ids; the range first, read from the primary key (a
    batch's ids are taken from the sequence at once, so they are close together)."""
    bounds = [min(ids), max(ids)]
    if len(set(ids)) == bounds[1] - bounds[0] + 1:  # all of the range: the range alone
        return "n.id BETWEEN %s AND %s", bounds
    if connection.vendor == "postgresql":
        return "n.id BETWEEN %s AND %s AND n.id = ANY(%s)", [*bounds, list(ids)]
    return "n.id BETWEEN %s AND %s AND n.id IN (SELECT value FROM json_each(%s))", [
        *bounds,
        json.dumps(list(ids)),
    ]


_JOINS = ("enable_hashjoin", "enable_mergejoin")


@contextmanager
def _joins_allowed(cursor):
    """Hash joins for this query. The import's loader turns them off for its batch
    transaction (its lookups are by NIK, one index probe each); here the batch meets
    all the registry rows of its regency, which a hash join reads once."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute(f"SELECT {', '.join(f'current_setting({name!r})' for name in _JOINS)}")
    before = cursor.fetchone()
    for name in _JOINS:
        cursor.execute(f"SET LOCAL {name} = on")
    try:
        yield
    finally:
        for name, value in zip(_JOINS, before, strict=True):
            cursor.execute(f"SET LOCAL {name} = {'on' if value == 'on' else 'off'}")


def regencies_sql(regencies: list[str]) -> tuple[str, list]:
    """The registry rows of these regencies as ranges of the village index."""
    parts, params = [], []
    for code in sorted(regencies):
        parts.append("(p.village_id >= %s AND p.village_id < %s)")
        params += [f"{code}.", f"{code}/"]
    return "(" + " OR ".join(parts) + ")", params


def find(ids: list[int]) -> list[Found]:
    """The possible duplicates of the registry records ``ids`` (just saved or loaded)."""
    if not ids:
        return []
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        where, params = _ids_sql(ids)
        cursor.execute(f"SELECT DISTINCT n.regency_code FROM {table} n WHERE {where}", params)
        regencies = [row[0] for row in cursor.fetchall()]
        inside, inside_params = regencies_sql(regencies)
        order_agrees = (
            "(substr(n.name_key, 1, 1) = substr(p.name_key, 1, 1) "
            "OR substr(n.name_key, 1, 1) = '0' OR substr(p.name_key, 1, 1) = '0')"
        )
        score = "similarity(substr(n.name_key, 2), substr(p.name_key, 2))"
        if connection.vendor == "postgresql":
            # Each side read where it lies (the batch by its ids, the regency by the village
            # index) and hash-joined; the two joins may run in parallel.
            n_side, p_side, cte, cte_params = f"{table} n", f"{table} p", "", []
            filters, filter_params = f"{where} AND {inside} AND ", [*params, *inside_params]
        else:
            # SQLite: both sides once each as tables, joined through an automatic index.
            columns = "id, nik, regency_code, birth_date, sex, name_key, phone"
            n_side, p_side, filters, filter_params = "n", "p", "", []
            cte = (
                f"WITH n AS MATERIALIZED (SELECT {columns} FROM {table} n WHERE {where}), "
                f"p AS MATERIALIZED (SELECT {columns} FROM {table} p WHERE {inside}) "
            )
            cte_params = [*params, *inside_params]
        with _joins_allowed(cursor):
            cursor.execute(
                f"{cte}SELECT n.id, n.nik, p.id, 'name', {score}, n.regency_code FROM {n_side} "
                f"JOIN {p_side} ON p.regency_code = n.regency_code "
                "AND p.birth_date = n.birth_date AND p.sex = n.sex "
                "AND substr(p.name_key, 2, 1) = substr(n.name_key, 2, 1) "
                f"WHERE {filters}p.id <> n.id AND {order_agrees} AND {score} >= %s "
                "UNION ALL "
                f"SELECT n.id, n.nik, p.id, 'phone', NULL, n.regency_code FROM {n_side} "
                f"JOIN {p_side} ON p.regency_code = n.regency_code AND p.phone = n.phone "
                f"WHERE {filters}n.phone <> '' AND p.id <> n.id",
                [*cte_params, *filter_params, THRESHOLD, *filter_params],
            )
            rows = cursor.fetchall()
    found: dict[tuple[int, int], Found] = {}
    for new_id, new_nik, other_id, reason, value, regency in sorted(rows, key=lambda r: r[3]):
        # The name before the phone when a pair has both ('name' < 'phone').
        score = round(value, 3) if value else None
        item = Found(new_id, new_nik, other_id, reason, score, regency)
        found.setdefault((new_id, other_id), item)
    return list(found.values())


def resolve(pairs: pl.DataFrame, ids: list[int]) -> list[Found]:
    """The pairs :func:`match` found, named by the ids the registry gave them, of the
    records ``ids`` only (an import's batch: the rows its load created). One query reads
    the ids of their NIKs."""
    if pairs.height == 0:
        return []
    niks = pl.concat([pairs["nik"], pairs["other_nik"].drop_nulls()]).unique().to_list()
    found = {}
    for start in range(0, len(niks), 10_000):  # SQLite's limit of variables, on PostgreSQL too
        chunk = niks[start : start + 10_000]
        found.update(Person.objects.filter(nik__in=chunk).values_list("nik", "pk"))
    created = set(ids)
    result = []
    columns = ["nik", "other_nik", "other_id", "reason", "score", "regency_code"]
    for nik, other_nik, other_id, reason, score, regency in pairs.select(columns).iter_rows():
        # A row of the file by its NIK: the id taken for it ahead holds only if it went
        # by the direct COPY.
        new_id = found.get(nik)
        other_id = found.get(other_nik) if other_nik is not None else other_id
        if new_id in created and other_id is not None and other_id != new_id:
            result.append(Found(new_id, nik, other_id, reason, score, regency))
    return result


def label(person: Person) -> str:
    """A record as a message names it: name, masked NIK, village and number. The NIK is
    masked whoever reads it: an import report travels."""
    village = person.village.display_name if person.village_id else ""
    return label_of(person.pk, person.full_name, person.nik, village)


def label_of(pk: int, name: str, nik: str, village: str) -> str:
    """:func:`label` from its parts (the village by its name)."""
    return f"{name} (NIK {mask_nik(nik)}, {village}, data #{pk})"


def labels(ids) -> dict[int, str]:
    """:func:`label` of many records, read as rows (an import names thousands)."""
    rows = list(
        Person.objects.filter(pk__in=set(ids)).values_list("pk", "full_name", "nik", "village")
    )
    villages = village_names({row[3] for row in rows})
    return {
        pk: label_of(pk, name, nik, villages.get(village, village))
        for pk, name, nik, village in rows
    }


def village_names(codes) -> dict[str, str]:
    """The names villages go by in a label, by code."""
    from lindung.regions.models import Region

    return {region.code: region.display_name for region in Region.objects.filter(code__in=codes)}


def insert_pairs(found: list[Found], *, via: str, job_id: int, rows: dict[str, int]) -> list[int]:
    """Keep the pairs of ``found`` (one row each, the later record first); those kept
    already are left as they are. Returns the ids of the new rows. Set-wise, for an
    import: one statement (SQLite: per thousand pairs), ``ON CONFLICT`` the arbiter."""
    from django.utils import timezone

    from lindung.people.models import PossibleDuplicate

    by_pair: dict[tuple[int, int], Found] = {}
    for item in found:
        by_pair.setdefault(item.pair, item)
    table = PossibleDuplicate._meta.db_table
    now = PossibleDuplicate._meta.get_field("created_at").get_db_prep_value(
        timezone.now(), connection
    )
    columns = [
        "person_id", "other_id", "other_label", "regency_code", "reason", "score", "status",
        "found_via", "import_job_id", "import_row", "created_at", "note",
    ]  # fmt: skip
    values = [
        [*pair, "", item.regency_code, item.reason, item.score, "open", via, job_id,
         rows.get(item.new_nik), now, ""]
        for pair, item in by_pair.items()
    ]  # fmt: skip
    created = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement whatever the count: the varying columns as arrays.
            varying = list(zip(*values, strict=True)) if values else [[]] * len(columns)
            arrays = ["person_id", "other_id", "regency_code", "reason", "score", "import_row"]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                "SELECT u.person_id, u.other_id, '', u.regency_code, u.reason, u.score, "
                "'open', %s, %s, u.import_row, %s, '' FROM unnest("
                "%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::float8[], %s::int[]) "
                "AS u(person_id, other_id, regency_code, reason, score, import_row) "
                "ON CONFLICT (person_id, other_id) DO NOTHING RETURNING id",
                [via, job_id, now, *(list(varying[columns.index(name)]) for name in arrays)],
            )
            return [row[0] for row in cursor.fetchall()]
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES {', '.join([marks] * len(chunk))} "
                "ON CONFLICT (person_id, other_id) DO NOTHING RETURNING id",
                [value for row in chunk for value in row],
            )
            created += [row[0] for row in cursor.fetchall()]
    return created


# ---- the same rule on frames, for an import ----------------------------------------------

_LETTERS = {chr(code): code - 96 for code in range(97, 123)}


def compact(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns the rule compares, from a frame with ``regency_code``, ``birth_date``
    (a date), ``sex``, ``name_key`` and ``phone``: ``block``, one integer for the regency,
    birth date, sex and the core's first letter (the name rule's join); ``order`` and
    ``core``, the key's two parts; ``phone_key``, the regency and the phone as one text
    (null without a phone), compared as the query compares them. Other columns are kept.
    One column per join, so that an import holding the registry of its regencies stays
    small and its joins hash one column."""
    regency = pl.col("regency_code").str.replace(".", "", literal=True).cast(pl.Int64)
    days = pl.col("birth_date").cast(pl.Date).cast(pl.Int64) + 100_000  # 1700 onwards ≥ 0
    sex = (pl.col("sex") == Person.Sex.FEMALE).cast(pl.Int64)
    letter = (
        pl.col("name_key")
        .str.slice(1, 1)
        .replace_strict(_LETTERS, default=0, return_dtype=pl.Int64)
    )
    phone = pl.col("phone").fill_null("")
    # The regency's code has one length: the two side by side name one pair.
    phone_key = pl.when(phone != "").then(pl.col("regency_code") + phone).otherwise(None)
    keyed = [c for c in frame.columns if c not in ("birth_date", "sex", "name_key", "phone")]
    return frame.select(
        *keyed,
        (((regency * 300_000 + days) * 2 + sex) * 32 + letter).alias("block"),
        pl.col("name_key").str.slice(0, 1).alias("order"),
        pl.col("name_key").str.slice(1).alias("core"),
        phone_key.alias("phone_key"),
    )


def _scored(candidates: pl.DataFrame) -> pl.DataFrame:
    """The names' similarity of each candidate pair, computed once per pair of cores (a
    regency's names repeat: far fewer pairs of cores than pairs of people)."""
    cores = candidates.select("core", "other_core").unique()
    scores = pl.Series(
        "score",
        [similarity(left, right) for left, right in cores.iter_rows()],
        dtype=pl.Float64,
    )
    return candidates.join(cores.with_columns(scores), on=["core", "other_core"])


def match(new: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """The possible duplicates of the rows of ``new`` among the rows of ``known``, by the
    rule of :func:`find`; both frames :func:`compact`, each row named by ``nik`` or ``id``
    (``known`` may hold ``new``'s rows: a row is never its own duplicate). Returns ``new``'s
    ``nik``, ``id`` and ``regency_code``, every other column of ``known`` as ``other_…``,
    ``reason`` and ``score``; the name before the phone when a pair has both."""
    new = new.select("nik", "id", "regency_code", "block", "order", "core", "phone_key")
    keys = ("block", "phone_key")
    known = known.rename({c: f"other_{c}" for c in known.columns if c not in keys})
    others = [c for c in known.columns if c not in keys]
    not_itself = pl.col("other_nik").is_null() | (pl.col("other_nik") != pl.col("nik"))
    orders_agree = (
        (pl.col("order") == pl.col("other_order"))
        | (pl.col("order") == "0")
        | (pl.col("other_order") == "0")
    )
    candidates = new.join(known.drop("phone_key"), on="block").filter(not_itself & orders_agree)
    by_name = (
        _scored(candidates)
        .filter(pl.col("score") >= THRESHOLD)
        .select(
            "nik",
            "id",
            "regency_code",
            *others,
            reason=pl.lit("name"),
            score=pl.col("score").round(3),
        )
    )
    by_phone = (
        new.filter(pl.col("phone_key").is_not_null())
        .join(known.filter(pl.col("phone_key").is_not_null()).drop("block"), on="phone_key")
        .filter(not_itself)
        .select(
            "nik", "id", "regency_code", *others,
            reason=pl.lit("phone"), score=pl.lit(None, dtype=pl.Float64),
        )
    )  # fmt: skip
    return pl.concat([by_name, by_phone]).unique(
        ["nik", "other_nik", "other_id"], keep="first", maintain_order=True
    )
