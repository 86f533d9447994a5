"""Benchmark: the dashboards' map of a large regency, ~70 districts and ~700 villages.

Stores synthetic outlines (``--districts`` × ``--villages`` cells, each a ring of
``--points`` points, about what a real village keeps after simplification) for a regency
code that does not exist elsewhere, then measures in each round, for the same villages:

  (a) the villages' map (:func:`lindung.dashboards.choropleth.region_map`), by target
      reached, its projected outlines kept in the cache (the steady state);
  (a0) the same with an empty cache: the outlines read from the database and projected;
  (b) the baseline: the villages' table the page already shows for them
      (``villages_table`` written by the ``data_table`` tag);
  (c) the districts' map (``--districts`` outlines).

Prints medians over ``--rounds`` and the ratio (a)/(b).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung_bench \\
        .venv/bin/python bench/map.py [--districts 70] [--villages 10] [--points 40]
"""

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
os.environ.setdefault("LINDUNG_VAR_DIR", tempfile.mkdtemp(prefix="lindung-bench-"))

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from lindung.coverage.indicators import (  # noqa: E402
    RegionFigures,
    SegmentFigures,
    TargetProgress,
    TargetRow,
)
from lindung.dashboards import choropleth  # noqa: E402
from lindung.dashboards.tables import dashboard_url, url_pattern, villages_table  # noqa: E402
from lindung.dashboards.templatetags.dashboards import data_table  # noqa: E402
from lindung.maps.models import RegionBoundary  # noqa: E402

REGENCY = "99.98"
DAY = dt.date(2024, 12, 31)


def ring(x0, y0, width, height, points, rng) -> list:
    """A wobbly outline inside the cell: ``points`` points around an ellipse."""
    cx, cy = x0 + width / 2, y0 + height / 2
    found = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        wobble = 0.85 + 0.15 * rng.random()
        found.append([
            round(cx + math.cos(angle) * width / 2 * wobble, 5),
            round(cy + math.sin(angle) * height / 2 * wobble, 5),
        ])  # fmt: skip
    return found


def store(districts: int, villages: int, points: int) -> tuple[list[str], list[str]]:
    RegionBoundary.objects.filter(region_code__startswith=f"{REGENCY}.").delete()
    rng = random.Random(7)
    rows, district_codes, village_codes = [], [], []
    side = math.ceil(math.sqrt(districts))
    for d in range(districts):
        code = f"{REGENCY}.{d + 1:02d}"
        district_codes.append(code)
        dx, dy = 115.0 + (d % side) * 0.05, -8.6 + (d // side) * 0.05
        cells = [(dx + (v % 4) * 0.0125, dy + (v // 4) * 0.0125) for v in range(villages)]
        outline = ring(dx, dy, 0.05, 0.05, points * 2, rng)
        rows.append((code, 3, REGENCY, [[outline]]))
        for v, (x, y) in enumerate(cells):
            village = f"{code}.{2001 + v}"
            village_codes.append(village)
            rows.append((village, 4, code, [[ring(x, y, 0.0125, 0.0125, points, rng)]]))
    RegionBoundary.objects.bulk_create(
        [
            RegionBoundary(
                region_code=code,
                level=level,
                parent_code=parent,
                polygons=polygons,
                min_lon=min(p[0] for p in polygons[0][0]),
                min_lat=min(p[1] for p in polygons[0][0]),
                max_lon=max(p[0] for p in polygons[0][0]),
                max_lat=max(p[1] for p in polygons[0][0]),
                points=len(polygons[0][0]),
                source="bench",
            )  # fmt: skip
            for code, level, parent, polygons in rows
        ],
        batch_size=500,
    )
    return district_codes, village_codes


def figures(codes: list[str], rng) -> list[RegionFigures]:
    found = []
    for code in codes:
        sponsored = rng.randrange(0, 260)
        target = TargetRow(0, code, 2024, "total", "sponsored", 200, "")
        found.append(
            RegionFigures(
                code=code,
                name=f"Desa {code}",
                level=code.count(".") + 1,
                date=DAY,
                segments={"total": SegmentFigures("total", sponsored=sponsored, started=sponsored)},
                targets=[TargetProgress(target, sponsored)],
            )
        )
    return found


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=70)
    parser.add_argument("--villages", type=int, default=10)
    parser.add_argument("--points", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    translation.activate("id")
    district_codes, village_codes = store(args.districts, args.villages, args.points)
    rng = random.Random(11)
    villages, districts = figures(village_codes, rng), figures(district_codes, rng)
    pattern = url_pattern()

    def href(code):
        return dashboard_url(code, DAY, pattern=pattern)

    def village_map():
        drawn = choropleth.region_map("desa", "Peta desa", villages, "target", href)
        assert drawn.svg.count("<path") == len(villages)

    def village_table():
        data_table(villages_table(villages, DAY, with_district=True), REGENCY, DAY.isoformat())

    def district_map():
        choropleth.region_map("kecamatan", "Peta kecamatan", districts, "target", href)

    results = {"cold": [], "map": [], "table": [], "districts": []}
    for _round in range(args.rounds):
        cache.clear()
        results["cold"].append(timed(village_map))
        results["map"].append(timed(village_map))
        results["table"].append(timed(village_table))
        results["districts"].append(timed(district_map))
    size = len(choropleth.region_map("desa", "Peta desa", villages, "target", href).svg)
    RegionBoundary.objects.filter(region_code__startswith=f"{REGENCY}.").delete()
    median = {key: statistics.median(values) * 1000 for key, values in results.items()}
    print(
        f"{len(villages)} villages, {len(districts)} districts, {args.points} points a village; "
        f"median of {args.rounds} rounds on {os.environ.get('DATABASE_URL', 'SQLite')[:10]}…"
    )
    print(f"(a) villages' map:               {median['map']:.1f} ms, {size / 1024:.0f} KB of SVG")
    print(f"(a0) the same, outlines not kept: {median['cold']:.1f} ms")
    print(f"(b) baseline, villages' table:   {median['table']:.1f} ms")
    print(f"(c) districts' map:              {median['districts']:.1f} ms")
    print(f"ratio (a)/(b): {median['map'] / median['table']:.2f}")


if __name__ == "__main__":
    sys.exit(main())
