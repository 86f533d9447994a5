"""Reads of the offline sync, always through the region scope of the user."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lindung.accounts.models import Role
from lindung.accounts.scope import scope_code, scoped
from lindung.sync.models import Conflict, Device

# The roles that see every conflict and device of their region, not only their own.
SUPERVISORS = (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN)
# The roles that work offline at all (a viewer has no phone records).
WORKERS = (*SUPERVISORS, Role.VILLAGE_OPERATOR, Role.AGENT)


def _require_worker(user) -> None:
    if user.role not in WORKERS:
        raise PermissionDenied


def conflicts_for(user, *, open_only: bool = False) -> QuerySet[Conflict]:
    """The conflicts a user sees: a supervisor's whole region, everybody else their own."""
    _require_worker(user)
    conflicts = scoped(user, Conflict.objects.select_related("record__user", "resolved_by"))
    if user.role not in SUPERVISORS:
        conflicts = conflicts.filter(record__user=user)
    if open_only:
        conflicts = conflicts.filter(resolution=Conflict.Resolution.OPEN)
    return conflicts


def get_conflict(user, pk) -> Conflict:
    try:
        return conflicts_for(user).select_related("person", "record__device").get(pk=pk)
    except (Conflict.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _users_in_scope(user) -> Q:
    scope = scope_code(user)
    if scope is None:
        return Q()
    return Q(user__region_id=scope) | Q(user__region__code__startswith=scope + ".")


def devices_for(user) -> QuerySet[Device]:
    """Devices a supervisor may revoke (its region's users'), or the user's own."""
    _require_worker(user)
    devices = Device.objects.select_related("user", "revoked_by")
    if user.role in SUPERVISORS:
        return devices.filter(_users_in_scope(user))
    return devices.filter(user=user)


def get_device(user, pk) -> Device:
    try:
        return devices_for(user).get(pk=pk)
    except (Device.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# What a phone keeps for offline work: no more than a field worker needs in a day.
OFFLINE_VILLAGES = 2_000
OFFLINE_WORK_ITEMS = 500
OFFLINE_WORKERS = 1_000


def nik_prefixes(village_code: str) -> list[str]:
    """The NIK prefixes a worker of the village may carry: its district's code without dots
    and the district's former codes (a NIK keeps the code it was issued with)."""
    from lindung.regions.codes import compact, former_prefixes_by_district

    district = village_code[:8]
    return [compact(district), *former_prefixes_by_district().get(district, ())]


def offline_data(user, *, today) -> dict:
    """The user's own scope for the offline forms: its villages (the NIK's region prefix is
    checked against them), the worker categories, and the continuation work list (the
    enrollments a contact or a collection is recorded for; names only, no NIK)."""
    from lindung.agents.selectors import work_list
    from lindung.people.models import Category
    from lindung.regions.models import Region

    _require_worker(user)
    scope = scope_code(user)
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if scope is not None:
        villages = villages.filter(Q(code=scope) | Q(code__startswith=scope + "."))
    villages = list(villages.order_by("code")[: OFFLINE_VILLAGES + 1])
    rows = list(work_list(user, as_of=today)[: OFFLINE_WORK_ITEMS + 1])
    workers = list(_editable_workers(user)[: OFFLINE_WORKERS + 1])
    return {
        "user": user.pk,
        "as_of": today,
        "villages": [
            {"code": v.code, "name": v.display_name, "nik_prefixes": nik_prefixes(v.code)}
            for v in villages[:OFFLINE_VILLAGES]
        ],
        "villages_truncated": len(villages) > OFFLINE_VILLAGES,
        "categories": [{"code": c, "label": str(label)} for c, label in Category.choices],
        "work_items": [
            {
                "enrollment_id": e.pk,
                "full_name": e.person.full_name,
                "village_code": e.village_id,
                "coverage_end": e.coverage_end,
            }
            for e in rows[:OFFLINE_WORK_ITEMS]
        ],
        "work_items_truncated": len(rows) > OFFLINE_WORK_ITEMS,
        "workers": [
            {
                "id": p.pk,
                "full_name": p.full_name,
                "village_code": p.village_id,
                "address": p.address,
                "phone": p.phone,
                "occupation": p.occupation_label,
                "version": str(p.version or 0),
            }
            for p in workers[:OFFLINE_WORKERS]
        ],
        "workers_truncated": len(workers) > OFFLINE_WORKERS,
    }


def _editable_workers(user):
    """The workers a user may edit offline: its region's, an agent's portfolio only; with
    the version a change must name (:func:`lindung.sync.services.worker_version`). No NIK,
    birth date or sex: an offline change does not touch them."""
    from django.db.models import OuterRef, Subquery

    from lindung.agents.selectors import portfolio
    from lindung.people.models import Person
    from lindung.people.selectors import workers_for

    if not user.can_edit_workers:
        return Person.objects.none()
    people = workers_for(user)
    if (own := portfolio(user)) is not None:
        people = people.filter(own)
    latest = Person.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_id")
    return people.annotate(version=Subquery(latest.values("history_id")[:1])).order_by(
        "village_id", "full_name", "id"
    )
