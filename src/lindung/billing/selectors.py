"""Reads of bills, lines, payments and budget realisation, through the user's scope.

A bill is visible to whoever sees its program (``programs.selectors.programs_for``); a
village's own APBDes bill only inside that village's scope. Lines and village totals are
personal or per-village data: they always go through ``accounts.scope``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import scope_code, scoped
from lindung.billing.models import Bill, BillingRun, BillLine, BillVillageTotal, Payment, RunBill
from lindung.programs.lifecycle import RELEASING
from lindung.programs.models import Enrollment, Funder, Program, ProgramVillage, Transition
from lindung.programs.selectors import programs_for
from lindung.regions.models import Region

WARNING_PERCENT = 80


def bills_for(user, *, program: Program | None = None) -> QuerySet[Bill]:
    bills = Bill.objects.filter(program__in=programs_for(user)).select_related("program")
    scope = scope_code(user)
    if scope not in (None, "-"):
        bills = bills.filter(
            Q(village_code="") | Q(village_code=scope) | Q(village_code__startswith=f"{scope}.")
        )
    if program is not None:
        bills = bills.filter(program=program)
    return bills


def billable_months(program: Program, today: dt.date) -> list[dt.date]:
    """Months a run can bill now, oldest first: from the program's first covered month up to
    this month and the end of its last sponsored month (or latest coverage end)."""
    from lindung.billing.run import program_months
    from lindung.programs.selectors import rounds_of

    ends = [r.end_month for r in rounds_of(program)]
    covered = program.enrollments.aggregate(last=Max("coverage_end"))["last"]
    if covered is not None:
        ends.append(covered.replace(day=1))
    this_month = today.replace(day=1)
    return program_months(program, min([this_month, max(ends, default=this_month)]))


def last_billed_month(program: Program) -> dt.date | None:
    """The latest month a finished run billed (along ``BillingRun (program, month)``)."""
    runs = BillingRun.objects.filter(program=program, finished_at__isnull=False)
    return runs.aggregate(last=Max("month"))["last"]


def months_due(program: Program, today: dt.date) -> list[dt.date]:
    """Billable months after the last billed one, oldest first. A run of month M bills the
    months before it too (as catch-up lines), so only the months after the latest run are
    still to bill; the first of them is the month due next."""
    last = last_billed_month(program)
    return [m for m in billable_months(program, today) if last is None or m > last]


def get_bill(user, pk) -> Bill:
    try:
        return bills_for(user).get(pk=pk)
    except Bill.DoesNotExist as exc:
        raise Http404 from exc


def filter_bills(bills: QuerySet[Bill], *, status: str = "", month=None, today: dt.date):
    """Bills of a month and/or a status: ``paid``, ``open`` (not fully paid), ``overdue``."""
    if month is not None:
        bills = bills.filter(month=month)
    if status == "paid":
        bills = bills.filter(amount__gt=0, paid__gte=F("amount"))
    elif status in ("open", "overdue"):
        bills = bills.filter(amount__gt=0, paid__lt=F("amount"))
        if status == "overdue":
            bills = bills.filter(due_date__lt=today)
    return bills


@dataclass
class BillSummary:
    bills: int
    amount: int
    paid: int
    outstanding: int
    overdue: int
    overdue_bills: int
    arrears_bills: int  # unpaid three months past the due date: memberships at risk


def summary(bills: QuerySet[Bill], today: dt.date) -> BillSummary:
    """Outstanding and overdue amounts of a set of bills (a handful of rows per month)."""
    from lindung.billing.models import ARREARS_MONTHS

    rows = list(bills.select_related(None).only("amount", "paid", "due_date"))
    outstanding = [b for b in rows if b.outstanding > 0]
    overdue = [b for b in outstanding if b.is_overdue(today)]
    return BillSummary(
        bills=len(rows),
        amount=sum(b.amount for b in rows),
        paid=sum(b.paid for b in rows),
        outstanding=sum(b.outstanding for b in outstanding),
        overdue=sum(b.outstanding for b in overdue),
        overdue_bills=len(overdue),
        arrears_bills=sum(b.months_in_arrears(today) >= ARREARS_MONTHS for b in overdue),
    )


def village_totals(user, bill: Bill) -> QuerySet[BillVillageTotal]:
    return (
        scoped(user, BillVillageTotal.objects.filter(bill=bill))
        .select_related("village", "village__parent")
        .order_by("village_id")
    )


def bill_lines(user, bill: Bill, *, village: str = "", kind: str = "") -> QuerySet[BillLine]:
    lines = scoped(user, BillLine.objects.filter(bill=bill)).select_related(
        "enrollment__person", "village", "rule"
    )
    if village:
        lines = lines.filter(village_id=village)
    if kind in BillLine.Kind.values:
        lines = lines.filter(kind=kind)
    return lines.order_by("village_id", "enrollment__person__full_name", "covered_month", "id")


def payments_of(bill: Bill) -> QuerySet[Payment]:
    return bill.payments.select_related("recorded_by").order_by("paid_on", "id")


# --- budget realisation ---------------------------------------------------------------------


def _end_of(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


@dataclass
class Figures:
    allocated: int | None
    committed: int
    billed: int
    paid: int

    @property
    def remaining(self) -> int | None:
        """What can still be promised: the budget minus the premiums already committed."""
        return None if self.allocated is None else self.allocated - self.committed

    @property
    def outstanding(self) -> int:
        return self.billed - self.paid

    def _percent(self, amount: int) -> int | None:
        if not self.allocated:
            return None
        return round(100 * amount / self.allocated)

    @property
    def committed_percent(self):
        return self._percent(self.committed)

    @property
    def billed_percent(self):
        return self._percent(self.billed)

    @property
    def paid_percent(self):
        return self._percent(self.paid)

    @property
    def used_percent(self) -> int | None:
        """The larger of committed and billed, against the budget."""
        return self._percent(max(self.committed, self.billed))

    @property
    def level(self) -> str:
        """``over`` past 100% of the budget, ``warning`` from 80% (exact, in integers)."""
        if not self.allocated:
            return "ok"
        used = max(self.committed, self.billed)
        if used > self.allocated:
            return "over"
        return "warning" if 100 * used >= WARNING_PERCENT * self.allocated else "ok"


@dataclass
class VillageFigures(Figures):
    village_code: str = ""
    village_name: str = ""
    district_name: str = ""


@dataclass
class Realisation:
    program: Program
    as_of: dt.date
    total: Figures
    villages: list[VillageFigures] = field(default_factory=list)
    by_month: list[tuple[dt.date, int, int]] = field(default_factory=list)  # month, billed, paid

    @property
    def funder_label(self) -> str:
        program = self.program
        label = str(Funder(program.funder).label)
        return f"{label} — {program.funder_name}" if program.funder_name else label

    def as_dict(self) -> dict:
        def figures(f: Figures) -> dict:
            return {
                "allocated": f.allocated,
                "committed": f.committed,
                "billed": f.billed,
                "paid": f.paid,
                "remaining": f.remaining,
                "outstanding": f.outstanding,
                "used_percent": f.used_percent,
                "level": f.level,
            }

        return {
            "program": self.program.pk,
            "funder": self.program.funder,
            "as_of": self.as_of.isoformat(),
            **figures(self.total),
            "villages": [
                {"village_code": v.village_code, "village_name": v.village_name, **figures(v)}
                for v in self.villages
            ],
            "months": [
                {"month": f"{m:%Y-%m}", "billed": b, "paid": p} for m, b, p in self.by_month
            ],
        }


def _committed(enrollments: QuerySet[Enrollment], end: dt.datetime):
    """Premiums promised by enrollments proposed before ``end`` and not released by then."""
    released = Transition.objects.filter(
        enrollment=OuterRef("pk"), to_state__in=sorted(RELEASING), at__lt=end
    )
    return enrollments.filter(proposed_at__lt=end).exclude(Exists(released))


def realisation(user, program: Program, as_of: dt.date, *, villages: bool = True) -> Realisation:
    """Allocated, committed, billed, paid and remaining for a program at the end of a day.

    Committed is rebuilt from the enrollments' history (proposed, then released or not),
    billed from what each run added (dated), paid from payment dates: so the same figures
    come out for any past date. Village rows are inside the user's scope.
    """
    end = _end_of(as_of)
    enrollments = Enrollment.objects.filter(program=program)
    committed = (
        _committed(enrollments, end).aggregate(s=Sum("committed_premium"))["s"] or 0
    )  # fmt: skip
    bills = Bill.objects.filter(program=program)
    billed = (
        RunBill.objects.filter(bill__program=program, run__finished_at__lt=end).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    paid = (
        Payment.objects.filter(bill__program=program, paid_on__lte=as_of).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    total = Figures(program.budget, committed, billed, paid)
    rows = _village_rows(user, program, enrollments, end, as_of) if villages else []
    months = []
    for month in sorted(set(bills.values_list("month", flat=True))):
        month_billed = (
            RunBill.objects.filter(
                bill__program=program, bill__month=month, run__finished_at__lt=end
            ).aggregate(s=Sum("amount"))["s"]
            or 0
        )
        month_paid = (
            Payment.objects.filter(
                bill__program=program, bill__month=month, paid_on__lte=as_of
            ).aggregate(s=Sum("amount"))["s"]
            or 0
        )
        if month_billed or month_paid:
            months.append((month, month_billed, month_paid))
    return Realisation(program, as_of, total, rows, months)


def _village_rows(user, program, enrollments, end, as_of) -> list[VillageFigures]:
    committed = dict(
        scoped(user, _committed(enrollments, end))
        .order_by()
        .values_list("village_id")
        .annotate(s=Sum("committed_premium"))
    )
    billed = dict(
        scoped(user, BillLine.objects.filter(program=program, created_at__lt=end))
        .order_by()
        .values_list("village_id")
        .annotate(s=Sum("amount"))
    )
    paid: dict[str, int] = {}
    budgets: dict[str, int | None] = {}
    if program.funder == Funder.APBDES:
        paid = dict(
            Payment.objects.filter(bill__program=program, paid_on__lte=as_of)
            .exclude(bill__village_code="")
            .order_by()
            .values_list("bill__village_code")
            .annotate(s=Sum("amount"))
        )
        budgets = dict(
            scoped(user, ProgramVillage.objects.filter(program=program)).values_list(
                "village_id", "budget"
            )
        )
    codes = sorted(set(committed) | set(billed) | set(budgets))
    regions = {
        r.code: r for r in Region.objects.filter(code__in=codes).select_related("parent")
    }  # fmt: skip
    rows = []
    for code in codes:
        region = regions.get(code)
        rows.append(
            VillageFigures(
                allocated=budgets.get(code),
                committed=committed.get(code, 0) or 0,
                billed=billed.get(code, 0) or 0,
                paid=paid.get(code, 0) or 0,
                village_code=code,
                village_name=region.display_name if region else code,
                district_name=region.parent.display_name if region and region.parent else "",
            )
        )
    return rows


def realisations_for(user, as_of: dt.date) -> list[Realisation]:
    """Every visible program's realisation (the funders' overview), newest first."""
    return [
        realisation(user, program, as_of, villages=False)
        for program in programs_for(user).order_by("-year", "name")
    ]


# --- what a run would bill (the preview before the run) -------------------------------------

NOTHING_TO_BILL = {
    "program_not_started": _(
        "Program ini mulai %(start)s: tagihan pertama bisa dibuat pada bulan itu."
    ),
    "nobody_active": _(
        "Belum ada peserta aktif: tagihan dibuat setelah BPJS mengaktifkan peserta (jawaban "
        "BPJS dengan nomor KPJ dan tanggal efektif)."
    ),
}


def nothing_to_bill(program: Program, today: dt.date) -> str:
    """Why no month can be billed yet, in Indonesian; empty when one can."""
    from lindung.programs.selectors import rounds_of

    starts = [r.start_month for r in rounds_of(program)]
    if starts and min(starts) > today.replace(day=1):
        return str(NOTHING_TO_BILL["program_not_started"]) % {"start": f"{min(starts):%m/%Y}"}
    if not Enrollment.objects.filter(program=program, effective_date__isnull=False).exists():
        return str(NOTHING_TO_BILL["nobody_active"])
    return ""


def default_run_month(program: Program, today: dt.date) -> dt.date | None:
    """The month the run form offers first: the next month due, oldest first, so that one
    month is billed at a time; when every month is billed, the latest (a re-run changes
    nothing, or adds what came late)."""
    due = months_due(program, today)
    if due:
        return due[0]
    months = billable_months(program, today)
    return months[-1] if months else None


def months_at_once(program: Program, month: dt.date, today: dt.date) -> list[dt.date]:
    """The months not billed yet that a run of ``month`` would bill together (it bills the
    earlier ones as catch-up lines). More than one asks for a confirmation."""
    return [m for m in months_due(program, today) if m <= month]


@dataclass
class MonthPreview:
    month: dt.date
    lines: int = 0
    amount: int = 0


@dataclass
class RunPreview:
    """What a run of ``month`` would write, read without writing anything."""

    program: Program
    month: dt.date
    months: list[MonthPreview] = field(default_factory=list)  # months with new lines
    reversals: int = 0
    reversal_amount: int = 0  # negative: corrections of lines no longer due
    unbilled: list[dt.date] = field(default_factory=list)  # months_at_once
    refusal: str = ""  # why the run would be refused (Indonesian); nothing else is set

    @property
    def lines(self) -> int:
        return sum(m.lines for m in self.months) + self.reversals

    @property
    def amount(self) -> int:
        return sum(m.amount for m in self.months) + self.reversal_amount

    @property
    def catch_up(self) -> list[dt.date]:
        """Earlier months that get lines (``late``) in this run."""
        return [m.month for m in self.months if m.month < self.month]

    @property
    def at_once(self) -> list[dt.date]:
        """Every month this run bills: those not billed yet and those getting lines."""
        return sorted(set(self.unbilled) | {m.month for m in self.months})

    @property
    def needs_confirmation(self) -> bool:
        return len(self.at_once) > 1


def run_preview(program: Program, month: dt.date, today: dt.date) -> RunPreview:
    """The lines, months and amount a billing run of ``month`` would add, computed with the
    run's own rules (``billing.run``: billable states, whole months from the effective
    date, the same premium function) but only read: a count per month, income and
    transport flag of the enrollment-months without a live charge, priced once each."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from lindung.billing.run import BILLABLE, CHARGES, BillingRefused, payer_of, program_months
    from lindung.contributions.models import Segment
    from lindung.contributions.premiums import NoRateInForce, RateBook
    from lindung.programs.models import add_months

    month = month.replace(day=1)
    preview = RunPreview(program=program, month=month)
    if month > today.replace(day=1):
        preview.refusal = BillingRefused("month_in_future", month=f"{month:%m/%Y}").message
        return preview
    months = program_months(program, month)
    if not months or months[-1] != month:
        first = min((r.start_month for r in program.rounds.all()), default=month)
        preview.refusal = BillingRefused(
            "month_before_program", start=f"{first:%m/%Y}", month=f"{month:%m/%Y}"
        ).message
        return preview
    preview.unbilled = months_at_once(program, month, today)
    reversed_ = BillLine.objects.filter(reverses=OuterRef("pk"))
    billable = Enrollment.objects.filter(
        program=program,
        state__in=BILLABLE,
        effective_date__isnull=False,
        coverage_end__isnull=False,
    )
    income = "person__declared_income" if program.income_basis is None else None
    book, payer = RateBook.load(), payer_of(program)
    for covered in months:
        last_day = add_months(covered, 1) - dt.timedelta(days=1)
        live = BillLine.objects.filter(
            enrollment=OuterRef("pk"), covered_month=covered, kind__in=CHARGES
        ).exclude(Exists(reversed_))
        missing = billable.filter(effective_date__lte=last_day, coverage_end__gte=covered)
        missing = missing.exclude(Exists(live)).order_by()
        groups = missing.values_list(
            *([income] if income else []), "person__occupation__is_transport"
        ).annotate(n=Count("pk"))
        found = MonthPreview(covered)
        for row in groups:
            amount_of = program.income_basis if income is None else row[0]
            transport, n = bool(row[-2]), row[-1]
            try:
                quote = book.premium(
                    Segment.BPU, program.benefits, amount_of, covered, payer=payer,
                    transport=transport,
                )  # fmt: skip
            except NoRateInForce as exc:
                preview.refusal = BillingRefused("no_rate", detail=str(exc)).message
                preview.months = []
                return preview
            found.lines += n
            found.amount += n * quote.total
        if found.lines:
            preview.months.append(found)
    # Live charges of months up to ``month`` that are no longer due: the run reverses them.
    due = Q(
        enrollment__state__in=BILLABLE,
        enrollment__effective_date__isnull=False,
        enrollment__coverage_end__gte=F("covered_month"),
        effective_month__lte=F("covered_month"),
    )
    stale = (
        BillLine.objects.filter(program=program, covered_month__lte=month, kind__in=CHARGES)
        .exclude(Exists(reversed_))
        .annotate(effective_month=TruncMonth("enrollment__effective_date"))
        .exclude(due)
        .aggregate(n=Count("pk"), s=Sum("amount"))
    )
    preview.reversals, preview.reversal_amount = stale["n"] or 0, -(stale["s"] or 0)
    return preview
