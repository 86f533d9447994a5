"""``/api/v1/collections`` and ``/api/v1/agents/{id}/fees``: self-paid collections and the
agents' monthly fee statements."""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Query, Router, Schema, Status

from lindung.people import nik as nik_rules
from lindung.people import visibility
from lindung.programs import clock
from lindung.programs.models import Transition
from lindung.schemas import DateText, IsoDate, Month, MonthQuery, Problems, Refusal, as_problems
from lindung.selfpay import months as calendar
from lindung.selfpay import selectors, services
from lindung.selfpay.services import CollectionRefused

collections_router = Router()
fees_router = Router()


class CollectionIn(Schema):
    """``months`` as ``YYYY-MM``; ``paid_on`` as ``YYYY-MM-DD``; ``method`` cash, transfer
    or qris; ``amount`` (optional) the rupiah received, checked against the months' price."""

    nik: str | int
    months: list[str]
    paid_on: DateText
    method: str
    amount: int | str | None = None


class LineOut(Schema):
    month: Month
    amount: int
    base_amount: int
    rule: str | None
    rule_label: str


class CollectionOut(Schema):
    id: int
    number: str
    nik: str
    full_name: str
    village_code: str
    enrollment_id: int
    enrollment_state: str
    paid_on: dt.date
    method: str
    total: int
    agent_id: int | None
    collected_by: str | None
    deposit_reference: str | None
    lines: list[LineOut]
    receipt_pdf: str


class CollectionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CollectionOut]


def _collection_out(collection, user) -> dict:
    nik = collection.person.nik
    return {
        "id": collection.pk,
        "number": collection.number,
        "nik": visibility.nik(user, nik),
        "full_name": collection.person.full_name,
        "village_code": collection.village_id,
        "enrollment_id": collection.enrollment_id,
        "enrollment_state": collection.enrollment.state,
        "paid_on": collection.paid_on,
        "method": collection.method,
        "total": collection.total,
        "agent_id": collection.agent_id,
        "collected_by": collection.collected_by.username if collection.collected_by else None,
        "deposit_reference": collection.deposit.reference if collection.deposit_id else None,
        "lines": [
            {
                "month": calendar.month_key(line.month),
                "amount": line.amount,
                "base_amount": line.base_amount,
                "rule": line.rule.code if line.rule_id else None,
                "rule_label": line.rule_label,
            }
            for line in collection.lines.select_related("rule").order_by("month")
        ],
        "receipt_pdf": f"/mandiri/kuitansi/{collection.pk}.pdf",
    }


@collections_router.get("", response=CollectionPage, summary="Daftar iuran mandiri diterima")
def list_collections(
    request,
    nik: str | None = None,
    village: str | None = None,
    paid_from: IsoDate | None = None,
    paid_to: IsoDate | None = None,
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=500),
):
    collections = selectors.collections_for(request.user).select_related("deposit")
    if nik:
        collections = collections.filter(person__nik=nik_rules.normalize(nik))
    if village:
        collections = collections.filter(village_id=village)
    if paid_from:
        collections = collections.filter(paid_on__gte=paid_from)
    if paid_to:
        collections = collections.filter(paid_on__lte=paid_to)
    paginator = Paginator(collections.order_by("-paid_on", "-id"), page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_collection_out(c, request.user) for c in current],
    }


@collections_router.post(
    "",
    response={201: CollectionOut, 403: Refusal, 409: Refusal, 422: Problems},
    summary="Catat iuran mandiri (bulan YYYY-MM)",
)
def create_collection(request, payload: CollectionIn):
    """409 for months already paid, sponsored, or out of the arrears window (the code
    says which); 422 for input that is not well formed; 403 for a role that may not."""
    try:
        collection = services.record_collection(
            user=request.user,
            nik=payload.nik,
            months=payload.months,
            paid_on=payload.paid_on,
            method=payload.method,
            amount=payload.amount,
            today=clock.today(),
            via=Transition.Via.API,
        )
    except CollectionRefused as refusal:
        if refusal.code == "forbidden":
            return Status(403, refusal.as_dict())
        if refusal.is_conflict:
            return Status(409, refusal.as_dict())
        return Status(422, as_problems(refusal))
    collection = selectors.get_collection(request.user, collection.pk)
    return Status(201, _collection_out(collection, request.user))


@collections_router.get(
    "/{collection_id}", response=CollectionOut, summary="Satu iuran mandiri (kuitansi)"
)
def get_collection(request, collection_id: int):
    return _collection_out(selectors.get_collection(request.user, collection_id), request.user)


class FeeLineOut(Schema):
    kind: str
    person_id: int | None
    full_name: str | None
    contribution_month: Month | None
    month_number: int | None
    base: int
    rate_bp: int
    amount: int
    correction: bool
    collection_line_id: int | None
    source_statement_id: int | None


class FeeStatementOut(Schema):
    id: int
    agent_id: int
    month: Month
    rule: str
    rule_name: str
    status: str
    total: int
    due_on: dt.date
    approved_at: dt.datetime | None
    lines: list[FeeLineOut]


@fees_router.get(
    "/{agent_id}/fees",
    response={200: FeeStatementOut, 404: Refusal, 422: Problems},
    summary="Rekap imbal jasa agen sebulan (month=YYYY-MM)",
)
def agent_fees(request, agent_id: int, month: MonthQuery):
    wanted = calendar.parse_month(month)
    if wanted is None:
        return Status(
            422, as_problems(CollectionRefused("month_invalid", value=month[:20]), "month")
        )
    statement = selectors.agent_statement(request.user, agent_id, wanted)
    if statement is None:
        return Status(
            404,
            {
                "code": "statement_not_computed",
                "message": "Rekap imbal jasa bulan ini belum dihitung (dihitung tiap malam).",
            },
        )
    return {
        "id": statement.pk,
        "agent_id": statement.agent_id,
        "month": calendar.month_key(statement.month),
        "rule": statement.rule.code,
        "rule_name": statement.rule.name,
        "status": statement.status,
        "total": statement.total,
        "due_on": statement.due_on,
        "approved_at": statement.approved_at,
        "lines": [
            {
                "kind": line.kind,
                "person_id": line.person_id,
                "full_name": line.person.full_name if line.person_id else None,
                "contribution_month": calendar.month_key(line.contribution_month)
                if line.contribution_month
                else None,
                "month_number": line.month_number,
                "base": line.base,
                "rate_bp": line.rate_bp,
                "amount": line.amount,
                "correction": line.correction,
                "collection_line_id": line.collection_line_id,
                "source_statement_id": line.source_statement_id,
            }
            for line in selectors.statement_lines(statement)
        ],
    }
