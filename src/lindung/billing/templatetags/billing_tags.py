"""Small filters of the billing pages."""

from django import template

from lindung.billing.models import STATUS_LABELS

register = template.Library()


@register.filter
def bill_status(bill, today) -> str:
    return bill.status(today)


@register.filter
def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


@register.filter
def percent_of(amount, total) -> int:
    """Whole percent of ``total`` (0 when there is no total), for bars."""
    try:
        return min(max(round(100 * int(amount) / int(total)), 0), 100) if total else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def join_months(months) -> str:
    """``01/2024, 02/2024``: months written as on the bills."""
    return ", ".join(f"{m:%m/%Y}" for m in months)
