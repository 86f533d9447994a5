"""Writes of the insurer exchange: make a submission batch, import the insurer's answer.

An answer import is one transaction and is idempotent: an answer already applied (same
KPJ and effective date, or the same rejection) is counted ``unchanged``, so importing the
same file twice leaves everything as after the first time.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.scope import scope_code, scoped
from lindung.bpjs.files import ROW_MESSAGES, AnswerRow, read_answer
from lindung.bpjs.models import AnswerImport, BatchEntry, SubmissionBatch
from lindung.people.models import Membership, Person
from lindung.people.nik import mask_nik
from lindung.people.selectors import kpj_holders
from lindung.people.services import is_kpj_conflict, record_memberships
from lindung.privacy.history import Via, changes_through
from lindung.programs import permissions
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, Program, Transition
from lindung.programs.services import activate_many, move_many

_KPJ = re.compile(r"^\d{8,20}$")


class NothingToSubmit(Exception):
    message = "Tidak ada pekerja terverifikasi yang belum diajukan di wilayah Anda."


def _region_of(user, program: Program) -> str:
    scope = scope_code(user)
    return program.area_id if scope is None else scope


def _require_manager(user, program: Program) -> None:
    if not permissions.is_manager(user):
        raise PermissionDenied
    region = _region_of(user, program)
    if not (permissions.sees_area(user, program.area_id) and region != "-"):
        raise PermissionDenied


def create_batch(
    *, user, program: Program, round_number: int | None = None, village: str = "", note: str = ""
) -> SubmissionBatch:
    """Put every verified enrollment of the program in the user's region into a new batch."""
    _require_manager(user, program)
    with transaction.atomic():
        # Lock the program row so two batches made at once get different numbers.
        list(Program.objects.select_for_update().filter(pk=program.pk).values_list("pk"))
        enrollments = scoped(user, Enrollment.objects.filter(program=program, state=State.VERIFIED))
        if round_number:
            enrollments = enrollments.filter(round__number=round_number)
        if village:
            enrollments = enrollments.filter(village_id=village)
        if not enrollments.exists():
            raise NothingToSubmit
        number = (program.submission_batches.aggregate(n=Max("number"))["n"] or 0) + 1
        batch = SubmissionBatch.objects.create(
            program=program,
            number=number,
            region_code=_region_of(user, program),
            created_at=timezone.now(),
            created_by=user if user is not None and user.pk else None,
            note=" ".join(note.replace("\x00", "").split())[:255],
        )
        result = move_many(
            user=user,
            enrollments=enrollments,
            to_state=State.SUBMITTED,
            reason=_("Diajukan ke BPJS dalam batch %(batch)s.") % {"batch": batch.label},
        )
        people = dict(
            Enrollment.objects.filter(pk__in=[e.pk for e in result.moved]).values_list(
                "pk", "person__nik"
            )
        )
        BatchEntry.objects.bulk_create(
            [BatchEntry(batch=batch, enrollment=e, nik=people[e.pk]) for e in result.moved],
            batch_size=2000,
        )
    return batch


@dataclass
class _Decision:
    row: AnswerRow
    entry: BatchEntry


def _problem(row: AnswerRow, code: str, **params) -> dict:
    text = str(ROW_MESSAGES[code])
    return {
        "row": row.row,
        "nik": row.nik,
        "code": code,
        "message": text % params if params else text,
    }


def _row_problem(row: AnswerRow) -> dict | None:
    if not re.fullmatch(r"\d{16}", row.nik):
        return _problem(row, "nik_invalid")
    if row.status not in ("accepted", "rejected"):
        return _problem(row, "status_invalid")
    if row.status == "accepted":
        if not _KPJ.match(row.kpj):
            return _problem(row, "kpj_invalid")
        if row.effective_date is None:
            return _problem(row, "effective_date_invalid")
    return None


def import_answer(*, user, program: Program, content: bytes, file_name: str) -> AnswerImport:
    """Apply the insurer's answer: accepted → active (KPJ, effective date), rejected → rejected.

    Rows that cannot be used are reported with their row number, code and message; NIKs
    that match no submitted enrollment of this program (in the user's region) are reported
    as ``unknown_nik``. Raises ``files.AnswerFileInvalid`` for a file that cannot be read.
    The changes it makes are recorded as coming through the insurer's file.

    A KPJ already another person's is refused as ``kpj_taken``. Two files giving one KPJ
    at the same moment both pass that check; the KPJ's unique constraint then fails the
    later transaction, which is run again and now finds the KPJ taken.
    """
    with changes_through(Via.INSURER_FILE, f"jawaban BPJS {file_name}", user=user):
        for attempt in range(3):
            try:
                return _import_answer(
                    user=user, program=program, content=content, file_name=file_name
                )
            except IntegrityError as exc:
                if attempt == 2 or not is_kpj_conflict(exc):
                    raise
    raise AssertionError("unreachable")


def _kpj_holders(kpjs: set[str]) -> dict[str, int]:
    """Who already holds each KPJ: the registry's memberships, and the enrollments activated
    before memberships were kept."""
    holders = dict(
        Enrollment.objects.filter(kpj__in=kpjs).exclude(kpj="").values_list("kpj", "person_id")
    )
    holders.update(kpj_holders(kpjs))
    return holders


def _import_answer(*, user, program: Program, content: bytes, file_name: str) -> AnswerImport:
    _require_manager(user, program)
    rows = read_answer(content, file_name)
    now = timezone.now()
    report: list[dict] = []
    counts = {"activated": 0, "rejected": 0, "unchanged": 0, "unknown": 0, "invalid": 0}
    with transaction.atomic():
        entries = scoped(
            user,
            BatchEntry.objects.filter(batch__program=program).select_related("enrollment"),
            prefix="enrollment__",
        ).filter(nik__in=[r.nik for r in rows])
        latest: dict[str, BatchEntry] = {}
        for entry in entries.order_by("id"):
            latest[entry.nik] = entry  # a NIK proposed again after a rejection: the newest
        holders = _kpj_holders({r.kpj for r in rows if r.status == "accepted" and r.kpj})
        seen: set[str] = set()
        to_activate: dict[int, tuple[str, dt.date]] = {}
        to_reject: dict[str, list[int]] = {}
        answered: list[_Decision] = []
        for row in rows:
            if problem := _row_problem(row):
                report.append(problem)
                counts["invalid"] += 1
                continue
            if row.nik in seen:
                report.append(_problem(row, "duplicate_in_file"))
                counts["invalid"] += 1
                continue
            seen.add(row.nik)
            entry = latest.get(row.nik)
            if entry is None:
                report.append(_problem(row, "unknown_nik"))
                counts["unknown"] += 1
                continue
            enrollment = entry.enrollment
            state = enrollment.state
            if row.status == "accepted":
                holder = holders.setdefault(row.kpj, enrollment.person_id)
                if holder != enrollment.person_id:
                    nik = Person.objects.filter(pk=holder).values_list("nik", flat=True).first()
                    report.append(
                        _problem(row, "kpj_taken", kpj=row.kpj, holder=mask_nik(nik or ""))
                    )
                    counts["invalid"] += 1
                elif state == State.SUBMITTED:
                    to_activate[enrollment.pk] = (row.kpj, row.effective_date)
                    answered.append(_Decision(row, entry))
                elif (enrollment.kpj, enrollment.effective_date) == (
                    row.kpj,
                    row.effective_date,
                ) and entry.answer == BatchEntry.Answer.ACCEPTED:
                    counts["unchanged"] += 1
                else:
                    report.append(_problem(row, "answer_conflict", state=State(state).label))
                    counts["invalid"] += 1
            else:
                if state == State.SUBMITTED:
                    reason = _("Ditolak BPJS: %(reason)s") % {
                        "reason": row.reason or _("tanpa keterangan")
                    }
                    to_reject.setdefault(reason, []).append(enrollment.pk)
                    answered.append(_Decision(row, entry))
                elif state == State.REJECTED and entry.answer == BatchEntry.Answer.REJECTED:
                    counts["unchanged"] += 1
                else:
                    report.append(_problem(row, "answer_conflict", state=State(state).label))
                    counts["invalid"] += 1
        activated = activate_many(user=user, answers=to_activate, via=Transition.Via.BPJS)
        counts["activated"] = len(activated.moved)
        record_memberships(
            {
                e.person_id: (e.kpj, Membership.Status.ACTIVE, e.effective_date)
                for e in Enrollment.objects.filter(pk__in=[e.pk for e in activated.moved])
            },
            source=Membership.Source.PROGRAM,
            source_label=program.name,
        )
        for reason, ids in to_reject.items():
            result = move_many(
                user=user,
                enrollments=Enrollment.objects.filter(pk__in=ids),
                to_state=State.REJECTED,
                reason=reason,
                via=Transition.Via.BPJS,
            )
            counts["rejected"] += len(result.moved)
        record = AnswerImport.objects.create(
            program=program,
            file_name=file_name.replace("\x00", "")[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=now,
            uploaded_by=user if user is not None and user.pk else None,
            region_code=_region_of(user, program),
            rows=len(rows),
            report=report,
            **counts,
        )
        for decision in answered:
            entry, row = decision.entry, decision.row
            entry.answer = row.status
            entry.kpj = row.kpj if row.status == "accepted" else ""
            entry.effective_date = row.effective_date if row.status == "accepted" else None
            entry.answer_reason = row.reason
            entry.answered_at = now
            entry.answer_import = record
        BatchEntry.objects.bulk_update(
            [d.entry for d in answered],
            ["answer", "kpj", "effective_date", "answer_reason", "answered_at", "answer_import"],
            batch_size=1000,
        )
    return record
