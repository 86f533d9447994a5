"""Month arithmetic of self-paid contributions: which months a worker may pay today.

A month is kept as the date of its first day. The window is the insurer's: contributions
may be paid late for at most :data:`ARREARS_MONTHS` months (older months can no longer be
paid: the membership has ended and the worker must register again) and ahead for at most
:data:`AHEAD_MONTHS` months. A month still covered by a sponsor is not the worker's to pay.
"""

import datetime as dt
import re

from lindung.programs.models import add_months

ARREARS_MONTHS = 3
AHEAD_MONTHS = 12

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text) -> dt.date | None:
    """``2026-11`` → 1 November 2026; anything else → ``None``."""
    match = _MONTH.match(str(text or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return dt.date(year, month, 1)


def month_key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def months_between(first: dt.date, last: dt.date) -> int:
    """How many months ``last`` lies after ``first`` (0 for the same month)."""
    return (last.year - first.year) * 12 + last.month - first.month


def oldest_payable(today: dt.date) -> dt.date:
    """The oldest month still payable on ``today`` (three months back)."""
    return add_months(today.replace(day=1), -ARREARS_MONTHS)


def latest_payable(today: dt.date) -> dt.date:
    """The furthest month payable ahead on ``today`` (twelve months ahead)."""
    return add_months(today.replace(day=1), AHEAD_MONTHS)


def first_unpaid(covered_until: dt.date | None, paid: set[dt.date]) -> dt.date | None:
    """The first month after the sponsored cover that is not paid (``None`` without cover).

    Months are paid one after another in practice, but a gap (a month skipped and paid
    later) is possible: the first hole counts, as it does for the insurer's arrears.
    """
    if covered_until is None:
        return None
    month = add_months(covered_until.replace(day=1), 1)
    while month in paid:
        month = add_months(month, 1)
    return month


def is_lapsed(first_unpaid_month: dt.date | None, today: dt.date) -> bool:
    """Arrears have outrun the window: the oldest unpaid month can no longer be paid."""
    return first_unpaid_month is not None and first_unpaid_month < oldest_payable(today)
