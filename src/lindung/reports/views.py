"""The report page, and the same report as XLSX and PDF (``?format=xlsx|pdf``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lindung.accounts.scope import in_scope, scope_code
from lindung.programs import clock
from lindung.reports import documents, inpres

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def build(user, kind: str, region: str, half: str):
    """The report, or ``Http404`` for a region outside the user's scope. Raises
    :class:`inpres.ReportRefused` for a region or half-year that cannot be read."""
    if region and not in_scope(user, region):
        raise Http404
    today = clock.today()
    builder = inpres.award if kind == "award" else inpres.inpres
    return builder(region, half or inpres.previous_half(today), today)


def download(report, kind: str, letterhead) -> HttpResponse:
    prefix = "paritrana" if report.kind == "award" else "inpres-2-2021"
    name = f"{prefix}-{report.region.code}-{report.half}"
    body = documents.xlsx(report) if kind == "xlsx" else documents.pdf(report, letterhead)
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@login_required
@require_GET
def report(request):
    data = request.GET
    region = str(data.get("region") or scope_code(request.user) or "").strip()
    kind = "award" if data.get("kind") == "award" else "inpres"
    context = {"region": region, "half": data.get("half", ""), "kind": kind, "data": data}
    try:
        built = build(request.user, kind, region, data.get("half", ""))
    except inpres.ReportRefused as refusal:
        context["problem"] = refusal
        return render(request, "reports/report.html", context)
    fmt = data.get("format", "")
    if fmt in CONTENT_TYPES:
        return download(built, fmt, documents.Letterhead.from_query(data))
    context["report"] = built
    context["half"] = built.half
    return render(request, "reports/report.html", context)
