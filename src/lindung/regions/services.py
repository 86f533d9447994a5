"""Writes of the region master data: bring the region list up to date, records following.

``load_official_regions`` makes the ``regions_region`` table equal the current official
list (``regions.codes``), idempotently: a second run finds nothing to write. A region whose
code changed (Kab. Merauke ``91.01`` → ``93.01``, when Papua Selatan was made) is
*moved*: every record that refers to the old code by foreign key (workers, enrollments,
users, programs, agents, targets, …) is set to the new code in the same transaction, one
``UPDATE`` per table and batch of codes, and the tracked models get one history row per
moved record (``privacy.history.write_history``), so the worker's Riwayat shows the move,
through ``lindung regions load``. Documents that named a region when they were made (a
bill's village, an access-log entry, an import job) keep the code they were made with.
"""

import time
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from lindung.privacy.history import write_history
from lindung.regions import codes
from lindung.regions.models import CodeChange, Region

_BATCH = 5000
_CODES_PER_STATEMENT = 500  # under SQLite's limit of parameters, small enough for a plan
SAMPLE = 5
_DENORMALISED = (("district_code", 8), ("regency_code", 5), ("province_code", 2))


@dataclass
class LoadResult:
    """What a load changed: counts, and a few examples of each kind (``SAMPLE``)."""

    total: int
    seconds: float = 0.0
    added: int = 0
    renamed: int = 0  # a different name (Kisam → Kuta Buluh)
    respelled: int = 0  # the same name written otherwise (KAB. GIANYAR → Kabupaten Gianyar)
    moved: int = 0  # a new code (91.01 → 93.01)
    removed: int = 0  # no longer in the list, and nothing refers to it
    kept: int = 0  # no longer in the list, but records still refer to it
    changes_recorded: int = 0  # new rows of the old code → new code table
    records_moved: dict[str, int] = field(default_factory=dict)  # model label → rows
    samples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.added,
                self.renamed,
                self.respelled,
                self.moved,
                self.removed,
                self.changes_recorded,
            )
        )

    def note(self, kind: str, text: str) -> None:
        found = self.samples.setdefault(kind, [])
        if len(found) < SAMPLE:
            found.append(text)


def _kind(entry: codes.RegionCode) -> str:
    level = entry.level
    if level == codes.PROVINCE:
        return Region.Kind.PROVINCE
    if level == codes.REGENCY:
        return codes.regency_kind(entry.name)
    if level == codes.DISTRICT:
        return Region.Kind.DISTRICT
    return codes.village_kind(entry.code)


def region_references() -> list[tuple[type, object]]:
    """Every (model, foreign key) that refers to a region, but the region's own parent and
    the historical tables (history keeps the code a record had then)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model is Region or issubclass(model, HistoricalChanges):
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Region:
                found.append((model, f))
    return found


def _chunks(items: list, size: int = _CODES_PER_STATEMENT):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _record_changes(result: LoadResult) -> None:
    """The old code → new code table equals ``codes.code_changes()``; new rows only."""
    known = {
        old: (new, level)
        for old, new, level in CodeChange.objects.values_list("old_code", "new_code", "level")
    }
    fresh, stale = [], []
    for change in codes.code_changes():
        before = known.get(change.old_code)
        if before == (change.new_code or "", change.level):
            continue
        row = CodeChange(
            old_code=change.old_code,
            old_name=change.old_name,
            new_code=change.new_code or "",
            new_name=change.new_name,
            level=change.level,
            source=codes.CURRENT_SOURCE,
        )
        (fresh if before is None else stale).append(row)
    CodeChange.objects.bulk_create(fresh, batch_size=_BATCH)
    if stale:
        CodeChange.objects.bulk_update(
            stale, ["new_code", "new_name", "old_name", "level", "source"], batch_size=_BATCH
        )
    result.changes_recorded = len(fresh) + len(stale)


def _move_records(moves: dict[str, str], result: LoadResult) -> None:
    """Every record referring to an old code now refers to the new one (set-wise, in the
    load's transaction); the tracked models get their history rows of the change."""
    quote = connection.ops.quote_name
    changes = quote(CodeChange._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        for model, fk in region_references():
            table, column = quote(model._meta.db_table), quote(fk.column)
            names = {f.name for f in model._meta.concrete_fields}
            extra, extra_params = "", []
            if fk.name == "village":
                for name, width in _DENORMALISED:
                    if name in names:
                        # The new code: the column is set first in the same row (SQLite and
                        # PostgreSQL both read the old values on the right), so repeat it.
                        extra += (
                            f", {quote(name)} = SUBSTR((SELECT c.new_code FROM {changes} c "
                            f"WHERE c.old_code = {table}.{column}), 1, {width})"
                        )
            updated = model._meta.get_field("updated_at") if "updated_at" in names else None
            if updated is not None and getattr(updated, "auto_now", False):
                extra += f", {quote(updated.column)} = %s"
                extra_params.append(updated.get_db_prep_save(now, connection))
            tracked = getattr(model._meta, "simple_history_manager_attribute", None)
            pk = quote(model._meta.pk.column)
            for batch in _chunks(sorted(moves)):
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"UPDATE {table} SET {column} = (SELECT c.new_code FROM {changes} c "
                    f"WHERE c.old_code = {table}.{column}){extra} WHERE {column} IN ({marks}) "
                    f"RETURNING {pk}",
                    [*extra_params, *batch],
                )
                ids = [row[0] for row in cursor.fetchall()]
                if not ids:
                    continue
                label = model._meta.label
                result.records_moved[label] = result.records_moved.get(label, 0) + len(ids)
                if tracked:
                    for some in _chunks(ids):
                        where = (f"p.{pk} IN ({', '.join(['%s'] * len(some))})", some)
                        write_history(cursor, model, where=where, created=False, now=now)


def _referenced(candidates: list[str]) -> set[str]:
    """The codes among ``candidates`` that a record still refers to."""
    found: set[str] = set()
    for model, fk in region_references():
        for batch in _chunks(candidates):
            found.update(
                model._base_manager.filter(**{f"{fk.attname}__in": batch})
                .values_list(fk.attname, flat=True)
                .distinct()
            )
    return found


def _delete(codes_: list[str]) -> None:
    table = connection.ops.quote_name(Region._meta.db_table)
    with connection.cursor() as cursor:
        for batch in _chunks(sorted(codes_)):
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {table} WHERE code IN ({marks})", batch)


@transaction.atomic
def load_official_regions(prefixes: tuple[str, ...] = ()) -> LoadResult:
    """Bring the region table up to the current official list; running it again changes
    nothing. Regions are added, renamed, moved to their new code (with every record that
    refers to them) and removed when gone from the list and no record refers to them.

    ``prefixes`` limits the load to some provinces (every province and regency is loaded
    all the same), which keeps test databases small; regions outside them are left alone.
    """
    started = time.perf_counter()

    def in_scope(code: str) -> bool:
        return codes.level_of(code) <= codes.REGENCY or not prefixes or code.startswith(prefixes)

    # code → (name, level, kind, parent): compared as tuples, a model made only to write
    wanted = {
        entry.code: (entry.name, entry.level, _kind(entry), entry.parent_code)
        for entry in codes.official_codes()
        if in_scope(entry.code)
    }
    result = LoadResult(total=len(wanted))
    existing = {
        code: (name, level, kind, parent)
        for code, name, level, kind, parent in Region.objects.values_list(
            "code", "name", "level", "kind", "parent_id"
        )
    }
    _record_changes(result)
    moves = {
        old: new
        for old, new in codes.successors().items()
        if new and old in existing and new in wanted
    }

    moved_to = set(moves.values())
    writes = []
    for code, row in wanted.items():
        before, name = existing.get(code), row[0]
        if before is None:
            if code not in moved_to:
                result.added += 1
                result.note("added", f"{code} {name}")
        elif before[0] != name:
            if codes.same_name_key(code, before[0]) == codes.same_name_key(code, name):
                result.respelled += 1
                result.note("respelled", f"{code} {before[0]} → {name}")
            else:
                result.renamed += 1
                result.note("renamed", f"{code} {before[0]} → {name}")
        if before != row:
            writes.append(Region(code=code, name=name, level=row[1], kind=row[2], parent_id=row[3]))
    for start in range(0, len(writes), _BATCH):
        Region.objects.bulk_create(
            writes[start : start + _BATCH],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent"],
        )

    # Broadest first: the examples show the regencies that moved before their villages.
    for old, new in sorted(moves.items(), key=lambda move: (codes.level_of(move[0]), move[0])):
        result.moved += 1
        result.note("moved", f"{old} {existing[old][0]} → {new} {wanted[new][0]}")
    if moves:
        _move_records(moves, result)

    gone = [c for c in existing if c not in wanted and c not in moves and in_scope(c)]
    still_used = _referenced(gone) if gone else set()
    # A kept region keeps its parents too: the region tree stays whole.
    keep = {a for code in still_used for a in codes.ancestors(code) if a in existing}
    result.kept = len(keep)
    for code in sorted(keep):
        result.note("kept", f"{code} {existing[code][0]}")
    removed = [c for c in gone if c not in keep]
    result.removed = len(removed)
    for code in removed[:SAMPLE]:
        result.note("removed", f"{code} {existing[code][0]}")
    _delete([*(c for c in moves if c not in keep), *removed])

    if connection.vendor == "postgresql" and (writes or moves or removed):
        # Statistics now, not when autovacuum comes by: until then the planner guesses the
        # table at a sixth of its size and may prefer a scan to the key for the first joins.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Region._meta.db_table}")
    result.seconds = time.perf_counter() - started
    return result
