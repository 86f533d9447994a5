"""Generated boundaries for the demo and the tests: not the real outlines.

Each demo regency is a rectangle near where it lies on Bali, cut into one vertical strip
per district (as wide as its share of the villages) and each strip into a grid of cells,
one per village. Drawn from the regions table alone, so nothing here comes from a
boundary file; a regency loads its real outlines with ``lindung boundaries load``.
"""

import json
import math

from lindung.maps import services
from lindung.regions.models import Region

SOURCE = "Batas contoh buatan (kisi), bukan batas resmi"
# regency → (west, south, east, north), in degrees: roughly where each lies.
FRAMES = {
    "51.01": (114.43, -8.50, 114.93, -8.15),  # Jembrana
    "51.04": (115.22, -8.62, 115.42, -8.30),  # Gianyar
}


def _rectangle(west, south, east, north) -> list:
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def _feature(code: str, name: str, rings: list) -> dict:
    return {
        "type": "Feature",
        "properties": {"kode_wilayah": code, "nama": name},
        "geometry": {"type": "Polygon", "coordinates": rings},
    }


def demo_boundaries(regencies=tuple(FRAMES)) -> dict:
    """A GeoJSON FeatureCollection of the regencies, their districts and villages."""
    features = []
    for regency_code in regencies:
        west, south, east, north = FRAMES[regency_code]
        regency = Region.objects.filter(code=regency_code).first()
        if regency is None:
            continue
        features.append(_feature(regency_code, regency.name, _rectangle(west, south, east, north)))
        districts = list(Region.objects.filter(parent_id=regency_code).order_by("code"))
        villages = {
            d.code: list(Region.objects.filter(parent_id=d.code).order_by("code"))
            for d in districts
        }
        total = sum(max(len(v), 1) for v in villages.values()) or 1
        left = west
        for district in districts:
            inside = villages[district.code]
            right = left + (east - west) * max(len(inside), 1) / total
            features.append(
                _feature(district.code, district.name, _rectangle(left, south, right, north))
            )
            features.extend(_grid(inside, left, south, right, north))
            left = right
    return {"type": "FeatureCollection", "features": features}


def _grid(villages: list, west: float, south: float, east: float, north: float) -> list:
    """One cell per village, row by row from the north; the last row's cells are wider
    when the villages do not fill it."""
    if not villages:
        return []
    width, height = east - west, north - south
    columns = max(1, round(math.sqrt(len(villages) * width / height)))
    rows = math.ceil(len(villages) / columns)
    found = []
    for index, village in enumerate(villages):
        row, column = divmod(index, columns)
        in_row = columns if row < rows - 1 else len(villages) - columns * (rows - 1)
        top = north - height * row / rows
        bottom = north - height * (row + 1) / rows
        cell_w = width / in_row
        x0 = west + cell_w * column
        found.append(_feature(village.code, village.name, _rectangle(x0, bottom, x0 + cell_w, top)))
    return found


def load_demo_boundaries(regencies=tuple(FRAMES)) -> services.BoundaryReport:
    """Generate the demo outlines and load them as a regency would load its file."""
    data = json.dumps(demo_boundaries(regencies)).encode()
    return services.load_boundaries(user=None, data=data, source=SOURCE)
