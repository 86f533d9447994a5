"""Budget realisation of the programs in a region, for the dashboards.

Allocated and committed come from the programs (their guarded counters: committed is the
figure of today, whatever the date asked). Billed and paid come from the billing module's
tables, with its own definitions (``lindung.billing.selectors.realisation``): billed = what
the billing runs finished by the end of the date added to the program's bills, paid = the
payments dated up to the date. Both are one grouped query over the bills of the region's
programs (a few rows per program and month), never over the bill lines. Without the
billing module installed, billed and paid are ``None`` and the page says so instead of
showing a zero that would read as "nothing paid".
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, Sum
from django.utils import timezone

from lindung.programs.models import Funder, Program


@dataclass
class ProgramBudget:
    program_id: int
    name: str
    funder: str
    area_code: str
    budget: int
    committed: int
    billed: int | None = None
    paid: int | None = None

    @property
    def funder_label(self) -> str:
        return str(Funder(self.funder).label)

    @property
    def remaining(self) -> int:
        return self.budget - self.committed

    @property
    def committed_bp(self) -> int | None:
        if not self.budget:
            return None
        return self.committed * 10000 // self.budget


@dataclass
class BudgetSummary:
    programs: list[ProgramBudget]
    billing_available: bool

    @property
    def budget(self) -> int:
        return sum(p.budget for p in self.programs)

    @property
    def committed(self) -> int:
        return sum(p.committed for p in self.programs)

    @property
    def billed(self) -> int | None:
        return sum(p.billed or 0 for p in self.programs) if self.billing_available else None

    @property
    def paid(self) -> int | None:
        return sum(p.paid or 0 for p in self.programs) if self.billing_available else None

    @property
    def committed_bp(self) -> int | None:
        return self.committed * 10000 // self.budget if self.budget else None


def programs_in(code: str, year: int):
    programs = Program.objects.filter(year=year)
    if code:
        programs = programs.filter(Q(area_id=code) | Q(area__code__startswith=f"{code}."))
    return programs.order_by("area_id", "name")


def _billing(program_ids: list[int], day: dt.date) -> dict[int, tuple[int, int]] | None:
    """(billed, paid) per program up to the end of ``day``; ``None`` without billing."""
    if not apps.is_installed("lindung.billing"):
        return None
    from lindung.billing.models import Payment, RunBill

    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    billed = dict(
        RunBill.objects.filter(bill__program_id__in=program_ids, run__finished_at__lt=end)
        .values_list("bill__program_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    paid = dict(
        Payment.objects.filter(bill__program_id__in=program_ids, paid_on__lte=day)
        .values_list("bill__program_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    return {pk: (billed.get(pk) or 0, paid.get(pk) or 0) for pk in program_ids}


def budget_summary(code: str, day: dt.date) -> BudgetSummary:
    rows = [
        ProgramBudget(p.pk, p.name, p.funder, p.area_id, p.budget, p.committed)
        for p in programs_in(code, day.year)
    ]
    billing = _billing([r.program_id for r in rows], day)
    if billing is not None:
        for row in rows:
            row.billed, row.paid = billing.get(row.program_id, (0, 0))
    return BudgetSummary(rows, billing is not None)
