"""Reads of the employer registry, always through ``accounts.scope``."""

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from lindung.accounts.scope import get_scoped_or_404, scoped
from lindung.employers import kbli
from lindung.employers.models import Action, Compliance, Employer, Event, SizeClass
from lindung.people.models import Person
from lindung.regions.codes import DISTRICT, level_of

FILTERS = ("q", "sector", "size", "compliance", "district")


def read_filters(params) -> dict:
    out = {name: (params.get(name) or "").strip()[:60] for name in FILTERS}
    if out["size"] not in SizeClass.values:
        out["size"] = ""
    if out["compliance"] not in Compliance.values:
        out["compliance"] = ""
    if out["sector"] and kbli.parse(out["sector"]) is None:
        out["sector"] = ""
    if out["district"] and level_of(out["district"]) != DISTRICT:
        out["district"] = ""
    return out


def _filtered(queryset: QuerySet, filters: dict) -> QuerySet:
    if filters.get("q"):
        q = filters["q"]
        queryset = queryset.filter(Q(name__icontains=q) | Q(nib=q))
    sector = kbli.parse(filters.get("sector", "")) if filters.get("sector") else None
    if sector:
        section, code = sector
        queryset = (
            queryset.filter(kbli_code=code) if code else queryset.filter(kbli_section=section)
        )
    if filters.get("size"):
        queryset = queryset.filter(size_class=filters["size"])
    if filters.get("compliance"):
        queryset = queryset.filter(compliance=filters["compliance"])
    if filters.get("district"):
        queryset = queryset.filter(district_code=filters["district"])
    return queryset


def employers_for(user, filters: dict | None = None) -> QuerySet:
    queryset = scoped(user, Employer.objects.select_related("village"))
    return _filtered(queryset, filters or {})


def get_employer(user, pk: int) -> Employer:
    return get_scoped_or_404(user, Employer.objects.select_related("village"), pk=pk)


def work_list(user, filters: dict, *, today: dt.date) -> QuerySet:
    """Open employers with workers still uncovered: overdue follow-ups first (the oldest
    first), then the most uncovered workers. Closed and fully covered employers are not on
    it, since there is nobody left to push for."""
    queryset = _filtered(
        scoped(user, Employer.objects.select_related("village")).filter(uncovered__gt=0),
        filters,
    ).exclude(compliance=Compliance.CLOSED)
    overdue = Case(
        When(next_follow_up__lte=today, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(overdue_rank=overdue).order_by(
        "overdue_rank", "next_follow_up", "-uncovered", "id"
    )


def workers_of(user, employer: Employer) -> QuerySet:
    """The employer's workers the user may see (a worker lives where it lives, which may
    be outside the user's region even when the employer is inside)."""
    return scoped(user, Person.objects.filter(employer=employer).select_related("village"))


def actions_of(employer: Employer) -> QuerySet:
    return employer.actions.select_related("officer", "event").order_by("-done_on", "-id")


def events_for(user) -> QuerySet:
    return scoped(user, Event.objects.select_related("village"))


def get_event(user, pk: int) -> Event:
    return get_scoped_or_404(user, Event.objects.select_related("village"), pk=pk)


def event_actions(event: Event, user) -> QuerySet:
    return scoped(
        user, Action.objects.filter(event=event).select_related("employer"), "employer__"
    ).order_by("employer__name")


def districts_for(user):
    """The districts where the user's employers are: the choices of the district filter."""
    from lindung.regions.models import Region

    codes = scoped(user, Employer.objects.all()).values("district_code")
    return Region.objects.filter(code__in=codes).order_by("code")
