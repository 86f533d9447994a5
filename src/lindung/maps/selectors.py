"""Reads of the stored outlines, for the dashboards' maps.

Outlines are not personal data and a map only draws regions the page already shows (the
dashboards check the region against the user's scope first), so these reads take codes.
"""

from dataclasses import dataclass

from django.db.models import Count, Max

from lindung.maps.models import RegionBoundary


@dataclass(frozen=True)
class Outline:
    code: str
    polygons: list
    bbox: tuple[float, float, float, float]


def outlines(codes: list[str]) -> dict[str, Outline]:
    """The outlines stored for ``codes`` (those without one are absent)."""
    rows = RegionBoundary.objects.filter(region_code__in=codes).values_list(
        "region_code", "polygons", "min_lon", "min_lat", "max_lon", "max_lat"
    )
    return {code: Outline(code, polygons, tuple(box)) for code, polygons, *box in rows}


def stamp(codes: list[str]) -> str | None:
    """What changes when an outline of ``codes`` is loaded again (their count and latest
    change), ``None`` when none has one: the key under which a drawn map is kept."""
    found = RegionBoundary.objects.filter(region_code__in=codes).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    if not found["n"]:
        return None
    return f"{found['n']}-{found['latest'].timestamp():.6f}"


def loaded_by_level(user) -> list[tuple[int, int]]:
    """(level, outlines stored) within the user's region, for the upload page."""
    from lindung.accounts.scope import scope_code

    rows = RegionBoundary.objects.all()
    scope = scope_code(user)
    if scope:
        rows = rows.filter(region_code__startswith=f"{scope}.") | rows.filter(region_code=scope)
    counts = rows.values_list("level").annotate(n=Count("id")).order_by("level")
    return [(level, n) for level, n in counts]
