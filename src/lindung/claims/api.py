"""``/api/v1/benefits``: the benefit estimator."""

import datetime as dt

from ninja import Router, Schema, Status

from lindung.claims import benefits, selectors
from lindung.privacy import access
from lindung.programs import clock
from lindung.schemas import DateTextQuery, Problems, Refusal

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
