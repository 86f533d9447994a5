"""The dashboards' map: regions coloured by target reached or by coverage rate, drawn on
the server as inline SVG from the outlines the regency loaded (:mod:`lindung.maps`).

No tiles, no map library, nothing from a CDN: each region is one ``<path>`` inside a link
to its own dashboard, with a ``<title>`` that names it and its figure (read by screen
readers and shown on hover); the legend with its class breaks is drawn under the map, and
the numbers themselves are in the table next to it. The projection is plain
equirectangular arithmetic around the map's middle latitude: at a regency's size (tens of
kilometres, a few degrees from the equator) its distortion is far below a pixel.
"""

import hashlib
import itertools
import math
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lindung.dashboards.charts import FONT, INK, MUTED, SMALL, WIDTH
from lindung.formatting import number, percent
from lindung.maps.selectors import Outline
from lindung.maps.selectors import outlines as read_outlines
from lindung.maps.selectors import stamp as read_stamp

TARGET, COVERAGE = "target", "cakupan"
MODES = (TARGET, COVERAGE)
NONE_COLOUR = "#d0d5dd"
MAX_HEIGHT = 420
LEGEND_ROW = 22
KEEP_SECONDS = 24 * 3600
STEP = 5  # tenths of a unit: the least move between two points of an outline drawn
_ids = itertools.count(1)


@dataclass(frozen=True)
class Band:
    """A class of the legend: values from ``low`` (included) up to ``high`` (excluded)."""

    low: float
    high: float | None
    colour: str
    label: str


@dataclass(frozen=True)
class Area:
    """One region of the map: where it links and what its title says."""

    code: str
    name: str
    href: str
    value: float | None  # percent of the target reached, or the coverage rate in percent
    text: str  # the figure as the title writes it


def target_bands() -> list[Band]:
    amber = settings.LINDUNG_TARGET_AMBER_FROM
    green = settings.LINDUNG_TARGET_GREEN_FROM
    return [
        Band(0, 50, "#b42318", _("di bawah 50% target")),
        Band(50, amber, "#e8794a", _("%(a)s–%(b)s%% target") % {"a": 50, "b": amber - 1}),
        Band(amber, green, "#f2c14e", _("%(a)s–%(b)s%% target") % {"a": amber, "b": green - 1}),
        Band(green, None, "#067647", _("target tercapai")),
    ]


def coverage_bands() -> list[Band]:
    colours = ["#e6f2ea", "#b9dcc4", "#7fbf96", "#439a68", "#16713f", "#0b4f2c"]
    edges = [0, 10, 20, 30, 40, 50]
    bands = []
    for i, (low, colour) in enumerate(zip(edges, colours, strict=True)):
        high = edges[i + 1] if i + 1 < len(edges) else None
        label = f"{low}–{high}%" if high is not None else f"≥ {low}%"
        bands.append(Band(low, high, colour, label))
    return bands


def band_of(value: float | None, bands: list[Band]) -> Band | None:
    if value is None:
        return None
    for band in bands:
        if value >= band.low and (band.high is None or value < band.high):
            return band
    return bands[0]


def areas_of(figures: list, mode: str, href) -> list[Area]:
    """The map's areas from regions' figures (``RegionFigures``): ``href(code)`` gives each
    one's drill-down link."""
    found = []
    for item in figures:
        if mode == TARGET:
            progress = item.primary_target
            if progress is None:
                value, text = None, _("tanpa target")
            elif progress.achievement is None:
                value, text = None, _("target tidak terukur (tanpa angka angkatan kerja)")
            else:
                value = progress.achievement
                if progress.is_rate:
                    detail = f"{percent(progress.actual)} / {percent(progress.target.value)}"
                else:
                    detail = f"{number(progress.actual)} / {number(progress.target.value)}"
                text = _("%(p)s%% dari target (%(detail)s)") % {"p": value, "detail": detail}
        else:
            rate = item.total.rate_bp
            if rate is None:
                value, text = None, _("tanpa angka angkatan kerja")
            else:
                value, text = rate / 100, _("cakupan %(rate)s") % {"rate": percent(rate)}
        found.append(Area(item.code, item.name, href(item.code), value, text))
    return found


def default_mode(figures: list) -> str:
    """By target when any region's target can be measured, else by coverage when any
    region has a rate, else by target (all grey: nothing to colour by)."""
    if any(f.primary_target and f.primary_target.achievement is not None for f in figures):
        return TARGET
    if any(f.total.rate_bp is not None for f in figures):
        return COVERAGE
    return TARGET


def _frame(outlines) -> tuple[float, float, float, float]:
    boxes = [o.bbox for o in outlines]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _path(polygons: list, project) -> str:
    """An outline as path data in tenths of a unit: the first point absolute, the others
    as whole-number steps from the last one kept; a point less than half a unit from it is
    dropped (invisible at this size: a village of a large regency is ~15 units across)."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            x0, y0 = project(*ring[0])
            steps = [f"M{x0} {y0}"]
            for lon, lat in ring[1:]:
                x, y = project(lon, lat)
                if abs(x - x0) + abs(y - y0) >= STEP:
                    steps.append(f"l{x - x0} {y - y0}")
                    x0, y0 = x, y
            if len(steps) > 2:
                parts.append("".join(steps) + "z")
    return "".join(parts)


@dataclass(frozen=True)
class Drawing:
    """The outlines of a map projected into its frame: path data per region code, and
    the height they take (the width is :data:`WIDTH`)."""

    paths: dict[str, str]
    height: float


def project(outlines: dict[str, Outline]) -> Drawing:
    west, south, east, north = _frame(list(outlines.values()))
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = min(WIDTH / span_x, MAX_HEIGHT / span_y)
    left = (WIDTH - span_x * scale) / 2
    # Points in tenths of a unit, whole numbers: short path data, exact enough.
    tenths = scale * 10

    def point(lon: float, lat: float) -> tuple[int, int]:
        return round(left * 10 + (lon - west) * squeeze * tenths), round((north - lat) * tenths)

    paths = {code: _path(outline.polygons, point) for code, outline in outlines.items()}
    return Drawing(paths, span_y * scale)


def drawing(codes: list[str]) -> Drawing | None:
    """The projected outlines of ``codes``, ``None`` when none has one. Kept in the cache
    until an outline of them is loaded again: reading and projecting a regency's 700
    village outlines is most of a map's time, drawing their colours is little."""
    stamp = read_stamp(codes)
    if stamp is None:
        return None
    digest = hashlib.sha1(",".join(sorted(codes)).encode()).hexdigest()
    key = f"lindung:peta:{digest}:{stamp}"
    found = cache.get(key)
    if found is None:
        found = project(read_outlines(codes))
        cache.set(key, found, KEEP_SECONDS)
    return found


def draw(areas: list[Area], shapes: Drawing, bands: list[Band], title: str) -> SafeString:
    """The map as an ``<svg class="chart peta">``: the areas with an outline, coloured by
    their band, then the legend."""
    body = ['<g transform="scale(0.1)" stroke="#ffffff" stroke-width="8">']
    counts = dict.fromkeys([b.label for b in bands] + [""], 0)
    for area in areas:
        path = shapes.paths.get(area.code)
        if path is None:
            continue
        band = band_of(area.value, bands)
        counts[band.label if band else ""] += 1
        colour = band.colour if band else NONE_COLOUR
        label = escape(f"{area.name}: {area.text}")
        body.append(
            f'<a href="{escape(area.href)}" data-kode="{escape(area.code)}">'
            f'<path d="{path}" fill="{colour}" fill-rule="evenodd">'
            f"<title>{label}</title></path></a>"
        )
    body.append("</g>")
    # The legend: two columns of swatches, each class with its count of regions.
    entries = [(b.colour, b.label, counts[b.label]) for b in bands]
    entries.append((NONE_COLOUR, _("tanpa angka"), counts[""]))
    top = shapes.height + 12
    half = WIDTH / 2
    for i, (colour, label, count) in enumerate(entries):
        x = 0 if i % 2 == 0 else half
        y = top + (i // 2) * LEGEND_ROW
        body.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="14" height="14" fill="{colour}" '
            f'stroke="{MUTED}" stroke-width="0.5"/>'
            f'<text x="{x + 20:.0f}" y="{y + 12:.0f}" font-size="{SMALL}" fill="{INK}">'
            f"{escape(label)} ({count})</text>"
        )
    height = top + math.ceil(len(entries) / 2) * LEGEND_ROW
    ident = f"peta-{next(_ids)}"
    return mark_safe(
        f'<svg class="chart peta" viewBox="0 0 {WIDTH} {height:.0f}" role="group" '
        f'aria-labelledby="{ident}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{ident}">{escape(title)}</title>{"".join(body)}</svg>'
    )


@dataclass
class RegionMap:
    """What the page shows for a map: the drawing, or why there is none."""

    key: str  # "kecamatan", "desa", "wilayah": the map's place on the page
    title: str
    mode: str
    svg: SafeString | None
    missing: list[str]  # names of the regions without an outline (not drawn)

    @property
    def empty(self) -> bool:
        return self.svg is None

    @property
    def other_mode(self) -> str:
        return COVERAGE if self.mode == TARGET else TARGET


def region_map(key: str, title: str, figures: list, mode: str, href) -> RegionMap | None:
    """The map of ``figures`` (regions side by side), or ``None`` when there are none."""
    if not figures:
        return None
    if mode not in MODES:
        mode = default_mode(figures)
    shapes = drawing([f.code for f in figures])
    missing = [f.name for f in figures if shapes is None or f.code not in shapes.paths]
    svg = None
    if shapes is not None:
        bands = target_bands() if mode == TARGET else coverage_bands()
        svg = draw(areas_of(figures, mode, href), shapes, bands, title)
    return RegionMap(key, title, mode, svg, missing)
