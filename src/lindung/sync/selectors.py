"""Reads of the offline sync, always through the region scope of the user."""

import datetime as dt

from django.conf import settings
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


# What a phone keeps for offline work. Villages are a regency's at most; the workers and the
# work list are paged (``after``: the last id of the previous page), so a village or an
# agent's portfolio of any size downloads completely, one page per request.
OFFLINE_VILLAGES = 2_000


def page_size() -> int:
    """Workers or work-list rows per page of the offline download (a setting, so that a
    test can make a scope larger than one page)."""
    return getattr(settings, "LINDUNG_OFFLINE_PAGE_SIZE", 500)


def rate_months() -> int:
    """How many months ahead of the download the phone's copy of the rate tables is taken
    as valid: the twelve months a self-payer may pay ahead. A month past it (or before the
    first rate) is priced by the server at sync."""
    return getattr(settings, "LINDUNG_OFFLINE_RATE_MONTHS", 12)


# The fields of the online worker edit form (``people.forms.WorkerForm``), in its order.
EDIT_FIELDS = (
    "nik",
    "full_name",
    "sex",
    "birth_place",
    "birth_date",
    "village_code",
    "address",
    "phone",
    "occupation",
    "category",
    "declared_income",
    "segment",
    "data_source",
    "welfare_decile",
    "has_disability",
    "mother_maiden_name",
)
# Written, never read back: the online form does not show it either (kept for the
# insurer's verification), so the phone offers it empty and sends it only when typed.
WRITE_ONLY = frozenset({"mother_maiden_name"})


def edit_fields(user) -> list[str]:
    """The fields this user changes offline: the online edit form's, less those the role may
    not change (a masked role: NIK, birth date, sex; see ``people.visibility``)."""
    from lindung.people import visibility

    refused = set(visibility.refused_changes(user, EDIT_FIELDS))
    return [name for name in EDIT_FIELDS if name not in refused]


def _valid_until(today: dt.date) -> dt.date:
    from lindung.programs.models import add_months

    last = add_months(today.replace(day=1), rate_months())
    return add_months(last, 1) - dt.timedelta(days=1)


def nik_prefixes(village_code: str) -> list[str]:
    """The NIK prefixes a worker of the village may carry: its district's code without dots
    and the district's former codes (a NIK keeps the code it was issued with)."""
    from lindung.regions.codes import compact, former_prefixes_by_district

    district = village_code[:8]
    return [compact(district), *former_prefixes_by_district().get(district, ())]


def offline_data(user, *, today) -> dict:
    """The user's own scope for the offline forms: its villages (the NIK's region prefix is
    checked against them), the worker categories, the BPU rate tables with their validity
    (a collection is priced on the phone), and the first page of the workers it may edit
    and of the continuation work list (the rest: :func:`offline_workers`,
    :func:`offline_work_items`), with how many there are in all."""
    from lindung.contributions.models import Payer
    from lindung.contributions.selectors import bpu_tables
    from lindung.people.models import Category
    from lindung.regions.models import Region

    _require_worker(user)
    scope = scope_code(user)
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if scope is not None:
        villages = villages.filter(Q(code=scope) | Q(code__startswith=scope + "."))
    villages = list(villages.order_by("code")[: OFFLINE_VILLAGES + 1])
    items = offline_work_items(user, today=today)
    workers = offline_workers(user)
    return {
        "user": user.pk,
        "as_of": today,
        "villages": [
            {"code": v.code, "name": v.display_name, "nik_prefixes": nik_prefixes(v.code)}
            for v in villages[:OFFLINE_VILLAGES]
        ],
        "villages_truncated": len(villages) > OFFLINE_VILLAGES,
        "categories": [{"code": c, "label": str(label)} for c, label in Category.choices],
        "rates": bpu_tables(valid_until=_valid_until(today), payer=Payer.SELF),
        "edit_fields": edit_fields(user),
        "page_size": page_size(),
        "work_items": items["items"],
        "work_items_total": items["total"],
        "work_items_next": items["next"],
        "work_items_truncated": items["next"] is not None,
        "workers": workers["items"],
        "workers_total": workers["total"],
        "workers_next": workers["next"],
        "workers_truncated": workers["next"] is not None,
    }


def _cursor(after) -> int:
    """A cursor as the database takes it (a negative or huge one is the first or no page)."""
    return max(0, min(int(after or 0), 2**62))


def _page(rows: list, size: int) -> tuple[list, int | None]:
    """A page and the cursor of the next one (its last id), ``None`` on the last page."""
    if len(rows) > size:
        return rows[:size], rows[size - 1].pk
    return rows, None


def offline_work_items(user, *, today, after: int = 0) -> dict:
    """A page of the continuation work list (names only, no NIK), by enrollment id."""
    from lindung.agents.selectors import work_list

    _require_worker(user)
    size, after = page_size(), _cursor(after)
    rows = work_list(user, as_of=today).order_by("pk")
    total = rows.count() if not after else None
    page, following = _page(list(rows.filter(pk__gt=after)[: size + 1]), size)
    return {
        "items": [
            {
                "enrollment_id": e.pk,
                "full_name": e.person.full_name,
                "village_code": e.village_id,
                "coverage_end": e.coverage_end,
            }
            for e in page
        ],
        "total": total,
        "next": following,
    }


def offline_workers(user, *, after: int = 0) -> dict:
    """A page of the workers a user may edit offline, by id: the values of the edit form's
    fields the role may read, the version a change must name, the masked NIK (a collection
    typed by NIK finds its worker on the phone) and what prices the worker's self-paid
    months (:func:`_selfpay_profiles`)."""
    from lindung.people.nik import mask_nik

    _require_worker(user)
    size, after = page_size(), _cursor(after)
    people = _editable_workers(user)
    total = people.count() if not after else None
    page, following = _page(list(people.filter(pk__gt=after)[: size + 1]), size)
    fields = [name for name in edit_fields(user) if name not in WRITE_ONLY]
    profiles = _selfpay_profiles(page)
    items = []
    for p in page:
        values = _edit_values(p)
        items.append(
            {
                "id": p.pk,
                "full_name": p.full_name,
                "village_code": p.village_id,
                "address": p.address,
                "phone": p.phone,
                "occupation": p.occupation_label,
                "version": str(p.version or 0),
                "nik_masked": mask_nik(p.nik),
                "values": {name: values[name] for name in fields},
                "selfpay": profiles.get(p.pk),
            }
        )
    return {"items": items, "total": total, "next": following}


def _edit_values(person) -> dict:
    """A worker as the edit form shows it (the phone compares against these)."""
    return {
        "nik": person.nik,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "village_code": person.village_id,
        "address": person.address,
        "phone": person.phone,
        "occupation": person.occupation_label,
        "category": person.category,
        "declared_income": "" if person.declared_income is None else str(person.declared_income),
        "segment": person.segment,
        "data_source": person.data_source,
        "welfare_decile": "" if person.welfare_decile is None else str(person.welfare_decile),
        "has_disability": bool(person.has_disability),
    }


def _selfpay_profiles(people: list) -> dict[int, dict]:
    """What prices a worker's self-paid months, for the workers of one page that have an
    enrollment to continue: the same enrollment, programs, income and transport flag
    ``selfpay.services`` uses (``continuation_of``, ``price_months``)."""
    from lindung.programs.lifecycle import State
    from lindung.programs.models import Enrollment

    by_id = {p.pk: p for p in people}
    enrollments = (
        Enrollment.objects.filter(
            person_id__in=list(by_id), state__in=[State.ENDED, State.CONTINUED, State.LAPSED]
        )
        .select_related("program")
        .order_by("person_id", "-coverage_end", "-id")
    )
    profiles: dict[int, dict] = {}
    seen = set()
    for enrollment in enrollments:
        if enrollment.person_id in seen:
            continue
        seen.add(enrollment.person_id)
        if enrollment.coverage_end is None:
            continue
        person = by_id[enrollment.person_id]
        income = enrollment.program.income_basis or person.declared_income
        profiles[person.pk] = {
            "programs": enrollment.program.benefits,
            "income": income,
            "transport": bool(person.occupation_id and person.occupation.is_transport),
            "covered_until": enrollment.coverage_end,
        }
    return profiles


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
    return (
        people.select_related("occupation")
        .annotate(version=Subquery(latest.values("history_id")[:1]))
        .order_by("pk")
    )
