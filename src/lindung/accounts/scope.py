"""The one region-scoping layer for personal data.

Every read and write of personal records goes through :func:`scoped`: lists, counts,
exports, dropdowns, the API and the admin alike. Records carry the codes of their
province, regency, district and village, so the filter is one equality on an indexed
column whatever the level of the user's region.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from lindung.regions.codes import DISTRICT, PROVINCE, REGENCY, VILLAGE, level_of

# Which column of a scoped model holds the code of each region level.
LEVEL_FIELDS = {
    PROVINCE: "province_code",
    REGENCY: "regency_code",
    DISTRICT: "district_code",
    VILLAGE: "village_id",
}


def scope_code(user) -> str | None:
    """The region code a user is limited to; ``None`` means the whole country."""
    if user is None:
        return None
    if user.sees_everything:
        return None
    return user.region_id or "-"  # a user without a region sees nothing


def in_scope(user, region_code: str) -> bool:
    """Whether a region (of any level) lies inside the user's scope."""
    scope = scope_code(user)
    if scope is None:
        return True
    return region_code == scope or region_code.startswith(scope + ".")


def within(region_code: str, prefix: str = "") -> Q:
    """Records lying in the region ``region_code`` (of any level)."""
    return Q(**{prefix + LEVEL_FIELDS[level_of(region_code)]: region_code})


def scoped(user, queryset: QuerySet, prefix: str = "") -> QuerySet:
    """Limit ``queryset`` to the user's region.

    ``prefix`` reaches the scoped record through a relation, e.g. ``"person__"`` for
    enrollments. ``user=None`` is the command line without ``--user``: the whole country.
    """
    scope = scope_code(user)
    if scope is None:
        return queryset
    if scope == "-":
        return queryset.none()
    return queryset.filter(within(scope, prefix))


def get_scoped_or_404(user, queryset: QuerySet, **lookup):
    """One object inside the user's region; anything outside it does not exist (404)."""
    try:
        return scoped(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
