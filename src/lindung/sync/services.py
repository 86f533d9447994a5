"""Every write of the offline sync: a batch of the phone's records, a device revoked, a
conflict resolved.

Each record is applied by the service that applies it online (``people``, ``agents``,
``selfpay``): the same checks, the same codes and messages. This module only adds what
offline work needs: the client's id (a record sent twice is applied once), the base
version (a worker changed on the server since the phone's copy is a conflict, not an
overwrite), one savepoint per record (nothing half-applied), and the device registry.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import ValidationError as PydanticError

from lindung.accounts.models import Role
from lindung.agents import selectors as agents_selectors
from lindung.agents import services as agents_services
from lindung.agents.api import ContactIn
from lindung.formatting import rupiah
from lindung.people import nik as nik_rules
from lindung.people import selectors as people_selectors
from lindung.people import services as people_services
from lindung.people import visibility
from lindung.people.api import WorkerIn
from lindung.people.models import Person
from lindung.people.validation import check_worker
from lindung.privacy.history import Via, changes_through
from lindung.programs.models import Transition
from lindung.refusals import Refusal
from lindung.selfpay import services as selfpay_services
from lindung.selfpay.api import CollectionIn
from lindung.selfpay.models import CollectionLine
from lindung.sync.models import Conflict, Device, Kind, SyncRecord

# Who works offline: the field roles, and the admins who do their work too.
SYNCERS = frozenset({Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN, Role.VILLAGE_OPERATOR, Role.AGENT})


def batch_limit() -> int:
    """Records applied per request; the rest are answered ``deferred`` (send them again).
    A setting, so that a slower server can take fewer; the phone sends 50 at a time."""
    return getattr(settings, "LINDUNG_SYNC_BATCH_LIMIT", 200)


class SyncRefused(Refusal):
    messages = {
        "forbidden": _("Peran Anda tidak boleh mengirim catatan luring."),
        "device_invalid": _("Id perangkat tidak sah: harus UUID."),
        "record_invalid": _(
            "Catatan rusak atau tidak lengkap: perlu client_id (UUID), kind dan payload (objek)."
        ),
        "kind_unknown": _(
            "Jenis catatan tidak dikenal: %(kind)s. Yang dikenal: worker.create, worker.update, "
            "contact.create, collection.create."
        ),
        "client_id_taken": _("Id catatan %(id)s sudah dipakai pengguna lain: buat id baru."),
        "device_revoked": _(
            "Perangkat ini sudah dicabut oleh admin kabupaten: catatannya ditolak. Hubungi "
            "admin kabupaten."
        ),
        "batch_limit": _(
            "Paling banyak %(limit)s catatan per kiriman: catatan ini belum diproses, kirim lagi."
        ),
        "not_found": _("Data tidak ditemukan di wilayah kerja Anda."),
        "base_version_required": _(
            "Versi dasar (base_version) wajib untuk perubahan data pekerja: unduh ulang data."
        ),
        "invalid": _("Isian tidak sah: periksa jenis dan format nilai ini."),
        "conflict_closed": _("Konflik ini sudah diputuskan."),
        "resolution_unknown": _("Keputusan tidak dikenal: %(action)s."),
        "resolution_not_possible": _("Keputusan ini tidak tersedia untuk jenis konflik ini."),
    }


class _Conflict(Exception):
    """A record that meets data changed under it: kept as a :class:`Conflict`."""

    def __init__(self, type_, *, person=None, server: dict, changed_by="", changed_at=None):
        super().__init__(type_)
        self.type = type_
        self.person = person
        self.server = server
        self.changed_by = changed_by
        self.changed_at = changed_at


def _plain(values: dict) -> dict:
    """Values as JSON keeps them (dates as ISO text)."""
    return {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in values.items()
        if v is not None and not isinstance(v, dict | list | set)
    } | {k: list(v) for k, v in values.items() if isinstance(v, list)}


# --- versions -----------------------------------------------------------------------------


def worker_version(person: Person) -> str:
    """A worker's version: the id of its latest history row. Every change to a worker
    (a page, the API, an import, a sync) writes one, so a phone whose copy carries an older
    id has not seen the latest change."""
    latest = person.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or 0)


def _latest_change(person: Person) -> tuple[str, dt.datetime | None]:
    row = (
        person.history.order_by("-history_id")
        .values("history_user__username", "history_date")
        .first()
    )
    if row is None:
        return "", None
    return row["history_user__username"] or "", row["history_date"]


# --- devices ------------------------------------------------------------------------------


def register_device(*, user, device_id, label: str = "") -> Device:
    """The user's device named ``device_id`` (made on its first batch); its last sync."""
    try:
        key = uuid.UUID(str(device_id))
    except ValueError as exc:
        raise SyncRefused("device_invalid") from exc
    label = str(label or "").replace("\x00", "")[:200]
    device, created = Device.objects.get_or_create(uuid=key, user=user, defaults={"label": label})
    if not created:
        Device.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return device


def revoke_device(*, user, device: Device) -> Device:
    """A lost phone: its records are refused from now on (the caller found the device
    through :func:`lindung.sync.selectors.get_device`, which scopes it)."""
    if user.role not in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN) and device.user_id != user.pk:
        raise PermissionDenied
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.revoked_by = user
        device.save(update_fields=["revoked_at", "revoked_by"])
    return device


# --- the records --------------------------------------------------------------------------


def _refused(client_id, refusal=None, *, errors=None) -> dict:
    if errors is None:
        errors = [{"field": "request", "code": refusal.code, "message": str(refusal.message)}]
    first = errors[0]
    return {
        "client_id": str(client_id),
        "status": "refused",
        "code": first["code"],
        "message": first["message"],
        "errors": errors,
        "warnings": [],
        "object_id": None,
        "version": None,
        "conflict_id": None,
    }


def _worker_create(user, payload: dict, base_version: str, today: dt.date):
    data = _read(WorkerIn, payload)
    try:
        person = people_services.register_worker(user=user, data=data, today=today)
    except people_services.WorkerInvalid as error:
        if any(p.field == "nik" and p.code == "exists" for p in error.problems):
            _raise_nik_twice(user, payload)
        raise
    return person, _worker_warnings(person, user, today), worker_version(person)


def _raise_nik_twice(user, payload: dict) -> None:
    """The NIK is registered already: a conflict when that registration also came from a
    phone and lies in the user's scope (two people registered the same worker offline);
    otherwise the online refusal (``exists``), which tells nothing of another region."""
    nik = nik_rules.normalize(payload.get("nik"))
    person = people_selectors.workers_for(user).filter(nik=nik).first()
    if person is None:
        return
    offline = SyncRecord.objects.filter(kind=Kind.WORKER_CREATE, object_id=person.pk).exists()
    if not offline:
        return
    changed_by, changed_at = _latest_change(person)
    raise _Conflict(
        Conflict.Type.NIK_TWICE,
        person=person,
        server=_plain(people_services.worker_data(person)),
        changed_by=changed_by,
        changed_at=changed_at,
    )


def _worker_warnings(person: Person, user, today) -> list[dict]:
    checked = check_worker(people_services.worker_data(person), user=user, today=today)
    return [w.as_dict() for w in checked.warnings]


def _worker_update(user, payload: dict, base_version: str, today: dt.date):
    person = people_selectors.get_worker(user, _read(WorkerRef, payload)["worker_id"])
    changes = _read(WorkerIn, payload.get("changes"), prefix="changes.")
    if not base_version:
        raise SyncRefused("base_version_required")
    if base_version != worker_version(person):
        changed_by, changed_at = _latest_change(person)
        raise _Conflict(
            Conflict.Type.WORKER_CHANGED,
            person=person,
            server=_plain(people_services.worker_data(person)),
            changed_by=changed_by,
            changed_at=changed_at,
        )
    people_services.update_worker(user=user, person=person, changes=changes, today=today)
    return person, _worker_warnings(person, user, today), worker_version(person)


class _PayloadInvalid(Exception):
    """A payload that fails the online operation's own schema: the same fields, the same
    ``invalid`` code and message as the API's 422."""

    def __init__(self, fields: list[str]):
        super().__init__(", ".join(fields))
        self.fields = fields


class WorkItemRef(Schema):
    enrollment_id: int


class WorkerRef(Schema):
    worker_id: int
    changes: dict


def _read(schema, payload, *, prefix: str = "") -> dict:
    """The payload as the online operation reads its body (``WorkerIn`` of ``/workers``,
    ``ContactIn`` of the contacts, ``CollectionIn`` of ``/collections``)."""
    try:
        return schema.model_validate(payload).model_dump(exclude_unset=True)
    except PydanticError as error:
        # The payload's key (a union type adds the member it tried: ``nik.str``).
        fields = list(dict.fromkeys(prefix + str(e["loc"][0]) for e in error.errors() if e["loc"]))
        raise _PayloadInvalid(fields or [prefix.rstrip(".") or "payload"]) from error


def _contact_create(user, payload: dict, base_version: str, today: dt.date):
    contact = _read(ContactIn, payload)
    enrollment = agents_selectors.get_work_item(user, _read(WorkItemRef, payload)["enrollment_id"])
    contact = agents_services.record_contact(
        user=user,
        enrollment=enrollment,
        outcome=contact["outcome"][:20],
        contacted_on=contact.get("contacted_on") or today,
        today=today,
        reason=contact.get("reason", ""),
        note=contact.get("note", ""),
    )
    return contact, [], None


def _collection_create(user, payload: dict, base_version: str, today: dt.date):
    data = _read(CollectionIn, payload)
    amount = data.get("amount")
    try:
        collection = selfpay_services.record_collection(
            user=user,
            nik=data["nik"],
            months=data["months"],
            paid_on=data["paid_on"],
            method=data["method"],
            amount=amount,
            today=today,
            via=Transition.Via.API,
        )
    except selfpay_services.CollectionRefused as refusal:
        if refusal.code == "month_paid":
            _raise_month_twice(user, payload)
        raise
    warnings = []
    if amount in (None, ""):
        warnings.append(
            {
                "field": "amount",
                "code": "priced_by_server",
                "message": str(
                    _("Tarif bulan ini tidak ada di ponsel: jumlah dihitung server, %(total)s.")
                    % {"total": rupiah(collection.total)}
                ),
            }
        )
    return collection, warnings, None


def _raise_month_twice(user, payload: dict) -> None:
    """A month paid already: a conflict when the earlier collection also came from a phone
    (two collectors took the same month offline); otherwise the online ``month_paid``."""
    nik = nik_rules.normalize(payload.get("nik"))
    person = people_selectors.workers_for(user).filter(nik=nik).first()
    if person is None:
        return
    months = [
        dt.date.fromisoformat(f"{m}-01")
        for m in payload.get("months") or []
        if isinstance(m, str) and len(m) == 7
    ]
    lines = CollectionLine.objects.filter(person=person, month__in=months).select_related(
        "collection__collected_by"
    )
    earlier = [line.collection for line in lines]
    offline = SyncRecord.objects.filter(
        kind=Kind.COLLECTION_CREATE, object_id__in=[c.pk for c in earlier]
    ).exists()
    if not earlier or not offline:
        return
    first = earlier[0]
    raise _Conflict(
        Conflict.Type.MONTH_TWICE,
        person=person,
        server={
            "nik": person.nik,
            "number": first.number,
            "months": sorted({f"{line.month:%Y-%m}" for line in lines}),
            "paid_on": first.paid_on.isoformat(),
            "method": first.method,
            "total": first.total,
        },
        changed_by=first.collected_by.username if first.collected_by_id else "",
        changed_at=first.recorded_at,
    )


HANDLERS = {
    Kind.WORKER_CREATE: _worker_create,
    Kind.WORKER_UPDATE: _worker_update,
    Kind.CONTACT_CREATE: _contact_create,
    Kind.COLLECTION_CREATE: _collection_create,
}


def _parse(raw) -> tuple[uuid.UUID, str, dict, str]:
    if not isinstance(raw, dict):
        raise SyncRefused("record_invalid")
    try:
        client_id = uuid.UUID(str(raw.get("client_id")))
    except ValueError as exc:
        raise SyncRefused("record_invalid") from exc
    payload = raw.get("payload")
    if not isinstance(payload, dict):
        raise SyncRefused("record_invalid")
    kind = str(raw.get("kind") or "")
    if kind not in Kind.values:
        raise SyncRefused("kind_unknown", kind=kind[:40] or "-")
    base = raw.get("base_version")
    return client_id, kind, payload, "" if base is None else str(base)[:40]


def _stored_answer(record: SyncRecord) -> dict:
    return {**record.answer, "replayed": True}


def sync_record(*, user, device: Device, raw, today: dt.date) -> dict:
    """Apply one record in its own savepoint and answer it (see :func:`sync_batch`)."""
    shown_id = raw.get("client_id") if isinstance(raw, dict) else None
    try:
        client_id, kind, payload, base_version = _parse(raw)
    except SyncRefused as refusal:
        return _refused(str(shown_id or "")[:40], refusal)
    stored = SyncRecord.objects.filter(client_id=client_id).first()
    if stored is not None:
        if stored.user_id != user.pk:
            return _refused(client_id, SyncRefused("client_id_taken", id=str(client_id)))
        return _stored_answer(stored)
    if device.revoked:
        return _refused(client_id, SyncRefused("device_revoked"))
    record = SyncRecord(
        client_id=client_id,
        device=device,
        user=user,
        kind=kind,
        payload=payload,
        base_version=base_version,
    )
    answer = {
        "client_id": str(client_id),
        "code": "",
        "message": "",
        "errors": [],
        "warnings": [],
        "object_id": None,
        "version": None,
        "conflict_id": None,
    }
    try:
        with transaction.atomic(), changes_through(Via.API, f"sync {client_id}", user=user):
            try:
                obj, warnings, version = HANDLERS[kind](user, payload, base_version, today)
            except _Conflict as conflict:
                record.status = SyncRecord.Status.CONFLICT
                record.answer = answer
                record.save()
                kept = _keep_conflict(record, conflict, payload)
                answer |= {
                    "status": "conflict",
                    "code": conflict.type,
                    "message": str(Conflict.Type(conflict.type).label),
                    "conflict_id": kept.pk,
                    "object_id": conflict.person.pk if conflict.person else None,
                }
                record.answer = answer
                record.save(update_fields=["answer"])
                return answer
            status = SyncRecord.Status.WARNED if warnings else SyncRecord.Status.ACCEPTED
            answer |= {
                "status": str(status),
                "code": "warned" if warnings else "accepted",
                "message": str(status.label),
                "warnings": warnings,
                "object_id": obj.pk,
                "version": version,
            }
            record.status = status
            record.object_id = obj.pk
            record.answer = answer
            record.save()
    except IntegrityError:
        # The same client id sent twice at once: the first one stored its answer.
        stored = SyncRecord.objects.filter(client_id=client_id, user=user).first()
        if stored is None:
            raise
        return _stored_answer(stored)
    except people_services.WorkerInvalid as error:
        return _refused(client_id, errors=[p.as_dict() for p in error.problems])
    except Refusal as refusal:
        return _refused(client_id, refusal)
    except Http404:
        return _refused(client_id, SyncRefused("not_found"))
    except PermissionDenied:
        return _refused(client_id, SyncRefused("forbidden"))
    except _PayloadInvalid as error:
        message = SyncRefused("invalid").message
        return _refused(
            client_id,
            errors=[{"field": f, "code": "invalid", "message": message} for f in error.fields],
        )
    return answer


def _keep_conflict(record: SyncRecord, conflict: _Conflict, payload: dict) -> Conflict:
    phone = payload.get("changes") if record.kind == Kind.WORKER_UPDATE else payload
    kept = Conflict(
        record=record,
        type=conflict.type,
        person=conflict.person,
        server_version=conflict.server,
        phone_version=_plain(phone or {}),
        server_changed_by=conflict.changed_by[:150],
        server_changed_at=conflict.changed_at,
        village_id=conflict.person.village_id,
    )
    kept.set_region_codes()
    kept.save()
    return kept


def sync_batch(*, user, device_id, label: str, records: list, today: dt.date) -> list[dict]:
    """Answer every record of a batch, in order, each on its own: ``accepted``, ``warned``
    (accepted with warnings), ``conflict`` (kept for a person to decide), ``refused`` (with
    the online service's codes and messages; nothing of it applied) or ``deferred`` (over
    the batch limit: not looked at, send again)."""
    if user.role not in SYNCERS:
        raise SyncRefused("forbidden")
    device = register_device(user=user, device_id=device_id, label=label)
    limit = batch_limit()
    answers = []
    for index, raw in enumerate(records):
        if index >= limit:
            shown = raw.get("client_id") if isinstance(raw, dict) else ""
            refusal = SyncRefused("batch_limit", limit=limit)
            answers.append(_refused(str(shown or "")[:40], refusal) | {"status": "deferred"})
            continue
        answers.append(sync_record(user=user, device=device, raw=raw, today=today))
    return answers


# --- resolving a conflict -----------------------------------------------------------------

KEEP_SERVER = "keep_server"
APPLY_PHONE = "apply_phone"


# The NIK of a double registration is the same by definition, and it holds the birth date and
# the sex: none of the three is taken from the phone (a masked role may not change them).
_SAME_IN_BOTH = frozenset({"nik", "birth_date", "sex"})


def _phone_changes(conflict: Conflict) -> dict:
    """The phone's values that differ from the server's. Never a field the phone's user may
    not change (a masked role's NIK, birth date, sex): applying it under the resolver's
    name would let the phone change what its own user could not."""
    server = conflict.server_version
    kept_out = set(visibility.refused_changes(conflict.record.user, conflict.phone_version))
    if conflict.type == Conflict.Type.NIK_TWICE:
        kept_out |= _SAME_IN_BOTH
    return {
        name: value
        for name, value in conflict.phone_version.items()
        if name not in kept_out and str(server.get(name, "")) != str(value)
    }


def resolve_conflict(*, user, conflict: Conflict, action: str, note: str = "") -> Conflict:
    """Decide a conflict: keep the server's version (the phone's record is dropped), or apply
    the phone's values through the registry's own service (worker conflicts only). The
    decision, who and when, is in the conflict's history; an applied change is in the
    worker's."""
    if user.role not in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN) and (
        conflict.record.user_id != user.pk
    ):
        raise PermissionDenied
    if not conflict.is_open:
        raise SyncRefused("conflict_closed")
    if action not in (KEEP_SERVER, APPLY_PHONE):
        raise SyncRefused("resolution_unknown", action=str(action)[:40] or "-")
    note = str(note or "").replace("\x00", "").strip()[:500]
    with transaction.atomic():
        if action == APPLY_PHONE:
            if conflict.type == Conflict.Type.MONTH_TWICE or conflict.person is None:
                raise SyncRefused("resolution_not_possible")
            person = Person.objects.select_for_update().get(pk=conflict.person_id)
            people_services.update_worker(
                user=user, person=person, changes=_phone_changes(conflict)
            )
            conflict.record.object_id = person.pk
            conflict.record.save(update_fields=["object_id"])
            conflict.resolution = Conflict.Resolution.APPLIED_PHONE
        else:
            conflict.resolution = Conflict.Resolution.KEPT_SERVER
        conflict.resolved_by = user
        conflict.resolved_at = timezone.now()
        conflict.note = note
        conflict.save()
    return conflict
