"""Filters of the dashboard pages."""

from django import template

from lindung.targets.tables import pct

register = template.Library()


@register.filter
def persen(bp) -> str:
    """A rate in basis points as Indonesians write it: ``3400`` → ``34,00%``."""
    return pct(bp if bp is None else int(bp))
