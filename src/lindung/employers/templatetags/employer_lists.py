"""Pieces of the employer lists written in Python rather than in template loops: a
province's work list shows its filters (KBLI codes, sizes, 57 districts for Bali) and 50
employers on every request, and per-item template rendering was most of the page's time."""

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def select_options(choices, selected=""):
    """``<option>`` elements of ``(value, label)`` pairs, ``selected`` marked."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) == str(selected) else "", label)
            for value, label in choices
        ),
    )


@register.simple_tag
def employer_url(pk, name="detail"):
    """An employer's page (``detail``) or action form (``action``), without one
    ``reverse()`` per item of a list."""
    base = _bases().get(name)
    return base.replace("0", str(pk), 1) if base else reverse(f"employers:{name}", args=[pk])


_cache: dict[str, dict[str, str]] = {}


def _bases() -> dict[str, str]:
    """The paths with the id 0, per script prefix, where their only "0" is the id."""
    prefix = get_script_prefix()
    if prefix not in _cache:
        bases = {}
        for name in ("detail", "action"):
            path = reverse(f"employers:{name}", args=[0])
            if path.count("0") == 1:
                bases[name] = path
        _cache[prefix] = bases
    return _cache[prefix]
