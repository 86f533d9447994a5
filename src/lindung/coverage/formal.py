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

Speed: a region's employers are read once per question from the index ``employer_formal``
(region codes, with every column read carried in it), grouped in the database, so a
province of 100,000 employers is one index range; the answer is kept in the figures cache
(:mod:`lindung.coverage.cache`), made old by every save of an employer or an action and by
the import's ``records_changed``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext_lazy as _

from lindung.coverage import cache
from lindung.coverage.indicators import (
    SegmentFigures,
    TargetProgress,
    month_span,
    percent,
    rate_bp,
    region_names,
    targets_for,
)
from lindung.employers import kbli
from lindung.employers.models import Compliance, Employer, SizeClass
from lindung.programs.models import add_months
from lindung.regions.codes import level_of
from lindung.targets.models import Metric, Segment
from lindung.targets.selectors import Workforce, workforce_for

# The column that names the region one level below, per level of the region asked.
CHILD_COLUMN = {0: "province_code", 1: "regency_code", 2: "district_code", 3: "village_id", 4: ""}
FILTER_COLUMNS = ("province_code", "regency_code", "district_code", "village_id")
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
    """The region's employers, as a range of the index ``employer_formal`` (its leading
    columns given down to the region's level), with named parameters."""
    if not code:
        return "TRUE", {}
    parts = [code[:2], code[:5], code[:8], code][: level_of(code)]
    conditions = [f"{column} = %(r{i})s" for i, column in enumerate(FILTER_COLUMNS[: len(parts)])]
    return " AND ".join(conditions), {f"r{i}": part for i, part in enumerate(parts)}


def _known(day: str) -> str:
    """Employers whose workers were counted by the day and not closed on it."""
    return f"workers_as_of <= %({day})s AND (closed_on IS NULL OR closed_on > %({day})s)"


def _group_rows(code: str, day: dt.date) -> list[tuple]:
    """(child, section, size, employers, total, registered, registered employers, reached,
    reached registered, workers registered at those): one grouped read of the region's
    employers."""
    where, params = _where(code)
    child = CHILD_COLUMN[level_of(code) if code else 0] or "''"
    known = _known("d")
    counted = f"{known} AND registration_as_of <= %(d)s"
    reached = f"{known} AND first_reached_on <= %(d)s"
    registered = f"compliance IN ('{REGISTERED[0]}', '{REGISTERED[1]}')"
    sql = f"""
        SELECT {child}, kbli_section, size_class,
               COUNT(*) FILTER (WHERE {known}),
               COALESCE(SUM(total_workers) FILTER (WHERE {known}), 0),
               COALESCE(SUM(registered_workers) FILTER (WHERE {counted}), 0),
               COUNT(*) FILTER (WHERE {known} AND {registered}),
               COUNT(*) FILTER (WHERE {reached}),
               COUNT(*) FILTER (WHERE {reached} AND {registered}),
               COALESCE(SUM(registered_workers) FILTER (
                   WHERE {counted} AND first_reached_on <= %(d)s AND {registered}), 0)
        FROM {Employer._meta.db_table}
        WHERE {where}
        GROUP BY 1, 2, 3
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"d": day, **params})
        # PostgreSQL sums to numeric: counts as int.
        return [(*row[:3], *(int(v) for v in row[3:])) for row in cursor.fetchall()]


def _later(first: str, second: str) -> str:
    """The later of two dates, NULL when the second is (GREATEST would skip a NULL)."""
    return (
        f"CASE WHEN {second} IS NULL THEN NULL "
        f"WHEN {second} > {first} THEN {second} ELSE {first} END"
    )


def _iso(day) -> str | None:
    # SQLite gives the dates of an expression as text: compared as ISO text everywhere.
    return day.isoformat() if isinstance(day, dt.date) else day


def _trend_rows(code: str, ends: list[dt.date]) -> list[tuple[int, int]]:
    """(registered workers, employers reached) at each month end: one grouped read of the
    region's employers by the day each figure starts to count, the day it was first
    reached and the day it closed (few distinct days: a list's figures share its date),
    summed up here for every month end."""
    where, params = _where(code)
    sql = (
        f"SELECT {_later('workers_as_of', 'registration_as_of')}, "
        f"{_later('workers_as_of', 'first_reached_on')}, closed_on, "
        f"SUM(registered_workers), COUNT(*) "
        f"FROM {Employer._meta.db_table} WHERE {where} GROUP BY 1, 2, 3"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        groups = [
            (_iso(c), _iso(r), _iso(x), int(n), int(k)) for c, r, x, n, k in cursor.fetchall()
        ]
    out = []
    for end in ends:
        day = end.isoformat()
        registered = reached = 0
        for counted_from, reached_from, closed_on, workers, employers in groups:
            if closed_on is not None and closed_on <= day:
                continue
            if counted_from <= day:
                registered += workers
            if reached_from is not None and reached_from <= day:
                reached += employers
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
    """The formal coverage of a region at ``day`` (kept in the figures cache)."""
    return cache.remember("formal", (code, day, months), lambda: _compute(code, day, months))


def _compute(code: str, day: dt.date, months: int) -> FormalFigures:
    rows = _group_rows(code, day)
    region = FormalGroup(code, "")
    sectors: dict[str, FormalGroup] = {}
    sizes: dict[str, FormalGroup] = {}
    children: dict[str, FormalGroup] = {}
    for child, section, size, *values in rows:
        group = FormalGroup("", "", *values)
        if not group.employers:  # none known by the date, or all closed
            continue
        region.add(group)
        for key, found, label in (
            (section, sectors, lambda k: kbli.label(k)),
            (size, sizes, lambda k: str(SizeClass(k).label) if k in SizeClass.values else k),
            (child, children, lambda k: k),
        ):
            if key not in found:
                found[key] = FormalGroup(key, label(key))
            found[key].add(group)
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
        values = _trend_rows(code, ends)
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
