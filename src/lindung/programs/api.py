"""``/api/v1/programs`` and ``/api/v1/enrollments``: programs, quotas, proposals, transitions."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lindung.accounts.scope import scoped
from lindung.people import nik as nik_rules
from lindung.people import visibility
from lindung.people.categories import Category
from lindung.people.models import Person
from lindung.programs import clock, selectors, services
from lindung.programs.eligibility import Ineligible
from lindung.programs.lifecycle import State
from lindung.programs.models import Transition
from lindung.schemas import DateText, Month, Problems, Refusal

programs_router = Router()
enrollments_router = Router()


def _add_sub_routers() -> None:
    """The agreed lists and the funnel live in modules of their own, under ``/programs``."""
    from lindung.programs.agreed_api import programs_router as agreed
    from lindung.programs.funnel_api import router as funnel

    programs_router.add_router("", agreed)
    programs_router.add_router("", funnel)


class RoundOut(Schema):
    """``months_if_proposed_today``: how many sponsored months a proposal made today buys
    (fewer than ``sponsored_months`` once the round has started; 0 once it is over), from
    ``first_month_if_proposed_today``."""

    number: int
    start_month: Month
    end_month: Month
    months_if_proposed_today: int
    first_month_if_proposed_today: Month | None


class LegalOut(Schema):
    number: str
    title: str
    issued_on: dt.date
    has_pdf: bool


class TotalsOut(Schema):
    villages: int
    places: int
    used: int
    sponsored: int
    by_state: dict[str, int]


class ProgramOut(Schema):
    id: int
    name: str
    year: int
    area_code: str
    area_name: str
    funder: str
    funder_name: str
    funding_code: str
    budget: int
    committed: int
    remaining: int
    benefits: list[str]
    income_basis: int | None
    sponsored_months: int
    rounds: list[RoundOut]
    quota_per_village: int
    include_kelurahan: bool
    eligible_categories: list[str]
    min_age: int
    max_age: int
    favoured_decile_max: int | None
    others_fill_remaining: bool
    target_workers: int | None
    budget_pays_workers: int | None
    budget_needed: int | None
    budget_warning: str
    legal_basis: list[LegalOut]
    totals: TotalsOut


class ProgramIn(Schema):
    """Money as integer rupiah (or text like ``1.290.240.000``); rounds as ``01/2024``."""

    name: str
    year: int
    area_code: str
    funder: str
    funder_name: str = ""
    funding_code: str | None = None
    budget: int | str | None = None
    village_budget: int | str | None = None
    includes_jht: bool = False
    income_basis: int | str | None = 1_000_000
    sponsored_months: int = 6
    rounds: list[str] | str
    quota_per_village: int = 100
    include_kelurahan: bool = False
    eligible_categories: list[str] = list(Category.values)
    min_age: int = 18
    max_age: int = 65
    favoured_decile_max: int | str | None = None
    others_fill_remaining: bool = True
    target_workers: int | str | None = None
    notes: str = ""


class QuotaRoundOut(Schema):
    round: int
    start_month: Month
    quota: int
    used: int


class QuotaOut(Schema):
    village_code: str
    village_name: str
    quota: int
    used: int
    rounds: list[QuotaRoundOut]


class ProposalIn(Schema):
    nik: str | int
    round: int | None = Field(None, ge=1, le=100)


class TransitionOut(Schema):
    from_state: str
    to_state: str
    at: dt.datetime
    by: str | None
    reason: str
    via: str


class EnrollmentOut(Schema):
    id: int
    program_id: int
    round: int
    nik: str
    full_name: str
    village_code: str
    state: str
    state_label: str
    reason: str
    committed_premium: int
    first_month: Month
    months: int
    kpj: str
    effective_date: dt.date | None
    coverage_end: dt.date | None
    end_cause: str | None = None
    proposed_at: dt.datetime
    agent_id: int | None = None
    transitions: list[TransitionOut] | None = None


class EnrollmentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EnrollmentOut]


class ReasonIn(Schema):
    reason: str = ""


class EndEarlyIn(Schema):
    """``cause``: death, moved_out or became_formal; ``date``: the day coverage ends
    (``2026-08-15`` or ``15/08/2026``); ``reason``: a note kept in the history."""

    cause: str
    date: DateText
    reason: str = ""


def _month(value: dt.date) -> str:
    return value.strftime("%Y-%m")


def _program_out(program, user) -> dict:
    totals = selectors.program_totals(None, program)
    check = selectors.budget_check(program)
    rounds = selectors.rounds_of(program)
    today = clock.today()
    bought = {r.pk: selectors.months_bought(program, r, today) for r in rounds}
    return {
        "id": program.pk,
        "name": program.name,
        "year": program.year,
        "area_code": program.area_id,
        "area_name": program.area.display_name,
        "funder": program.funder,
        "funder_name": program.funder_name,
        "funding_code": program.funding_code,
        "budget": program.budget,
        "committed": program.committed,
        "remaining": program.remaining,
        "benefits": program.benefits,
        "income_basis": program.income_basis,
        "sponsored_months": program.sponsored_months,
        "rounds": [
            {
                "number": r.number,
                "start_month": _month(r.start_month),
                "end_month": _month(r.end_month),
                "months_if_proposed_today": bought[r.pk].count,
                "first_month_if_proposed_today": (
                    _month(bought[r.pk].first) if bought[r.pk].first else None
                ),
            }
            for r in rounds
        ],
        "quota_per_village": program.quota_per_village,
        "include_kelurahan": program.include_kelurahan,
        "eligible_categories": program.eligible_categories,
        "min_age": program.min_age,
        "max_age": program.max_age,
        "favoured_decile_max": program.favoured_decile_max,
        "others_fill_remaining": program.others_fill_remaining,
        "target_workers": program.target_workers,
        "budget_pays_workers": check.affordable if check else None,
        "budget_needed": check.needed if check else None,
        "budget_warning": services.budget_warning(program),
        "legal_basis": [
            {"number": d.number, "title": d.title, "issued_on": d.issued_on, "has_pdf": bool(d.pdf)}
            for d in program.legal_basis.all()
        ],
        "totals": {
            "villages": totals.villages,
            "places": totals.places,
            "used": totals.used,
            "sponsored": totals.sponsored,
            "by_state": totals.by_state,
        },
    }


def _enrollment_out(enrollment, user, *, with_transitions: bool = False) -> dict:
    nik = enrollment.person.nik
    data = {
        "id": enrollment.pk,
        "program_id": enrollment.program_id,
        "round": enrollment.round.number,
        "nik": visibility.nik(user, nik),
        "full_name": enrollment.person.full_name,
        "village_code": enrollment.village_id,
        "state": enrollment.state,
        "state_label": str(State(enrollment.state).label),
        "reason": enrollment.reason,
        "committed_premium": enrollment.committed_premium,
        "first_month": _month(enrollment.sponsored_from),
        "months": enrollment.months_sponsored,
        "kpj": enrollment.kpj,
        "effective_date": enrollment.effective_date,
        "coverage_end": enrollment.coverage_end,
        "end_cause": enrollment.end_cause or None,
        "proposed_at": enrollment.proposed_at,
        "agent_id": enrollment.agent_id,
    }
    if with_transitions:
        data["transitions"] = [
            {
                "from_state": t.from_state,
                "to_state": t.to_state,
                "at": t.at,
                "by": t.by.username if t.by else None,
                "reason": t.reason,
                "via": t.via,
            }
            for t in selectors.transitions_of(enrollment)
        ]
    return data


def _invalid(field: str, code: str, message) -> Status:
    return Status(422, {"errors": [{"field": field, "code": code, "message": str(message)}]})


@programs_router.get("", response=list[ProgramOut], summary="Program yang terlihat oleh pengguna")
def list_programs(request):
    programs = selectors.programs_for(request.user).prefetch_related("rounds", "legal_basis")
    return [_program_out(p, request.user) for p in programs]


@programs_router.post(
    "", response={201: ProgramOut, 422: Problems, 403: Refusal}, summary="Buat program"
)
def create_program(request, payload: ProgramIn):
    try:
        program = services.create_program(user=request.user, data=payload.model_dump())
    except services.ProgramInvalid as error:
        return Status(422, {"errors": [p.as_dict() for p in error.problems]})
    return Status(201, _program_out(program, request.user))


@programs_router.get(
    "/{program_id}", response=ProgramOut, summary="Satu program, dengan angka totalnya"
)
def get_program(request, program_id: int):
    return _program_out(selectors.get_program(request.user, program_id), request.user)


@programs_router.get(
    "/{program_id}/quota",
    response=list[QuotaOut],
    summary="Kuota dan tempat terpakai per desa (dan per putaran)",
)
def program_quota(request, program_id: int):
    program = selectors.get_program(request.user, program_id)
    rounds = selectors.rounds_of(program)
    return [
        {
            "village_code": fill.village_code,
            "village_name": fill.village_name,
            "quota": fill.quota,
            "used": fill.used,
            "rounds": [
                {"round": r.number, "start_month": _month(r.start_month), "quota": q, "used": u}
                for r, (q, u) in zip(rounds, fill.rounds, strict=True)
            ],
        }
        for fill in selectors.quota_table(request.user, program, rounds)
    ]


@programs_router.get(
    "/{program_id}/enrollments", response=EnrollmentPage, summary="Kepesertaan program"
)
def list_enrollments(
    request,
    program_id: int,
    state: str = "",
    village: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(100, ge=1, le=1000),
):
    program = selectors.get_program(request.user, program_id)
    enrollments = selectors.enrollments_for(
        request.user, program=program, state=state[:10], village=village[:13]
    )
    current = Paginator(enrollments, page_size).get_page(page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_enrollment_out(e, request.user) for e in current.object_list],
    }


@programs_router.post(
    "/{program_id}/enrollments",
    response={201: EnrollmentOut, 409: Refusal, 422: Problems, 403: Refusal},
    summary="Usulkan pekerja (NIK) ke program",
    description="409 dengan `code`: quota_full, budget_exceeded, already_covered, "
    "age_out_of_range, category_not_eligible, outside_program_area, round_closed. "
    "Usulan ke putaran yang sudah mulai hanya membiayai bulan sejak bulan efektif yang "
    "diharapkan: `first_month` dan `months` pada jawaban 201.",
)
def propose(request, program_id: int, payload: ProposalIn):
    program = selectors.get_program(request.user, program_id)
    verdict = nik_rules.check_nik(payload.nik)
    if not verdict.valid:
        code = verdict.errors[0]
        return _invalid("nik", code, nik_rules.MESSAGES[code])
    person = scoped(request.user, Person.objects.filter(nik=verdict.nik)).first()
    if person is None:
        return _invalid("nik", "not_registered", services.NIK_MESSAGES["not_registered"])
    round_ = None
    if payload.round is not None:
        round_ = program.rounds.filter(number=payload.round).first()
        if round_ is None:
            return _invalid("round", "round_unknown", _("Putaran ini tidak ada di program."))
    try:
        enrollment = services.propose(
            user=request.user,
            program=program,
            person=person,
            today=clock.today(),
            round=round_,
            via=Transition.Via.API,
        )
    except Ineligible as refusal:
        return Status(409, refusal.as_dict())
    except PermissionDenied:
        return Status(403, services.TransitionRefused("forbidden").as_dict())
    enrollment = selectors.get_enrollment(request.user, enrollment.pk)
    return Status(201, _enrollment_out(enrollment, request.user, with_transitions=True))


@enrollments_router.get("/{enrollment_id}", response=EnrollmentOut, summary="Satu kepesertaan")
def get_enrollment(request, enrollment_id: int):
    enrollment = selectors.get_enrollment(request.user, enrollment_id)
    return _enrollment_out(enrollment, request.user, with_transitions=True)


def _move(request, enrollment_id: int, to_state: str, reason: str = ""):
    enrollment = selectors.get_enrollment(request.user, enrollment_id)
    try:
        services.transition(
            user=request.user,
            enrollment=enrollment,
            to_state=to_state,
            reason=reason,
            via=Transition.Via.API,
        )
    except services.TransitionRefused as refusal:
        if refusal.code == "reason_required":
            return Status(422, {"errors": [{"field": "reason", **refusal.as_dict()}]})
        return Status(403 if refusal.code == "forbidden" else 409, refusal.as_dict())
    enrollment = selectors.get_enrollment(request.user, enrollment_id)
    return Status(200, _enrollment_out(enrollment, request.user, with_transitions=True))


TRANSITION_RESPONSES = {200: EnrollmentOut, 409: Refusal, 422: Problems, 403: Refusal}


@enrollments_router.post(
    "/{enrollment_id}/verify", response=TRANSITION_RESPONSES, summary="Verifikasi (kabupaten)"
)
def verify(request, enrollment_id: int, payload: ReasonIn | None = None):
    return _move(request, enrollment_id, State.VERIFIED, payload.reason if payload else "")


@enrollments_router.post(
    "/{enrollment_id}/reject", response=TRANSITION_RESPONSES, summary="Tolak, dengan alasan"
)
def reject(request, enrollment_id: int, payload: ReasonIn):
    return _move(request, enrollment_id, State.REJECTED, payload.reason)


@enrollments_router.post(
    "/{enrollment_id}/withdraw",
    response=TRANSITION_RESPONSES,
    summary="Tarik usulan, dengan alasan",
)
def withdraw(request, enrollment_id: int, payload: ReasonIn):
    return _move(request, enrollment_id, State.WITHDRAWN, payload.reason)


@enrollments_router.post(
    "/{enrollment_id}/end",
    response=TRANSITION_RESPONSES,
    summary="Akhiri lebih awal (meninggal, pindah, menjadi formal)",
)
def end_early(request, enrollment_id: int, payload: EndEarlyIn):
    """409 when the enrollment is not active or the date lies outside its coverage; 422
    for an unknown cause or an unreadable or future date; 403 for a role that may not."""
    enrollment = selectors.get_enrollment(request.user, enrollment_id)
    try:
        services.end_early(
            user=request.user,
            enrollment=enrollment,
            cause=payload.cause,
            on=payload.date,
            reason=payload.reason,
            today=clock.today(),
            via=Transition.Via.API,
        )
    except services.EarlyEndRefused as refusal:
        if refusal.code == "forbidden":
            return Status(403, refusal.as_dict())
        if refusal.code in ("end_cause_invalid", "end_date_invalid", "end_date_in_future"):
            field = "cause" if refusal.code == "end_cause_invalid" else "date"
            return Status(422, {"errors": [{"field": field, **refusal.as_dict()}]})
        return Status(409, refusal.as_dict())
    enrollment = selectors.get_enrollment(request.user, enrollment_id)
    return Status(200, _enrollment_out(enrollment, request.user, with_transitions=True))


_add_sub_routers()
