"""Loading a boundary file: every feature checked, then all of them saved or none.

A feature names its region by code (``kode_wilayah``, ``kode``, BIG's ``KDEPUM``… or the
property given as ``code_field``); its outline is simplified before it is stored
(:mod:`lindung.maps.geometry`). Loading the same file again changes nothing; a newer file
replaces the outlines of the regions it names and leaves the others.
"""

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.scope import in_scope
from lindung.maps import geometry
from lindung.maps.models import RegionBoundary
from lindung.refusals import Refusal
from lindung.regions.codes import level_of, parent_of
from lindung.regions.models import Region

MAX_BYTES = 50 * 1024 * 1024


class BoundaryFileRefused(Refusal):
    messages = {
        "file_too_large": gettext_lazy(
            "Berkas terlalu besar (%(size)s MB, paling besar 50 MB): potong per kabupaten."
        ),
        "file_unreadable": gettext_lazy(
            "Berkas bukan JSON yang dapat dibaca (%(detail)s). Simpan sebagai GeoJSON atau "
            "TopoJSON (UTF-8)."
        ),
        "format_unknown": gettext_lazy(
            "Berkas bukan GeoJSON (FeatureCollection) atau TopoJSON (Topology)."
        ),
        "no_features": gettext_lazy("Berkas tidak berisi satu pun wilayah."),
    }


@dataclass
class FeatureProblem:
    """A feature that cannot be stored: its position in the file, the code it gives, a
    stable code and what to do."""

    feature: int
    region_code: str
    code: str
    message: str


@dataclass
class BoundaryReport:
    features: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    points: int = 0
    problems: list[FeatureProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(feature, code: str, problem: str) -> FeatureProblem:
    texts = {
        "code_missing": _(
            "Wilayah ke-%(n)s tidak punya kode wilayah: isi properti kode_wilayah "
            "(mis. 51.04.01.2001) atau sebutkan nama propertinya."
        ),
        "region_unknown": _(
            "Kode wilayah '%(code)s' (wilayah ke-%(n)s) tidak dikenal: periksa kode Kemendagri-nya."
        ),
        "region_out_of_scope": _(
            "Wilayah '%(code)s' (wilayah ke-%(n)s) di luar wilayah kerja Anda: hapus dari berkas."
        ),
        "geometry_invalid": _(
            "Wilayah '%(code)s' (wilayah ke-%(n)s) bukan poligon yang dapat digambar: simpan "
            "batasnya sebagai Polygon atau MultiPolygon."
        ),
        "duplicate_in_file": _(
            "Kode wilayah '%(code)s' muncul lebih dari sekali (wilayah ke-%(n)s): gabungkan "
            "bagiannya menjadi satu MultiPolygon."
        ),
    }
    return FeatureProblem(
        feature.index, code, problem, texts[problem] % {"n": feature.index, "code": code}
    )


def _read(data: bytes) -> dict:
    if len(data) > MAX_BYTES:
        raise BoundaryFileRefused("file_too_large", size=len(data) // (1024 * 1024))
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryFileRefused("file_unreadable", detail=str(error)[:80]) from error


def load_boundaries(
    *,
    user,
    data: bytes,
    source: str,
    code_field: str = "",
    tolerance: float = geometry.DEFAULT_TOLERANCE,
) -> BoundaryReport:
    """Check every feature of a boundary file, then store all of their simplified outlines
    in one transaction, or none when one is wrong (the report lists each problem).
    ``user=None``: the command line, every region allowed."""
    features = geometry.features_of(_read(data))
    if features is None:
        raise BoundaryFileRefused("format_unknown")
    if not features:
        raise BoundaryFileRefused("no_features")
    report = BoundaryReport(features=len(features))
    codes = {geometry.code_of(f.properties, code_field) for f in features}
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    wanted: dict[str, list] = {}
    for feature in features:
        code = geometry.code_of(feature.properties, code_field)
        if not code:
            report.problems.append(_problem(feature, code, "code_missing"))
        elif code not in known:
            report.problems.append(_problem(feature, code, "region_unknown"))
        elif user is not None and not in_scope(user, code):
            report.problems.append(_problem(feature, code, "region_out_of_scope"))
        elif code in wanted:
            report.problems.append(_problem(feature, code, "duplicate_in_file"))
        else:
            outline = geometry.simplify(feature.polygons, tolerance) if feature.polygons else []
            if not outline:
                report.problems.append(_problem(feature, code, "geometry_invalid"))
            else:
                wanted[code] = outline
    if report.problems:
        return report
    _store(wanted, source[:200], report)
    return report


@transaction.atomic
def _store(wanted: dict[str, list], source: str, report: BoundaryReport) -> None:
    existing = {b.region_code: b for b in RegionBoundary.objects.filter(region_code__in=wanted)}
    new, changed = [], []
    for code, polygons in wanted.items():
        min_lon, min_lat, max_lon, max_lat = geometry.bbox(polygons)
        values = {
            "level": level_of(code),
            "parent_code": parent_of(code) or "",
            "polygons": polygons,
            "min_lon": min_lon,
            "min_lat": min_lat,
            "max_lon": max_lon,
            "max_lat": max_lat,
            "points": geometry.count_points(polygons),
            "source": source,
        }
        report.points += values["points"]
        found = existing.get(code)
        if found is None:
            new.append(RegionBoundary(region_code=code, **values))
        elif any(getattr(found, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(found, key, value)
            changed.append(found)
        else:
            report.unchanged += 1
    RegionBoundary.objects.bulk_create(new, batch_size=500)
    if changed:
        RegionBoundary.objects.bulk_update(changed, [*values.keys(), "updated_at"], batch_size=500)
    report.created, report.updated = len(new), len(changed)
