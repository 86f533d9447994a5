"""Every write to the worker registry. Views and the API call these; nothing else writes."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from lindung.people.models import Person
from lindung.people.validation import Checked, Problem, check_worker
from lindung.refusals import Invalid


class WorkerInvalid(Invalid):
    """The record was refused; ``problems`` say which field, which code, how to fix."""


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
    """Change a worker's fields; the whole record is checked again, scope included."""
    _require_editor(user)
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


@transaction.atomic
def delete_worker(*, user, person: Person) -> None:
    _require_editor(user)
    person.delete()
