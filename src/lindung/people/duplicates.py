"""Finding the same person twice: one query, for one new worker or a whole import batch.

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
Set-wise: an import batch of 50,000 is one statement, not 50,000.
"""

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from lindung.people.models import Person
from lindung.people.names import THRESHOLD
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


def _regencies_sql(regencies: list[str]) -> tuple[str, list]:
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
        inside, inside_params = _regencies_sql(regencies)
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


def label(person: Person) -> str:
    """A record as a message names it: name, masked NIK, village and number. The NIK is
    masked whoever reads it: an import report travels."""
    village = person.village.display_name if person.village_id else ""
    return f"{person.full_name} (NIK {mask_nik(person.nik)}, {village}, data #{person.pk})"


def labels(ids) -> dict[int, str]:
    """:func:`label` of many records, read as rows (an import names thousands)."""
    from lindung.regions.models import Region

    rows = Person.objects.filter(pk__in=set(ids)).values_list("pk", "full_name", "nik", "village")
    rows = list(rows)
    villages = {
        region.code: region.display_name
        for region in Region.objects.filter(code__in={row[3] for row in rows})
    }
    return {
        pk: f"{name} (NIK {mask_nik(nik)}, {villages.get(village, village)}, data #{pk})"
        for pk, name, nik, village in rows
    }


def insert_pairs(found: list[Found], *, via: str, job_id: int, rows: dict[str, int]) -> list[int]:
    """Keep the pairs of ``found`` (one row each, the later record first); those kept
    already are left as they are. Returns the ids of the new rows. Set-wise, for an
    import: one statement per thousand pairs, ``ON CONFLICT`` the arbiter."""
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
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
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
