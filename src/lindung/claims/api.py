"""``/api/v1/benefits``: the benefit estimator; ``/api/v1/claims``: the claims register."""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema, Status

from lindung.claims import benefits, selectors
from lindung.privacy import access
from lindung.programs import clock
from lindung.schemas import DateText, DateTextQuery, Month, Problems, Refusal

benefits_router = Router()


class ComponentOut(Schema):
    code: str
    label: str
    amount: int | None
    up_to: bool
    rule: str
    reason: str


class EstimateOut(Schema):
    """``total``: the fixed components in rupiah; ``total_up_to`` adds the maxima
    (scholarship). Care after a work accident is paid as needed (``amount`` null)."""

    estimate: bool
    event: str
    event_date: dt.date
    segment: str
    income: int
    rule_effective_from: dt.date
    rule_legal_basis: str
    membership_start: dt.date
    months_of_membership: int
    contribution_months: int
    contributions_current: bool
    covered: bool
    last_paid_month: str | None
    total: int
    total_up_to: int
    reasons: list[str]
    components: list[ComponentOut]


def _problems(problems) -> dict:
    return {
        "errors": [
            {"field": name, "code": refusal.code, "message": str(refusal.message)}
            for name, refusal in problems
        ]
    }


@benefits_router.get(
    "/estimate",
    response={200: EstimateOut, 404: Refusal, 422: Problems},
    summary="Perkiraan manfaat JKM/JKK untuk pekerja (nik) atau peserta andaian",
)
def estimate(
    request,
    event: str = "",
    date: DateTextQuery = "",
    nik: str = "",
    segment: str = "",
    income: str = "",
    start: DateTextQuery = "",
    months: str = "",
):
    """With ``nik``: the worker's own membership (404 outside the user's region). Without:
    a hypothetical member (``segment`` BPU|PU, ``income`` rupiah, ``start`` date,
    ``months`` paid from the start; empty means paid up to the event)."""
    person = None
    if nik.strip():
        person = selectors.worker_by_nik(request.user, nik)
        if person is None:
            message = "Pekerja dengan NIK ini tidak ditemukan di wilayah Anda."
            return Status(404, {"code": "worker_not_found", "message": message})
        access.viewed(request, person)
    data = {"event": event, "date": date, "segment": segment, "income": income,
            "start": start, "months": months}  # fmt: skip
    asked = benefits.read_request(data, person=person)
    if asked.problems:
        return Status(422, _problems(asked.problems))
    try:
        result = benefits.estimate(
            asked.membership, asked.event, asked.event_date, today=clock.today()
        )
    except benefits.EstimateRefused as refusal:
        return Status(422, _problems([("date", refusal)]))
    return result.as_dict()


claims_router = Router()


class ClaimIn(Schema):
    """``kind``: death, work_accident_death, total_disability, work_accident_care;
    ``event_date``: ``2026-07-15`` or ``15/07/2026``; a death needs the heir (name,
    relation spouse|child|parent|sibling|other, phone)."""

    nik: str
    kind: str
    event_date: DateText
    place: str = ""
    reporter_name: str = ""
    heir_name: str = ""
    heir_relation: str = ""
    heir_phone: str = ""


class ClaimPatch(Schema):
    """Any of: ``documents`` (the checklist codes received), ``status`` (the next status,
    with ``note``: the reason of a refusal, the note of a payment; ``amount_paid`` and
    ``paid_on`` for ``paid``), the hand-over (``handover_on``, ``handover_by``,
    ``testimony``; the photo is uploaded on the claim's page)."""

    documents: list[str] | None = None
    status: str | None = None
    note: str = ""
    amount_paid: int | str | None = None
    paid_on: DateText = ""
    handover_on: DateText = ""
    handover_by: str = ""
    testimony: str = ""


class MoveOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    by: str | None
    note: str
    via: str


class BilledOut(Schema):
    month: Month
    amount: int
    bill_number: str
    bill_paid: bool
    corrected: bool
    action: str


class ClaimOut(Schema):
    id: int
    number: str
    nik: str
    full_name: str
    village_code: str
    enrollment_id: int | None
    kind: str
    event_date: dt.date
    place: str
    status: str
    reported_on: dt.date
    reporter_name: str
    heir_name: str
    heir_relation: str
    heir_phone: str
    documents: list[str]
    documents_required: list[str]
    estimate_total: int
    estimate_up_to: int
    estimate_covered: bool
    estimate_rule: str
    submitted_on: dt.date | None
    amount_paid: int | None
    paid_on: dt.date | None
    payment_note: str
    refusal_reason: str
    handover_on: dt.date | None
    handover_by: str
    testimony: str
    billed_after_death: list[BilledOut]
    moves: list[MoveOut]


class ClaimFiguresRowOut(Schema):
    """Claims and benefits of one program, funder or village (dashboards' figures)."""

    key: str
    name: str
    funder: str | None
    claims_reported: int
    claims_paid: int
    benefits_paid: int
    premium_billed: int | None
    benefits_per_premium: float | None


class ClaimFiguresOut(Schema):
    """The claims figures of a region for its dashboard (``claims.figures``): ``missing``
    says why there are none (an empty register), instead of zeros."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    missing: str | None
    total: ClaimFiguresRowOut | None
    by_program: list[ClaimFiguresRowOut]
    by_funder: list[ClaimFiguresRowOut]
    by_village: list[ClaimFiguresRowOut]


class ClaimPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ClaimOut]


def _claim_out(claim, user) -> dict:
    from lindung.claims.models import DOCUMENTS
    from lindung.people import visibility

    return {
        "id": claim.pk,
        "number": claim.number,
        "nik": visibility.nik(user, claim.person.nik),
        "full_name": claim.person.full_name,
        "village_code": claim.village_id,
        "enrollment_id": claim.enrollment_id,
        "kind": claim.kind,
        "event_date": claim.event_date,
        "place": claim.place,
        "status": claim.status,
        "reported_on": claim.reported_on,
        "reporter_name": claim.reporter_name,
        "heir_name": claim.heir_name,
        "heir_relation": claim.heir_relation,
        "heir_phone": claim.heir_phone,
        "documents": claim.documents,
        "documents_required": DOCUMENTS[claim.kind],
        "estimate_total": claim.estimate_total,
        "estimate_up_to": claim.estimate_up_to,
        "estimate_covered": claim.estimate_covered,
        "estimate_rule": claim.estimate_rule,
        "submitted_on": claim.submitted_on,
        "amount_paid": claim.amount_paid,
        "paid_on": claim.paid_on,
        "payment_note": claim.payment_note,
        "refusal_reason": claim.refusal_reason,
        "handover_on": claim.handover_on,
        "handover_by": claim.handover_by,
        "testimony": claim.testimony,
        "billed_after_death": [
            {
                "month": f"{b.month:%Y-%m}",
                "amount": b.amount,
                "bill_number": b.bill_number,
                "bill_paid": b.bill_paid,
                "corrected": b.corrected,
                "action": b.action,
            }
            for b in selectors.billed_after_death(claim)
        ],
        "moves": [
            {
                "from_status": m.from_status,
                "to_status": m.to_status,
                "at": m.at,
                "by": m.by.username if m.by_id else None,
                "note": m.note,
                "via": m.via,
            }
            for m in selectors.moves_of(claim)
        ],
    }


def _refused(refusal, status: int = 422):
    if refusal.code == "forbidden":
        return Status(403, refusal.as_dict())
    if refusal.code == "claim_duplicate" or refusal.code == "transition_not_allowed":
        return Status(409, refusal.as_dict())
    return Status(
        status,
        {"errors": [{"field": refusal.field, "code": refusal.code, "message": refusal.message}]},
    )


@claims_router.get("", response=ClaimPage, summary="Daftar klaim di wilayah Anda")
def list_claims(
    request,
    status: str = "",
    kind: str = "",
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=500),
):
    claims = selectors.claims_for(request.user)
    if status:
        claims = claims.filter(status=status)
    if kind:
        claims = claims.filter(kind=kind)
    paginator = Paginator(claims.order_by("-event_date", "-id"), page_size)
    current = paginator.get_page(page)
    results = [_claim_out(c, request.user) for c in current]
    if results:
        access.listed(request, [c.person_id for c in current], {"status": status, "kind": kind},
                      paginator.count)  # fmt: skip
    return {"count": paginator.count, "page": current.number, "page_size": page_size,
            "results": results}  # fmt: skip


@claims_router.post(
    "",
    response={201: ClaimOut, 403: Refusal, 404: Refusal, 409: Refusal, 422: Problems},
    summary="Laporkan klaim (peristiwa)",
)
def create_claim(request, payload: ClaimIn):
    """404 when the NIK is not a worker of the user's region; 409 for a second open claim
    of the same death; 422 for bad input (the code says which); 403 for a viewer."""
    from lindung.claims import services

    try:
        claim = services.report(user=request.user, data=payload.dict(), today=clock.today(),
                                via="api")  # fmt: skip
    except services.ClaimRefused as refusal:
        if refusal.code == "worker_not_found":
            return Status(404, refusal.as_dict())
        return _refused(refusal)
    claim = selectors.get_claim(request.user, claim.pk)
    access.viewed(request, claim.person)
    return Status(201, _claim_out(claim, request.user))


@claims_router.get("/{claim_id}", response=ClaimOut, summary="Satu klaim")
def get_claim(request, claim_id: int):
    claim = selectors.get_claim(request.user, claim_id)
    access.viewed(request, claim.person)
    return _claim_out(claim, request.user)


@claims_router.patch(
    "/{claim_id}",
    response={200: ClaimOut, 403: Refusal, 409: Refusal, 422: Problems},
    summary="Berkas, status, pembayaran atau serah terima klaim",
)
def patch_claim(request, claim_id: int, payload: ClaimPatch):
    """The parts given are applied in order: documents, status, hand-over; each in its own
    transaction, so a refusal names the first part refused and keeps the ones before it."""
    from lindung.claims import services

    claim = selectors.get_claim(request.user, claim_id)
    today = clock.today()
    try:
        if payload.documents is not None:
            services.set_documents(user=request.user, claim=claim, documents=payload.documents)
        if payload.status:
            claim = services.move(
                user=request.user, claim=claim, to_status=payload.status, today=today,
                note=payload.note, amount=payload.amount_paid, paid_on=payload.paid_on,
                via="api",
            )  # fmt: skip
        if payload.handover_on:
            services.record_handover(
                user=request.user, claim=claim, on=payload.handover_on,
                by_name=payload.handover_by, testimony=payload.testimony, today=today,
            )  # fmt: skip
    except services.ClaimRefused as refusal:
        return _refused(refusal)
    claim = selectors.get_claim(request.user, claim_id)
    access.viewed(request, claim.person)
    return Status(200, _claim_out(claim, request.user))
