"""Reads of programs, quotas and enrollments, always through the user's region scope."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404

from lindung.accounts.scope import get_scoped_or_404, scope_code, scoped, within
from lindung.people import visibility
from lindung.people.categories import Category
from lindung.people.models import Person
from lindung.programs.lifecycle import HOLDING, OPEN, State
from lindung.programs.models import Enrollment, Program, ProgramVillage, Round, VillageQuota
from lindung.regions.codes import ancestors

EXPIRING_DAYS = 30


def programs_for(user) -> QuerySet[Program]:
    """Programs whose area contains the user's region, or lies inside it."""
    programs = Program.objects.select_related("area")
    scope = scope_code(user)
    if scope is None:
        return programs
    if scope == "-":
        return programs.none()
    return programs.filter(Q(area_id__in=ancestors(scope)) | Q(area__code__startswith=f"{scope}."))


def _valid_pk(pk) -> bool:
    try:
        return 0 < int(pk) < 2**63
    except (TypeError, ValueError):
        return False


def get_program(user, pk) -> Program:
    if not _valid_pk(pk):
        raise Http404
    try:
        return programs_for(user).get(pk=pk)
    except Program.DoesNotExist as exc:
        raise Http404 from exc


def rounds_of(program: Program) -> list[Round]:
    rounds = list(program.rounds.all())
    for round_ in rounds:
        round_.program = program
    return rounds


@dataclass
class VillageFill:
    village_code: str
    village_name: str
    district_name: str
    rounds: list[tuple[int, int]] = field(default_factory=list)  # (quota, used) per round

    @property
    def quota(self) -> int:
        return sum(q for q, _ in self.rounds)

    @property
    def used(self) -> int:
        return sum(u for _, u in self.rounds)

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.quota) if self.quota else 0


def quota_table(user, program: Program, rounds: list[Round] | None = None) -> list[VillageFill]:
    """Quota and places used per village (one pair per round), for the villages in scope."""
    rounds = rounds if rounds is not None else rounds_of(program)
    position = {r.pk: i for i, r in enumerate(rounds)}
    rows = (
        scoped(user, VillageQuota.objects.filter(program=program))
        .select_related("village", "village__parent")
        .order_by("village_id", "round__number")
    )
    table: dict[str, VillageFill] = {}
    for row in rows:
        fill = table.get(row.village_id)
        if fill is None:
            fill = table[row.village_id] = VillageFill(
                row.village_id,
                row.village.display_name,
                row.village.parent.display_name if row.village.parent else "",
                [(0, 0)] * len(rounds),
            )
        fill.rounds[position[row.round_id]] = (row.quota, row.used)
    return list(table.values())


@dataclass
class ProgramTotals:
    villages: int
    places: int
    used: int
    budget: int
    committed: int
    by_state: dict[str, int]

    @property
    def remaining(self) -> int:
        return self.budget - self.committed

    @property
    def budget_percent(self) -> int:
        return round(100 * self.committed / self.budget) if self.budget else 0

    @property
    def fill_percent(self) -> int:
        return round(100 * self.used / self.places) if self.places else 0

    @property
    def sponsored(self) -> int:
        """People the program has paid or will pay for: every enrollment still holding a place."""
        return sum(n for state, n in self.by_state.items() if state in HOLDING)

    def state_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.by_state.get(s.value, 0)) for s in State]


def program_totals(user, program: Program) -> ProgramTotals:
    """Totals of the whole program (aggregates, no personal data), or of the user's part."""
    quotas = scoped(user, VillageQuota.objects.filter(program=program)).aggregate(
        places=Sum("quota"), used=Sum("used"), villages=Count("village", distinct=True)
    )
    states = dict(
        scoped(user, Enrollment.objects.filter(program=program))
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    return ProgramTotals(
        villages=quotas["villages"] or 0,
        places=quotas["places"] or 0,
        used=quotas["used"] or 0,
        budget=program.budget,
        committed=program.committed,
        by_state=states,
    )


def village_quota(program: Program, round: Round, village_code: str) -> VillageQuota | None:
    return VillageQuota.objects.filter(round=round, village_id=village_code).first()


def participating_villages(user, program: Program) -> QuerySet[ProgramVillage]:
    return (
        scoped(user, ProgramVillage.objects.filter(program=program))
        .select_related("village")
        .order_by("village__name")
    )


def enrollments_for(
    user,
    *,
    program: Program | None = None,
    state: str = "",
    village: str = "",
    round_number: int | None = None,
    q: str = "",
) -> QuerySet[Enrollment]:
    enrollments = scoped(
        user, Enrollment.objects.select_related("person", "village", "round", "program")
    )
    if program is not None:
        enrollments = enrollments.filter(program=program)
    if state in State.values:
        enrollments = enrollments.filter(state=state)
    if village and village.count(".") <= 3:
        enrollments = enrollments.filter(within(village))
    if round_number:
        enrollments = enrollments.filter(round__number=round_number)
    if q := " ".join(q.split()):
        enrollments = enrollments.filter(
            Q(person__full_name__icontains=q) | Q(person__nik=q) | Q(kpj=q)
        )
    return enrollments.order_by("village_id", "person__full_name", "id")


def expiring(
    user, *, today: dt.date, program: Program | None = None, days: int = EXPIRING_DAYS
) -> QuerySet[Enrollment]:
    """Active enrollments whose sponsored period ends within ``days`` days (a view, not a state)."""
    enrollments = enrollments_for(user, program=program, state=State.ACTIVE)
    return enrollments.filter(
        coverage_end__gte=today, coverage_end__lte=today + dt.timedelta(days=days)
    ).order_by("coverage_end", "village_id", "id")


def get_enrollment(user, pk) -> Enrollment:
    if not _valid_pk(pk):
        raise Http404
    return get_scoped_or_404(
        user, Enrollment.objects.select_related("person", "village", "round", "program"), pk=pk
    )


# The age bands of the proposal page's filter: (label, youngest, oldest or None).
AGE_BANDS = {
    "18-29": (18, 29),
    "30-44": (30, 44),
    "45-59": (45, 59),
    "60+": (60, None),
}


@dataclass(frozen=True)
class CandidateFilters:
    """What the proposal page narrows the village registry to (all empty: everybody)."""

    q: str = ""
    category: str = ""
    age_band: str = ""
    decile: str = ""  # "1".."10", or "none" for an unknown decile
    eligible: str = ""  # "yes": only those who may be proposed now; "no": only the others

    @classmethod
    def from_query(cls, query) -> "CandidateFilters":
        """Filters from a query string; anything unknown is dropped, never an error."""
        category = query.get("category", "")
        band = query.get("age", "")
        decile = query.get("decile", "")
        eligible = query.get("eligible", "")
        return cls(
            q=query.get("q", "")[:100],
            category=category if category in Category.values else "",
            age_band=band if band in AGE_BANDS else "",
            decile=decile if decile in {str(d) for d in range(1, 11)} | {"none"} else "",
            eligible=eligible if eligible in ("yes", "no") else "",
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.category, self.age_band, self.decile, self.eligible))


def _born_between(day: dt.date, youngest: int, oldest: int | None) -> Q:
    """Birth dates of the people aged ``youngest``..``oldest`` on ``day`` (same rule as
    ``eligibility.age_on``: a birthday on ``day`` counts)."""

    def years_before(years: int) -> dt.date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    condition = Q(birth_date__lte=years_before(youngest))
    if oldest is not None:
        condition &= Q(birth_date__gt=years_before(oldest + 1))
    return condition


def proposal_candidates(
    user,
    program: Program,
    village_code: str,
    q: str = "",
    *,
    filters: CandidateFilters | None = None,
    round: Round | None = None,
    today: dt.date | None = None,
) -> QuerySet:
    """Workers of one village, each annotated with whether they already hold an open
    enrollment anywhere (``covered``), whether they are in this program (``in_program``)
    and the first rule they fail now (``ineligible``: "" when they may be proposed).

    The rules are those of ``eligibility.static_problem`` that a query can tell (category,
    favoured decile, age on the day coverage would start, formal worker, open enrollment),
    so the page can filter and tick "all eligible"; the proposal itself still checks every
    rule, including the insurer's member list.

    The most vulnerable come first: by DTSEN decile (unknown last), then category; a
    program that favours deciles 1–N puts those before everybody else (``favoured``)."""
    filters = filters or CandidateFilters(q=q)
    people = scoped(user, Person.objects.filter(village_id=village_code)).select_related(
        "occupation"
    )
    if q := " ".join(filters.q.split()):
        people = people.filter(
            Q(full_name__icontains=q) | Q(nik__startswith=visibility.nik_search(user, q))
        )
    day = max(today or dt.date.today(), round.start_month) if round else (today or dt.date.today())
    if filters.category:
        people = people.filter(category=filters.category)
    if filters.age_band:
        people = people.filter(_born_between(day, *AGE_BANDS[filters.age_band]))
    if filters.decile == "none":
        people = people.filter(welfare_decile__isnull=True)
    elif filters.decile:
        people = people.filter(welfare_decile=int(filters.decile))
    open_enrollment = Enrollment.objects.filter(person=OuterRef("pk"), state__in=OPEN)
    in_program = Enrollment.objects.filter(
        person=OuterRef("pk"), program=program, state__in=HOLDING
    )
    top = program.favoured_decile_max
    favoured = Q(welfare_decile__lte=top) if top is not None else Q(pk__isnull=False)
    rules = [
        When(in_program=True, then=Value("in_program")),
        When(covered=True, then=Value("covered")),
        When(segment=Person.Segment.PU, then=Value("formal")),
    ]
    if program.eligible_categories:
        rules.append(When(~Q(category__in=program.eligible_categories), then=Value("category")))
    if top is not None and not program.others_fill_remaining:
        rules.append(When(~favoured, then=Value("decile")))
    rules.append(When(~_born_between(day, program.min_age, program.max_age), then=Value("age")))
    people = people.annotate(
        covered=Exists(open_enrollment),
        in_program=Exists(in_program),
        favoured=ExpressionWrapper(favoured, output_field=BooleanField()),
        category_rank=Case(
            *(When(category=code, then=Value(i)) for i, code in enumerate(Category.values)),
            default=Value(len(Category.values)),
            output_field=IntegerField(),
        ),
    ).annotate(ineligible=Case(*rules, default=Value(""), output_field=CharField()))
    if filters.eligible == "yes":
        people = people.filter(ineligible="")
    elif filters.eligible == "no":
        people = people.exclude(ineligible="")
    return people.order_by(
        "covered",
        "-favoured",
        F("welfare_decile").asc(nulls_last=True),
        "category_rank",
        "full_name",
        "id",
    )


def part_of_program(user, program: Program):
    """The user's region when it is only part of the program's area (a village operator's
    village, a district), else ``None``: the figures of a page then say whose they are."""
    scope = scope_code(user)
    if scope in (None, "-") or not scope.startswith(program.area_id + "."):
        return None
    return getattr(user, "region", None)


def accepts_proposals(program: Program, today: dt.date) -> bool:
    """Whether a round of the program has not ended yet (``eligibility.ROUND_CLOSED``
    refuses every proposal otherwise): a closed program's proposal page is not offered."""
    this_month = today.replace(day=1)
    return any(r.end_month >= this_month for r in program.rounds.all())


def village_has_deciles(user, village_code: str) -> bool:
    """Whether any worker of the village has a DTSEN decile (the filter shows only then)."""
    people = scoped(user, Person.objects.filter(village_id=village_code))
    return people.filter(welfare_decile__isnull=False).exists()


def transitions_of(enrollment: Enrollment):
    return enrollment.transitions.select_related("by").order_by("at", "id")


@dataclass(frozen=True)
class BudgetCheck:
    """Whether the budget pays for the program's places (or its own target of workers)."""

    workers: int  # the target, or the places of all rounds
    per_worker: int  # the premiums of one worker's sponsored months (the first round)
    months: int
    needed: int  # what ``workers`` cost
    affordable: int  # how many workers the budget pays for all their months

    @property
    def short(self) -> bool:
        return self.affordable < self.workers


def budget_check(program: Program) -> BudgetCheck | None:
    """The planner's figure for a program: workers × months against the budget.

    Priced like a proposal (``premiums.enrollment_cost``: the dated rates of each month, on
    the program's income basis); a program without rounds, or whose rates are missing,
    has no figure (``None``).
    """
    from lindung.contributions.premiums import NoRateInForce, PremiumInputInvalid
    from lindung.programs.premiums import enrollment_cost

    rounds = list(program.rounds.order_by("number"))
    if not rounds:
        return None
    places = dict(
        VillageQuota.objects.filter(program=program)
        .order_by()
        .values_list("round_id")
        .annotate(n=Sum("quota"))
    )
    try:
        costs = {r.pk: enrollment_cost(program, r) for r in rounds}
    except (NoRateInForce, PremiumInputInvalid):
        return None
    per_worker = costs[rounds[0].pk]
    if program.target_workers is not None:
        workers = program.target_workers
        needed = workers * per_worker
    else:
        workers = sum(places.get(r.pk, 0) for r in rounds)
        needed = sum(places.get(r.pk, 0) * costs[r.pk] for r in rounds)
    affordable = program.budget // per_worker if per_worker else workers
    return BudgetCheck(
        workers=workers,
        per_worker=per_worker,
        months=program.sponsored_months,
        needed=needed,
        affordable=affordable,
    )


@dataclass(frozen=True)
class MonthsBought:
    """What a proposal made today into one round pays for (``premiums.months_bought``)."""

    round: Round
    months: list
    planned: int

    @property
    def count(self) -> int:
        return len(self.months)

    @property
    def late(self) -> bool:
        """The round has started: a proposal now buys fewer months than planned."""
        return 0 < self.count < self.planned

    @property
    def first(self) -> dt.date | None:
        return self.months[0] if self.months else None

    @property
    def last(self) -> dt.date | None:
        return self.months[-1] if self.months else None


def months_bought(program: Program, round: Round, today: dt.date) -> MonthsBought:
    """How many of the round's months a proposal made ``today`` would commit and be billed."""
    from lindung.programs import premiums

    round.program = program
    return MonthsBought(round, premiums.months_bought(round, today), program.sponsored_months)


# --- the villages' agreed lists -----------------------------------------------------------


def agreed_lists_for(user, program: Program, round: Round | None = None):
    """The agreed lists of a program in the user's region, each with its latest version."""
    from django.db.models import Max

    from lindung.programs.models import AgreedList

    lists = scoped(user, AgreedList.objects.filter(program=program)).select_related(
        "village", "round"
    )
    if round is not None:
        lists = lists.filter(round=round)
    return lists.annotate(latest=Max("versions__number")).order_by("round__number", "village_id")


def get_agreed_list(user, program: Program, pk):
    """One agreed list of the program in the user's region, else 404."""
    from lindung.programs.models import AgreedList

    if not _valid_pk(pk):
        raise Http404
    return get_scoped_or_404(
        user,
        AgreedList.objects.filter(program=program).select_related("village", "round", "program"),
        pk=pk,
    )


def agreed_versions(agreed_list):
    return agreed_list.versions.select_related("created_by").order_by("-number")


def agreed_version(agreed_list, number=None):
    """A version of the list by its number, the latest when ``number`` is empty; else 404."""
    versions = agreed_list.versions.select_related("created_by")
    if number in (None, ""):
        version = versions.order_by("-number").first()
    else:
        try:
            version = versions.filter(number=int(number)).first()
        except (TypeError, ValueError):
            version = None
    if version is None:
        raise Http404
    return version


def agreed_version_by_id(agreed_list, version_id):
    """A version of the list by its id (the API's and the minutes' address); else 404."""
    if not _valid_pk(version_id):
        raise Http404
    version = agreed_list.versions.select_related("created_by").filter(pk=version_id).first()
    if version is None:
        raise Http404
    return version


def agreed_entries(version):
    return version.entries.select_related("person").order_by("row")


def agreed_list_of(program: Program, round: Round, village_code: str):
    """The village's list for a round (``None`` if it has none): the proposal screen's link."""
    from lindung.programs.models import AgreedList

    return AgreedList.objects.filter(program=program, round=round, village_id=village_code).first()


def region_funnels(code: str, year: int, *, today: dt.date) -> list[tuple[str, str, object]]:
    """``(program name, area name, funnel)`` of each program of ``year`` that reaches the
    region ``code`` (``""``: the country), counted in the region's villages only. The
    region is the caller's to check (a dashboard's region, inside the user's scope)."""
    from lindung.programs import funnel as funnel_module

    programs = Program.objects.filter(year=year).select_related("area")
    if code:
        programs = programs.filter(
            Q(area_id__in=ancestors(code)) | Q(area__code__startswith=f"{code}.")
        )
    return [
        (program.name, program.area.display_name,
         funnel_module.build(None, program, today=today, region=code).total)
        for program in programs.order_by("area_id", "name")
    ]  # fmt: skip


def funnel(user, program: Program, *, round: Round | None = None, by: str = "program", today):
    """The verification funnel of ``program`` in the user's region (see ``funnel``)."""
    from lindung.programs import funnel as funnel_module

    return funnel_module.build(user, program, round=round, by=by, today=today)
