"""Reads for the dashboards, the exports and the API, always within the user's region.

A region outside the user's scope does not exist for them (404), as everywhere else
(``accounts.scope``). Every read first brings the summary up to date
(:func:`lindung.coverage.summary.ensure_fresh`): one indexed probe when nothing changed.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _

from lindung.accounts.scope import in_scope, scope_code
from lindung.agents.models import Agent
from lindung.coverage import cache, formal, indicators, summary
from lindung.coverage.budget import BudgetSummary, budget_summary
from lindung.people.categories import Category
from lindung.people.models import Occupation, Person
from lindung.programs.models import Program, add_months
from lindung.regions.codes import ancestors, level_of
from lindung.regions.models import Region
from lindung.targets import splitting
from lindung.targets.selectors import check_region

SERIES_MONTHS = 12


def default_region(user) -> str:
    scope = scope_code(user)
    if scope == "-":
        raise Http404
    return scope or indicators.COUNTRY


def breadcrumbs(user, code: str) -> list[tuple[str, str]]:
    """(code, name) from the broadest region the user may see down to ``code``."""
    items = []
    if scope_code(user) is None:
        items.append((indicators.COUNTRY, "Indonesia"))
    if code:
        names = indicators.region_names(ancestors(code))
        for ancestor in ancestors(code):
            if in_scope(user, ancestor) and ancestor in names:
                items.append((ancestor, names[ancestor].display_name))
    return items


@dataclass
class Dashboard:
    region: Region | None
    code: str
    date: dt.date
    figures: indicators.RegionFigures
    breakdowns: indicators.Breakdowns
    series: list[indicators.MonthPoint]
    children: list[indicators.RegionFigures]
    villages: list[indicators.RegionFigures]
    budget: BudgetSummary
    warnings: list[splitting.SplitWarning] = field(default_factory=list)
    # program (agent) id → (its name, k months → (ended, still covered))
    retention_by_program: dict[str, tuple[str, dict]] = field(default_factory=dict)
    retention_by_agent: dict[str, tuple[str, dict]] = field(default_factory=dict)

    @property
    def level(self) -> int:
        return level_of(self.code) if self.code else 0

    @property
    def children_level(self) -> int:
        return self.level + 1

    @property
    def ranked_villages(self) -> list[indicators.RegionFigures]:
        return ranked(self.villages)


def ranked(villages: list[indicators.RegionFigures]) -> list[indicators.RegionFigures]:
    """Villages furthest from their target first; those without a target last."""

    def key(item: indicators.RegionFigures):
        progress = item.primary_target
        achievement = progress.achievement if progress else None
        return (achievement is None, achievement if achievement is not None else 0, item.code)

    return sorted(villages, key=key)


def dashboard(
    user, code: str, day: dt.date, *, months: int = SERIES_MONTHS, villages: bool = True
) -> Dashboard:
    """Everything a region's dashboard shows. ``villages=False``: a regency's page without
    its villages (hundreds of them, read by :func:`villages_of` in a second request)."""
    region = check_region(user, code)
    summary.ensure_fresh()
    code = region.code if region else indicators.COUNTRY
    return cache.remember(
        "dashboard",
        (code, day, months, villages),
        lambda: _dashboard(region, code, day, months, villages),
    )


def _dashboard(region, code: str, day: dt.date, months: int, villages: bool) -> Dashboard:
    first = add_months(day.replace(day=1), 1 - months)
    level = level_of(code) if code else 0
    # A regency's page lists its villages too (ranked by distance to their target); a
    # district's children are villages already.
    with_villages = level == 2 and villages
    levels = indicators.tree(code, day, depth=2 if with_villages else 1)
    figures = levels[0][0]
    children = levels[1] if len(levels) > 1 else []
    villages = levels[2] if with_villages else (children if level == 3 else [])
    return Dashboard(
        region=region,
        code=code,
        date=day,
        figures=figures,
        breakdowns=indicators.breakdowns(code, day),
        series=indicators.series(code, first, day, until=day),
        children=children,
        villages=villages,
        budget=budget_summary(code, day),
        warnings=splitting.warnings_for(code, day.year) if code else [],
        retention_by_program=retention_by_program(code, day),
        retention_by_agent=retention_by_agent(code, day),
    )


def formal_of(board: Dashboard) -> formal.FormalFigures:
    """The formal coverage of a dashboard's region (already checked against the user's
    scope), with the informal segment of the board beside it."""
    figures = formal.formal_figures(board.code, board.date)
    return formal.with_informal(figures, board.figures.segments, board.figures.targets)


def claims_of(code: str, day: dt.date):
    """The claims section of region ``code`` at ``day`` (scope checked by the caller), kept
    in the figures cache: claims, bills and billing runs make it old
    (``coverage.apps.FIGURE_SOURCES``)."""
    from lindung.claims.figures import claims_figures

    return cache.remember("claims", (code, day), lambda: claims_figures(code, day))


def funnels_of(user, code: str, day: dt.date):
    """The verification funnel of each program of ``day``'s year reaching region ``code``
    (404 outside the user's scope), kept in the figures cache: proposals, verifications,
    the insurer's answers (``records_changed``) and agreed lists make it old."""
    from lindung.programs.selectors import region_funnels

    region = check_region(user, code)
    code = region.code if region else ""
    return cache.remember("funnels", (code, day), lambda: region_funnels(code, day.year, today=day))


def retention_by_program(code: str, day: dt.date) -> dict[str, tuple[str, dict]]:
    """The region's retention per program, with the programs' names, newest first."""
    return _named_retention(code, day, "prog", Program)


def retention_by_agent(code: str, day: dt.date) -> dict[str, tuple[str, dict]]:
    """The region's retention per Perisai agent who enrolled or took over the workers."""
    return _named_retention(code, day, "agent", Agent)


def agent_retention(agent: Agent, day: dt.date) -> dict[int, tuple[int, int]]:
    """Retention of the workers one agent enrolled or took over, in its regency (the caller
    has checked that the user may see the agent: ``agents.selectors.get_agent``)."""
    summary.ensure_fresh()
    found = cache.remember(
        "agent-retention",
        (agent.regency_id, day),
        lambda: indicators.retention_by(agent.regency_id, day, "agent"),
    )
    return found.get(str(agent.pk), {k: (0, 0) for k in summary.RETENTION_MONTHS})


def _named_retention(code: str, day: dt.date, by: str, model) -> dict[str, tuple[str, dict]]:
    found = indicators.retention_by(code, day, by)
    names = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=[int(k) for k in found])}
    ordered = sorted(found, key=lambda k: -int(k))
    return {k: (names.get(int(k), k), found[k]) for k in ordered}


def villages_region(user, code: str) -> Region:
    """The regency or district whose village table is asked for (404 for any other level,
    and outside the user's region), with the summary brought up to date."""
    region = check_region(user, code)
    if region is None or region.level not in (2, 3):
        raise Http404
    summary.ensure_fresh()
    return region


def villages_of(user, code: str, day: dt.date) -> tuple[Region, list[indicators.RegionFigures]]:
    """The villages of a regency or a district, ranked as on its dashboard."""
    region = villages_region(user, code)
    depth = 4 - region.level
    levels = cache.remember(
        "tree", (region.code, day, depth), lambda: indicators.tree(region.code, day, depth=depth)
    )
    return region, ranked(levels[-1])


def region_indicators(user, code: str, day: dt.date):
    """The API's view of one region: figures, breakdowns and budget, no children."""
    region = check_region(user, code)
    summary.ensure_fresh()
    code = region.code if region else indicators.COUNTRY
    return cache.remember(
        "indicators",
        (code, day),
        lambda: (
            indicators.figures_for([code], day)[0],
            indicators.breakdowns(code, day),
            budget_summary(code, day),
        ),
    )


def region_series(user, code: str, first: dt.date, last: dt.date, until: dt.date):
    region = check_region(user, code)
    summary.ensure_fresh()
    code = region.code if region else indicators.COUNTRY
    return cache.remember(
        "series",
        (code, first, last, until),
        lambda: indicators.series(code, first, last, until=until),
    )


@dataclass
class RetentionReport:
    code: str
    name: str
    by: str
    total: dict[int, tuple[int, int]]
    groups: list[tuple[str, str, dict[int, tuple[int, int]]]]


# The API's names of the breakdowns by the worker, and the summary's.
WORKER_BREAKDOWNS = {"category": "cat", "sex": "sex", "occupation": "occ"}


def region_retention(
    user, code: str, day: dt.date, by: str, program: int | None = None
) -> RetentionReport:
    """Retention of a region at a date, as a whole and per group (``by``: ``region`` for
    its children, a breakdown by the worker, or ``program``); ``program``: that program's
    workers only."""
    region = check_region(user, code)
    summary.ensure_fresh()
    code = region.code if region else indicators.COUNTRY
    return cache.remember(
        "retention", (code, day, by, program), lambda: _retention(code, day, by, program)
    )


def _retention(code: str, day: dt.date, by: str, program: int | None) -> RetentionReport:
    name = indicators.region_name(code) if code else "Indonesia"
    parts = indicators.breakdowns(code, day)
    total = parts.retention
    if by == "agent":
        found = retention_by_agent(code, day)
        groups = [(k, label, months) for k, (label, months) in found.items()]
        return RetentionReport(code, name, by, total, groups)
    if program is not None or by == "program":
        found = retention_by_program(code, day)
        if program is not None:
            found = {k: v for k, v in found.items() if k == str(program)}
            nothing = {k: (0, 0) for k in summary.RETENTION_MONTHS}
            total = found[str(program)][1] if found else nothing
        groups = [(k, label, months) for k, (label, months) in found.items()]
        return RetentionReport(code, name, "program", total, groups)
    if by == "region":
        children = indicators.children_retention(code, day)
        names = indicators.region_names(list(children))
        groups = [
            (child, names[child].display_name if child in names else child, months)
            for child, months in sorted(children.items())
        ]
        return RetentionReport(code, name, by, total, groups)
    dim = WORKER_BREAKDOWNS[by]
    labels = breakdown_names(parts)[dim]
    groups = [
        (value, labels.get(value, value), part.retention)
        for value, part in parts.by.get(dim, {}).items()
        if any(n for n, _kept in part.retention.values())
    ]
    return RetentionReport(code, name, by, total, groups)


def breakdown_names(parts: indicators.Breakdowns) -> dict[str, dict[str, str]]:
    """The name of every value of every breakdown by the worker, as pages and API write it."""
    occupations = dict(
        Occupation.objects.filter(pk__in=[k for k in parts.by["occ"] if k.isdecimal()])
        .order_by()
        .values_list("pk", "name")
    )
    sexes = dict(Person.Sex.choices)
    categories = dict(Category.choices)
    return {
        "cat": {k: str(categories.get(k, k)) for k in parts.by["cat"]},
        "occ": {
            k: str(occupations.get(int(k), k)) if k else _("lainnya (ditulis tangan)")
            for k in parts.by["occ"]
        },
        "sex": {k: str(sexes.get(k, k)) for k in parts.by["sex"]},
    }
