"""Reads of the figures people entered: workforce denominators, targets, reported counts.

The coverage indicators (:mod:`lindung.coverage.indicators`) pick their denominators here;
the management pages read a region's figures here, within the user's region (404 outside
it, as everywhere: ``accounts.scope``).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from lindung.accounts.scope import in_scope, scope_code
from lindung.regions.models import Region
from lindung.targets.models import (
    DEFINITION_PRIORITY,
    Definition,
    ReportedCoverage,
    Segment,
    Target,
    WorkforceFigure,
)

SEGMENTS = (Segment.INFORMAL.value, Segment.FORMAL.value)


@dataclass(frozen=True)
class Workforce:
    count: int
    year: int
    definition: str
    source: str
    derived: bool = False  # the sum of the formal and informal figures

    @property
    def definition_label(self) -> str:
        return str(Definition(self.definition).label)


@dataclass(frozen=True)
class Reported:
    count: int
    as_of: dt.date
    source: str


def pick_workforce(figures: list[WorkforceFigure], year: int) -> dict:
    """Per segment: the figure of the preferred definition (BPS's employed persons first),
    of the latest year up to ``year``; the other definitions are alternatives, shown next
    to it and never mixed into it."""
    latest: dict[str, dict[str, WorkforceFigure]] = defaultdict(dict)
    for figure in figures:
        if figure.year > year:
            continue
        known = latest[figure.segment].get(figure.definition)
        if known is None or figure.year > known.year:
            latest[figure.segment][figure.definition] = figure
    chosen: dict[str, tuple[Workforce | None, list[Workforce]]] = {}
    for segment in (Segment.TOTAL, *SEGMENTS):
        ranked = [
            Workforce(f.count, f.year, f.definition, f.source)
            for d in DEFINITION_PRIORITY
            if (f := latest[segment].get(d))
        ]
        chosen[segment] = (ranked[0], ranked[1:]) if ranked else (None, [])
    if chosen[Segment.TOTAL][0] is None:
        formal, informal = chosen[Segment.FORMAL][0], chosen[Segment.INFORMAL][0]
        if (
            formal
            and informal
            and formal.year == informal.year
            and formal.definition == informal.definition
        ):
            source = (
                formal.source
                if formal.source == informal.source
                else f"{informal.source}; {formal.source}"
            )
            total = Workforce(
                formal.count + informal.count, formal.year, formal.definition, source, True
            )
            chosen[Segment.TOTAL] = (total, [])
    return chosen


def of_regions(codes: list[str], within: str | None, extra: tuple[str, ...] = ()) -> Q:
    """Rows of the regions ``codes``. When they are all inside ``within`` (a region's whole
    subtree: a regency's 852 villages), a range of codes instead of a list of hundreds."""
    if within:
        inside = Q(region_id__gt=f"{within}.", region_id__lt=f"{within}/")
        return inside | Q(region_id__in=[within, *extra])
    return Q(region_id__in=[*codes, *extra])


def workforce_for(codes: list[str], year: int, within: str | None = None) -> dict[str, dict]:
    figures = defaultdict(list)
    for figure in WorkforceFigure.objects.filter(of_regions(codes, within), year__lte=year):
        figures[figure.region_id].append(figure)
    nothing = pick_workforce([], year)  # shared by the regions without a figure (most)
    return {
        code: pick_workforce(found, year) if (found := figures.get(code)) else nothing
        for code in codes
    }


def reported_for(
    codes: list[str], day: dt.date, within: str | None = None
) -> dict[str, dict[str, Reported]]:
    latest: dict[str, dict[str, Reported]] = defaultdict(dict)
    rows = ReportedCoverage.objects.filter(of_regions(codes, within), as_of__lte=day).order_by(
        "as_of"
    )
    for row in rows:
        latest[row.region_id][row.segment] = Reported(row.count, row.as_of, row.source)
    return latest


def check_region(user, code: str) -> Region | None:
    """The region to show (``None`` for the whole country), or 404 when the user may not."""
    code = (code or "").strip()
    if not code:
        if scope_code(user) is not None:
            raise Http404
        return None
    if code.count(".") > 3 or not in_scope(user, code):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def figures_of(user, code: str):
    """Workforce figures, targets and reported counts of a region and of its children."""
    region = check_region(user, code)
    codes = [code, *Region.objects.filter(parent_id=code).values_list("code", flat=True)]
    return (
        region,
        WorkforceFigure.objects.filter(region_id__in=codes).select_related("region"),
        Target.objects.filter(region_id__in=codes).select_related("region", "parent"),
        ReportedCoverage.objects.filter(region_id__in=codes).select_related("region"),
    )
