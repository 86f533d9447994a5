"""Formal coverage: workers registered with the insurer through their employers (PU) ÷
the formal workforce, per region, sector and size class; the outreach funnel; the trend.

The numerator comes from the employer registry (``lindung.employers``): the latest
registered-workers figure of each employer, counted from the date of that figure and until
the employer closed. The denominator is the region's own formal workforce figure
(:func:`lindung.targets.selectors.workforce_for`, segment *formal*, chosen by the same rule
as every coverage rate: the latest year up to the date's, BPS's employed persons first);
the registry's own count of the employers' workers is shown beside it as a second
denominator, and is the only one per sector and size (no workforce statistic is broken down
by KBLI section or size class). Nothing here knows of users: the dashboard's and the API's
selectors check the scope first.

Speed: the figures are read from the employers' summary
(:mod:`lindung.coverage.formal_summary`: the employers' figures by region, KBLI section,
size class, compliance status and month, kept current by triggers on the employers), so a
province of 100,000 employers is a few thousand rows, not its employers; the answer is
kept in the figures cache (:mod:`lindung.coverage.cache`), made old by every save of an
employer or an action, by the import's ``records_changed`` and by the summary's refresh.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext_lazy as _

from lindung.coverage import cache, formal_summary
from lindung.coverage.indicators import (
    SegmentFigures,
    TargetProgress,
    month_span,
    percent,
    rate_bp,
    region_names,
    targets_for,
)
from lindung.coverage.models import FormalTally
from lindung.employers import kbli
from lindung.employers.models import Compliance, SizeClass
from lindung.programs.models import add_months
from lindung.regions.codes import level_of
from lindung.targets.models import Metric, Segment
from lindung.targets.selectors import Workforce, workforce_for

EMPLOYERS_DENOMINATOR = _(
    "Jumlah pekerja pada pemberi kerja di registri (WLKP, daftar BPJS, kunjungan; angka "
    "terbaru tiap pemberi kerja)"
)
REGISTERED = (Compliance.REGISTERED.value, Compliance.PARTLY.value)


@dataclass
class FormalGroup:
    """The employers of one region, sector or size class at the date."""

    key: str
    label: str
    employers: int = 0  # known by the date and not closed
    total_workers: int = 0  # their workers, by the registry's latest figures
    registered_workers: int = 0  # of them registered with the insurer (PU)
    registered_employers: int = 0  # registered or partly registered
    reached: int = 0  # reached by outreach by the date
    reached_registered: int = 0  # of those, registered or partly registered
    reached_workers: int = 0  # workers registered at the employers reached
    workforce: Workforce | None = None  # the region's own formal workforce (regions only)

    def add(self, other: "FormalGroup") -> None:
        for name in (
            "employers",
            "total_workers",
            "registered_workers",
            "registered_employers",
            "reached",
            "reached_registered",
            "reached_workers",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate_bp(self) -> int | None:
        """Registered ÷ the formal workforce (None without a figure)."""
        return rate_bp(self.registered_workers, self.workforce.count if self.workforce else None)

    @property
    def employer_rate_bp(self) -> int | None:
        """Registered ÷ the employers' own count of their workers."""
        return rate_bp(self.registered_workers, self.total_workers)

    def as_json(self) -> dict:
        return {
            "employers": self.employers,
            "total_workers": self.total_workers,
            "registered_workers": self.registered_workers,
            "registered_employers": self.registered_employers,
            "coverage_rate": percent(self.rate_bp),
            "coverage_rate_of_employers_workers": percent(self.employer_rate_bp),
        }


@dataclass
class FormalPoint:
    month: dt.date
    day: dt.date
    registered_workers: int
    reached: int
    workforce: Workforce | None

    @property
    def rate_bp(self) -> int | None:
        return rate_bp(self.registered_workers, self.workforce.count if self.workforce else None)


@dataclass
class FormalFigures:
    code: str
    date: dt.date
    region: FormalGroup
    alternatives: list[Workforce]  # the formal workforce by other definitions
    by_sector: list[FormalGroup]
    by_size: list[FormalGroup]
    children: list[FormalGroup]
    trend: list[FormalPoint]
    targets: list[TargetProgress]  # the formal segment's, measured on the registry
    informal: SegmentFigures | None = None
    informal_targets: list[TargetProgress] = field(default_factory=list)

    @property
    def workforce(self) -> Workforce | None:
        return self.region.workforce

    def alternative_rates(self) -> list[tuple[Workforce, float | None]]:
        return [
            (w, percent(rate_bp(self.region.registered_workers, w.count)))
            for w in self.alternatives
        ]

    def as_json(self) -> dict:
        """The ``formal_coverage`` of ``GET /api/v1/indicators``."""
        region = self.region
        workforce = self.workforce
        return {
            "registered_workers": region.registered_workers,
            "employers": region.employers,
            "employers_total_workers": region.total_workers,
            "coverage_rate": percent(region.rate_bp),
            "workforce": _workforce_json(workforce),
            "coverage_rate_of_employers_workers": percent(region.employer_rate_bp),
            "employers_denominator": str(EMPLOYERS_DENOMINATOR),
            "alternative_rates": [
                {**_workforce_json(w), "coverage_rate": rate}
                for w, rate in self.alternative_rates()
            ],
            "targets": [_target_json(p) for p in self.targets],
            "funnel": {
                "employers": region.employers,
                "reached": region.reached,
                "reached_registered": region.reached_registered,
                "workers_registered": region.reached_workers,
            },
            "by_sector": {g.key: g.as_json() for g in self.by_sector},
            "by_size": {g.key: g.as_json() for g in self.by_size},
            "by_region": {
                g.key: {**g.as_json(), "workforce": _workforce_json(g.workforce)}
                for g in self.children
            },
            "trend": [
                {
                    "month": p.month.strftime("%Y-%m"),
                    "registered_workers": p.registered_workers,
                    "reached": p.reached,
                    "coverage_rate": percent(p.rate_bp),
                }
                for p in self.trend
            ],
        }


def _workforce_json(workforce: Workforce | None) -> dict | None:
    if workforce is None:
        return None
    return {
        "count": workforce.count,
        "year": workforce.year,
        "definition": workforce.definition,
        "definition_label": workforce.definition_label,
        "source": workforce.source,
    }


def _target_json(progress: TargetProgress) -> dict:
    return {
        "segment": progress.target.segment,
        "metric": progress.target.metric,
        "value": progress.target.value / 100 if progress.is_rate else progress.target.value,
        "actual": (
            percent(progress.actual)
            if progress.is_rate and progress.actual is not None
            else progress.actual
        ),
        "achievement_percent": progress.achievement,
        "status": progress.status,
        "inherited_from": progress.inherited_from,
    }


# ---- reading ---------------------------------------------------------------------------


def _where(code: str) -> tuple[str, dict]:
    """The region's own rows (its total and breakdowns) and its children's totals, two
    ranges of the summary's indexes, with named parameters."""
    if code and level_of(code) == 4:
        return "region_code = %(code)s", {"code": code}  # a village: no children
    return "(region_code = %(code)s OR (parent_code = %(code)s AND dim = ''))", {"code": code}


def _by_day(day: dt.date) -> tuple[str, dict]:
    """The rows that sum to the figures at ``day``: the months before its month, and the
    days of its month up to it."""
    return (
        f"((span = '{formal_summary.MONTH}' AND day < %(month)s) OR "
        f"(span = '{formal_summary.DAY}' AND day >= %(month)s AND day <= %(d)s))",
        {"month": day.replace(day=1), "d": day},
    )


def _group_rows(code: str, day: dt.date) -> list[tuple]:
    """(kind, key, employers, total, registered, registered employers, reached, reached
    registered, workers registered at those) at ``day``, kind ``region``, ``sec``, ``size``
    or ``child``; and the region's own month rows before ``day``'s month for the trend
    (kind ``month``, key the month's first day as ISO text, the month's changes of the
    registered workers and of the employers reached). One read of the employers' summary
    (:mod:`lindung.coverage.formal_summary`), about a thousand rows for a province: a
    round trip fewer than two reads, which counts on a loaded machine."""
    where, params = _where(code)
    dated, dated_params = _by_day(day)
    table = FormalTally._meta.db_table
    sums = ", ".join(f"SUM({name})" for name in formal_summary.VALUES)
    trend = ", ".join(
        name if name in ("registered_workers", "reached") else "0" for name in formal_summary.VALUES
    )
    sql = f"""
        SELECT CASE WHEN region_code = %(code)s THEN dim ELSE 'child' END,
               CASE WHEN region_code = %(code)s THEN item ELSE region_code END, {sums}
        FROM {table}
        WHERE {where} AND {dated}
        GROUP BY 1, 2
        UNION ALL
        SELECT 'month', CAST(day AS TEXT), {trend}
        FROM {table}
        WHERE region_code = %(code)s AND dim = '' AND span = '{formal_summary.MONTH}'
          AND day < %(month)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, **dated_params})
        # PostgreSQL sums to numeric: counts as int.
        return [
            ("region" if kind == "" else kind, key, *(int(v) for v in values))
            for kind, key, *values in cursor.fetchall()
        ]


def _trend_rows(months: list[tuple], ends: list[dt.date], day: dt.date, at_day: tuple[int, int]):
    """(registered workers, employers reached) at each month end: the month rows
    (ISO first day, registered workers' change, reached employers' change) before
    ``day``'s month summed up month by month; the last end is ``day`` itself, whose figures
    (``at_day``) the grouped read gave."""
    months = sorted(months)
    out = []
    registered = reached = 0
    i = 0
    for end in ends:
        if end >= day:
            out.append(at_day)
            continue
        iso = end.isoformat()
        while i < len(months) and months[i][0] <= iso:
            registered += months[i][1]
            reached += months[i][2]
            i += 1
        out.append((registered, reached))
    return out


def _formal_targets(targets: list[TargetProgress], region: FormalGroup) -> list[TargetProgress]:
    """The formal segment's targets, measured on the employer registry: a rate target by the
    formal coverage rate, a count of covered workers by the registered workers (a count of
    sponsorships does not apply to employers' workers)."""
    out = []
    for progress in targets:
        if progress.target.segment != Segment.FORMAL:
            continue
        if progress.target.metric == Metric.RATE:
            actual = region.rate_bp
        elif progress.target.metric == Metric.COVERED:
            actual = region.registered_workers
        else:
            continue
        out.append(TargetProgress(progress.target, actual, inherited_from=progress.inherited_from))
    return out


def formal_figures(code: str, day: dt.date, *, months: int = 12) -> FormalFigures:
    """The formal coverage of a region at ``day`` (kept in the figures cache). The
    employers' summary is brought up to date first, so what is kept is never older than
    the employers."""
    formal_summary.ensure_fresh()
    return cache.remember("formal", (code, day, months), lambda: _compute(code, day, months))


def _compute(code: str, day: dt.date, months: int) -> FormalFigures:
    region = FormalGroup(code, "")
    sectors: dict[str, FormalGroup] = {}
    sizes: dict[str, FormalGroup] = {}
    children: dict[str, FormalGroup] = {}
    labels = {
        formal_summary.SECTION: (sectors, kbli.label),
        formal_summary.SIZE: (
            sizes,
            lambda k: str(SizeClass(k).label) if k in SizeClass.values else k,
        ),
        "child": (children, lambda k: k),
    }
    month_rows = []
    for kind, key, *values in _group_rows(code, day):
        if kind == "month":
            # The registered workers' and reached employers' changes of the month.
            month_rows.append((key, values[2], values[4]))
            continue
        if kind == "region":
            region.add(FormalGroup("", "", *values))
            continue
        if not values[0]:  # none known by the date, or all closed
            continue
        found, label = labels[kind]
        found[key] = FormalGroup(key, label(key), *values)
    level = level_of(code) if code else 0
    child_codes = sorted(k for k in children if k) if level < 4 else []
    workforce = workforce_for([c for c in [code, *child_codes] if c], day.year)
    own = workforce.get(code, {}).get(Segment.FORMAL, (None, [])) if code else (None, [])
    region.workforce, alternatives = own
    names = region_names(child_codes)
    listed = []
    for child in child_codes:
        group = children[child]
        name = names.get(child)
        group.label = name.display_name if name else child
        group.workforce = workforce.get(child, {}).get(Segment.FORMAL, (None, []))[0]
        listed.append(group)
    first = add_months(day.replace(day=1), 1 - months)
    month_list = month_span(first, day)
    ends = [min(add_months(m, 1) - dt.timedelta(days=1), day) for m in month_list]
    trend = []
    if ends:
        # The date's year is read above; an earlier year of the 12 months, once.
        by_year = {day.year: region.workforce}
        for year in {e.year for e in ends} - {day.year}:
            found = workforce_for([code], year).get(code, {}) if code else {}
            by_year[year] = found.get(Segment.FORMAL, (None, []))[0]
        values = _trend_rows(month_rows, ends, day, (region.registered_workers, region.reached))
        for month, end, (registered, reached) in zip(month_list, ends, values, strict=True):
            trend.append(FormalPoint(month, end, registered, reached, by_year[end.year]))
    targets = targets_for([code], day.year).get(code, []) if code else []
    size_order = {v: i for i, v in enumerate(SizeClass.values)}
    return FormalFigures(
        code=code,
        date=day,
        region=region,
        alternatives=alternatives,
        by_sector=[sectors[k] for k in sorted(sectors)],
        by_size=sorted(sizes.values(), key=lambda g: size_order.get(g.key, 9)),
        children=listed,
        trend=trend,
        targets=_formal_targets(targets, region),
    )


def with_informal(figures: FormalFigures, segments: dict, targets: list) -> FormalFigures:
    """The formal figures with the region's informal segment beside them (from the
    dashboard's own figures: nothing read twice)."""
    figures.informal = segments.get(Segment.INFORMAL)
    figures.informal_targets = [p for p in targets if p.target.segment == Segment.INFORMAL]
    return figures


def side_by_side(figures: FormalFigures) -> list[dict]:
    """The two segments as the page and the exports show them, formal first."""
    rows = []
    formal_target = next((p for p in figures.targets), None)
    rows.append(
        {
            "segment": str(Segment.FORMAL.label),
            "covered": figures.region.registered_workers,
            "workforce": figures.workforce,
            "rate_bp": figures.region.rate_bp,
            "target": formal_target,
            "how": _("pekerja PU terdaftar melalui pemberi kerja"),
        }
    )
    informal = figures.informal
    if informal is not None:
        rows.append(
            {
                "segment": str(Segment.INFORMAL.label),
                "covered": informal.covered,
                "workforce": informal.workforce,
                "rate_bp": informal.rate_bp,
                "target": next((p for p in figures.informal_targets), None),
                "how": _("pekerja BPU terlindungi (registri Lindung dan laporan BPJS)"),
            }
        )
    return rows
