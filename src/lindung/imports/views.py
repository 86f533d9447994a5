"""Pages of the import: upload, a job's progress and results, its report. Thin views."""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.accounts.picker import picker_context
from lindung.imports import report, selectors, services, tasks, updates
from lindung.imports.messages import file_message, row_message
from lindung.imports.models import ImportJob, UpdateImport
from lindung.imports.report import row_problem
from lindung.imports.template import template_workbook
from lindung.privacy import access
from lindung.privacy.models import AccessKind
from lindung.programs import permissions
from lindung.uploads import UploadField


def _inline_bytes() -> int:
    """Files up to this size are imported during the request; larger ones in the background."""
    return int(getattr(settings, "LINDUNG_IMPORT_INLINE_BYTES", 256 * 1024))


class UploadForm(forms.Form):
    file = UploadField(
        label=gettext_lazy("Berkas (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    update = forms.BooleanField(
        label=gettext_lazy("Perbarui data yang sudah ada (NIK sama, data berbeda)"),
        required=False,
    )


def _require_importer(user) -> None:
    if not user.can_edit_workers:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    village = request.POST.get("village", "")[:13]
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_upload_job(
                user=request.user,
                upload=form.cleaned_data["file"],
                update=form.cleaned_data["update"],
                village=village,
            )
        except services.ImportRefused as refusal:
            form.add_error(None, file_message(refusal.code, refusal.params))
        else:
            if job.size <= _inline_bytes():
                services.run_job(job.pk)
            else:
                tasks.enqueue_job(job)
            return redirect("imports:job", pk=job.pk)
    context = {
        "form": form,
        "jobs": selectors.jobs_for(request.user)[:20],
        "picker": picker_context(request, village, name="village", village_only=True),
        "can_update": permissions.is_manager(request.user),
    }
    return render(request, "imports/index.html", context)


@login_required
@require_GET
def template_download(request):
    _require_importer(request.user)
    return FileResponse(
        io.BytesIO(template_workbook(request.user)),
        as_attachment=True,
        filename="templat-pekerja-lindung.xlsx",
    )


def _job_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "file_error": file_message(job.error_code, job.error_params) if job.error_code else "",
        "errors": [(code, n, row_message(code)) for code, n in job.errors_by_code.items()],
        "warnings": [(code, n, row_message(code)) for code, n in job.warnings_by_code.items()],
        "can_resume": services.can_resume(job),
        "stale": job.status == ImportJob.Status.RUNNING and services.can_resume(job),
    }


@login_required
@require_GET
def job_detail(request, pk: int):
    job = selectors.get_job(request.user, pk)
    context = _job_context(job)
    if job.is_final:
        context["rejected"] = [
            (row, [row_problem(code, row) for code in row.errors])
            for row in selectors.rejected_rows(job)
        ]
        context["warned"] = [
            (row, [row_problem(code, row) for code in row.warnings])
            for row in selectors.warned_rows(job)
        ]
    return render(request, "imports/job.html", context)


@login_required
@require_GET
def job_progress(request, pk: int):
    """The progress block alone; the page polls it (htmx) every second until the end."""
    job = selectors.get_job(request.user, pk)
    response = render(request, "imports/_progress.html", _job_context(job))
    if job.is_final and request.htmx:
        response["HX-Refresh"] = "true"  # show the final page with the row lists
    return response


@login_required
@require_POST
def job_cancel(request, pk: int):
    job = selectors.get_job(request.user, pk)
    services.cancel_job(user=request.user, job=job)
    messages.warning(request, _("Impor dibatalkan: batch yang sudah tersimpan tetap ada."))
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def job_resume(request, pk: int):
    job = selectors.get_job(request.user, pk)
    if services.can_resume(job):
        tasks.enqueue_job(job)
        messages.success(request, _("Impor dilanjutkan dari batch terakhir yang tersimpan."))
    return redirect("imports:job", pk=job.pk)


@login_required
@require_GET
def job_report(request, pk: int, fmt: str):
    job = selectors.get_job(request.user, pk)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    buffer = io.BytesIO()
    if fmt == "csv":
        report.write_csv(job, buffer)
        content_type = "text/csv; charset=utf-8"
    else:
        report.write_xlsx(job, buffer)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    access.record_access(
        request,
        AccessKind.EXPORT,
        query={"import_job": job.pk, "format": fmt},
        count=job.rows_total,
    )
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="laporan-impor-{job.pk}.{fmt}"'
    return response


# ---- the insurer's member list and the social office's welfare file --------------------


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis berkas"), choices=UpdateImport.Kind.choices)
    file = UploadField(
        label=gettext_lazy("Berkas (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    as_of = forms.DateField(
        label=gettext_lazy("Tanggal data (untuk baris tanpa kolom TANGGAL)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "30/11/2026"}),
    )


def _require_manager(user) -> None:
    if not permissions.is_manager(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def update_index(request):
    """Upload a member list or a welfare file; it is applied at once, then its report."""
    _require_manager(request.user)
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        apply = {
            UpdateImport.Kind.MEMBERS: updates.import_member_list,
            UpdateImport.Kind.WELFARE: updates.import_welfare,
        }[form.cleaned_data["kind"]]
        upload = form.cleaned_data["file"]
        try:
            record = apply(
                user=request.user,
                content=upload.read(),
                file_name=upload.name or "berkas",
                as_of=form.cleaned_data["as_of"],
            )
        except updates.UpdateRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("imports:update", pk=record.pk)
    context = {"form": form, "records": selectors.update_imports_for(request.user)[:20]}
    return render(request, "imports/updates.html", context)


@login_required
@require_GET
def update_detail(request, pk: int):
    _require_manager(request.user)
    record = selectors.get_update_import(request.user, pk)
    if record.report:
        access.record_access(
            request,
            AccessKind.VIEW,
            query={"update_import": record.pk},
            count=len(record.report),
        )
    return render(request, "imports/update.html", {"record": record})
