"""The pages where a regency enters its workforce figures, targets and reported counts.

Thin: parse the request, call a selector or a service, render. The region in the address
must lie in the user's scope (404 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.programs import clock, permissions
from lindung.targets import importing, selectors, services, splitting
from lindung.targets.models import (
    Definition,
    Metric,
    ReportedCoverage,
    Segment,
    Target,
    WorkforceFigure,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- entering figures ----------------------------------------------------------------------


def _require_manager(request, code: str):
    region = selectors.check_region(request.user, code)
    if region is None or not permissions.can_manage(request.user, region.code):
        raise PermissionDenied
    return region


FORMS = {
    "workforce": services.save_workforce,
    "target": services.save_target,
    "reported": services.save_reported,
}


@login_required
@require_http_methods(["GET", "POST"])
def figures(request, code: str):
    region = _require_manager(request, code)
    errors, posted, kind = [], {}, ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in FORMS:
            raise Http404
        posted = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        posted.setdefault("region_code", region.code)
        try:
            FORMS[kind](user=request.user, data=posted)
        except services.FiguresInvalid as invalid:
            errors = invalid.problems
        else:
            messages.success(request, _("Tersimpan."))
            return redirect(reverse("targets:figures", args=[region.code]))
    region_, workforce, targets, reported = selectors.figures_of(request.user, region.code)
    context = {
        "region": region,
        "workforce": workforce,
        "targets": targets,
        "reported": reported,
        "errors": errors,
        "posted": posted,
        "kind": kind,
        "segments": Segment.choices,
        "definitions": Definition.choices,
        "metrics": Metric.choices,
        "split_methods": splitting.METHODS.items(),
        "warnings": [
            w
            for year in sorted({t.year for t in targets})
            for w in splitting.warnings_for(region.code, year)
        ],
        "children": region.children.order_by("code")[:200],
        "kinds": importing.KINDS.items(),
        "year": clock.today().year,
    }
    return render(request, "targets/figures.html", context)


@login_required
@require_POST
def figures_upload(request, code: str):
    region = _require_manager(request, code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas CSV atau XLSX untuk diunggah."))
        return redirect(reverse("targets:figures", args=[region.code]))
    try:
        result = importing.import_figures(
            user=request.user,
            data=upload.read(),
            name=upload.name,
            kind=request.POST.get("kind", ""),
        )
    except importing.FileRefused as refused:
        messages.error(request, refused.message)
        return redirect(reverse("targets:figures", args=[region.code]))
    if result.ok:
        messages.success(
            request,
            _("%(kind)s: %(created)s baris baru, %(updated)s diperbarui, dari %(rows)s baris.")
            % {
                "kind": result.kind_label,
                "created": result.created,
                "updated": result.updated,
                "rows": result.rows,
            },
        )
        return redirect(reverse("targets:figures", args=[region.code]))
    return render(
        request, "targets/upload_report.html", {"region": region, "report": result}, status=422
    )


@login_required
@require_GET
def figures_template(request, kind: str):
    if kind not in importing.KINDS:
        raise Http404
    response = HttpResponse(importing.template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="contoh-{kind}.xlsx"'
    return response


@login_required
@require_POST
def target_split(request, pk: int):
    target = get_object_or_404(Target, pk=pk)
    region = _require_manager(request, target.region_id)
    try:
        level = int(request.POST.get("level", "0"))
    except ValueError:
        level = 0
    try:
        written = splitting.split_target(
            user=request.user,
            target=target,
            level=level,
            method=request.POST.get("method", "equal"),
            include_kelurahan=bool(request.POST.get("include_kelurahan")),
        )
    except splitting.SplitRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Target dibagi ke %(n)s wilayah.") % {"n": len(written)})
    return redirect(reverse("targets:figures", args=[region.code]))


DELETABLE = {
    "workforce": (WorkforceFigure, services.delete_workforce, "figure"),
    "target": (Target, services.delete_target, "target"),
    "reported": (ReportedCoverage, services.delete_reported, "row"),
}


@login_required
@require_POST
def figure_delete(request, kind: str, pk: int):
    if kind not in DELETABLE:
        raise Http404
    model, delete, argument = DELETABLE[kind]
    row = get_object_or_404(model, pk=pk)
    selectors.check_region(request.user, row.region_id)
    delete(user=request.user, **{argument: row})
    messages.success(request, _("Dihapus."))
    back = request.POST.get("back", "")
    return redirect(reverse("targets:figures", args=[back or row.region_id]))
