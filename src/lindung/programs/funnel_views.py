"""The verification funnel's page and its XLSX and PDF exports. Thin: parse the request,
call the selector, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lindung.programs import clock, selectors
from lindung.programs import funnel_export as export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request, pk: int):
    program = selectors.get_program(request.user, pk)
    rounds = selectors.rounds_of(program)
    number = request.GET.get("putaran", "")
    round_ = next((r for r in rounds if str(r.number) == number), None)
    by = request.GET.get("by", "village")
    by = by if by in ("program", "village", "district") else "village"
    report = selectors.funnel(request.user, program, round=round_, by=by, today=clock.today())
    return program, rounds, report


def _stem(report) -> str:
    suffix = f"-putaran-{report.round.number}" if report.round else ""
    return f"corong-program-{report.program.pk}{suffix}"


@login_required
@require_GET
def funnel_page(request, pk: int):
    program, rounds, report = _report(request, pk)
    context = {
        "program": program,
        "rounds": rounds,
        "report": report,
        "chart": export.chart(report.total, _("Corong verifikasi")),
        "steps_table": export.steps_table(report),
        "drops_table": export.drops_table(report),
        "query": request.GET.urlencode(),
    }
    return render(request, "programs/funnel.html", context)


@login_required
@require_GET
def funnel_xlsx(request, pk: int):
    _program, _rounds, report = _report(request, pk)
    response = HttpResponse(export.workbook(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_stem(report)}.xlsx"'
    return response


@login_required
@require_GET
def funnel_pdf(request, pk: int):
    _program, _rounds, report = _report(request, pk)
    response = HttpResponse(export.pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_stem(report)}.pdf"'
    return response
