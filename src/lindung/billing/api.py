"""``/api/v1/billing``: runs, bills, payments, budget realisation, planner; ``/api/v1/rates``:
the premium quote and the rate versions."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from lindung.billing import planner, selectors, services
from lindung.billing.run import BillingRefused
from lindung.contributions.models import BpuRateVersion, Payer, ReliefRule
from lindung.contributions.premiums import (
    NoRateInForce,
    PremiumInputInvalid,
    UnknownProgram,
    premium,
)
from lindung.people.validation import parse_date
from lindung.programs import clock
from lindung.programs import selectors as program_selectors
from lindung.programs.services import parse_month
from lindung.schemas import DateText, DateTextQuery, Month, Problems, Refusal

router = Router()
rates_router = Router()
FORBIDDEN = {"code": "forbidden", "message": "Peran Anda tidak boleh melakukan ini."}


def _invalid(field: str, code: str, message) -> Status:
    return Status(422, {"errors": [{"field": field, "code": code, "message": str(message)}]})


class RunIn(Schema):
    month: Month


class RunBillOut(Schema):
    id: int
    number: str
    village_code: str
    sequence: int
    lines: int
    amount: int
    paid: int


class RunOut(Schema):
    program: int
    month: Month
    lines: int
    amount: int
    added_lines: int
    added_amount: int
    late_lines: int
    reversals: int
    bills: list[RunBillOut]


class VillageTotalOut(Schema):
    village_code: str
    people: int
    lines: int
    amount: int


class PaymentOut(Schema):
    id: int
    paid_on: dt.date
    amount: int
    reference: str
    source: str


class BillOut(Schema):
    id: int
    number: str
    program: int
    month: Month
    village_code: str
    sequence: int
    payer: str
    amount: int
    paid: int
    outstanding: int
    due_date: dt.date
    status: str
    lines: int


class BillDetailOut(BillOut):
    villages: list[VillageTotalOut]
    payments: list[PaymentOut]


class PaymentIn(Schema):
    paid_on: DateText
    amount: int | str
    reference: str


def _bill_out(bill, today) -> dict:
    return {
        "id": bill.pk,
        "number": bill.number,
        "program": bill.program_id,
        "month": f"{bill.month:%Y-%m}",
        "village_code": bill.village_code,
        "sequence": bill.sequence,
        "payer": bill.payer,
        "amount": bill.amount,
        "paid": bill.paid,
        "outstanding": bill.outstanding,
        "due_date": bill.due_date,
        "status": bill.status(today),
        "lines": bill.lines_count,
    }


@router.post(
    "/programs/{program_id}/runs",
    response={200: RunOut, 409: Refusal, 422: Problems, 403: Refusal},
    summary="Jalankan tagihan bulanan satu program (idempoten)",
    description="409 dengan `code`: month_in_future, month_before_program, budget_exceeded, "
    "village_budget_exceeded, no_rate.",
)
def run_billing(request, program_id: int, payload: RunIn):
    program = program_selectors.get_program(request.user, program_id)
    month = parse_month(payload.month)
    if month is None:
        return _invalid("month", "month_invalid", "Bulan tidak dikenali: tulis 2024-01.")
    try:
        result = services.run_billing(
            user=request.user, program=program, month=month, today=clock.today(), via="api"
        )
    except BillingRefused as refusal:
        return Status(409, refusal.as_dict())
    except PermissionDenied:
        return Status(
            403, {"code": "forbidden", "message": "Peran Anda tidak boleh melakukan ini."}
        )
    return result.as_dict()


@router.get("/bills", response=list[BillOut], summary="Tagihan yang terlihat oleh pengguna")
def list_bills(request, program: int | None = None, month: Month | None = None, status: str = ""):
    today = clock.today()
    bills = selectors.bills_for(request.user)
    if program is not None:
        bills = bills.filter(program_id=program)
    bills = selectors.filter_bills(
        bills, status=status, month=parse_month(month) if month else None, today=today
    )
    return [_bill_out(b, today) for b in bills.order_by("-month", "number")[:1000]]


@router.get("/bills/{bill_id}", response=BillDetailOut, summary="Satu tagihan, rekap per desa")
def get_bill(request, bill_id: int):
    today = clock.today()
    bill = selectors.get_bill(request.user, bill_id)
    return {
        **_bill_out(bill, today),
        "villages": [
            {"village_code": t.village_id, "people": t.people, "lines": t.lines,
             "amount": t.amount}
            for t in selectors.village_totals(request.user, bill)
        ],
        "payments": list(selectors.payments_of(bill)),
    }  # fmt: skip


@router.post(
    "/bills/{bill_id}/payments",
    response={201: PaymentOut, 409: Refusal, 403: Refusal},
    summary="Catat pembayaran tagihan",
    description="409 dengan `code`: payment_exceeds_outstanding, bill_already_paid, "
    "payment_duplicate, payment_amount_invalid, payment_date_invalid, payment_date_future, "
    "payment_reference_missing, bill_nothing_to_pay.",
)
def pay(request, bill_id: int, payload: PaymentIn):
    bill = selectors.get_bill(request.user, bill_id)
    try:
        payment = services.record_payment(
            user=request.user,
            bill=bill,
            paid_on=payload.paid_on,
            amount=payload.amount,
            reference=payload.reference,
            today=clock.today(),
        )
    except services.PaymentRefused as refusal:
        return Status(409, refusal.as_dict())
    except PermissionDenied:
        return Status(
            403, {"code": "forbidden", "message": "Peran Anda tidak boleh melakukan ini."}
        )
    return Status(201, payment)


@router.get(
    "/programs/{program_id}/realisation",
    response={200: dict, 422: Problems},
    summary="Realisasi anggaran: pagu, terikat, ditagih, dibayar, sisa (per tanggal)",
)
def realisation(request, program_id: int, date: DateTextQuery = ""):
    program = program_selectors.get_program(request.user, program_id)
    as_of = parse_date(date) if date else clock.today()
    if as_of is None:  # a date that says nothing is refused, not read as today
        return _invalid("date", "date_invalid", "Tanggal tidak dikenali: tulis 2024-12-31.")
    return selectors.realisation(request.user, program, as_of).as_dict()


class PlanQuery(Schema):
    workers: int | None = None
    budget: int | None = None
    months: int = 6
    start: Month = "2024-01"
    income: int = 1_000_000
    includes_jht: bool = False
    payer: str = Payer.APBD
    region: str = ""
    per_village: int = 100
    rounds: int = 1
    include_kelurahan: bool = False
    program: int | None = None


@router.get(
    "/planner",
    response={200: dict, 422: Problems},
    summary="Perencana: anggaran ↔ pekerja ↔ bulan",
    description="Beri `program`, atau `region` (+ per_village, rounds), atau `workers`, "
    "atau `budget`. Contoh Gianyar 2024: region=51.04&per_village=100&rounds=2 → "
    "12.800 pekerja × Rp 16.800 × 6 bulan = Rp 1.290.240.000.",
)
def plan(request, query: Query[PlanQuery]):
    from lindung.regions.models import Region

    start = parse_month(query.start)
    if start is None or not 1 <= query.months <= 24 or query.payer not in Payer.values:
        return _invalid("start", "plan_invalid", "Periksa bulan mulai, jumlah bulan dan pembayar.")
    benefits = ("JKK", "JKM", "JHT") if query.includes_jht else ("JKK", "JKM")
    package = planner.Package(benefits, query.income, query.payer, start, query.months)
    try:
        if query.program is not None:
            program = program_selectors.get_program(request.user, query.program)
            return planner.for_program(program).as_dict()
        if query.region:
            region = Region.objects.filter(code=query.region).first()
            if region is None:
                return _invalid("region", "region_unknown", "Wilayah tidak dikenal.")
            return planner.for_region(
                region, per_village=query.per_village, rounds=query.rounds, package=package,
                include_kelurahan=query.include_kelurahan,
            ).as_dict()  # fmt: skip
        if query.budget is not None:
            return planner.for_budget(query.budget, package).as_dict()
        if query.workers is not None:
            return planner.for_workers(query.workers, package).as_dict()
    except NoRateInForce as exc:
        return _invalid("start", "no_rate", str(exc))
    return _invalid("workers", "plan_missing", "Beri program, region, workers atau budget.")


# --- /rates -----------------------------------------------------------------------------------


class QuoteQuery(Schema):
    segment: str = "BPU"
    programs: str = "JKK,JKM"
    income: int = 1_000_000
    month: Month
    risk_class: int | None = None
    payer: str = Payer.SELF
    transport: bool = False


@rates_router.get(
    "/premium",
    response={200: dict, 422: Problems},
    summary="Iuran sebulan per program dan jumlahnya, dengan aturan yang berlaku",
)
def quote(request, query: Query[QuoteQuery]):
    month = parse_month(query.month)
    if month is None:
        return _invalid("month", "month_invalid", "Bulan tidak dikenali: tulis 2024-01.")
    try:
        result = premium(
            query.segment, [p for p in query.programs.split(",") if p.strip()], query.income,
            month, risk_class=query.risk_class, payer=query.payer, transport=query.transport,
        )  # fmt: skip
    except (PremiumInputInvalid, UnknownProgram) as exc:
        field = {"risk_class_missing": "risk_class", "payer_invalid": "payer"}.get(
            exc.code, "programs" if exc.code.startswith("program") else exc.code.split("_")[0]
        )
        return _invalid(field, exc.code, exc.message)
    except NoRateInForce as exc:
        return _invalid("month", "no_rate", str(exc))
    return result.as_dict()


@rates_router.get("/versions", summary="Versi tarif BPU dan aturan keringanan yang tersimpan")
def versions(request):
    return {
        "bpu": [
            {
                "effective_from": v.effective_from.isoformat(),
                "jkk_rate_bp": v.jkk_rate_bp,
                "jkk_min": v.jkk_min,
                "jkk_max": v.jkk_max,
                "jkm_amount": v.jkm_amount,
                "jht_rate_bp": v.jht_rate_bp,
                "legal_basis": v.legal_basis,
            }
            for v in BpuRateVersion.objects.order_by("effective_from")
        ],
        "relief_rules": [
            {
                "code": r.code,
                "legal_basis": r.legal_basis,
                "programs": r.programs,
                "discount_bp": r.discount_bp,
                "first_month": f"{r.first_month:%Y-%m}",
                "last_month": f"{r.last_month:%Y-%m}",
                "participants": r.participants,
                "excluded_payers": r.excluded_payers,
            }
            for r in ReliefRule.objects.order_by("first_month")
        ],
    }
