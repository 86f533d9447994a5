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
