"""Reads about agents, always inside the reader's region (``lindung.accounts.scope``) and,
for an agent's own user, inside its organisation's portfolio.

An agent's user sees its own organisation and no other: a coordinator sees all the
organisation's agents (a holding's coordinator also its member BumDes and their agents),
any other agent only itself. Its portfolio is the villages those serve, plus the workers
attributed to those agents. Everything else is 404, as anything outside a region is.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.http import Http404

from lindung.accounts.models import Role
from lindung.accounts.scope import get_scoped_or_404, scope_code, scoped, within
from lindung.agents.models import Agent, AgentVillage, Contact, Organisation, OrganisationVillage
from lindung.agents.services import CONTACTABLE
from lindung.programs.lifecycle import OPEN, State
from lindung.programs.models import Enrollment, Program, add_months
from lindung.regions.codes import REGENCY, level_of

# Sponsored coverage ending within this many days comes first on the work list.
ENDING_DAYS = 30
# Contributions may be paid at most this many months late; then the membership has ended.
ARREARS_MONTHS = 3


def _valid_pk(pk) -> bool:
    try:
        return 0 < int(pk) < 2**63
    except (TypeError, ValueError):
        return False


def agent_of(user) -> Agent | None:
    """The agent a user signs in as, if any."""
    if user is None or not user.pk:
        return None
    return getattr(user, "agent", None)


def _regency_scope(user, *, served: str) -> Q | None:
    """Organisations or agents inside the user's region: those of a regency in it, or, for a
    user of a district or village, those serving a village there. ``None``: nothing."""
    scope = scope_code(user)
    if scope is None:
        return Q()
    if scope == "-":
        return None
    if level_of(scope) <= REGENCY:
        return Q(regency_id=scope) | Q(regency__code__startswith=f"{scope}.")
    return Q(**{f"{served}__in": _served_in(scope)})


def _served_in(scope: str):
    return OrganisationVillage.objects.filter(within(scope)).values("organisation")


def _own_organisations(agent: Agent) -> Q:
    """The organisations an agent's user may see."""
    if agent.organisation_id is None:
        return Q(pk__in=[])
    own = Q(pk=agent.organisation_id)
    if agent.is_coordinator and agent.organisation.is_holding:
        own |= Q(parent_id=agent.organisation_id)
    return own


def _own_agents(agent: Agent) -> Q:
    """The agents whose work an agent's user sees: all of its organisation's for a
    coordinator (with the member BumDes' for a holding's), only itself otherwise."""
    if not agent.is_coordinator:
        return Q(pk=agent.pk)
    own = Q(organisation_id=agent.organisation_id)
    if agent.organisation.is_holding:
        own |= Q(organisation__parent_id=agent.organisation_id)
    return own


def organisations_for(user) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("regency", "parent")
    region = _regency_scope(user, served="pk")
    if region is None:
        return organisations.none()
    organisations = organisations.filter(region)
    if user is not None and user.role == Role.AGENT:
        agent = agent_of(user)
        if agent is None:
            return organisations.none()
        organisations = organisations.filter(_own_organisations(agent))
    return organisations.order_by("regency_id", "name")


def get_organisation(user, pk) -> Organisation:
    if not _valid_pk(pk):
        raise Http404
    try:
        return organisations_for(user).get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def agents_for(
    user, *, organisation: Organisation | None = None, status: str = "", q: str = ""
) -> QuerySet[Agent]:
    agents = Agent.objects.select_related("organisation", "regency", "user")
    scope = scope_code(user)
    if scope == "-":
        return agents.none()
    if scope is not None:
        if level_of(scope) <= REGENCY:
            agents = agents.filter(Q(regency_id=scope) | Q(regency__code__startswith=f"{scope}."))
        else:
            agents = agents.filter(
                Q(organisation__in=_served_in(scope))
                | Q(pk__in=AgentVillage.objects.filter(within(scope)).values("agent"))
            )
    if user is not None and user.role == Role.AGENT:
        agent = agent_of(user)
        if agent is None:
            return agents.none()
        agents = agents.filter(_own_agents(agent))
    if organisation is not None:
        agents = agents.filter(organisation=organisation)
    if status:
        agents = agents.filter(status=status)
    if q := " ".join(q.replace("\x00", "").split()):
        agents = agents.filter(Q(full_name__icontains=q) | Q(code=q))
    return agents.order_by("regency_id", "full_name", "id")


def get_agent(user, pk) -> Agent:
    if not _valid_pk(pk):
        raise Http404
    try:
        return agents_for(user).get(pk=pk)
    except Agent.DoesNotExist as exc:
        raise Http404 from exc


def villages_of(agent: Agent) -> list[str]:
    """The villages an agent works: its own, or else all its organisation's."""
    own = list(agent.served.values_list("village_id", flat=True))
    if own or agent.organisation_id is None:
        return own
    return list(
        OrganisationVillage.objects.filter(organisation_id=agent.organisation_id).values_list(
            "village_id", flat=True
        )
    )


def organisation_villages(organisation: Organisation) -> QuerySet[OrganisationVillage]:
    """The villages a Wadah serves; a holding's include its member BumDes' villages."""
    served = OrganisationVillage.objects.filter(
        Q(organisation=organisation) | Q(organisation__parent=organisation)
    )
    return served.select_related("village", "village__parent", "organisation").order_by(
        "village_id", "organisation__name"
    )


def portfolio(user) -> Q | None:
    """What an agent's user may see of enrollments and workers, as a filter on their
    ``village_id`` and ``agent_id``; ``None`` for users who are not agents (region only)."""
    if user is None or user.role != Role.AGENT:
        return None
    agent = agent_of(user)
    if agent is None:
        return Q(pk__in=[])
    if not agent.is_coordinator:
        return Q(village_id__in=villages_of(agent)) | Q(agent_id=agent.pk)
    organisations = Organisation.objects.filter(_own_organisations(agent)).values("pk")
    agents = Agent.objects.filter(_own_agents(agent)).values("pk")
    villages = set(
        OrganisationVillage.objects.filter(organisation__in=organisations).values_list(
            "village_id", flat=True
        )
    )
    villages |= set(
        AgentVillage.objects.filter(agent__in=agents).values_list("village_id", flat=True)
    )
    return Q(village_id__in=sorted(villages)) | Q(agent_id__in=agents)


# --- the continuation work list -----------------------------------------------------------


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class Window:
    """What the work list needs to know about one enrollment on the as-of date."""

    ending: bool  # sponsored coverage still running, ending within 30 days
    months_left: int  # ending: sponsored months left (this one counts); ended: months left
    # to continue paying before the arrears exceed 3 months
    continue_by: dt.date  # the last day a first self-paid month can still be paid


def window(enrollment: Enrollment, as_of: dt.date) -> Window:
    end = enrollment.coverage_end
    first_unpaid = add_months(end.replace(day=1), 1)
    continue_by = add_months(first_unpaid, ARREARS_MONTHS + 1) - dt.timedelta(days=1)
    if end >= as_of:
        return Window(True, month_index(end) - month_index(as_of) + 1, continue_by)
    left = month_index(continue_by) - month_index(as_of) + 1
    return Window(False, max(left, 0), continue_by)


# Enrollments still to continue: covered by the sponsor, or ended and not continued. Which
# section is read from the dates, so an active one past its end counts as ended even
# before the daily job has moved it.
OPEN_TO_CONTINUE = [State.ACTIVE, State.ENDED]


def _ending(as_of: dt.date) -> Q:
    return Q(
        state__in=OPEN_TO_CONTINUE,
        coverage_end__gte=as_of,
        coverage_end__lte=as_of + dt.timedelta(days=ENDING_DAYS),
    )


def _ended(as_of: dt.date) -> Q:
    return Q(state__in=OPEN_TO_CONTINUE, coverage_end__lt=as_of)


def in_portfolio(user, enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Enrollments in the user's region and, for an agent's user, in its portfolio."""
    enrollments = scoped(user, enrollments)
    own = portfolio(user)
    return enrollments if own is None else enrollments.filter(own)


def work_list(
    user,
    *,
    as_of: dt.date,
    agent: Agent | None = None,
    village: str = "",
    program: Program | None = None,
) -> QuerySet[Enrollment]:
    """Whom to contact about continuing: sponsored coverage ending within 30 days (soonest
    first), then ended and not yet continued (most recent first). People already proposed
    or covered again elsewhere are left out. Each row carries its last contact."""
    enrollments = in_portfolio(
        user,
        Enrollment.objects.filter(coverage_end__isnull=False).filter(
            _ending(as_of) | _ended(as_of)
        ),
    ).exclude(end_cause="death")  # a worker who died is not asked to continue
    if agent is not None:
        enrollments = enrollments.filter(Q(agent=agent) | Q(village_id__in=villages_of(agent)))
    village = village.replace("\x00", "").strip()
    if village and village.count(".") <= 3:
        enrollments = enrollments.filter(within(village))
    if program is not None:
        enrollments = enrollments.filter(program=program)
    # Covered again elsewhere: the worker has an open enrollment other than this row. A
    # worker has at most one open enrollment (``enrollment_one_open_per_person``), so only a
    # row that is not open itself can have another; written as ``person_id IN (…)`` rather
    # than a correlated EXISTS, PostgreSQL checks it while scanning and can then keep only
    # the page's rows when sorting (a top-N sort instead of sorting the whole list).
    covered_again = ~Q(state__in=sorted(OPEN)) & Q(
        person_id__in=Enrollment.objects.filter(state__in=sorted(OPEN)).values("person_id")
    )
    last = Contact.objects.filter(enrollment=OuterRef("pk")).order_by("-contacted_on", "-id")
    return (
        enrollments.exclude(covered_again)
        .annotate(
            bucket=Case(When(_ending(as_of), then=0), default=1, output_field=IntegerField()),
            ending_on=Case(When(_ending(as_of), then=F("coverage_end"))),
            last_outcome=Subquery(last.values("outcome")[:1]),
            last_contacted_on=Subquery(last.values("contacted_on")[:1]),
        )
        .select_related("person", "person__occupation", "village", "program", "agent")
        # Ending first, soonest first (only they have ``ending_on``), then ended, most recent
        # first; ``bucket`` is left out of the sort, which it would only make longer.
        .order_by(F("ending_on").asc(nulls_last=True), "-coverage_end", "id")
    )


def villages_on_list(rows: QuerySet[Enrollment]) -> dict[str, int]:
    """How many enrollments of a work list each village holds: the page's village choices
    and, summed, the list's count, in one pass over the list instead of two."""
    return dict(rows.order_by().values_list("village_id").annotate(n=Count("pk")))


class WorkListPaginator(Paginator):
    """Pages of :func:`work_list` (as of ``as_of``) that read each section in its own order,
    then fetch the page's rows with their worker, village and last contact by id.

    The ending ones are few (coverage_end ascending); the ended ones, a regency's 100,000,
    are in the order of ``enrollment_to_continue_idx`` (coverage_end descending, id), so
    their first pages are an index range with ``LIMIT`` instead of a sort of the whole
    list. The two sections one after the other are the list's order.
    """

    def __init__(self, object_list, per_page, *, as_of: dt.date, count: int | None = None):
        super().__init__(object_list, per_page)
        self.as_of = as_of
        if count is not None:  # already known (:func:`villages_on_list`): not counted again
            self.count = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        ending = self.object_list.filter(_ending(self.as_of))
        ending_count = ending.count()
        ids = []
        if bottom < ending_count:
            ordered = ending.order_by("coverage_end", "id").values_list("pk", flat=True)
            ids = list(ordered[bottom:top])
        if len(ids) < self.per_page:
            ended = self.object_list.filter(_ended(self.as_of)).order_by("-coverage_end", "id")
            start = max(bottom - ending_count, 0)
            ids += ended.values_list("pk", flat=True)[start : start + self.per_page - len(ids)]
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def get_work_item(user, pk) -> Enrollment:
    """One enrollment the user may record a contact on; anything else is 404."""
    if not _valid_pk(pk):
        raise Http404
    enrollments = Enrollment.objects.filter(state__in=sorted(CONTACTABLE)).select_related(
        "person", "village", "program", "agent"
    )
    own = portfolio(user)
    if own is not None:
        enrollments = enrollments.filter(own)
    return get_scoped_or_404(user, enrollments, pk=pk)


def contacts_of(enrollment: Enrollment) -> QuerySet[Contact]:
    return enrollment.contacts.select_related("agent", "created_by").order_by(
        "-contacted_on", "-id"
    )


def contacts_by(user, agent: Agent) -> QuerySet[Contact]:
    """An agent's latest contacts (for its page)."""
    return (
        scoped(user, Contact.objects.filter(agent=agent))
        .select_related("enrollment__person", "village")
        .order_by("-contacted_on", "-id")
    )
