"""Writes of the region master data."""

import time
from dataclasses import dataclass

from django.db import connection, transaction

from lindung.regions import codes
from lindung.regions.models import Region

_BATCH = 5000


@dataclass(frozen=True)
class LoadResult:
    total: int
    seconds: float


def _kind(entry: codes.RegionCode) -> str:
    level = entry.level
    if level == codes.PROVINCE:
        return Region.Kind.PROVINCE
    if level == codes.REGENCY:
        return codes.regency_kind(entry.name)
    if level == codes.DISTRICT:
        return Region.Kind.DISTRICT
    return codes.village_kind(entry.code)


@transaction.atomic
def load_official_regions(prefixes: tuple[str, ...] = ()) -> LoadResult:
    """Insert or update every official region; running it again changes nothing.

    ``prefixes`` limits the load to some provinces (and every province and regency name),
    which keeps test databases small.
    """
    started = time.perf_counter()
    rows = [
        Region(
            code=entry.code,
            name=entry.name,
            level=entry.level,
            kind=_kind(entry),
            parent_id=entry.parent_code,
        )
        for entry in codes.official_codes()
        if entry.level <= codes.REGENCY or not prefixes or entry.code.startswith(prefixes)
    ]
    for start in range(0, len(rows), _BATCH):
        Region.objects.bulk_create(
            rows[start : start + _BATCH],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent"],
        )
    if connection.vendor == "postgresql":
        # Statistics now, not when autovacuum comes by: until then the planner guesses the
        # table at a sixth of its size and may prefer a scan to the key for the first joins.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Region._meta.db_table}")
    return LoadResult(total=len(rows), seconds=time.perf_counter() - started)
