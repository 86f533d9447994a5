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


def enrollment_cost(program: Program, round: Round, person=None, memo: dict | None = None) -> int:
    """The premiums of all sponsored months of one enrollment, committed at proposal.

    ``memo`` lets a caller pricing many people of one program look each income up once.
    """
    income = income_for(program, person)
    key = (round.pk, income)
    if memo is not None and key in memo:
        return memo[key]
    total = sum(bpu_monthly_premium(income, program.benefits, m) for m in round.months)
    if memo is not None:
        memo[key] = total
    return total
