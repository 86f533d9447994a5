"""Indicators of a region at a date, of its children, and as a monthly series.

Everything here reads the summary (:mod:`lindung.coverage.summary`) and the small tables of
figures people entered; nothing scans the registry. These functions know nothing of
users: :mod:`lindung.coverage.selectors` checks the scope first.

Definitions (also in ``docs/dashboards.md``):

- *covered* = workers covered on the date through Lindung (sponsored + self-paid after
  the sponsorship) + the latest count of participants outside the registry the insurer
  reported on or before the date (:class:`~lindung.targets.models.ReportedCoverage`).
- *coverage rate* = covered ÷ workforce, with the workforce figure of the latest year up
  to the date's year, of the preferred definition; none when the region has no figure.
- *sponsored in the year* = sponsorships whose effective date falls in the year, up to
  the date.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Case, F, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from lindung.coverage import summary as s
from lindung.coverage.models import Tally
from lindung.programs.lifecycle import HOLDING, State
from lindung.programs.models import add_months
from lindung.regions.codes import ancestors, level_of
from lindung.regions.models import Region
from lindung.targets.models import Metric, ReportedCoverage, Segment, Target, WorkforceFigure
from lindung.targets.selectors import (
    SEGMENTS,
    Reported,
    Workforce,
    pick_workforce,
    reported_for,
    workforce_for,
)

COUNTRY = ""
EXPIRING_DAYS = 30


def rate_bp(part: int, whole: int | None) -> int | None:
    """``part / whole`` in basis points (34.00% = 3400), rounded half up; integer math."""
    if not whole:
        return None
    return (part * 20000 + whole) // (2 * whole)


def percent(bp: int | None) -> float | None:
    return None if bp is None else bp / 100


# ---- segment figures -----------------------------------------------------------------------


@dataclass
class SegmentFigures:
    segment: str
    sponsored: int = 0
    self_paid: int = 0
    started: int = 0  # sponsorships started in the year, up to the date
    reported: Reported | None = None
    reported_parts: int = 0  # for the total: how many segments had a report
    workforce: Workforce | None = None
    alternatives: list[Workforce] = field(default_factory=list)

    @property
    def registry(self) -> int:
        return self.sponsored + self.self_paid

    @property
    def reported_count(self) -> int:
        return self.reported.count if self.reported else 0

    @property
    def covered(self) -> int:
        return self.registry + self.reported_count

    @property
    def rate_bp(self) -> int | None:
        return rate_bp(self.covered, self.workforce.count if self.workforce else None)

    @property
    def rate(self) -> float | None:
        return percent(self.rate_bp)

    def alternative_rates(self) -> list[tuple[Workforce, float]]:
        return [(w, percent(rate_bp(self.covered, w.count))) for w in self.alternatives]

    @property
    def label(self) -> str:
        return str(Segment(self.segment).label)


@dataclass(frozen=True, slots=True)
class TargetRow:
    """A target as the dashboards read it (plain values: a regency page reads hundreds)."""

    pk: int
    region_id: str
    year: int
    segment: str
    metric: str
    value: int
    note: str

    FIELDS = ("pk", "region_id", "year", "segment", "metric", "value", "note")

    @property
    def is_rate(self) -> bool:
        return self.metric == Metric.RATE


@dataclass
class TargetProgress:
    target: TargetRow
    actual: int | None  # a count, or a rate in basis points
    inherited_from: str = ""  # the region whose rate target applies here

    @property
    def is_rate(self) -> bool:
        return self.target.metric == Metric.RATE

    @property
    def achievement(self) -> int | None:
        """Percent of the target reached (the actual over the target), or ``None``."""
        if self.actual is None or not self.target.value:
            return None
        return self.actual * 100 // self.target.value

    @property
    def status(self) -> str:
        return status_of(self.achievement)

    @property
    def gap(self) -> int | None:
        return None if self.actual is None else self.target.value - self.actual

    @property
    def metric_label(self) -> str:
        return str(Metric(self.target.metric).label)

    @property
    def segment_label(self) -> str:
        return str(Segment(self.target.segment).label)


def status_of(achievement: int | None) -> str:
    """green: target reached; amber: close (LINDUNG_TARGET_AMBER_FROM %, 80 by default);
    red: further; none: no target, or no way to measure it (no workforce figure)."""
    if achievement is None:
        return "none"
    if achievement >= settings.LINDUNG_TARGET_GREEN_FROM:
        return "green"
    if achievement >= settings.LINDUNG_TARGET_AMBER_FROM:
        return "amber"
    return "red"


STATUS_LABELS = {
    "green": _("tercapai"),
    "amber": _("hampir"),
    "red": _("jauh dari target"),
    "none": _("tanpa target"),
}
METRIC_ORDER = {Metric.SPONSORED: 0, Metric.COVERED: 1, Metric.RATE: 2}


def targets_for(
    codes: list[str], year: int, within: str | None = None
) -> dict[str, list[TargetProgress]]:
    """Own targets of each region; the nearest ancestor's rate target applies where a region
    has no rate target of its own for that segment (a count cannot be inherited: it must be
    split, see :mod:`lindung.targets.splitting`)."""
    if within:
        wanted = Q(region_id__gt=f"{within}.", region_id__lt=f"{within}/") | Q(
            region_id__in=ancestors(within)
        )
    else:
        codes_and_above = set(codes)
        for code in codes:
            if code:
                codes_and_above.update(ancestors(code))
        wanted = Q(region_id__in=codes_and_above)
    rows = Target.objects.filter(wanted, year=year).order_by().values_list(*TargetRow.FIELDS)
    own: dict[str, list[TargetRow]] = defaultdict(list)
    for values in rows:
        target = TargetRow(*values)
        own[target.region_id].append(target)
    # The rate targets above a region, nearest first: the same for all the villages of a
    # district, so found once per parent.
    rates_above: dict[str, list[tuple[str, TargetRow]]] = {}
    found = {}
    for code in codes:
        items = [TargetProgress(t, None) for t in own.get(code, [])]
        parent = code.rpartition(".")[0]
        if parent not in rates_above:
            rates_above[parent] = [
                (ancestor, target)
                for ancestor in reversed(ancestors(parent) if parent else [])
                for target in own.get(ancestor, [])
                if target.metric == Metric.RATE
            ]
        covered_segments = {p.target.segment for p in items if p.is_rate}
        for ancestor, target in rates_above[parent]:
            if target.segment not in covered_segments:
                items.append(TargetProgress(target, None, inherited_from=ancestor))
                covered_segments.add(target.segment)
        items.sort(key=lambda p: (p.target.segment != Segment.TOTAL, METRIC_ORDER[p.target.metric]))
        found[code] = items
    return found


def _measure(progress: TargetProgress, figures: dict[str, SegmentFigures]) -> None:
    segment = figures[progress.target.segment]
    if progress.target.metric == Metric.SPONSORED:
        progress.actual = segment.started
    elif progress.target.metric == Metric.COVERED:
        progress.actual = segment.covered
    else:
        progress.actual = segment.rate_bp


# ---- one region, or many side by side ------------------------------------------------------


@dataclass
class RegionFigures:
    code: str
    name: str
    level: int
    date: dt.date
    segments: dict[str, SegmentFigures]  # total, informal, formal
    targets: list[TargetProgress]

    @property
    def total(self) -> SegmentFigures:
        return self.segments[Segment.TOTAL]

    @cached_property
    def primary_target(self) -> TargetProgress | None:
        """The target a region is ranked by: its first total target (counts first)."""
        for progress in self.targets:
            if progress.target.segment == Segment.TOTAL:
                return progress
        return self.targets[0] if self.targets else None

    @property
    def status(self) -> str:
        return self.primary_target.status if self.primary_target else "none"

    def _total_target(self, metrics: tuple[str, ...]) -> TargetProgress | None:
        for progress in self.targets:
            if progress.target.segment == Segment.TOTAL and progress.target.metric in metrics:
                return progress
        return None

    @property
    def rate_target(self) -> TargetProgress | None:
        return self._total_target((Metric.RATE,))

    @property
    def sponsored_target(self) -> TargetProgress | None:
        return self._total_target((Metric.SPONSORED,))

    @property
    def covered_target(self) -> TargetProgress | None:
        return self._total_target((Metric.COVERED,))


def _year_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 1, 1)


def _coverage_rows(queryset, day: dt.date, *, segments: bool = True):
    """(region, measure, dim, item) → count at ``day`` for the coverage measures, and the
    sponsorships started since 1 January of ``day``'s year: one query. ``segments=False``:
    the totals only, without the formal/informal rows (half of the rows)."""
    counts: dict[tuple, int] = defaultdict(int)
    rows = (
        queryset.filter(
            measure__in=[s.SPONSORED, s.SELF_PAID, s.STARTED],
            dim__in=["", "seg"] if segments else [""],
            day__lte=day,
        )
        .exclude(measure=s.STARTED, day__lt=_year_start(day))
        .values_list("region_code", "measure", "dim", "item")
        .annotate(n=Sum("delta"))
    )
    # A regency's villages are thousands of rows: read as plain tuples, without the ORM's
    # conversions of every row (they were a third of a regency page's summary reading).
    statement, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for code, measure, dim, item, n in cursor.fetchall():
            counts[(code, measure, dim, item)] += int(n)  # PostgreSQL sums to numeric
    return counts


def region_names(codes: list[str]) -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(code__in=[c for c in codes if c])}


def region_name(code: str) -> str:
    if not code:
        return str(_("Indonesia"))
    region = Region.objects.filter(code=code).first()
    return region.display_name if region else code


def figures_for(
    codes: list[str],
    day: dt.date,
    counts: dict | None = None,
    names: dict[str, Region] | None = None,
    within: str | None = None,
    all_segments: bool = True,
    targets: dict[str, list[TargetProgress]] | None = None,
) -> list[RegionFigures]:
    """Headline figures of several regions at ``day`` (for tables of children).

    ``within``: a region that contains all of ``codes`` (the root of :func:`tree`);
    ``all_segments=False``: formal/informal figures only where a target needs them."""
    if counts is None:
        counts = _coverage_rows(Tally.objects.filter(region_code__in=codes), day)
    if names is None:
        names = region_names(codes)
    if targets is None:
        targets = targets_for(codes, day.year, within)
    workforce = workforce_for([c for c in codes if c], day.year, within)
    reported = reported_for([c for c in codes if c], day, within)
    result = []
    for code in codes:
        progress = targets.get(code, [])
        own_reported = reported.get(code, {})
        own_workforce = workforce.get(code, {})
        segments = {}
        # The formal/informal figures are built for the region a page is about, and for a
        # region in a list only when it has a target of that segment.
        wanted = SEGMENTS if all_segments else {p.target.segment for p in progress}
        for segment in SEGMENTS:
            if segment not in wanted:
                continue
            wf, alternatives = own_workforce.get(segment, (None, []))
            segments[segment] = SegmentFigures(
                segment,
                sponsored=counts.get((code, s.SPONSORED, "seg", segment), 0),
                self_paid=counts.get((code, s.SELF_PAID, "seg", segment), 0),
                started=counts.get((code, s.STARTED, "seg", segment), 0),
                reported=own_reported.get(segment),
                workforce=wf,
                alternatives=alternatives,
            )
        wf, alternatives = own_workforce.get(Segment.TOTAL, (None, []))
        parts = [own_reported[g] for g in SEGMENTS if g in own_reported]
        total_reported = None
        if parts:
            total_reported = Reported(
                sum(p.count for p in parts),
                max(p.as_of for p in parts),
                "; ".join(dict.fromkeys(p.source for p in parts)),
            )
        segments[Segment.TOTAL] = SegmentFigures(
            Segment.TOTAL,
            sponsored=counts.get((code, s.SPONSORED, "", ""), 0),
            self_paid=counts.get((code, s.SELF_PAID, "", ""), 0),
            started=counts.get((code, s.STARTED, "", ""), 0),
            reported=total_reported,
            reported_parts=len(parts),
            workforce=wf,
            alternatives=alternatives,
        )
        for item in progress:
            _measure(item, segments)
        region = names.get(code)
        result.append(
            RegionFigures(
                code=code,
                name=region.display_name if region else str(_("Indonesia")),
                level=region.level if region else 0,
                date=day,
                segments=segments,
                targets=progress,
            )
        )
    return result


def tree(code: str, day: dt.date, depth: int = 1) -> list[list[RegionFigures]]:
    """Figures of a region and of the regions 1 … ``depth`` levels below it, level by
    level (``[[region], children, grandchildren]``), each level in code order; regions
    without any data are included (zeros). Two summary queries for all of them: the
    region's own rows, and its descendants' rows found by their parent's code."""
    level = level_of(code) if code else 0
    depth = max(0, min(depth, 4 - level))
    regions = Region.objects.filter(level__gt=level, level__lte=level + depth)
    if code:
        regions = regions.filter(code__startswith=f"{code}.")
    found = list(regions.order_by("code"))
    names = {r.code: r for r in found}
    if code:
        names.update(region_names([code]))
    codes = [code, *names.keys() - {code}]
    parents = sorted({code, *(r.code for r in found if r.level < level + depth)})
    within = code if code and len(codes) > 100 else None
    targets = targets_for(codes[1:], day.year, within)
    # The regions below show formal/informal figures only for a target of that segment.
    segments = any(p.target.segment != Segment.TOTAL for ts in targets.values() for p in ts)
    # Two queries rather than one with OR: each is then an index-only scan on PostgreSQL
    # (migration 0004), where an OR of two indexes must visit every row's heap page.
    counts = _coverage_rows(Tally.objects.filter(region_code=code), day)
    descendants = Tally.objects.filter(parent_code__in=parents)
    counts.update(_coverage_rows(descendants, day, segments=segments))
    figures = {
        f.code: f for f in figures_for(codes[1:], day, counts, names, within, False, targets)
    }
    figures[code] = figures_for([code], day, counts, names)[0]
    levels = [[figures[code]]]
    for below in range(level + 1, level + depth + 1):
        levels.append([figures[r.code] for r in found if r.level == below])
    return levels


def children_figures(code: str, day: dt.date, *, depth: int = 1) -> list[RegionFigures]:
    """The regions ``depth`` levels below ``code`` (1: children, 2: grandchildren)."""
    levels = tree(code, day, depth)
    return levels[depth] if len(levels) > depth else []


# ---- breakdowns of one region --------------------------------------------------------------


@dataclass
class Slice:
    """The indicators of the workers of one category, one sex or one occupation.

    Members outside the registry (reported by the insurer) are not in any slice: they are
    counted, not known one by one. Quota places and budgets belong to programs, not to
    workers: a slice has the places its workers hold, not places of its own."""

    sponsored: int = 0
    self_paid: int = 0
    started: int = 0  # sponsorships started from 1 January of the date's year
    expiring: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_funder: dict[str, int] = field(default_factory=dict)  # sponsored, per funder
    quota_used: int = 0  # places of the date's year's programs held
    retention: dict[int, list[int]] = field(
        default_factory=lambda: {k: [0, 0] for k in s.RETENTION_MONTHS}
    )  # k months → [ended, still covered]
    billed: int = 0  # premiums billed, programs of the date's year, rupiah

    @property
    def covered(self) -> int:
        return self.sponsored + self.self_paid

    def is_empty(self) -> bool:
        return not (
            self.covered
            or self.started
            or self.expiring
            or any(self.by_state.values())
            or self.quota_used
            or any(n for n, _kept in self.retention.values())
            or self.billed
        )


@dataclass
class Breakdowns:
    by_category: dict[str, int]  # covered
    by_occupation: dict[str, int]
    by_sex: dict[str, int]
    by_funder: dict[str, int]  # sponsored
    by_state: dict[str, int]
    expiring: int
    retention: dict[int, tuple[int, int]]  # k months → (ended, still covered)
    quota_places: int
    quota_used: int
    # Every indicator per category, sex and occupation: ``by["cat"]["kader_desa"]``.
    by: dict[str, dict[str, Slice]] = field(default_factory=dict)

    @property
    def quota_fill_bp(self) -> int | None:
        return rate_bp(self.quota_used, self.quota_places)


def _move(item: str) -> tuple[str, str]:
    """``"submitted>active"`` → ``("submitted", "active")``; ``">proposed"`` → ``("",
    "proposed")`` (see ``summary.MOVE``)."""
    came, _sep, went = item.partition(s.MOVE)
    return came, went


def _retained(counts: list[int], outcome: str, n: int) -> None:
    """[ended, still covered] of a retention cohort, from its ``kept``/``lost`` rows."""
    counts[0] += n
    if outcome == "kept":
        counts[1] += n


def _split(text: str) -> tuple[str, str]:
    """``"active/kader_desa"`` → ``("active", "kader_desa")`` (see ``summary.SEP``)."""
    own, _sep, value = text.partition(s.SEP)
    return own, value


def retention_by(code: str, day: dt.date, by: str) -> dict[str, dict[int, tuple[int, int]]]:
    """Retention of a region's sponsored workers per program (``by="prog"``) or per Perisai
    agent (``"agent"``): for each, k months → (ended by ``day``, still covered k months
    after their sponsored months). Keys are the program's or agent's id, as text."""
    if by not in s.RETENTION_BY:
        raise ValueError(by)
    rows = (
        Tally.objects.filter(
            region_code=code,
            measure=s.RETAINED,
            dim__in=[f"{k}{s.SEP}{by}" for k in s.RETENTION_MONTHS],
            day__lte=day,
        )
        .values_list("dim", "item")
        .annotate(n=Sum("delta"))
    )
    found: dict[str, dict[int, list[int]]] = defaultdict(
        lambda: {k: [0, 0] for k in s.RETENTION_MONTHS}
    )
    for dim, item, n in rows:
        outcome, key = _split(item)
        _retained(found[key][int(_split(dim)[0])], outcome, n)
    return {
        key: {k: (v[0], v[1]) for k, v in months.items()} for key, months in sorted(found.items())
    }


def children_retention(code: str, day: dt.date) -> dict[str, dict[int, tuple[int, int]]]:
    """Retention of each child of a region (its districts, villages…) at ``day``: one query
    over the children's own rows."""
    rows = (
        Tally.objects.filter(
            parent_code=code,
            measure=s.RETAINED,
            dim__in=[str(k) for k in s.RETENTION_MONTHS],
            day__lte=day,
        )
        .values_list("region_code", "dim", "item")
        .annotate(n=Sum("delta"))
    )
    found: dict[str, dict[int, list[int]]] = defaultdict(
        lambda: {k: [0, 0] for k in s.RETENTION_MONTHS}
    )
    for child, dim, item, n in rows:
        _retained(found[child][int(dim)], item, n)
    return {child: {k: (v[0], v[1]) for k, v in months.items()} for child, months in found.items()}


def breakdowns(code: str, day: dt.date) -> Breakdowns:
    """Every breakdown of a region at ``day``: two queries over the region's own rows."""
    started_from = _year_start(day)
    rows = (
        Tally.objects.filter(region_code=code, day__lte=day)
        .exclude(measure=s.EXPIRING)
        .values_list("measure", "dim", "item")
        .annotate(
            n=Sum("delta"),
            in_year=Sum(
                Case(
                    When(day__gte=started_from, then=F("delta")),
                    default=Value(0),
                    output_field=BigIntegerField(),
                )
            ),
        )
    )
    by = defaultdict(lambda: defaultdict(int))
    slices: dict[str, dict[str, Slice]] = {b: defaultdict(Slice) for b in s.BY}
    retention = {k: [0, 0] for k in s.RETENTION_MONTHS}
    states: dict[str, int] = defaultdict(int)
    held = places = 0
    year = str(day.year)
    for measure, dim, item, n, in_year in rows:
        if s.SEP in dim:
            own, b = _split(dim)
            if b not in slices:
                continue  # retention per program or agent: read by ``retention_by``
            # Premiums billed have no item of their own (``dim`` is the program's year).
            own_item, value = ("", item) if measure == s.BILLED else _split(item)
            part = slices[b][value]
            if measure == s.SPONSORED:  # own == "fund": the sponsored are the sum
                part.by_funder[own_item] = part.by_funder.get(own_item, 0) + n
                part.sponsored += n
                by[b][value] += n
            elif measure == s.STATE:
                came, went = _move(own_item)
                part.by_state[went] = part.by_state.get(went, 0) + n
                if came:
                    part.by_state[came] = part.by_state.get(came, 0) - n
                if own == year:
                    part.quota_used += n * ((went in HOLDING) - (came in HOLDING))
            elif measure == s.RETAINED:
                _retained(part.retention[int(own)], own_item, n)
            elif measure == s.BILLED and own == year:
                part.billed += n
        elif measure == s.SELF_PAID and dim in s.BY:
            by[dim][item] += n
            slices[dim][item].self_paid += n
        elif measure == s.STARTED and dim in s.BY:
            slices[dim][item].started += in_year
        elif measure == s.SPONSORED and dim == "fund":
            by["fund"][item] += n
        elif measure == s.STATE:
            came, went = _move(item)
            states[went] += n
            if came:
                states[came] -= n
            if dim == year:
                held += n * ((went in HOLDING) - (came in HOLDING))
        elif measure == s.PLACES and dim == year:
            places += n
        elif measure == s.RETAINED:
            _retained(retention[int(dim)], item, n)
    # Spells that end within 30 days of ``day`` and started by then (``item`` starts with
    # the effective date): a handful of rows, sorted out here.
    ends = (
        Tally.objects.filter(
            region_code=code,
            measure=s.EXPIRING,
            day__gte=day,
            day__lte=day + dt.timedelta(days=EXPIRING_DAYS),
        )
        .values_list("dim", "item")
        .annotate(n=Sum("delta"))
    )
    expiring = 0
    started_by = day.isoformat()
    for dim, item, n in ends:
        effective, value = _split(item)
        if effective > started_by:
            continue
        if dim == "":
            expiring += n
        elif dim in s.BY:
            slices[dim][value].expiring += n

    def clean(values: dict) -> dict:
        return {k: v for k, v in sorted(values.items(), key=lambda kv: -kv[1]) if v}

    def order(parts: dict[str, Slice]) -> dict[str, Slice]:
        kept = {}
        for key, part in sorted(parts.items(), key=lambda kv: (-kv[1].covered, kv[0])):
            if part.is_empty():
                continue
            part.by_state = {
                st.value: part.by_state[st.value] for st in State if part.by_state.get(st.value)
            }
            part.by_funder = clean(part.by_funder)
            kept[key] = part
        return kept

    return Breakdowns(
        by_category=clean(by["cat"]),
        by_occupation=clean(by["occ"]),
        by_sex=clean(by["sex"]),
        by_funder=clean(by["fund"]),
        by_state={st.value: states.get(st.value, 0) for st in State if states.get(st.value)},
        expiring=expiring,
        retention={k: (v[0], v[1]) for k, v in retention.items()},
        quota_places=places,
        quota_used=held,
        by={b: order(parts) for b, parts in slices.items()},
    )


# ---- monthly series ------------------------------------------------------------------------


@dataclass
class MonthPoint:
    month: dt.date  # first day of the month
    day: dt.date  # the day the values are read (month end, or the last day asked)
    sponsored: int
    self_paid: int
    started_in_year: int
    reported: int
    workforce: Workforce | None
    by_segment: dict[str, int]  # registry + reported, per segment

    @property
    def registry(self) -> int:
        return self.sponsored + self.self_paid

    @property
    def covered(self) -> int:
        return self.registry + self.reported

    @property
    def rate_bp(self) -> int | None:
        return rate_bp(self.covered, self.workforce.count if self.workforce else None)

    @property
    def rate(self) -> float | None:
        return percent(self.rate_bp)


def month_span(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def series(
    code: str, first: dt.date, last: dt.date, until: dt.date | None = None
) -> list[MonthPoint]:
    """One point per month from ``first`` to ``last`` (months), read at each month's end
    (or at ``until`` for the month containing it)."""
    months = month_span(first, last)
    if not months:
        return []
    ends = [min(add_months(m, 1) - dt.timedelta(days=1), until or dt.date.max) for m in months]
    rows = (
        Tally.objects.filter(
            region_code=code,
            measure__in=[s.SPONSORED, s.SELF_PAID, s.STARTED],
            dim__in=["", "seg"],
            day__lte=ends[-1],
        )
        .values_list("day", "measure", "dim", "item")
        .annotate(n=Sum("delta"))
        .order_by("day")
    )
    events = list(rows)
    points = []
    reported_rows = (
        list(ReportedCoverage.objects.filter(region_id=code, as_of__lte=ends[-1]).order_by("as_of"))
        if code
        else []
    )
    figures = list(WorkforceFigure.objects.filter(region_id=code)) if code else []
    totals: dict[tuple, int] = defaultdict(int)
    started_by_year: dict[int, int] = defaultdict(int)
    position = 0
    for month, end in zip(months, ends, strict=True):
        while position < len(events) and events[position][0] <= end:
            day, measure, dim, item, n = events[position]
            if measure == s.STARTED:
                if dim == "":
                    started_by_year[day.year] += n
            else:
                totals[(measure, dim, item)] += n
            position += 1
        started = started_by_year[end.year]
        latest: dict[str, ReportedCoverage] = {}
        for row in reported_rows:
            if row.as_of <= end:
                latest[row.segment] = row
        by_segment = {
            g: totals[(s.SPONSORED, "seg", g)]
            + totals[(s.SELF_PAID, "seg", g)]
            + (latest[g].count if g in latest else 0)
            for g in SEGMENTS
        }
        points.append(
            MonthPoint(
                month=month,
                day=end,
                sponsored=totals[(s.SPONSORED, "", "")],
                self_paid=totals[(s.SELF_PAID, "", "")],
                started_in_year=started,
                reported=sum(r.count for r in latest.values()),
                workforce=pick_workforce(figures, end.year)[Segment.TOTAL][0],
                by_segment=by_segment,
            )
        )
    return points
