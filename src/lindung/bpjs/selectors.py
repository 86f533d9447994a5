"""Reads of batches and answer imports, limited to what the user's region may see."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lindung.accounts.scope import scoped
from lindung.bpjs.models import AnswerImport, BatchEntry, SubmissionBatch
from lindung.programs.models import Program
from lindung.programs.permissions import sees_area


def batches_for(user, program: Program) -> QuerySet[SubmissionBatch]:
    """Batches of a program made in a region the user sees (their own, above or below it)."""
    batches = program.submission_batches.select_related("created_by").annotate(
        size=Count("entries"),
        accepted=Count("entries", filter=Q(entries__answer=BatchEntry.Answer.ACCEPTED)),
        rejected=Count("entries", filter=Q(entries__answer=BatchEntry.Answer.REJECTED)),
        pending=Count("entries", filter=Q(entries__answer=BatchEntry.Answer.PENDING)),
    )
    visible = [b.pk for b in program.submission_batches.all() if sees_area(user, b.region_code)]
    return batches.filter(pk__in=visible).order_by("-number")


def get_batch(user, program: Program, pk) -> SubmissionBatch:
    if not 0 < pk < 2**63:
        raise Http404
    batch = program.submission_batches.select_related("program", "program__area").filter(pk=pk)
    batch = batch.first()
    if batch is None or not sees_area(user, batch.region_code):
        raise Http404
    return batch


def batch_entries(user, batch: SubmissionBatch) -> QuerySet[BatchEntry]:
    """The batch's workers inside the user's region, with what the export needs."""
    return scoped(
        user,
        batch.entries.select_related(
            "enrollment",
            "enrollment__person",
            "enrollment__person__occupation",
            "enrollment__round",
            "enrollment__village",
            "enrollment__village__parent",
            "enrollment__village__parent__parent",
        ),
        prefix="enrollment__",
    ).order_by("enrollment__village_id", "enrollment__person__full_name", "id")


def answer_imports_for(user, program: Program) -> list[AnswerImport]:
    imports = program.answer_imports.select_related("uploaded_by")
    return [i for i in imports if sees_area(user, i.region_code)]


def get_answer_import(user, program: Program, pk) -> AnswerImport:
    if not 0 < pk < 2**63:
        raise Http404
    record = program.answer_imports.filter(pk=pk).first()
    if record is None or not sees_area(user, record.region_code):
        raise Http404
    return record
