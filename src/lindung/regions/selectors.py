"""Reads of the region master data (public data: no user scope needed to read names)."""

from django.db.models import QuerySet

from lindung.regions.codes import ancestors
from lindung.regions.models import Region


def children_of(code: str | None) -> QuerySet[Region]:
    """The regions one level below ``code``; the provinces when ``code`` is empty."""
    if not code:
        return Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
    return Region.objects.filter(parent_id=code).order_by("name")


def get_region(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def villages_under(code: str) -> QuerySet[Region]:
    """Every village in the region ``code`` (itself, if it is a village)."""
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if not code:
        return villages
    return villages.filter(code__startswith=code if code.count(".") == 3 else f"{code}.")


def path_to(code: str) -> list[Region]:
    """The region and its ancestors, broadest first: province, regency, district, village."""
    found = {r.code: r for r in Region.objects.filter(code__in=ancestors(code))}
    return [found[c] for c in ancestors(code) if c in found]
