"""What one enrollment costs its funder: the one place programs ask for a premium.

The amount comes from the dated BPU rate table (``contributions``) in force in each
sponsored month, on the program's income basis (usually the lowest bracket) or, when the
program has none, on the worker's own declared income.
"""

import datetime as dt

from lindung.contributions.premiums import bpu_monthly_premium
from lindung.programs.models import Program, Round


def income_for(program: Program, person=None) -> int:
    if program.income_basis is not None:
        return program.income_basis
    return person.declared_income if person is not None else 0


def monthly_premium(program: Program, month: dt.date, person=None) -> int:
    """Integer rupiah the funder pays for one person for one covered month."""
    return bpu_monthly_premium(income_for(program, person), program.benefits, month)


def first_month(round: Round, today: dt.date | None) -> dt.date:
    """The month a proposal made ``today`` is expected to take effect in: the round's first
    month, or this month when the round has already started (its effective date's month is
    counted whole, as the insurer counts it)."""
    if today is None:
        return round.start_month
    return max(round.start_month, today.replace(day=1))


def months_bought(round: Round, today: dt.date | None) -> list[dt.date]:
    """The sponsored months a proposal made ``today`` commits: the round's months from the
    expected effective month on. A round that has started does not buy its past months:
    the insurer cannot cover them, and the funder would pay for nothing."""
    first = first_month(round, today)
    return [month for month in round.months if month >= first]


def enrollment_cost(
    program: Program,
    round: Round,
    person=None,
    memo: dict | None = None,
    today: dt.date | None = None,
) -> int:
    """The premiums of the sponsored months one enrollment buys, committed at proposal.

    ``today`` is the day of the proposal (``None``: the whole round, as planned);
    ``memo`` lets a caller pricing many people of one program look each income up once.
    """
    income = income_for(program, person)
    months = months_bought(round, today)
    key = (round.pk, income, months[0] if months else None)
    if memo is not None and key in memo:
        return memo[key]
    total = sum(bpu_monthly_premium(income, program.benefits, m) for m in months)
    if memo is not None:
        memo[key] = total
    return total
