"""Reads that decide what a dashboard opens on: the latest date with data, and the target
to show when the date's year has none. Within the user's region (404 outside it), as
every read of the figures (:func:`lindung.targets.selectors.check_region`)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from lindung.coverage import cache, indicators, summary
from lindung.coverage.models import Tally
from lindung.regions.codes import ancestors
from lindung.targets.models import Target
from lindung.targets.selectors import check_region


@dataclass(frozen=True)
class Opening:
    """The date a dashboard opens on when none is asked for."""

    day: dt.date
    today: dt.date

    @property
    def is_today(self) -> bool:
        return self.day == self.today


def opening_day(user, code: str, today: dt.date) -> Opening:
    """Today when workers of the registry are covered today in the region; otherwise the
    last day before today on which some were (a program's months over, nobody paying on
    their own yet): the page opens on the answer rather than on zeros. Today when the
    region never had any."""
    region = check_region(user, code)
    code = region.code if region else indicators.COUNTRY
    summary.ensure_fresh()
    day = cache.remember("opening-day", (code, today), lambda: _last_covered_day(code, today))
    return Opening(day or today, today)


def _last_covered_day(code: str, today: dt.date) -> dt.date | None:
    # The covered count only changes on the days of its summary rows: between two of
    # them it stays as it is, so the last covered day is the day before the change that
    # brought it to zero (a regency's rows: a few thousand days at most).
    changes = list(
        Tally.objects.filter(
            region_code=code,
            measure__in=[summary.SPONSORED, summary.SELF_PAID],
            dim="",
            day__lte=today,
        )
        .values_list("day")
        .annotate(n=Sum("delta"))
        .order_by("day")
    )
    running, found = 0, None
    for index, (_day, delta) in enumerate(changes):
        running += int(delta)
        if running > 0:
            following = changes[index + 1][0] if index + 1 < len(changes) else None
            found = following - dt.timedelta(days=1) if following else today
    return found


@dataclass(frozen=True)
class EarlierTarget:
    """The last year before the date's year that has targets, and the region's figures at
    the end of that year measured against them."""

    year: int
    as_of: dt.date
    figures: indicators.RegionFigures


def earlier_target(user, code: str, day: dt.date) -> EarlierTarget | None:
    """When the date's year has no target for the region (nor a rate target above it),
    the last year before it that has one, measured on its 31 December."""
    region = check_region(user, code)
    if region is None:
        return None
    years = (
        Target.objects.filter(region_id__in=ancestors(region.code), year__lt=day.year)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    year = next(iter(years), None)
    if year is None:
        return None
    as_of = dt.date(year, 12, 31)
    figures = indicators.figures_for([region.code], as_of)[0]
    if not figures.targets:  # only count targets of regions above: not the region's
        return None
    return EarlierTarget(year, as_of, figures)
