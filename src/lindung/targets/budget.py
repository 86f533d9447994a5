"""Budget realisation of the programs in a region, for the dashboards.

Allocated and committed come from the programs (their guarded counters). What was billed
and paid belongs to the billing module (``lindung.contributions``); until it offers bills
and payments, those two figures are ``None`` and the pages say they are not available
yet, instead of showing a zero that would read as "nothing paid".
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

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
    """(billed, paid) per program up to ``day`` from the billing module, if it exists."""
    try:
        from lindung.contributions import realisation  # noqa: PLC0415 (optional module)
    except ImportError:
        return None
    reader = getattr(realisation, "billed_and_paid", None)
    if reader is None:
        return None
    return reader(program_ids, day)


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
