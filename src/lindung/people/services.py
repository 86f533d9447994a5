"""Every write to the worker registry. Views and the API call these; nothing else writes."""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.people import duplicates, visibility
from lindung.people.models import Membership, Person, PossibleDuplicate
from lindung.people.validation import Checked, Problem, check_worker
from lindung.privacy.history import bulk_history, current_source, write_history
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
    person.set_name_key()


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
    # Flagged, not refused: the caller shows them (``possible_duplicates``, with labels).
    person.possible_duplicates = flag_duplicates(person)
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


# ---- the same person twice --------------------------------------------------------------


class DuplicateRefused(Refusal):
    """A merge or a dismissal that cannot be done, with the reason."""

    messages = {
        "duplicate_decided": _("Pasangan ini sudah diputuskan (digabung atau ditolak)."),
        "merge_keep_missing": _("Pilih data yang disimpan: salah satu dari kedua data ini."),
        "duplicate_not_reviewer": _(
            "Hanya admin kabupaten atau admin sistem yang memutuskan data ganda."
        ),
        "merge_both_enrolled": _(
            "Tidak dapat digabung: kedua data punya kepesertaan program yang masih berjalan. "
            "Akhiri atau tarik salah satu kepesertaan di halaman program, lalu gabungkan."
        ),
        "merge_both_members": _(
            "Tidak dapat digabung: kedua data punya nomor KPJ BPJS. Pastikan dulu ke BPJS "
            "mana yang benar; data dengan KPJ yang salah perbaiki dulu."
        ),
        "merge_conflict": _(
            "Tidak dapat digabung: %(what)s kedua data tidak bisa disatukan. Rapikan dulu "
            "salah satunya, lalu gabungkan."
        ),
    }


def _new_pairs(found: list[duplicates.Found], *, via: str, job_id=None, rows=None) -> list:
    """The pairs of ``found`` not kept yet, as rows (one per pair, later record first)."""
    by_pair: dict[tuple[int, int], duplicates.Found] = {}
    for item in found:
        by_pair.setdefault(item.pair, item)
    kept = set()
    people = {pid for pair in by_pair for pid in pair}
    if by_pair:
        kept = set(
            PossibleDuplicate.objects.filter(person_id__in=people, other_id__in=people).values_list(
                "person_id", "other_id"
            )
        )
    regency = dict(Person.objects.filter(pk__in=people).values_list("pk", "regency_code"))
    return [
        PossibleDuplicate(
            person_id=pair[0],
            other_id=pair[1],
            regency_code=regency.get(pair[0], ""),
            reason=item.reason,
            score=item.score,
            found_via=via[:20],
            import_job_id=job_id,
            import_row=(rows or {}).get(item.new_nik),
        )
        for pair, item in by_pair.items()
        if pair not in kept
    ]


def flag_duplicates(person: Person) -> list[dict]:
    """Flag the records ``person`` (just registered) may be the same person as.

    Returns ``[{"id", "reason", "label"}]`` for the caller to show; nothing is refused.
    """
    if not duplicates.check_enabled():
        return []
    found = duplicates.find([person.pk])
    for pair in _new_pairs(found, via=str(current_source().via)):
        try:
            with transaction.atomic():
                pair.save()
        except IntegrityError:  # the same pair saved a moment ago by another request
            pass
    names = duplicates.labels(item.other_id for item in found)
    return [
        {"id": item.other_id, "reason": item.reason, "label": names.get(item.other_id, "")}
        for item in found
    ]


def flag_imported(ids: list[int], *, job_id: int, rows, pairs=None) -> dict[int, str]:
    """Flag the possible duplicates of the records an import batch has just loaded, in the
    batch's transaction; returns ``{file row: the other record(s), named}`` for the report.

    ``rows``, a polars frame of the batch's ``nik`` and file ``row`` (None: records not from
    the file). ``pairs``, those the import found in its frames
    (:mod:`lindung.imports.duplicates`), named by NIK; without them the database finds
    them (:func:`duplicates.find`). Set-wise: see :func:`keep_imported`; the names are
    read as rows.
    """
    if not ids or not duplicates.check_enabled():
        return {}
    found = duplicates.find(ids) if pairs is None else duplicates.resolve(pairs, ids)
    if not found:
        return {}
    import polars as pl

    niks = sorted({item.new_nik for item in found})
    row_of = {}
    if rows is not None:
        row_of = dict(rows.filter(pl.col("nik").is_in(niks)).select("nik", "row").iter_rows())
    keep_imported(found, job_id=job_id, row_of=row_of)
    names = duplicates.labels(item.other_id for item in found)
    return rows_named(((item.new_nik, item.other_id) for item in found), row_of, names)


def keep_imported(found: list, *, job_id: int, row_of: dict[str, int]) -> None:
    """Keep an import's pairs (``found``, :class:`duplicates.Found`; ``row_of``, the file
    row of each new NIK) with their historical rows: set-wise
    (:func:`duplicates.insert_pairs`), then one statement for the history."""
    created = duplicates.insert_pairs(found, via="import", job_id=job_id, rows=row_of)
    if created:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                where = ("p.id = ANY(%s)", [created])
            else:
                where = ("p.id IN (SELECT value FROM json_each(%s))", [json.dumps(created)])
            write_history(cursor, PossibleDuplicate, where=where, created=True, now=timezone.now())


def rows_named(pairs, row_of: dict[str, int], names: dict[int, str]) -> dict[int, str]:
    """``{file row: the other records' names}``, at most three, for an import's report, of
    ``pairs`` (the new record's NIK, the other's id)."""
    others: dict[int, list[str]] = {}
    for nik, other_id in pairs:
        if nik in row_of:
            others.setdefault(row_of[nik], []).append(names.get(other_id, ""))
    return {row: "; ".join(sorted(labels)[:3]) for row, labels in others.items()}


def _require_reviewer(user) -> None:
    from lindung.people.selectors import can_review_duplicates

    if not can_review_duplicates(user):
        raise PermissionDenied


def _open(pair: PossibleDuplicate) -> None:
    if pair.status != PossibleDuplicate.Status.OPEN or pair.other_id is None:
        raise DuplicateRefused("duplicate_decided")


def _decide(pair: PossibleDuplicate, user, status: str, note: str) -> None:
    pair.status = status
    pair.decided_by = user if user is not None and user.pk else None
    pair.decided_at = timezone.now()
    pair.note = (note or "").replace("\x00", "")[:300]
    pair.save()


def dismiss_duplicate(*, user, pair: PossibleDuplicate, note: str = "") -> PossibleDuplicate:
    """Two records that are not one person: the pair is closed, both records stay."""
    _require_reviewer(user)
    _open(pair)
    _decide(pair, user, PossibleDuplicate.Status.DISMISSED, note)
    return pair


def _reverse_relations():
    """Every relation other records hold to a worker, history and pairs left out: the
    history keeps what was, the pairs are handled by the merge itself."""
    for field in Person._meta.get_fields(include_hidden=True):
        if not (field.is_relation and field.auto_created and not field.concrete):
            continue
        model = field.related_model
        if model is PossibleDuplicate or hasattr(model, "instance_type"):  # historical
            continue
        yield model, field.field


def merge_duplicate(
    *, user, pair: PossibleDuplicate, keep: int, note: str = ""
) -> PossibleDuplicate:
    """One person recorded twice: keep the record ``keep`` (one of the pair's two ids),
    move to it what points to the other (enrollments, collections, claims, the insurer
    membership, sync records), each saved with its history, then delete the other.

    Refused, with the reason and nothing changed, when both have a program enrollment
    still running or both a KPJ, or when any moved record would break a rule of its own
    (``merge_conflict``): the regency sorts that out first.
    """
    _require_reviewer(user)
    _open(pair)
    if keep not in (pair.person_id, pair.other_id):
        raise DuplicateRefused("merge_keep_missing")
    kept = Person.objects.get(pk=keep)
    removed = Person.objects.get(pk=pair.other_id if keep == pair.person_id else pair.person_id)
    if (
        Membership.objects.filter(person=kept).exists()
        and Membership.objects.filter(person=removed).exists()
    ):
        raise DuplicateRefused("merge_both_members")
    removed_label = duplicates.label(removed)
    try:
        with transaction.atomic():
            for model, field in _reverse_relations():
                for record in model._base_manager.filter(**{field.name: removed}):
                    setattr(record, field.name, kept)
                    try:
                        with transaction.atomic():
                            record.save(update_fields=[field.name])
                    except IntegrityError as exc:
                        if "enrollment_one_open_per_person" in str(exc) or (
                            model._meta.model_name == "enrollment"
                        ):
                            raise DuplicateRefused("merge_both_enrolled") from exc
                        raise DuplicateRefused(
                            "merge_conflict", what=str(model._meta.verbose_name_plural)
                        ) from exc
            _move_pairs(removed, kept, pair)
            pair.person, pair.other, pair.other_label = kept, None, removed_label[:200]
            _decide(pair, user, PossibleDuplicate.Status.MERGED, note)
            removed._change_reason = f"digabung ke data #{kept.pk}"
            removed.delete()
    except ProtectedError as exc:
        raise DuplicateRefused("merge_conflict", what=str(exc.args[0])[:80]) from exc
    return pair


def _move_pairs(removed: Person, kept: Person, decided: PossibleDuplicate) -> None:
    """The removed record's other pairs now concern the kept one; a pair that would pair
    the kept record with itself or repeat a kept pair is deleted (with its history)."""
    pairs = PossibleDuplicate.objects.filter(Q(person=removed) | Q(other=removed)).exclude(
        pk=decided.pk
    )
    for pair in pairs:
        ends = {pair.person_id, pair.other_id} - {removed.pk} | {kept.pk}
        ends.discard(None)
        later, earlier = max(ends), min(ends)
        repeated = PossibleDuplicate.objects.filter(person_id=later, other_id=earlier).exists()
        if len(ends) < 2 or repeated:
            pair.delete()
            continue
        pair.person_id, pair.other_id = later, earlier
        pair.save(update_fields=["person", "other"])
