"""The monthly BPU premium, from the rate version in force in the covered month.

Rounding rule: each program's amount is computed in integer rupiah, percentages rounded
half up to the rupiah (``amount * bp + 5000) // 10000``), then JKK is kept between its
minimum and maximum. The total is the sum of the programs' amounts.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lindung.contributions.models import BpuRateVersion

JKK, JKM, JHT = "JKK", "JKM", "JHT"
BPU_PROGRAMS = (JKK, JKM, JHT)


class NoRateInForce(Exception):
    """No rate version covers the month: the system admin must add one."""


class UnknownProgram(ValueError):
    pass


@dataclass(frozen=True)
class BpuQuote:
    month: dt.date
    income_bracket: int
    amounts: dict[str, int]
    version: BpuRateVersion

    @property
    def total(self) -> int:
        return sum(self.amounts.values())


def _percent(amount: int, basis_points: int) -> int:
    return (amount * basis_points + 5000) // 10000


def rate_in_force(month: dt.date) -> BpuRateVersion:
    """The version whose ``effective_from`` is the latest on or before the month's first day."""
    first = month.replace(day=1)
    version = BpuRateVersion.objects.filter(effective_from__lte=first).first()
    if version is None:
        raise NoRateInForce(
            _("Belum ada tarif iuran BPU yang berlaku untuk bulan %(month)s.")
            % {"month": first.strftime("%m/%Y")}
        )
    return version


def income_bracket(income: int, version: BpuRateVersion) -> int:
    """The bracket a declared income falls in (never below the lowest bracket)."""
    if income <= version.income_floor:
        return version.income_floor
    steps = (income - version.income_floor) // version.income_step
    return version.income_floor + steps * version.income_step


def bpu_quote(income: int, programs: Iterable[str], month: dt.date) -> BpuQuote:
    """Premium per program for one month, with the version and bracket used."""
    wanted = {p.upper() for p in programs}
    if unknown := wanted - set(BPU_PROGRAMS):
        raise UnknownProgram(", ".join(sorted(unknown)))
    version = rate_in_force(month)
    bracket = income_bracket(int(income), version)
    amounts = {}
    if JKK in wanted:
        jkk = _percent(bracket, version.jkk_rate_bp)
        amounts[JKK] = min(max(jkk, version.jkk_min), version.jkk_max)
    if JKM in wanted:
        amounts[JKM] = version.jkm_amount
    if JHT in wanted:
        amounts[JHT] = _percent(bracket, version.jht_rate_bp)
    return BpuQuote(
        month=month.replace(day=1), income_bracket=bracket, amounts=amounts, version=version
    )


def bpu_monthly_premium(income: int, programs: Iterable[str], month: dt.date) -> int:
    """Integer rupiah for one covered month; the lowest JKK+JKM package is Rp 16,800."""
    return bpu_quote(income, programs, month).total
