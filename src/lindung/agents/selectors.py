"""Reads about agents, always inside the reader's region (``lindung.accounts.scope``) and,
for an agent's own user, inside its organisation's portfolio.

An agent's user sees its own organisation and no other: a coordinator sees all the
organisation's agents (a holding's coordinator also its member BumDes and their agents),
any other agent only itself. Its portfolio is the villages those serve, plus the workers
attributed to those agents. Everything else is 404, as anything outside a region is.
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.core import signing
from django.db.models import (
    BigIntegerField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role
from lindung.accounts.scope import get_scoped_or_404, scope_code, scoped, within
from lindung.agents.models import Agent, AgentVillage, Contact, Organisation, OrganisationVillage
from lindung.agents.services import CONTACTABLE
from lindung.programs.lifecycle import OPEN, State
from lindung.programs.models import Enrollment, Program, add_months
from lindung.refusals import Refusal
from lindung.regions.codes import REGENCY, VILLAGE, level_of
from lindung.regions.models import Region

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


def _portfolio_parts(user) -> tuple[list[str], object] | None:
    """An agent's user's portfolio as its villages and its agents (ids or a query of them);
    ``None`` for users who are not agents."""
    if user is None or user.role != Role.AGENT:
        return None
    agent = agent_of(user)
    if agent is None:
        return [], []
    if not agent.is_coordinator:
        return villages_of(agent), [agent.pk]
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
    return sorted(villages), agents


def portfolio(user) -> Q | None:
    """What an agent's user may see of enrollments and workers, as a filter on their
    ``village_id`` and ``agent_id``; ``None`` for users who are not agents (region only)."""
    parts = _portfolio_parts(user)
    if parts is None:
        return None
    villages, agents = parts
    return Q(village_id__in=villages) | Q(agent_id__in=agents)


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
        # first; within a day the ending ones by id descending and the ended ones ascending,
        # which is ``enrollment_to_continue_idx`` read backwards then forwards (the order
        # :func:`work_page` pages in).
        .order_by(
            F("ending_on").asc(nulls_last=True),
            "-coverage_end",
            Case(
                When(_ending(as_of), then=-F("id")),
                default=F("id"),
                output_field=BigIntegerField(),
            ),
        )
    )


def villages_on_list(user, *, as_of: dt.date, agent: Agent | None = None) -> QuerySet[Region]:
    """The villages to choose from on the work list: those of the user's region (and, for an
    agent's user, portfolio) holding an enrollment of either section.

    One probe of the enrollments' village index per village (EXISTS, stopping at the first
    row) rather than a pass over the whole list, so it costs the same on every page; an
    agent's villages outside its own are those of the enrollments attributed to it (its
    ``agent_id`` index). A village whose every row is covered again elsewhere may still be
    offered (choosing it shows an empty list).
    """
    scope = scope_code(user)
    if scope == "-":
        return Region.objects.none()
    enrollments = scoped(
        user,
        Enrollment.objects.filter(
            state__in=OPEN_TO_CONTINUE, coverage_end__lte=as_of + dt.timedelta(days=ENDING_DAYS)
        ),
    ).order_by()
    if agent is not None:
        enrollments = enrollments.filter(Q(agent=agent) | Q(village_id__in=villages_of(agent)))
    villages = Region.objects.filter(level=VILLAGE)
    if scope is not None:
        villages = villages.filter(code__startswith=f"{scope}.")
    parts = _portfolio_parts(user)
    if parts is not None:
        own, agents = parts
        attributed = set(
            enrollments.filter(agent_id__in=agents).values_list("village_id", flat=True).distinct()
        )
        villages = villages.filter(Q(code__in=own) | Q(code__in=sorted(attributed)))
    found = enrollments.filter(village_id=OuterRef("code"))
    return villages.filter(Exists(found.values("pk")[:1])).order_by("code")


# --- pages of the work list: keyset pages along ``enrollment_to_continue_idx`` ------------

CURSOR_SALT = "lindung.agents.work_list.cursor"
CURSOR_VERSION = 1


class CursorRefused(Refusal):
    messages = {
        "cursor_invalid": _(
            "Penanda halaman (cursor) tidak sah atau rusak. Buka lagi halaman pertama daftar "
            "kerja tanpa cursor."
        ),
        "page_by_cursor": _(
            "Halaman selain yang pertama dibaca lewat cursor: kirim nilai next dari jawaban "
            "sebelumnya sebagai cursor, bukan nomor halaman."
        ),
        "cursor_mismatch": _(
            "Penanda halaman (cursor) ini dibuat untuk saringan atau tanggal lain. Kirim "
            "saringan dan as_of yang sama seperti halaman sebelumnya, atau mulai lagi dari "
            "halaman pertama tanpa cursor."
        ),
    }


@dataclass(frozen=True)
class Position:
    """Where a row stands in the list: its section (0 ending, 1 ended), coverage end, id."""

    section: int
    coverage_end: dt.date
    id: int


@dataclass(frozen=True)
class Cursor:
    """A page of the list as a place in it, handed to the client as a signed token.

    ``forward``: the rows after ``position`` (``None``: from the start); otherwise the rows
    before it (``None``: the last page). ``number`` is the page's number and ``count`` the
    list's count when its first page was read, so that later pages need not count again.
    """

    as_of: dt.date
    filters: tuple
    forward: bool
    position: Position | None
    number: int
    count: int
    counted_at: int  # seconds since 1970, UTC

    def encode(self) -> str:
        p = self.position
        payload = [
            CURSOR_VERSION,
            self.as_of.toordinal(),
            list(self.filters),
            1 if self.forward else 0,
            None if p is None else [p.section, p.coverage_end.toordinal(), p.id],
            self.number,
            self.count,
            self.counted_at,
        ]
        return signing.dumps(payload, salt=CURSOR_SALT, compress=True)

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        """The cursor a token holds; :class:`CursorRefused` for anything not made here."""
        try:
            payload = signing.loads(token.strip(), salt=CURSOR_SALT)
            version, as_of, filters, forward, position, number, count, counted_at = payload
            if version != CURSOR_VERSION or forward not in (0, 1):
                raise ValueError(version)
            if position is not None:
                section, end, pk = position
                if section not in (0, 1) or not _valid_pk(pk):
                    raise ValueError(position)
                position = Position(section, dt.date.fromordinal(end), int(pk))
            return cls(
                as_of=dt.date.fromordinal(as_of),
                filters=tuple(filters),
                forward=bool(forward),
                position=position,
                number=max(int(number), 1),
                count=max(int(count), 0),
                counted_at=int(counted_at),
            )
        except (signing.BadSignature, TypeError, ValueError, OverflowError) as exc:
            raise CursorRefused("cursor_invalid") from exc


def filter_key(*, agent: Agent | None, village: str, program: Program | None) -> tuple:
    """The filters a cursor was made for: the same list must be paged with the same ones."""
    return (village, agent.pk if agent else None, program.pk if program else None)


@dataclass
class WorkPage:
    """One page of the work list, with the cursors of its neighbours."""

    object_list: list
    number: int
    count: int
    per_page: int
    counted_at: int
    next: str | None
    previous: str | None
    last: str | None

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    def has_next(self) -> bool:
        return self.next is not None

    def has_previous(self) -> bool:
        return self.previous is not None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _take(rows: QuerySet[Enrollment], section: int, order: tuple, n: int) -> list[Position]:
    if n <= 0:
        return []
    found = rows.order_by(*order).values_list("coverage_end", "pk")[:n]
    return [Position(section, end, pk) for end, pk in found]


def _after(rows: QuerySet[Enrollment], as_of: dt.date, at: Position | None, n: int):
    """Up to ``n`` rows after ``at`` (from the start for ``None``), in the list's order.

    Each read is one range of ``enrollment_to_continue_idx`` (coverage_end DESC, id): the
    rest of ``at``'s day, then the days after it. The ending section is that index read
    backwards (coverage_end ascending, id descending), the ended one read forwards.
    """
    found: list[Position] = []
    if at is None or at.section == 0:
        ending = rows.filter(_ending(as_of))
        if at is not None:
            same_day = ending.filter(coverage_end=at.coverage_end, pk__lt=at.id)
            found += _take(same_day, 0, ("-pk",), n)
            ending = ending.filter(coverage_end__gt=at.coverage_end)
        found += _take(ending, 0, ("coverage_end", "-pk"), n - len(found))
        at = None
    ended = rows.filter(_ended(as_of))
    if at is not None:
        same_day = ended.filter(coverage_end=at.coverage_end, pk__gt=at.id)
        found += _take(same_day, 1, ("pk",), n - len(found))
        ended = ended.filter(coverage_end__lt=at.coverage_end)
    found += _take(ended, 1, ("-coverage_end", "pk"), n - len(found))
    return found


def _before(rows: QuerySet[Enrollment], as_of: dt.date, at: Position | None, n: int):
    """Up to ``n`` rows before ``at`` (the end of the list for ``None``), in the list's
    order: the same index ranges as :func:`_after`, read the other way."""
    found: list[Position] = []
    if at is None or at.section == 1:
        ended = rows.filter(_ended(as_of))
        if at is not None:
            same_day = ended.filter(coverage_end=at.coverage_end, pk__lt=at.id)
            found += _take(same_day, 1, ("-pk",), n)
            ended = ended.filter(coverage_end__gt=at.coverage_end)
        found += _take(ended, 1, ("coverage_end", "-pk"), n - len(found))
        at = None
    ending = rows.filter(_ending(as_of))
    if at is not None:
        same_day = ending.filter(coverage_end=at.coverage_end, pk__gt=at.id)
        found += _take(same_day, 0, ("pk",), n - len(found))
        ending = ending.filter(coverage_end__lt=at.coverage_end)
    found += _take(ending, 0, ("-coverage_end", "pk"), n - len(found))
    found.reverse()
    return found


def work_page(
    user,
    *,
    as_of: dt.date,
    agent: Agent | None = None,
    village: str = "",
    program: Program | None = None,
    cursor: Cursor | None = None,
    per_page: int = 50,
    now: int | None = None,
) -> WorkPage:
    """A page of :func:`work_list`, read by keyset: the rows after (or before) the place a
    cursor names, so every page is an index range of its 50 rows, the middle and the last
    ones as cheap as the first (``OFFSET`` would read and sort all the rows before it).

    The list is counted once, for a page asked without a cursor; the cursors of the next,
    previous and last pages carry that count (and when it was made) so paging on does not
    count the 100,000 rows of a regency again. A cursor made for other filters or another
    as-of date is refused (:class:`CursorRefused`): its place would mean nothing there.
    """
    filters = filter_key(agent=agent, village=village, program=program)
    if cursor is not None and (cursor.as_of != as_of or cursor.filters != filters):
        raise CursorRefused("cursor_mismatch")
    rows = work_list(user, as_of=as_of, agent=agent, village=village, program=program)
    if cursor is None:
        count, counted_at = rows.count(), int(now if now is not None else time.time())
        cursor = Cursor(as_of, filters, True, None, 1, count, counted_at)
    count, number = cursor.count, cursor.number
    last_size = count - (max(1, -(-count // per_page)) - 1) * per_page

    def make(forward: bool, position: Position | None, page: int) -> str:
        return Cursor(as_of, filters, forward, position, page, count, cursor.counted_at).encode()

    ids = has_next = has_previous = None
    if not cursor.forward:
        size = per_page if cursor.position is not None else max(last_size, 1)
        ids = _before(rows, as_of, cursor.position, size + 1)
        if len(ids) > size:
            ids, has_previous, has_next = ids[1:], True, cursor.position is not None
        else:  # back at the start of the list: its first page, in full
            ids, number = None, 1
    if ids is None:
        start = cursor.position if cursor.forward else None
        ids = _after(rows, as_of, start, per_page + 1)
        has_next, has_previous = len(ids) > per_page, start is not None
        ids = ids[:per_page]
        if start is None:
            number = 1
    found = {row.pk: row for row in rows.order_by().filter(pk__in=[p.id for p in ids])}
    page_rows = [found[p.id] for p in ids if p.id in found]
    pages = max(1, -(-count // per_page))
    return WorkPage(
        object_list=page_rows,
        number=number,
        count=count,
        per_page=per_page,
        counted_at=cursor.counted_at,
        next=make(True, ids[-1], number + 1) if has_next and ids else None,
        previous=make(False, ids[0], max(number - 1, 1)) if has_previous and ids else None,
        last=make(False, None, pages) if has_next else None,
    )


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
