"""Dashboard pages, their exports, and the pages where a regency enters its figures.

Thin: parse the request, call a selector or a service, render. The region in the address
must lie in the user's scope (404 otherwise); ``indonesia`` is the whole country, for
those who see everything.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lindung.agents import selectors as agent_selectors
from lindung.coverage import cache, selectors
from lindung.dashboards import choropleth, presentation, report
from lindung.dashboards import selectors as opening
from lindung.dashboards.claims import claims_tables
from lindung.dashboards.formal import formal_charts, formal_tables
from lindung.dashboards.funnels import funnel_chart, funnel_table
from lindung.dashboards.tables import (
    DIMENSIONS,
    dashboard_tables,
    dashboard_url,
    months_retention_table,
    url_pattern,
    villages_table,
)
from lindung.dashboards.xlsx import workbook
from lindung.formatting import tanggal
from lindung.people.validation import parse_date
from lindung.programs import clock, permissions
from lindung.targets.models import (
    Target,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNTRY_SLUG = "indonesia"


def _code(slug: str) -> str:
    return "" if slug == COUNTRY_SLUG else slug


def _day(request) -> tuple[dt.date | None, str]:
    """The date asked for (``?tanggal=``, 31/12/2024 or 2024-12-31), ``None`` when none
    was; and what to tell the user when the date asked for could not be read (today is
    shown then)."""
    raw = request.GET.get("tanggal", "").strip()
    if not raw:
        return None, ""
    day = parse_date(raw[:10])
    if day is None or not 2000 <= day.year <= 2100:
        problem = _("Tanggal '%(raw)s' tidak dikenali: ditampilkan hari ini.") % {"raw": raw[:20]}
        return clock.today(), problem
    return day, ""


def _region_day(request, slug: str) -> tuple[dt.date, str, opening.Opening | None]:
    """The date a region's page shows: the one asked for, else the latest with data
    (:func:`lindung.dashboards.selectors.opening_day`), with how it was chosen."""
    day, problem = _day(request)
    if day is not None:
        return day, problem, None
    found = opening.opening_day(request.user, _code(slug), clock.today())
    return found.day, "", found


@login_required
@require_GET
def dashboard_home(request):
    code = selectors.default_region(request.user)
    return redirect(dashboard_url(code))


def _board(request, slug: str, *, villages: bool = True):
    day, problem, opened = _region_day(request, slug)
    if problem:
        messages.warning(request, problem)
    board = selectors.dashboard(request.user, _code(slug), day, villages=villages)
    tables = dashboard_tables(board) | formal_tables(selectors.formal_of(board))
    tables.update(claims_tables(selectors.claims_of(board.code, board.date)))
    return board, tables, opened


def _href(day: dt.date):
    pattern = url_pattern()
    return lambda code: dashboard_url(code, day, pattern=pattern)


def _maps(request, board) -> dict[str, choropleth.RegionMap]:
    """The maps of the regions below: provinces or regencies side by side, a regency's
    districts (its villages come with their table), a district's villages."""
    mode = request.GET.get("peta", "")
    href = _href(board.date)
    found = {}
    if board.level in (0, 1) and board.children:
        title = _("Peta provinsi") if board.level == 0 else _("Peta kabupaten/kota")
        found["wilayah"] = choropleth.region_map("wilayah", title, board.children, mode, href)
    elif board.level == 2:
        title = _("Peta kecamatan")
        found["kecamatan"] = choropleth.region_map("kecamatan", title, board.children, mode, href)
    if board.villages:
        title = _("Peta desa/kelurahan")
        found["desa"] = choropleth.region_map("desa", title, board.villages, mode, href)
    return {key: value for key, value in found.items() if value}


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
    board, tables, opened = _board(request, slug, villages=request.GET.get("desa") == "semua")
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
    maps = _maps(request, board)
    earlier = None
    if board.code and not board.figures.targets:
        earlier = opening.earlier_target(request.user, board.code, board.date)
    context = {
        "board": board,
        "opening": opened,
        "earlier_target": earlier,
        "earlier_chart": presentation.target_chart(earlier.figures) if earlier else None,
        "maps": maps,
        "map_mode": request.GET.get("peta", "")
        if request.GET.get("peta") in choropleth.MODES
        else "",
        "region_maps": [maps[k] for k in ("wilayah", "kecamatan") if k in maps],
        "tables": tables,
        "charts": charts,
        "sections": sections,
        "dimensions": dimensions,
        "crumbs": selectors.breadcrumbs(request.user, board.code),
        "slug": slug,
        "date_iso": board.date.isoformat(),
        "date_text": tanggal(board.date),
        "target_years": [y for y in _target_years(board.code) if y != board.date.year],
        "can_manage": board.code and permissions.can_manage(request.user, board.code),
        "can_load_boundaries": permissions.is_manager(request.user),
        "segments": [board.figures.segments[k] for k in ("total", "informal", "formal")],
        "formal_charts": formal_charts(selectors.formal_of(board)),
    }
    return render(request, "dashboards/dashboard.html", context)


@login_required
@require_GET
def dashboard_villages(request, slug: str):
    """The ranked village table of a regency's (or district's) dashboard, as a fragment."""
    # A problem is said in the fragment: a message would wait for the next page.
    day, problem, _opened = _region_day(request, slug)
    region = selectors.villages_region(request.user, _code(slug))
    mode = request.GET.get("peta", "")

    def fragment() -> str:
        # The same for everybody who may see the region (852 rows for a large regency):
        # kept as written, per language, until the figures change (``coverage.cache``).
        _region, villages = selectors.villages_of(request.user, region.code, day)
        table = villages_table(villages, day, with_district=region.level == 2)
        title = _("Peta desa/kelurahan")
        context = {
            "table": table,
            "map": choropleth.region_map("desa", title, villages, mode, _href(day)),
            "slug": slug,
            "date_iso": day.isoformat(),
            "problem": problem,
        }
        return render_to_string("dashboards/_villages.html", context)

    key = (region.code, day, slug, translation.get_language(), problem, mode)
    return HttpResponse(cache.remember("villages-fragment", key, fragment))


@login_required
@require_GET
def dashboard_funnels(request, slug: str):
    """The verification funnel of the region's programs, as a fragment (fetched by htmx
    once the page is shown; a program's funnel reads its enrollments, not the summary)."""
    day, problem, _opened = _region_day(request, slug)
    items = selectors.funnels_of(request.user, _code(slug), day)
    context = {
        "table": funnel_table(items, day.year),
        "chart": funnel_chart(items, day.year) if items else None,
        "slug": slug,
        "date_iso": day.isoformat(),
        "problem": problem,
    }
    return render(request, "dashboards/_funnels.html", context)


def _with_funnels(board, tables: dict) -> dict:
    """The exports' tables, the funnel's included (the page fetches it apart)."""
    items = selectors.funnels_of(None, board.code, board.date)
    return tables | {"corong_verifikasi": funnel_table(items, board.date.year)}


@login_required
@require_GET
def dashboard_xlsx(request, slug: str):
    board, tables, _opened = _board(request, slug)
    tables = _with_funnels(board, tables)
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
    board, tables, _opened = _board(request, slug)
    tables = _with_funnels(board, tables)
    content = report.render(board, tables)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"laporan-cakupan-{board.code or COUNTRY_SLUG}-{board.date:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_GET
def agent_retention(request, pk: int):
    """An agent's retention, as a fragment of the agent's page (fetched by htmx; a page of
    its own without JavaScript). The agent must be one the user may see (404 otherwise)."""
    agent = agent_selectors.get_agent(request.user, pk)
    day, problem = _day(request)
    day = day or clock.today()
    table = months_retention_table(
        "retensi_agen",
        _("Retensi pekerja agen ini"),
        selectors.agent_retention(agent, day),
    )
    context = {"table": table, "agent": agent, "date_iso": day.isoformat(), "problem": problem}
    template = "dashboards/_agent_retention.html"
    if not request.htmx:
        template = "dashboards/agent_retention.html"
    return render(request, template, context)
