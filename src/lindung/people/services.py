"""Every write to the worker registry. Views and the API call these; nothing else writes."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.people import visibility
from lindung.people.models import Membership, Person
from lindung.people.validation import Checked, Problem, check_worker
from lindung.privacy.history import bulk_history
from lindung.refusals import Invalid, Refusal


class WorkerInvalid(Invalid):
    """The record was refused; ``problems`` say which field, which code, how to fix."""


class WorkerKept(Refusal):
    """A worker that other records still need (enrollments, bills) is not deleted."""

    messages = {
        "worker_in_use": _(
            "Pekerja ini tidak dapat dihapus: sudah punya kepesertaan atau tagihan, yang harus "
            "tetap tercatat. Perbaiki datanya, atau tarik usulannya di halaman program."
        )
    }


def _require_editor(user) -> None:
    if user is not None and not user.can_edit_workers:
        raise PermissionDenied


def acting_agent_id(user) -> int | None:
    """The Perisai agent a user works as (``agents.Agent.user``), remembered on what they
    register or propose; ``None`` for everybody else."""
    if user is None or not user.pk:
        return None
    agent = getattr(user, "agent", None)  # the reverse one-to-one; absent for most users
    return agent.pk if agent is not None else None


def worker_data(person: Person) -> dict:
    """A stored worker as the fields :func:`check_worker` reads."""
    return {
        "nik": person.nik,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_place": person.birth_place,
        "mother_maiden_name": person.mother_maiden_name,
        "village_code": person.village_id,
        "address": person.address,
        "phone": person.phone,
        "occupation": person.occupation_label,
        "category": person.category,
        "declared_income": person.declared_income,
        "segment": person.segment,
        "data_source": person.data_source,
        "welfare_decile": person.welfare_decile,
        "welfare_decile_as_of": person.welfare_decile_as_of,
        "has_disability": person.has_disability,
    }


def _checked_or_raise(data: dict, *, user, today) -> Checked:
    checked = check_worker(data, user=user, today=today)
    if not checked.ok:
        raise WorkerInvalid(checked.errors)
    return checked


def _apply(person: Person, values: dict) -> None:
    for name, value in values.items():
        setattr(person, name, value)
    person.set_region_codes()


def register_worker(*, user, data: dict, today: dt.date | None = None) -> Person:
    """Add a worker to the registry; a NIK already there is refused (``exists``)."""
    _require_editor(user)
    checked = _checked_or_raise(data, user=user, today=today)
    if Person.objects.filter(nik=checked.values["nik"]).exists():
        raise WorkerInvalid([Problem("nik", "exists")])
    person = Person(created_by=user if user and user.pk else None, agent_id=acting_agent_id(user))
    _apply(person, checked.values)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # another operator saved the same NIK a moment ago
        raise WorkerInvalid([Problem("nik", "exists")]) from exc
    return person


def update_worker(*, user, person: Person, changes: dict, today: dt.date | None = None) -> Person:
    """Change a worker's fields; the whole record is checked again, scope included.

    A role that sees the NIK masked may not change the NIK, the birth date or the sex
    (``field_hidden``): the cross-check's answer would tell it the hidden digits.
    """
    _require_editor(user)
    if refused := visibility.refused_changes(user, changes):
        raise WorkerInvalid([Problem(name, "field_hidden") for name in refused])
    checked = _checked_or_raise({**worker_data(person), **changes}, user=user, today=today)
    new_nik = checked.values["nik"]
    if new_nik != person.nik and Person.objects.filter(nik=new_nik).exists():
        raise WorkerInvalid([Problem("nik", "exists")])
    _apply(person, checked.values)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise WorkerInvalid([Problem("nik", "exists")]) from exc
    return person


def delete_worker(*, user, person: Person) -> None:
    """Delete a worker; one with enrollments is kept (``worker_in_use``)."""
    _require_editor(user)
    try:
        with transaction.atomic():
            person.delete()
    except ProtectedError as exc:
        raise WorkerKept("worker_in_use") from exc


# ---- what the insurer says of a worker -------------------------------------------------

KPJ_TAKEN = "kpj_taken"


def is_kpj_conflict(exc: IntegrityError) -> bool:
    """Whether ``exc`` is the KPJ's unique constraint (two people given one KPJ at once)."""
    text = str(exc)
    return "membership_kpj_one_person" in text or "people_membership.kpj" in text


def record_memberships(
    answers: dict[int, tuple[str, str, dt.date]], *, source: str, source_label: str
) -> dict[str, int]:
    """Keep what the insurer says of workers: ``{person id: (kpj, status, as of)}``.

    A newer or equal date replaces what is kept; an older one is ignored (a member list of
    last year does not undo this month's answer), and the same facts again change nothing,
    so applying a file twice is harmless. An empty KPJ keeps the one already known. Raises
    ``IntegrityError`` if a KPJ is already another person's: callers check first (for a
    row error) and meet this only when two files give one KPJ at the same moment.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    if not answers:
        return counts
    label = source_label.replace("\x00", "")[:200]
    kept = {m.person_id: m for m in Membership.objects.filter(person_id__in=answers)}
    new, changed = [], []
    for person_id, (kpj, status, as_of) in answers.items():
        membership = kept.get(person_id)
        if membership is None:
            new.append(
                Membership(
                    person_id=person_id,
                    kpj=kpj,
                    status=status,
                    as_of=as_of,
                    source=source,
                    source_label=label,
                )
            )
            continue
        if as_of < membership.as_of:
            counts["unchanged"] += 1
            continue
        facts = (kpj or membership.kpj, status, as_of, source, label)
        if facts == (
            membership.kpj,
            membership.status,
            membership.as_of,
            membership.source,
            membership.source_label,
        ):
            counts["unchanged"] += 1
            continue
        membership.kpj, membership.status, membership.as_of = facts[:3]
        membership.source, membership.source_label = source, label
        membership.updated_at = timezone.now()
        changed.append(membership)
    with transaction.atomic():
        Membership.objects.bulk_create(new, batch_size=2000)
        Membership.objects.bulk_update(
            changed, ["kpj", "status", "as_of", "source", "source_label", "updated_at"], 1000
        )
        created = Membership.objects.filter(person_id__in=[m.person_id for m in new])
        bulk_history(Membership, list(created))
        bulk_history(Membership, changed, update=True)
    counts["created"], counts["updated"] = len(new), len(changed)
    return counts
