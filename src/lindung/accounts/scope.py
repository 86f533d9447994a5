"""The one region-scoping layer for personal data.

Every read and write of personal records goes through :func:`scoped`: lists, counts,
exports, dropdowns, the API and the admin alike. Records carry the codes of their
province, regency, district and village, so the filter is one equality on an indexed
column whatever the level of the user's region.

The worker registry is the exception: a million-row import pays for every index of
``people_person``, so it has one index for all levels. A region's villages are the codes
that start with the region's code and a dot, which is a range of the village column where
that column sorts byte by byte (``village_in_range = True`` on the model; the column's
collation is ``C`` on PostgreSQL, SQLite's default is bytewise).
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


def within(region_code: str, prefix: str = "", model=None) -> Q:
    """Records of ``model`` lying in the region ``region_code`` (of any level)."""
    level = level_of(region_code)
    if level != VILLAGE and getattr(model, "village_in_range", False):
        # '/' is the character after '.': every code below the region sorts in between.
        return Q(
            **{
                f"{prefix}village_id__gte": f"{region_code}.",
                f"{prefix}village_id__lt": f"{region_code}/",
            }
        )
    return Q(**{prefix + LEVEL_FIELDS[level]: region_code})


def _scoped_model(model, prefix: str):
    """The model a ``prefix`` such as ``"enrollment__"`` leads to from ``model``."""
    for name in filter(None, prefix.split("__")):
        model = model._meta.get_field(name).related_model
    return model


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
    return queryset.filter(within(scope, prefix, _scoped_model(queryset.model, prefix)))


def get_scoped_or_404(user, queryset: QuerySet, **lookup):
    """One object inside the user's region; anything outside it does not exist (404)."""
    try:
        return scoped(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
