"""Template filters every page uses; loaded as a builtin (see ``settings.TEMPLATES``)."""

from django import template

from lindung import formatting
from lindung.people.nik import mask_nik

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("angka", formatting.number)
register.filter("tanggal", formatting.tanggal)


@register.filter
def persen(bp) -> str:
    """A rate kept in basis points: ``3400`` → ``34,00%``."""
    return formatting.percent(bp if bp is None else int(bp))


@register.filter
def nik_for(nik: str, user) -> str:
    """The whole NIK for roles that need it, the masked one for everybody else."""
    return nik if getattr(user, "can_see_full_nik", False) else mask_nik(nik)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
