"""Reads of programs, quotas and enrollments, always through the user's region scope."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
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


def proposal_candidates(user, program: Program, village_code: str, q: str = "") -> QuerySet:
    """Workers of one village, each annotated with whether they already hold an open
    enrollment anywhere (``covered``) and whether they are in this program (``in_program``).

    The most vulnerable come first: by DTSEN decile (unknown last), then category; a
    program that favours deciles 1–N puts those before everybody else (``favoured``)."""
    people = scoped(user, Person.objects.filter(village_id=village_code)).select_related(
        "occupation"
    )
    if q := " ".join(q.split()):
        people = people.filter(
            Q(full_name__icontains=q) | Q(nik__startswith=visibility.nik_search(user, q))
        )
    open_enrollment = Enrollment.objects.filter(person=OuterRef("pk"), state__in=OPEN)
    in_program = Enrollment.objects.filter(
        person=OuterRef("pk"), program=program, state__in=HOLDING
    )
    top = program.favoured_decile_max
    favoured = Q(welfare_decile__lte=top) if top is not None else Q(pk__isnull=False)
    return people.annotate(
        covered=Exists(open_enrollment),
        in_program=Exists(in_program),
        favoured=ExpressionWrapper(favoured, output_field=BooleanField()),
        category_rank=Case(
            *(When(category=code, then=Value(i)) for i, code in enumerate(Category.values)),
            default=Value(len(Category.values)),
            output_field=IntegerField(),
        ),
    ).order_by(
        "covered",
        "-favoured",
        F("welfare_decile").asc(nulls_last=True),
        "category_rank",
        "full_name",
        "id",
    )


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


def funnel(user, program: Program, *, round: Round | None = None, by: str = "program", today):
    """The verification funnel of ``program`` in the user's region (see ``funnel``)."""
    from lindung.programs import funnel as funnel_module

    return funnel_module.build(user, program, round=round, by=by, today=today)
