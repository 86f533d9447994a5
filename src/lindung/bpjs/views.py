"""Pages of the insurer exchange: batches, their files, and the upload of the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.accounts.scope import scoped
from lindung.bpjs import files, selectors, services
from lindung.privacy import access
from lindung.privacy.models import AccessKind
from lindung.programs import permissions
from lindung.programs import selectors as programs
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from lindung.uploads import check_size

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_manager(user) -> None:
    if not permissions.is_manager(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def program_files(request, program_id: int):
    program = programs.get_program(request.user, program_id)
    if request.method == "POST":
        _require_manager(request.user)
        number = request.POST.get("round", "")
        try:
            batch = services.create_batch(
                user=request.user,
                program=program,
                round_number=int(number)
                if number.isascii() and number.isdigit() and len(number) < 4
                else None,
                note=request.POST.get("note", ""),
            )
        except services.NothingToSubmit as error:
            messages.error(request, error.message)
            return redirect("bpjs:program", program_id=program.pk)
        messages.success(
            request,
            _("Batch %(label)s dibuat: %(n)s pekerja diajukan.")
            % {"label": batch.label, "n": batch.entries.count()},
        )
        return redirect("bpjs:batch", program_id=program.pk, pk=batch.pk)
    waiting = scoped(
        request.user, Enrollment.objects.filter(program=program, state=State.VERIFIED)
    ).count()
    context = {
        "program": program,
        "batches": selectors.batches_for(request.user, program),
        "imports": selectors.answer_imports_for(request.user, program),
        "waiting": waiting,
        "rounds": programs.rounds_of(program),
        "manager": permissions.is_manager(request.user),
    }
    return render(request, "bpjs/program.html", context)


@login_required
def batch_detail(request, program_id: int, pk: int):
    program = programs.get_program(request.user, program_id)
    batch = selectors.get_batch(request.user, program, pk)
    entries = selectors.batch_entries(request.user, batch)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    context = {
        "program": program,
        "batch": batch,
        "page": page,
        "manager": permissions.is_manager(request.user),
    }
    return render(request, "bpjs/batch.html", context)


def _downloaded(request, program, batch, entries) -> None:
    access.record_access(
        request,
        AccessKind.EXPORT,
        people=[e.enrollment.person_id for e in entries],
        query={"program": program.pk, "batch": batch.label},
    )


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def batch_file(request, program_id: int, pk: int):
    """The registration workbook (full NIK and mother's name): for managers only."""
    _require_manager(request.user)
    program = programs.get_program(request.user, program_id)
    batch = selectors.get_batch(request.user, program, pk)
    entries = list(selectors.batch_entries(request.user, batch))
    content = files.registration_workbook(
        batch, entries, program=program, generated_at=timezone.localtime()
    )
    _downloaded(request, program, batch, entries)
    return _xlsx(content, f"pendaftaran-bpu-{batch.label}.xlsx")


@login_required
@require_GET
def answer_template(request, program_id: int, pk: int):
    _require_manager(request.user)
    program = programs.get_program(request.user, program_id)
    batch = selectors.get_batch(request.user, program, pk)
    entries = list(selectors.batch_entries(request.user, batch))
    content = files.answer_template(entries)
    _downloaded(request, program, batch, entries)
    return _xlsx(content, f"templat-jawaban-{batch.label}.xlsx")


@login_required
@require_POST
def upload_answer(request, program_id: int):
    _require_manager(request.user)
    program = programs.get_program(request.user, program_id)
    upload = request.FILES.get("answer")
    if upload is None:
        messages.error(request, _("Pilih berkas jawaban BPJS (XLSX atau CSV) dulu."))
        return redirect("bpjs:program", program_id=program.pk)
    try:
        check_size(upload.size, refuse=files.AnswerFileInvalid)
        record = services.import_answer(
            user=request.user, program=program, content=upload.read(), file_name=upload.name
        )
    except files.AnswerFileInvalid as error:
        messages.error(request, error.message)
        return redirect("bpjs:program", program_id=program.pk)
    messages.success(
        request,
        _(
            "Jawaban diimpor: %(a)s aktif, %(r)s ditolak, %(u)s tidak berubah, "
            "%(x)s NIK tidak dikenal."
        )
        % {"a": record.activated, "r": record.rejected, "u": record.unchanged, "x": record.unknown},
    )
    return redirect("bpjs:answer", program_id=program.pk, pk=record.pk)


@login_required
def answer_report(request, program_id: int, pk: int):
    program = programs.get_program(request.user, program_id)
    record = selectors.get_answer_import(request.user, program, pk)
    return render(request, "bpjs/answer.html", {"program": program, "record": record})
