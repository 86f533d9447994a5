"""Reading boundary files (GeoJSON, TopoJSON) and simplifying outlines: plain arithmetic,
no geometry library. A regency's map is a few hundred outlines drawn a few hundred pixels
wide: a point every ~50 m is more than the eye can see there, so outlines are simplified
once, when loaded, and the page never carries the survey-grade file.
"""

from dataclasses import dataclass, field

# Degrees; 0.0003° is ~33 m at the equator: invisible on a regency drawn 360 units wide.
DEFAULT_TOLERANCE = 0.0003
DECIMALS = 5
# The properties a boundary file may name its region code with (BIG's administrative
# boundaries carry the Kemendagri code in KDEPUM for villages, KDCPUM for districts…).
CODE_FIELDS = (
    "kode_wilayah",
    "kode",
    "code",
    "region_code",
    "kdepum",
    "kdcpum",
    "kdpkab",
    "kdppum",
    "kode_desa",
    "kode_kec",
    "kode_kab",
)


class GeometryError(ValueError):
    """A feature whose geometry cannot be drawn (not a polygon, too few points)."""


@dataclass
class Feature:
    index: int  # 1-based position in the file, for the report
    properties: dict
    polygons: list = field(default_factory=list)  # [[ring, …], …], ring = [[lon, lat], …]


def _drop(point_a, point_b, point_c) -> float:
    """Squared distance of ``point_b`` from the segment ``point_a``–``point_c``."""
    ax, ay = point_a
    bx, by = point_b
    cx, cy = point_c
    dx, dy = cx - ax, cy - ay
    length = dx * dx + dy * dy
    if length == 0:
        return (bx - ax) ** 2 + (by - ay) ** 2
    t = max(0.0, min(1.0, ((bx - ax) * dx + (by - ay) * dy) / length))
    px, py = ax + t * dx, ay + t * dy
    return (bx - px) ** 2 + (by - py) ** 2


def simplify_line(points: list, tolerance: float) -> list:
    """Douglas–Peucker: keep the points further than ``tolerance`` from the line through
    the points kept around them (iterative, so long rings do not exhaust the stack)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, where = -1.0, -1
        for i in range(first + 1, last):
            distance = _drop(points[first], points[i], points[last])
            if distance > worst:
                worst, where = distance, i
        if where > 0 and worst > limit:
            keep[where] = True
            stack.append((first, where))
            stack.append((where, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list, tolerance: float) -> list | None:
    """A closed ring simplified and rounded; ``None`` when too little of it is left (a
    sliver the tolerance swallows: dropped rather than drawn as a line)."""
    points = [(round(float(x), DECIMALS), round(float(y), DECIMALS)) for x, y, *_z in ring]
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if len(points) < 3:
        return None
    # Split at the point furthest from the first, so both halves are open lines.
    far = max(range(len(points)), key=lambda i: _drop(points[0], points[i], points[0]))
    halves = (
        simplify_line(points[: far + 1], tolerance),
        simplify_line([*points[far:], points[0]], tolerance),
    )
    kept = halves[0][:-1] + halves[1][:-1]
    if len(kept) < 3:
        return None
    return [list(p) for p in kept]


def simplify(polygons: list, tolerance: float = DEFAULT_TOLERANCE) -> list:
    result = []
    for polygon in polygons:
        rings = [simplify_ring(ring, tolerance) for ring in polygon]
        if rings and rings[0] is not None:
            result.append([rings[0], *(r for r in rings[1:] if r is not None)])
    return result


def bbox(polygons: list) -> tuple[float, float, float, float]:
    xs = [p[0] for polygon in polygons for p in polygon[0]]
    ys = [p[1] for polygon in polygons for p in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def count_points(polygons: list) -> int:
    return sum(len(ring) for polygon in polygons for ring in polygon)


def _polygons(geometry: dict | None) -> list:
    if not isinstance(geometry, dict):
        raise GeometryError("no geometry")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        found = [coordinates]
    elif kind == "MultiPolygon":
        found = coordinates
    else:
        raise GeometryError(str(kind))
    try:
        for polygon in found:
            for ring in polygon:
                for point in ring:
                    float(point[0]), float(point[1])
    except (TypeError, ValueError, IndexError) as error:
        raise GeometryError("coordinates") from error
    return found


# ---- TopoJSON --------------------------------------------------------------------------


def _arcs(topology: dict) -> list[list[list[float]]]:
    """The topology's arcs in degrees (undoing the quantisation's delta encoding)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology.get("arcs", []):
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_rest in arc:
                x, y = x + dx, y + dy
                points.append([x * sx + tx, y * sy + ty])
        else:
            points = [[p[0], p[1]] for p in arc]
        arcs.append(points)
    return arcs


def _ring(arcs: list, indices: list[int]) -> list:
    ring: list = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(arc if not ring else arc[1:])
    return ring


def _topo_geometry(geometry: dict, arcs: list) -> dict:
    kind = geometry.get("type")
    try:
        if kind == "Polygon":
            rings = [_ring(arcs, r) for r in geometry["arcs"]]
            return {"type": "Polygon", "coordinates": rings}
        if kind == "MultiPolygon":
            polygons = [[_ring(arcs, r) for r in p] for p in geometry["arcs"]]
            return {"type": "MultiPolygon", "coordinates": polygons}
    except (KeyError, IndexError, TypeError):
        return {"type": "invalid"}
    return {"type": kind}


def features_of(document: dict) -> list[Feature] | None:
    """The features of a GeoJSON FeatureCollection (or a single Feature) or of every object
    of a TopoJSON Topology, with their polygons unsimplified; ``None`` for anything else.
    A feature whose geometry is not a polygon keeps an empty list (reported by the caller)."""
    if not isinstance(document, dict):
        return None
    kind = document.get("type")
    raw: list[tuple[dict, dict | None]] = []
    if kind == "FeatureCollection":
        raw = [(f.get("properties") or {}, f.get("geometry")) for f in document.get("features", [])]
    elif kind == "Feature":
        raw = [(document.get("properties") or {}, document.get("geometry"))]
    elif kind == "Topology":
        arcs = _arcs(document)
        for layer in (document.get("objects") or {}).values():
            members = layer.get("geometries", [layer]) if isinstance(layer, dict) else []
            for geometry in members:
                raw.append((geometry.get("properties") or {}, _topo_geometry(geometry, arcs)))
    else:
        return None
    features = []
    for index, (properties, geometry) in enumerate(raw, start=1):
        feature = Feature(index, properties if isinstance(properties, dict) else {})
        try:
            feature.polygons = _polygons(geometry)
        except GeometryError:
            feature.polygons = []
        features.append(feature)
    return features


def code_of(properties: dict, code_field: str = "") -> str:
    """The region code a feature names (``51.04.01.2001``; ``5104012001`` is accepted and
    dotted), from ``code_field`` or the usual property names."""
    lowered = {str(k).lower(): v for k, v in properties.items()}
    fields = (code_field.lower(),) if code_field else CODE_FIELDS
    for name in fields:
        value = lowered.get(name)
        if value not in (None, ""):
            return dotted(str(value).strip())
    return ""


def dotted(code: str) -> str:
    """Kemendagri codes written without dots (``5104012001``) get them back."""
    if "." in code or not code.isdigit():
        return code
    parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
    return ".".join(p for p in parts if p)
