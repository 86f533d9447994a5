"""Reads of the employer registry, always through ``accounts.scope``."""

import datetime as dt

from django.db.models import Q, QuerySet

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


# The work list counts its employers up to this many (see ``WorkList.count``).
COUNT_CAP = 1_000


class WorkList:
    """The work list as two index-ordered sections read one after the other, so that a page
    is two short index ranges instead of a sort of every open employer of a province:
    the overdue follow-ups (oldest first, along ``employer_follow_up``), then the others,
    most uncovered workers first (along the partial index ``employer_worklist_open``).
    A ``Paginator`` takes it like a queryset (``count`` and slices)."""

    def __init__(self, base: QuerySet, today: dt.date):
        self.overdue = base.filter(next_follow_up__lte=today).order_by("next_follow_up", "id")
        self.rest = base.filter(Q(next_follow_up__isnull=True) | Q(next_follow_up__gt=today))
        self.rest = self.rest.order_by("-uncovered", "id")
        self._overdue_count = None
        self._count = None
        self.capped = False

    def overdue_count(self) -> int:
        if self._overdue_count is None:
            self._overdue_count = self.overdue[: COUNT_CAP + 1].count()
        return self._overdue_count

    def count(self) -> int:
        """At most ``COUNT_CAP``: a count stops there (``capped`` says so), since counting
        every open employer of a province would cost more than the page itself, and nobody
        pages through more than a few hundred."""
        if self._count is None:
            first = self.overdue_count()
            rest = self.rest[: max(COUNT_CAP + 1 - first, 0)].count()
            self._count = min(first + rest, COUNT_CAP)
            self.capped = first + rest > COUNT_CAP
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        first = self.overdue_count()
        rows = []
        if start < first:
            rows += [_ranked(e, 0) for e in self.overdue[start : min(stop, first)]]
        if stop > first:
            rows += [_ranked(e, 1) for e in self.rest[max(start - first, 0) : stop - first]]
        return rows


def _ranked(employer: Employer, rank: int) -> Employer:
    employer.overdue_rank = rank
    return employer


def work_list(user, filters: dict, *, today: dt.date) -> WorkList:
    """Open employers with workers still uncovered: overdue follow-ups first (the oldest
    first), then the most uncovered workers. Closed and fully covered employers are not on
    it, since there is nobody left to push for."""
    base = _filtered(
        scoped(user, Employer.objects.select_related("village")).filter(uncovered__gt=0),
        filters,
    ).exclude(compliance=Compliance.CLOSED)
    return WorkList(base, today)


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
    """The districts of the user's region (for the whole country: those with employers),
    the choices of the district filter."""
    from lindung.accounts.scope import scope_code
    from lindung.regions.models import Region

    scope = scope_code(user)
    if scope is None:
        codes = Employer.objects.values("district_code")
        return Region.objects.filter(code__in=codes).order_by("code")
    if scope == "-":
        return Region.objects.none()
    district = scope[:8] if level_of(scope) > DISTRICT else scope
    regions = Region.objects.filter(level=DISTRICT)
    if level_of(district) == DISTRICT:
        return regions.filter(code=district)
    return regions.filter(code__startswith=district + ".").order_by("code")
