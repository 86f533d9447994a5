"""The planner: budget ↔ workers ↔ months, per regency and per village, this year and next.

Everything is integer arithmetic on the monthly premium that the one premium function
gives for the package, the payer and the month, so the planner and the bills agree to the
rupiah. For Gianyar 2024 it says 12.800 pekerja × Rp 16.800 × 6 bulan = Rp 1.290.240.000.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from lindung.billing.run import payer_of
from lindung.contributions.models import Payer, Segment
from lindung.contributions.premiums import Premium, RateBook
from lindung.formatting import number, rupiah
from lindung.programs.models import Program, VillageQuota, add_months
from lindung.regions.models import Region


@dataclass
class Plan:
    """A costed plan: ``workers`` × ``monthly_premium`` × ``months`` = ``budget``."""

    label: str
    workers: int
    monthly_premium: int
    months: int
    budget: int
    leftover: int = 0
    rule_label: str = ""
    villages: list["Plan"] = field(default_factory=list)

    @property
    def uniform(self) -> bool:
        return self.workers * self.monthly_premium * self.months == self.budget

    @property
    def formula(self) -> str:
        if self.uniform:
            return _("%(w)s pekerja × %(p)s × %(m)s bulan = %(b)s") % {
                "w": number(self.workers),
                "p": rupiah(self.monthly_premium),
                "m": self.months,
                "b": rupiah(self.budget),
            }
        return _("%(w)s pekerja × %(m)s bulan (iuran berbeda antarbulan) = %(b)s") % {
            "w": number(self.workers),
            "m": self.months,
            "b": rupiah(self.budget),
        }

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "workers": self.workers,
            "monthly_premium": self.monthly_premium,
            "months": self.months,
            "budget": self.budget,
            "leftover": self.leftover,
            "formula": self.formula,
            "rule": self.rule_label,
            "villages": [v.as_dict() for v in self.villages],
        }


@dataclass(frozen=True)
class Package:
    """What is sponsored: the programs, the income basis, who pays, from which month."""

    benefits: tuple[str, ...] = ("JKK", "JKM")
    income: int = 1_000_000
    payer: str = Payer.APBD
    start: dt.date = dt.date(2024, 1, 1)
    months: int = 6

    def month_list(self) -> list[dt.date]:
        return [add_months(self.start, i) for i in range(self.months)]


def month_premiums(package: Package, book: RateBook | None = None) -> list[Premium]:
    book = book or RateBook.load()
    return [
        book.premium(Segment.BPU, package.benefits, package.income, month, payer=package.payer)
        for month in package.month_list()
    ]


def _rule_label(quotes: list[Premium]) -> str:
    return " ".join(dict.fromkeys(q.rule_label for q in quotes))


def for_workers(workers: int, package: Package, *, label: str = "", book=None) -> Plan:
    """The budget ``workers`` people need for the package's months."""
    quotes = month_premiums(package, book)
    per_worker = sum(q.total for q in quotes)
    return Plan(
        label=label,
        workers=workers,
        monthly_premium=quotes[0].total if quotes else 0,
        months=package.months,
        budget=workers * per_worker,
        rule_label=_rule_label(quotes),
    )


def for_budget(budget: int, package: Package, *, label: str = "", book=None) -> Plan:
    """How many workers a budget covers for the package's months, and what is left."""
    quotes = month_premiums(package, book)
    per_worker = sum(q.total for q in quotes)
    workers = budget // per_worker if per_worker else 0
    return Plan(
        label=label,
        workers=workers,
        monthly_premium=quotes[0].total if quotes else 0,
        months=package.months,
        budget=workers * per_worker,
        leftover=budget - workers * per_worker,
        rule_label=_rule_label(quotes),
    )


def for_target(
    workforce: int, target_percent: float, covered: int, package: Package, *, label: str = ""
) -> Plan:
    """Workers still to cover to reach a coverage target, and the budget they need.

    ``target_percent`` is a percentage of ``workforce`` (state its definition and source
    beside the figure); ``covered`` the participants already active.
    """
    needed = -(-int(workforce * round(target_percent * 100)) // 10_000)  # ceiling, integers
    return for_workers(max(needed - covered, 0), package, label=label)


def villages_of(region: Region, include_kelurahan: bool) -> list[Region]:
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if region.level == Region.Level.VILLAGE:
        villages = villages.filter(code=region.code)
    else:
        villages = villages.filter(code__startswith=f"{region.code}.")
    if not include_kelurahan:
        villages = villages.filter(kind=Region.Kind.DESA)
    return list(villages.order_by("code"))


def for_region(
    region: Region,
    *,
    per_village: int,
    rounds: int,
    package: Package,
    include_kelurahan: bool = False,
    with_villages: bool = True,
) -> Plan:
    """``per_village`` workers in each village of the region, for ``rounds`` rounds."""
    book = RateBook.load()
    villages = villages_of(region, include_kelurahan)
    workers = len(villages) * per_village * rounds
    plan = for_workers(workers, package, label=region.display_name, book=book)
    if with_villages:
        each = for_workers(per_village * rounds, package, book=book)
        plan.villages = [
            Plan(
                label=v.display_name,
                workers=each.workers,
                monthly_premium=each.monthly_premium,
                months=each.months,
                budget=each.budget,
            )
            for v in villages
        ]
    return plan


def this_year_and_next(make_plan, package: Package) -> list[tuple[int, Plan]]:
    """The same plan priced from January of the start year and of the next year."""
    plans = []
    for year in (package.start.year, package.start.year + 1):
        moved = Package(package.benefits, package.income, package.payer,
                        package.start.replace(year=year), package.months)  # fmt: skip
        plans.append((year, make_plan(moved)))
    return plans


def for_program(program: Program) -> Plan:
    """A program's full cost: every place of every round for all its sponsored months.

    Gianyar 2024 (64 desa × 100 × 2 rounds, JKK + JKM on the lowest bracket, APBD):
    12.800 pekerja × Rp 16.800 × 6 bulan = Rp 1.290.240.000.
    """
    book = RateBook.load()
    income = program.income_basis if program.income_basis is not None else 1_000_000
    payer = payer_of(program)
    places = dict(
        VillageQuota.objects.filter(program=program)
        .order_by()
        .values_list("round_id")
        .annotate(total=Sum("quota"))
    )
    workers, budget, first_quote, quotes = 0, 0, None, []
    for round_ in program.rounds.all():
        package = Package(tuple(program.benefits), income, payer, round_.start_month,
                          program.sponsored_months)  # fmt: skip
        round_quotes = month_premiums(package, book)
        quotes += round_quotes
        count = places.get(round_.pk, 0)
        workers += count
        budget += count * sum(q.total for q in round_quotes)
        first_quote = first_quote or (round_quotes[0] if round_quotes else None)
    return Plan(
        label=program.name,
        workers=workers,
        monthly_premium=first_quote.total if first_quote else 0,
        months=program.sponsored_months,
        budget=budget,
        leftover=program.budget - budget,
        rule_label=_rule_label(quotes),
    )
