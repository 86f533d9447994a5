"""``/api/v1/indicators``: coverage indicators of a region at a date, and a monthly series.

Rates are percentages with two decimals (``34.0`` is 34%), ``null`` when the region has no
workforce figure: a rate is never computed on a made-up denominator. Every figure read
here comes from the summary; the region must lie in the caller's scope (else 404).
"""

import datetime as dt
import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from lindung.claims.api import ClaimFiguresOut
from lindung.coverage import formal, indicators, selectors
from lindung.people.models import Occupation
from lindung.programs import clock
from lindung.programs.models import add_months
from lindung.schemas import DateQuery, Month, MonthQuery, Problems
from lindung.targets.models import Segment

router = Router()
MAX_MONTHS = 120


class WorkforceOut(Schema):
    count: int
    year: int
    definition: str
    definition_label: str
    source: str
    derived_from_segments: bool


class ReportedOut(Schema):
    count: int
    as_of: dt.date
    source: str


class TargetOut(Schema):
    segment: str
    metric: str
    value: float  # a count, or a percentage for metric "rate"
    actual: float | None
    achievement_percent: int | None
    status: str
    inherited_from: str | None


class SegmentOut(Schema):
    covered: int
    registry: int
    sponsored: int
    self_paid: int
    reported: ReportedOut | None
    sponsored_in_year: int
    workforce: WorkforceOut | None
    coverage_rate: float | None
    target: TargetOut | None


class RetentionOut(Schema):
    ended: int
    still_covered: int
    rate: float | None


class QuotaOut(Schema):
    year: int
    places: int
    used: int
    fill_rate: float | None


class SliceOut(Schema):
    """Every indicator of the workers of one category, sex or occupation (``breakdowns``)."""

    covered: int
    sponsored: int
    self_paid: int
    sponsored_in_year: int
    expiring_30_days: int
    by_state: dict[str, int]
    by_funder: dict[str, int]
    retention: dict[str, RetentionOut]
    quota_used: int
    quota_share: float | None
    billed: int


class BudgetOut(Schema):
    programs: int
    allocated: int
    committed: int
    billed: int | None
    paid: int | None


class FormalOut(Schema):
    """Formal coverage from the employer registry (``coverage.formal``; see
    ``docs/employers.md``): registered PU workers ÷ the formal workforce, with the
    denominator's definition and source, the employers' own count as a second denominator,
    the formal targets, the outreach funnel, per sector, size class and region below, and
    the last 12 months."""

    registered_workers: int
    employers: int
    employers_total_workers: int
    coverage_rate: float | None
    workforce: dict | None
    coverage_rate_of_employers_workers: float | None
    employers_denominator: str
    alternative_rates: list[dict]
    targets: list[dict]
    funnel: dict[str, int]
    by_sector: dict[str, dict]
    by_size: dict[str, dict]
    by_region: dict[str, dict]
    trend: list[dict]


class IndicatorsOut(Schema):
    region: str
    region_name: str
    date: dt.date
    covered: int
    sponsored: int
    self_paid: int
    reported: int
    sponsored_in_year: int
    workforce: WorkforceOut | None
    coverage_rate: float | None
    target: TargetOut | None
    targets: list[TargetOut]
    by_segment: dict[str, SegmentOut]
    by_category: dict[str, int]
    by_occupation: dict[str, int]
    by_sex: dict[str, int]
    by_funder: dict[str, int]
    by_state: dict[str, int]
    expiring_30_days: int
    retention: dict[str, RetentionOut]
    quota: QuotaOut
    budget: BudgetOut
    breakdowns: dict[str, dict[str, SliceOut]]
    formal_coverage: FormalOut | None = None
    claims: ClaimFiguresOut | None = None


class MonthOut(Schema):
    month: Month
    date: dt.date
    covered: int
    sponsored: int
    self_paid: int
    reported: int
    sponsored_in_year: int
    workforce: int | None
    coverage_rate: float | None
    by_segment: dict[str, int]


class SeriesOut(Schema):
    region: str
    region_name: str
    months: list[MonthOut]


def _workforce(w: indicators.Workforce | None) -> dict | None:
    if w is None:
        return None
    return {
        "count": w.count,
        "year": w.year,
        "definition": w.definition,
        "definition_label": w.definition_label,
        "source": w.source,
        "derived_from_segments": w.derived,
    }


def _target(p: indicators.TargetProgress | None) -> dict | None:
    if p is None:
        return None
    scale = 100 if p.is_rate else 1
    return {
        "segment": p.target.segment,
        "metric": p.target.metric,
        "value": p.target.value / scale,
        "actual": None if p.actual is None else p.actual / scale,
        "achievement_percent": p.achievement,
        "status": p.status,
        "inherited_from": p.inherited_from or None,
    }


def _segment(figures: indicators.SegmentFigures, targets) -> dict:
    mine = [p for p in targets if p.target.segment == figures.segment]
    reported = figures.reported
    return {
        "covered": figures.covered,
        "registry": figures.registry,
        "sponsored": figures.sponsored,
        "self_paid": figures.self_paid,
        "reported": None
        if reported is None
        else {"count": reported.count, "as_of": reported.as_of, "source": reported.source},
        "sponsored_in_year": figures.started,
        "workforce": _workforce(figures.workforce),
        "coverage_rate": figures.rate,
        "target": _target(mine[0] if mine else None),
    }


def occupation_codes(ids) -> dict[str, str]:
    found = dict(
        Occupation.objects.filter(pk__in=[i for i in ids if str(i).isdecimal()]).values_list(
            "pk", "code"
        )
    )
    return {str(pk): code for pk, code in found.items()}


OTHER_OCCUPATION = "lainnya_tertulis"  # written by hand, not yet matched to the list
# The keys of ``breakdowns``, and the summary's dimension each reads.
BREAKDOWN_KEYS = {"category": "cat", "occupation": "occ", "sex": "sex"}


def _retention(values) -> dict:
    return {
        str(k): {
            "ended": n,
            "still_covered": kept,
            "rate": indicators.percent(indicators.rate_bp(kept, n)),
        }
        for k, (n, kept) in values.items()
    }


def _slice(part: indicators.Slice, places: int) -> dict:
    return {
        "covered": part.covered,
        "sponsored": part.sponsored,
        "self_paid": part.self_paid,
        "sponsored_in_year": part.started,
        "expiring_30_days": part.expiring,
        "by_state": part.by_state,
        "by_funder": part.by_funder,
        "retention": _retention(part.retention),
        "quota_used": part.quota_used,
        "quota_share": indicators.percent(indicators.rate_bp(part.quota_used, places)),
        "billed": part.billed,
    }


def breakdowns_payload(parts: indicators.Breakdowns) -> dict:
    """Per category, occupation (its code) and sex: every indicator of those workers."""
    found = {}
    for key, dim in BREAKDOWN_KEYS.items():
        slices = parts.by.get(dim, {})
        names = occupation_codes(slices) if dim == "occ" else {}
        found[key] = {
            (names.get(value, value or OTHER_OCCUPATION) if dim == "occ" else value): _slice(
                part, parts.quota_places
            )
            for value, part in slices.items()
        }
    return found


def indicators_payload(
    figures: indicators.RegionFigures, parts: indicators.Breakdowns, budget=None
) -> dict:
    """The API's JSON for one region at one date (also what the tests compare pages with)."""
    total = figures.total
    codes = occupation_codes(parts.by_occupation)
    quota_rate = parts.quota_fill_bp
    return {
        "region": figures.code,
        "region_name": figures.name,
        "date": figures.date,
        "covered": total.covered,
        "sponsored": total.sponsored,
        "self_paid": total.self_paid,
        "reported": total.reported_count,
        "sponsored_in_year": total.started,
        "workforce": _workforce(total.workforce),
        "coverage_rate": total.rate,
        "target": _target(figures.primary_target),
        "targets": [_target(p) for p in figures.targets],
        "by_segment": {
            g: _segment(figures.segments[g], figures.targets)
            for g in (Segment.INFORMAL, Segment.FORMAL)
        },
        "by_category": parts.by_category,
        "by_occupation": {
            codes.get(k, OTHER_OCCUPATION): v for k, v in parts.by_occupation.items()
        },
        "by_sex": parts.by_sex,
        "by_funder": parts.by_funder,
        "by_state": parts.by_state,
        "expiring_30_days": parts.expiring,
        "retention": _retention(parts.retention),
        "quota": {
            "year": figures.date.year,
            "places": parts.quota_places,
            "used": parts.quota_used,
            "fill_rate": indicators.percent(quota_rate),
        },
        "budget": None
        if budget is None
        else {
            "programs": len(budget.programs),
            "allocated": budget.budget,
            "committed": budget.committed,
            "billed": budget.billed,
            "paid": budget.paid,
        },
        "breakdowns": breakdowns_payload(parts),
    }


def month_payload(point: indicators.MonthPoint) -> dict:
    return {
        "month": f"{point.month:%Y-%m}",
        "date": point.day,
        "covered": point.covered,
        "sponsored": point.sponsored,
        "self_paid": point.self_paid,
        "reported": point.reported,
        "sponsored_in_year": point.started_in_year,
        "workforce": point.workforce.count if point.workforce else None,
        "coverage_rate": point.rate,
        "by_segment": point.by_segment,
    }


def _invalid(field: str, code: str, message: str) -> Status:
    return Status(422, {"errors": [{"field": field, "code": code, "message": message}]})


def _parse_month(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        return None  # a month 13 or a year 0000 is no month
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


@router.get(
    "",
    response={200: IndicatorsOut, 422: Problems},
    summary="Indikator cakupan satu wilayah pada satu tanggal",
)
def region_indicators(request, region: str = "", date: DateQuery = ""):
    """``region``: a Kemendagri code (empty: the caller's own region); ``date``:
    ``YYYY-MM-DD`` (empty: today)."""
    day = clock.today()
    if date:
        try:  # the documented form only (fromisoformat would also take 20241231)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                raise ValueError(date)
            day = dt.date.fromisoformat(date)
        except ValueError:
            return _invalid(
                "date",
                "date_invalid",
                _("Tanggal tidak dikenali: tulis YYYY-MM-DD, mis. 2024-12-31."),
            )
    code = region.strip() or selectors.default_region(request.user)
    figures, parts, budget = selectors.region_indicators(request.user, code, day)
    payload = indicators_payload(figures, parts, budget)
    payload["formal_coverage"] = formal.formal_figures(figures.code, day).as_json()
    payload["claims"] = selectors.claims_of(figures.code, day).as_dict()
    return Status(200, payload)


@router.get(
    "/series",
    response={200: SeriesOut, 422: Problems},
    summary="Deret bulanan indikator cakupan satu wilayah",
)
def region_series(
    request,
    region: str = "",
    from_: Annotated[MonthQuery, Query("", alias="from")] = "",
    to: MonthQuery = "",
):
    """One point per month from ``from`` to ``to`` (``YYYY-MM``), read on the month's last
    day (today for the current month). Default: the last 12 months."""
    today = clock.today()
    last = _parse_month(to) if to else today.replace(day=1)
    first = _parse_month(from_) if from_ else add_months(today.replace(day=1), -11)
    if last is None:
        return _invalid(
            "to", "month_invalid", _("Bulan tidak dikenali: tulis YYYY-MM, mis. 2024-12.")
        )
    if first is None:
        return _invalid(
            "from", "month_invalid", _("Bulan tidak dikenali: tulis YYYY-MM, mis. 2024-01.")
        )
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months < 1 or months > MAX_MONTHS:
        return _invalid(
            "from",
            "range_invalid",
            _("Rentang bulan harus 1 sampai 120 bulan, dan 'from' tidak sesudah 'to'."),
        )
    code = region.strip() or selectors.default_region(request.user)
    points = selectors.region_series(request.user, code, first, last, until=today)
    name = indicators.region_name(code)
    return Status(
        200, {"region": code, "region_name": name, "months": [month_payload(p) for p in points]}
    )


# ---- /api/v1/retention -----------------------------------------------------------------------

retention_router = Router()
RETENTION_BY = ("region", "category", "sex", "occupation", "program", "agent")


class RetentionGroupOut(Schema):
    key: str  # a region code, a category, a sex, an occupation id, a program or agent id
    name: str
    retention: dict[str, RetentionOut]  # "1", "3", "6" months after the sponsored months


class RetentionReportOut(Schema):
    region: str
    region_name: str
    date: dt.date
    by: str
    retention: dict[str, RetentionOut]  # the region as a whole (or the one program asked)
    groups: list[RetentionGroupOut]


@retention_router.get(
    "",
    response={200: RetentionReportOut, 422: Problems},
    summary="Retensi: pekerja yang tetap terlindungi 1, 3 dan 6 bulan sesudah masa sponsor",
)
def retention(
    request, region: str = "", date: DateQuery = "", by: str = "region", program: int = 0
):
    """``by``: ``region`` (the region's children), ``category``, ``sex``, ``occupation``,
    ``program`` or ``agent`` (the Perisai agent of the enrollment); ``program``: only that
    program's workers (its id; ``by`` is then ``program``). ``date``: ``YYYY-MM-DD`` (empty:
    today)."""
    day = clock.today()
    if date:
        try:
            day = dt.date.fromisoformat(date.strip())
        except ValueError:
            return _invalid(
                "date",
                "date_invalid",
                _("Tanggal tidak dikenali: tulis YYYY-MM-DD, mis. 2024-12-31."),
            )
    if by not in RETENTION_BY:
        return _invalid(
            "by",
            "by_invalid",
            _(
                "Rincian tidak dikenali: pilih region, category, sex, occupation, program "
                "atau agent."
            ),
        )
    code = region.strip() or selectors.default_region(request.user)
    report = selectors.region_retention(request.user, code, day, by, program or None)
    return Status(
        200,
        {
            "region": report.code,
            "region_name": report.name,
            "date": day,
            "by": report.by,
            "retention": _retention(report.total),
            "groups": [
                {"key": key, "name": name, "retention": _retention(months)}
                for key, name, months in report.groups
            ],
        },
    )
