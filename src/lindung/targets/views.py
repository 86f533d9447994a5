"""Dashboard pages, their exports, and the pages where a regency enters its figures.

Thin: parse the request, call a selector or a service, render. The region in the address
must lie in the user's scope (404 otherwise); ``indonesia`` is the whole country, for
those who see everything.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.formatting import tanggal
from lindung.people.validation import parse_date
from lindung.programs import clock, permissions
from lindung.targets import importing, presentation, report, selectors, services, splitting
from lindung.targets.models import (
    Definition,
    Metric,
    ReportedCoverage,
    Segment,
    Target,
    WorkforceFigure,
)
from lindung.targets.tables import (
    DIMENSIONS,
    dashboard_tables,
    dashboard_url,
    pct,
    villages_table,
)
from lindung.targets.xlsx import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNTRY_SLUG = "indonesia"


def _code(slug: str) -> str:
    return "" if slug == COUNTRY_SLUG else slug


def _day(request) -> tuple[dt.date, str]:
    """The date asked for (``?tanggal=``, 31/12/2024 or 2024-12-31), else today; and what
    to tell the user when the date asked for could not be read (empty when it could)."""
    raw = request.GET.get("tanggal", "").strip()
    if not raw:
        return clock.today(), ""
    day = parse_date(raw[:10])
    if day is None or not 2000 <= day.year <= 2100:
        problem = _("Tanggal '%(raw)s' tidak dikenali: ditampilkan hari ini.") % {"raw": raw[:20]}
        return clock.today(), problem
    return day, ""


@login_required
@require_GET
def dashboard_home(request):
    code = selectors.default_region(request.user)
    return redirect(dashboard_url(code))


def _board(request, slug: str, *, villages: bool = True):
    day, problem = _day(request)
    if problem:
        messages.warning(request, problem)
    board = selectors.dashboard(request.user, _code(slug), day, villages=villages)
    return board, dashboard_tables(board)


def _target_years(code: str) -> list[int]:
    from lindung.regions.codes import ancestors

    codes = ancestors(code) if code else []
    return sorted(
        set(Target.objects.filter(region_id__in=codes).values_list("year", flat=True)),
        reverse=True,
    )


@login_required
@require_GET
def dashboard(request, slug: str):
    # A regency's hundreds of villages come in a second request (``dashboard_villages``,
    # fetched by htmx once the page is shown), unless asked for here (``?desa=semua``: the
    # link for browsers without JavaScript).
    board, tables = _board(request, slug, villages=request.GET.get("desa") == "semua")
    charts = presentation.dashboard_charts(board, tables)
    sections = [(tables[key], charts.get(key)) for key in ("pendanaan", "status")]
    dimensions = [
        (
            tables[key],
            charts.get(key),
            [tables[f"{key}_{part}"] for part in ("status", "dana", "retensi")],
        )
        for key, _dim in DIMENSIONS
    ]
    context = {
        "board": board,
        "tables": tables,
        "charts": charts,
        "sections": sections,
        "dimensions": dimensions,
        "crumbs": selectors.breadcrumbs(request.user, board.code),
        "slug": slug,
        "date_iso": board.date.isoformat(),
        "target_years": [y for y in _target_years(board.code) if y != board.date.year],
        "can_manage": board.code and permissions.can_manage(request.user, board.code),
        "segments": [board.figures.segments[k] for k in ("total", "informal", "formal")],
    }
    return render(request, "targets/dashboard.html", context)


@login_required
@require_GET
def dashboard_villages(request, slug: str):
    """The ranked village table of a regency's (or district's) dashboard, as a fragment."""
    day, problem = _day(request)  # said in the fragment: a message would wait for the next page
    region, villages = selectors.villages_of(request.user, _code(slug), day)
    table = villages_table(villages, day, with_district=region.level == 2)
    context = {"table": table, "slug": slug, "date_iso": day.isoformat(), "problem": problem}
    return render(request, "targets/_villages.html", context)


@login_required
@require_GET
def dashboard_xlsx(request, slug: str):
    board, tables = _board(request, slug)
    wanted = request.GET.get("tabel", "")
    if wanted and wanted not in tables:
        raise Http404
    chosen = [tables[wanted]] if wanted else list(tables.values())
    heading = _heading(board)
    content = workbook(chosen, heading=heading)
    name = (
        f"dasbor-{board.code or COUNTRY_SLUG}-{board.date:%Y%m%d}{'-' + wanted if wanted else ''}"
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _heading(board) -> list[str]:
    lines = [
        _("Wilayah: %(name)s (%(code)s)")
        % {"name": board.figures.name, "code": board.code or COUNTRY_SLUG},
        _("Keadaan per %(day)s") % {"day": tanggal(board.date)},
    ]
    workforce = board.figures.total.workforce
    if workforce:
        lines.append(
            _("Angkatan kerja: %(definition)s %(year)s, sumber %(source)s")
            % {
                "definition": workforce.definition_label,
                "year": workforce.year,
                "source": workforce.source,
            }
        )
    else:
        lines.append(_("Angkatan kerja: belum ada angka, cakupan tidak dihitung"))
    return lines


@login_required
@require_GET
def dashboard_pdf(request, slug: str):
    board, tables = _board(request, slug)
    content = report.render(board, tables)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"laporan-cakupan-{board.code or COUNTRY_SLUG}-{board.date:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


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
        "pct": pct,
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
    from lindung.targets.tables import Column, Table

    headers, rows = importing.template_rows(kind)
    table = Table(kind, str(importing.KINDS[kind]), [Column(h) for h in headers], rows)
    content = workbook([table], heading=[])
    response = HttpResponse(content, content_type=XLSX)
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
