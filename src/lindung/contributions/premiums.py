"""Premiums: one function for every segment, program, month and payer.

:func:`premium` (segment, programs, declared income or wage, month, risk class, payer)
returns the amount of each program and the total, in integer rupiah, from the rate
version in force in the covered month, with the relief rule that applies (or why none
does). Everything else that prices a month (programs' committed budget, the monthly
billing, the planner) goes through it or through the :class:`RateBook` it runs on.

Rounding rule, the same everywhere:

* a percentage of a rupiah base is rounded half up to the rupiah:
  ``(base * bp + 5000) // 10000``, with ``bp`` in basis points (1% = 100);
* the BPU JKK is then kept between its minimum and its maximum (Rp 10,000–207,000);
* a relief rule reduces each program's amount, again rounded half up:
  ``(amount * (10000 - discount_bp) + 5000) // 10000`` (Rp 10,000 at −50% → Rp 5,000;
  Rp 6,800 at −99% → Rp 68);
* the total is the sum of the programs' amounts: nothing is rounded on the total.

BPU: the declared income is first put in its bracket (see :func:`income_bracket`); JKK
and JHT are percentages of the bracket, JKM a fixed amount. PU: JKK (by risk class), JKM
and JHT are percentages of the wage; JP of the wage up to its cap; the JKP share paid by
the central government is reported but not part of the total the payer pays.
"""

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.contributions.models import (
    BpuRateVersion,
    Payer,
    PuRateVersion,
    ReliefRule,
    Segment,
    WageCap,
)
from lindung.formatting import rupiah

JKK, JKM, JHT, JP, JKP = "JKK", "JKM", "JHT", "JP", "JKP"
BPU_PROGRAMS = (JKK, JKM, JHT)
PU_PROGRAMS = (JKK, JKM, JHT, JP, JKP)
PROGRAM_ORDER = {p: i for i, p in enumerate(PU_PROGRAMS)}

MESSAGES = {
    "income_invalid": gettext_lazy(
        "Penghasilan atau upah harus rupiah bulat, 0 atau lebih (mis. 1000000)."
    ),
    "segment_invalid": gettext_lazy(
        "Segmen harus BPU (bukan penerima upah) atau PU (penerima upah)."
    ),
    "payer_invalid": gettext_lazy(
        "Pembayar tidak dikenal: pilih peserta sendiri, pemberi kerja, APBN, APBD, "
        "APBD provinsi, APBDes atau CSR/lainnya."
    ),
    "risk_class_missing": gettext_lazy(
        "Kelompok risiko (1–5) wajib diisi untuk iuran JKK penerima upah."
    ),
    "programs_missing": gettext_lazy("Pilih paling sedikit satu program (JKK, JKM, JHT, JP, JKP)."),
}


class NoRateInForce(Exception):
    """No rate version covers the month: the system admin must add one."""


class UnknownProgram(ValueError):
    """A program the segment does not have (e.g. JP for an informal worker)."""

    code = "program_unknown"

    @property
    def message(self) -> str:
        return _("Program tidak dikenal untuk segmen ini: %(programs)s.") % {
            "programs": self.args[0] if self.args else ""
        }


class PremiumInputInvalid(ValueError):
    """Bad input to :func:`premium`, with a stable ``code`` and an Indonesian ``message``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def percent(amount: int, basis_points: int) -> int:
    """``basis_points`` of ``amount``, rounded half up to the rupiah."""
    return (amount * basis_points + 5000) // 10000


def after_relief(amount: int, discount_bp: int) -> int:
    """What is left of ``amount`` after a ``discount_bp`` reduction, rounded half up."""
    return (amount * (10000 - discount_bp) + 5000) // 10000


def percent_label(basis_points: int) -> str:
    """``0,89%`` (Indonesian decimal comma) for 89 basis points."""
    return f"{basis_points / 100:g}%".replace(".", ",")


def first_of_month(month: dt.date) -> dt.date:
    return month.replace(day=1)


def income_bracket(income: int, version: BpuRateVersion) -> int:
    """The bracket a declared income falls in (never below the lowest bracket).

    Above the floor, an income is rounded down to a multiple of the step: Rp 1,740,000
    counts as Rp 1,500,000. Income at or below the floor counts as the floor.
    """
    if income <= version.income_floor:
        return version.income_floor
    steps = (income - version.income_floor) // version.income_step
    return version.income_floor + steps * version.income_step


def _as_rupiah(value) -> int:
    if isinstance(value, bool) or value is None:
        raise PremiumInputInvalid("income_invalid")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, str) and value.strip().isdecimal():
        amount = int(value.strip())
    else:  # floats included: money is never a float
        raise PremiumInputInvalid("income_invalid")
    if amount < 0:
        raise PremiumInputInvalid("income_invalid")
    return amount


@dataclass(frozen=True)
class ProgramAmount:
    """One program's share of a month: before relief, after it, and who pays what."""

    program: str
    base: int
    amount: int
    employer: int = 0
    worker: int = 0
    government: int = 0
    rate_label: str = ""

    @property
    def relief(self) -> int:
        return self.base - self.amount


@dataclass(frozen=True)
class Premium:
    """A priced month: per-program amounts, the total, and the rule that applied."""

    segment: str
    month: dt.date
    income: int
    basis: int
    payer: str
    lines: tuple[ProgramAmount, ...]
    version: BpuRateVersion | PuRateVersion
    rule: ReliefRule | None = None
    excluded_rule: ReliefRule | None = None

    @property
    def amounts(self) -> dict[str, int]:
        return {line.program: line.amount for line in self.lines if line.program != JKP}

    @property
    def total(self) -> int:
        """What the payer(s) pay for the month, after relief."""
        return sum(line.amount for line in self.lines)

    @property
    def base_total(self) -> int:
        return sum(line.base for line in self.lines)

    @property
    def relief(self) -> int:
        return self.base_total - self.total

    @property
    def government_total(self) -> int:
        return sum(line.government for line in self.lines)

    def amount_of(self, program: str) -> int:
        return next((line.amount for line in self.lines if line.program == program), 0)

    @property
    def rule_label(self) -> str:
        """Which rule priced the month, in a sentence a finance officer can check."""
        if self.rule is not None:
            return _(
                "Keringanan %(basis)s: %(programs)s −%(percent)s (bulan %(first)s–%(last)s)."
            ) % {
                "basis": self.rule.legal_basis,
                "programs": " + ".join(self.rule.programs),
                "percent": self.rule.percent_label,
                "first": f"{self.rule.first_month:%m/%Y}",
                "last": f"{self.rule.last_month:%m/%Y}",
            }
        if self.excluded_rule is not None:
            return _(
                "Tarif dasar %(version)s. Keringanan %(basis)s tidak berlaku: iuran dibayar "
                "dari %(payer)s, yang dikecualikan."
            ) % {
                "version": self.version.legal_basis,
                "basis": self.excluded_rule.legal_basis,
                "payer": Payer(self.payer).label,
            }
        return _("Tarif dasar %(version)s; tidak ada keringanan pada bulan ini.") % {
            "version": self.version.legal_basis
        }

    def as_dict(self) -> dict:
        return {
            "segment": self.segment,
            "month": f"{self.month:%Y-%m}",
            "income": self.income,
            "basis": self.basis,
            "payer": self.payer,
            "programs": {
                line.program: {
                    "base": line.base,
                    "amount": line.amount,
                    "employer": line.employer,
                    "worker": line.worker,
                    "government": line.government,
                    "rate": line.rate_label,
                }
                for line in self.lines
            },
            "total": self.total,
            "base_total": self.base_total,
            "relief": self.relief,
            "government_total": self.government_total,
            "rule": self.rule.code if self.rule else None,
            "rule_label": self.rule_label,
            "rate_version": f"{self.version.effective_from:%Y-%m-%d}",
            "legal_basis": self.version.legal_basis,
        }


def _relief_excludes(rule: ReliefRule, payer: str) -> bool:
    if payer in rule.excluded_payers:
        return True
    return payer == Payer.APBDES and getattr(settings, "LINDUNG_RELIEF_EXCLUDES_APBDES", True)


def _participant_matches(rule: ReliefRule, transport: bool) -> bool:
    if rule.participants == ReliefRule.Participants.TRANSPORT:
        return transport
    if rule.participants == ReliefRule.Participants.NON_TRANSPORT:
        return not transport
    return True


class RateBook:
    """Every rate row, read once. A billing run prices all its months with one book.

    The tables are tiny (a few versions, a few rules), so loading them whole is cheaper
    than one query per priced month, and it keeps a run's prices consistent.
    """

    def __init__(self, bpu, pu, caps, rules):
        self._bpu = sorted(bpu, key=lambda v: v.effective_from)
        self._pu = sorted(pu, key=lambda v: v.effective_from)
        self._caps: dict[str, list] = {}
        for cap in sorted(caps, key=lambda c: c.effective_from):
            self._caps.setdefault(cap.program, []).append(cap)
        self._rules = list(rules)

    @classmethod
    def load(cls) -> "RateBook":
        return cls(
            BpuRateVersion.objects.all(),
            PuRateVersion.objects.all(),
            WageCap.objects.all(),
            ReliefRule.objects.all(),
        )

    @staticmethod
    def _in_force(versions, month: dt.date):
        dates = [v.effective_from for v in versions]
        index = bisect.bisect_right(dates, first_of_month(month)) - 1
        return versions[index] if index >= 0 else None

    def bpu_version(self, month: dt.date) -> BpuRateVersion:
        version = self._in_force(self._bpu, month)
        if version is None:
            raise NoRateInForce(
                _("Belum ada tarif iuran BPU yang berlaku untuk bulan %(month)s.")
                % {"month": first_of_month(month).strftime("%m/%Y")}
            )
        return version

    def pu_version(self, month: dt.date) -> PuRateVersion:
        version = self._in_force(self._pu, month)
        if version is None:
            raise NoRateInForce(
                _("Belum ada tarif iuran PU yang berlaku untuk bulan %(month)s.")
                % {"month": first_of_month(month).strftime("%m/%Y")}
            )
        return version

    def wage_cap(self, program: str, month: dt.date) -> int | None:
        cap = self._in_force(self._caps.get(program, []), month)
        return cap.amount if cap is not None else None

    def _relief(self, segment, month, transport, payer, programs):
        """(rule applied, rule excluded by payer) for one priced month."""
        first = first_of_month(month)
        matching = [
            rule
            for rule in self._rules
            if rule.segment in ("", segment)
            and rule.first_month <= first <= rule.last_month
            and _participant_matches(rule, transport)
            and set(rule.programs) & set(programs)
        ]
        applicable = [rule for rule in matching if not _relief_excludes(rule, payer)]
        excluded = [rule for rule in matching if _relief_excludes(rule, payer)]
        best = max(applicable, key=lambda r: (r.discount_bp, r.first_month, r.code), default=None)
        return best, (excluded[0] if excluded and best is None else None)

    def premium(
        self,
        segment: str,
        programs: Iterable[str],
        income,
        month: dt.date,
        *,
        risk_class: int | None = None,
        payer: str = Payer.SELF,
        transport: bool = False,
        relief: bool = True,
    ) -> Premium:
        segment = str(segment or "").upper()
        if segment not in Segment.values:
            raise PremiumInputInvalid("segment_invalid")
        if payer not in Payer.values:
            raise PremiumInputInvalid("payer_invalid")
        wanted = sorted(
            {str(p).strip().upper() for p in programs}, key=lambda p: PROGRAM_ORDER.get(p, 99)
        )
        if not wanted:
            raise PremiumInputInvalid("programs_missing")
        allowed = BPU_PROGRAMS if segment == Segment.BPU else PU_PROGRAMS
        if unknown := [p for p in wanted if p not in allowed]:
            raise UnknownProgram(", ".join(sorted(unknown)))
        income = _as_rupiah(income)
        month = first_of_month(month)
        if segment == Segment.BPU:
            version = self.bpu_version(month)
            basis, lines = self._bpu_lines(version, income, wanted)
        else:
            version = self.pu_version(month)
            basis, lines = self._pu_lines(version, income, wanted, risk_class, month)
        rule = excluded = None
        if relief:
            rule, excluded = self._relief(segment, month, transport, payer, wanted)
        if rule is not None:
            lines = [self._reduced(line, rule) for line in lines]
        return Premium(
            segment=segment,
            month=month,
            income=income,
            basis=basis,
            payer=payer,
            lines=tuple(lines),
            version=version,
            rule=rule,
            excluded_rule=excluded,
        )

    @staticmethod
    def _reduced(line: ProgramAmount, rule: ReliefRule) -> ProgramAmount:
        if line.program not in rule.programs:
            return line
        if line.employer or line.worker:
            employer = after_relief(line.employer, rule.discount_bp)
            worker = after_relief(line.worker, rule.discount_bp)
            amount = employer + worker
        else:
            employer = worker = 0
            amount = after_relief(line.amount, rule.discount_bp)
        return ProgramAmount(
            line.program, line.base, amount, employer, worker, line.government, line.rate_label
        )

    @staticmethod
    def _bpu_lines(version: BpuRateVersion, income: int, wanted: list[str]):
        bracket = income_bracket(income, version)
        lines = []
        for program in wanted:
            if program == JKK:
                amount = min(max(percent(bracket, version.jkk_rate_bp), version.jkk_min),
                             version.jkk_max)  # fmt: skip
                label = f"{percent_label(version.jkk_rate_bp)} × {rupiah(bracket)}"
            elif program == JKM:
                amount, label = version.jkm_amount, _("tetap")
            else:
                amount = percent(bracket, version.jht_rate_bp)
                label = f"{percent_label(version.jht_rate_bp)} × {rupiah(bracket)}"
            lines.append(ProgramAmount(program, amount, amount, rate_label=label))
        return bracket, lines

    def _pu_lines(self, version, wage, wanted, risk_class, month):
        lines = []
        for program in wanted:
            if program == JKK:
                if risk_class not in (1, 2, 3, 4, 5):
                    raise PremiumInputInvalid("risk_class_missing")
                bp = version.jkk_bp(risk_class)
                employer, worker, government, base = percent(wage, bp), 0, 0, wage
            elif program == JKM:
                bp, base = version.jkm_bp, wage
                employer, worker, government = percent(wage, bp), 0, 0
            elif program == JHT:
                bp, base = version.jht_employer_bp + version.jht_worker_bp, wage
                employer = percent(wage, version.jht_employer_bp)
                worker, government = percent(wage, version.jht_worker_bp), 0
            elif program == JP:
                cap = self.wage_cap(JP, month)
                base = min(wage, cap) if cap else wage
                bp = version.jp_employer_bp + version.jp_worker_bp
                employer = percent(base, version.jp_employer_bp)
                worker, government = percent(base, version.jp_worker_bp), 0
            else:  # JKP: the central government's share; the rest is recomposed JKK/JKM
                cap = self.wage_cap(JKP, month)
                base = min(wage, cap) if cap else wage
                bp = version.jkp_government_bp
                employer, worker, government = 0, 0, percent(base, bp)
            label = f"{percent_label(bp)} × {rupiah(base)}"
            lines.append(
                ProgramAmount(
                    program,
                    employer + worker,
                    employer + worker,
                    employer,
                    worker,
                    government,
                    label,
                )  # fmt: skip
            )
        return wage, lines


def premium(
    segment: str,
    programs: Iterable[str],
    income,
    month: dt.date,
    *,
    risk_class: int | None = None,
    payer: str = Payer.SELF,
    transport: bool = False,
) -> Premium:
    """The premium of one covered month. See the module docstring for the rounding rule.

    ``income`` is the declared monthly income (BPU) or the monthly wage (PU), integer
    rupiah. ``payer`` decides whether a relief rule applies (PP 50/2025 excludes APBN and
    APBD payers); ``transport`` is the participant filter of rules for transport workers.
    """
    return RateBook.load().premium(
        segment, programs, income, month, risk_class=risk_class, payer=payer, transport=transport
    )


# --- the BPU functions the programs app calls (kept as they were) --------------------------


@dataclass(frozen=True)
class BpuQuote:
    month: dt.date
    income_bracket: int
    amounts: dict[str, int]
    version: BpuRateVersion

    @property
    def total(self) -> int:
        return sum(self.amounts.values())


def rate_in_force(month: dt.date) -> BpuRateVersion:
    """The BPU version whose ``effective_from`` is the latest on or before the month."""
    first = first_of_month(month)
    version = BpuRateVersion.objects.filter(effective_from__lte=first).first()
    if version is None:
        raise NoRateInForce(
            _("Belum ada tarif iuran BPU yang berlaku untuk bulan %(month)s.")
            % {"month": first.strftime("%m/%Y")}
        )
    return version


def bpu_quote(income: int, programs: Iterable[str], month: dt.date) -> BpuQuote:
    """Base-table premium per program for one month (no relief), with version and bracket."""
    version = rate_in_force(month)
    book = RateBook([version], [], [], [])
    quote = book.premium(Segment.BPU, programs, int(income), month, relief=False)
    return BpuQuote(
        month=first_of_month(month),
        income_bracket=quote.basis,
        amounts=quote.amounts,
        version=version,
    )


def bpu_monthly_premium(
    income: int,
    programs: Iterable[str],
    month: dt.date,
    payer: str | None = None,
    transport: bool = False,
) -> int:
    """Integer rupiah for one covered month; the lowest JKK+JKM package is Rp 16,800.

    Without ``payer`` this is the base table (what an APBD sponsor, excluded from relief,
    pays); with it, relief rules apply as :func:`premium` decides.
    """
    if payer is None:
        return bpu_quote(income, programs, month).total
    return premium(
        Segment.BPU, programs, int(income), month, payer=payer, transport=transport
    ).total
