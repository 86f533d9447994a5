"""Reads of the stored outlines, for the dashboards' maps.

Outlines are not personal data and a map only draws regions the page already shows (the
dashboards check the region against the user's scope first), so these reads take codes.
"""

from dataclasses import dataclass

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


def outlines_below(parent: str) -> dict[str, Outline]:
    """The outlines of the regions directly below ``parent`` (its children)."""
    rows = RegionBoundary.objects.filter(parent_code=parent).values_list(
        "region_code", "polygons", "min_lon", "min_lat", "max_lon", "max_lat"
    )
    return {code: Outline(code, polygons, tuple(box)) for code, polygons, *box in rows}


def has_outlines(codes: list[str]) -> bool:
    return RegionBoundary.objects.filter(region_code__in=codes).exists()
