"""Template filters every page uses; loaded as a builtin (see ``settings.TEMPLATES``)."""

from django import template

from lindung import formatting
from lindung.people import visibility

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("angka", formatting.number)
register.filter("tanggal", formatting.tanggal)
register.filter("waktu", formatting.waktu)


@register.filter
def persen(bp) -> str:
    """A rate kept in basis points: ``3400`` → ``34,00%``."""
    return formatting.percent(bp if bp is None else int(bp))


@register.filter
def nik_for(nik: str, user) -> str:
    """The whole NIK for roles that need it, the masked one for everybody else."""
    return visibility.nik(user, nik)


@register.filter
def born_for(born, user) -> str:
    """``19/02/1985``, or ``1985`` for a role whose NIK is masked (see ``people.visibility``)."""
    if visibility.sees_full(user, "birth_date"):
        return formatting.tanggal(born)
    return str(visibility.birth_year(born) or "–")


@register.filter
def sees(user, field: str) -> bool:
    """Whether ``user`` sees a worker's ``field`` (nik, birth_date, sex) as stored."""
    return visibility.sees_full(user, field)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
