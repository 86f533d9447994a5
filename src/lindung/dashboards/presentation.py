"""The charts of a dashboard, drawn from the same figures and tables the page lists."""

from django.utils.translation import gettext as _

from lindung.coverage.indicators import RegionFigures
from lindung.dashboards import charts
from lindung.dashboards.tables import Table
from lindung.formatting import number, percent
from lindung.targets.models import Metric


def target_chart(figures: RegionFigures):
    bars = []
    for progress in figures.targets:
        label = f"{progress.segment_label} — {progress.metric_label}"
        if progress.is_rate:
            if progress.actual is None:
                bars.append(charts.Bar(label, 0, _("tanpa angka angkatan kerja"), None, "", "none"))
                continue
            bars.append(
                charts.Bar(
                    label,
                    progress.actual / 100,
                    percent(progress.actual),
                    progress.target.value / 100,
                    percent(progress.target.value),
                    progress.status,
                )
            )
        else:
            bars.append(
                charts.Bar(
                    label,
                    progress.actual or 0,
                    number(progress.actual or 0),
                    progress.target.value,
                    number(progress.target.value),
                    progress.status,
                )
            )
    return charts.hbars(
        bars, _("Target dibanding capaian"), empty=_("Belum ada target untuk tahun ini.")
    )


def trend_chart(board):
    points = board.series
    labels = [f"{p.month:%m/%y}" for p in points]
    series = [
        (_("Terlindungi"), [p.covered for p in points]),
        (_("Dibiayai pemerintah"), [p.sponsored for p in points]),
        (_("Iuran mandiri"), [p.self_paid for p in points]),
    ]
    target = None
    primary = board.figures.primary_target
    if primary and primary.target.metric == Metric.SPONSORED:
        series.append((_("Dibiayai sejak awal tahun"), [p.started_in_year for p in points]))
        target = (
            _("Target dibiayai %(year)s") % {"year": primary.target.year},
            primary.target.value,
        )
    elif primary and primary.target.metric == Metric.COVERED:
        target = (_("Target terlindungi"), primary.target.value)
    return charts.lines(labels, series, _("Tren bulanan pekerja terlindungi"), target=target)


def rate_chart(board):
    """The coverage rate over the months, when the region has a workforce figure."""
    points = board.series
    if not any(p.rate_bp is not None for p in points):
        return None
    rate_target = next(
        (p for p in board.figures.targets if p.is_rate and p.target.segment == "total"), None
    )
    target = None
    if rate_target:
        target = (_("Target cakupan"), rate_target.target.value / 100)
    return charts.lines(
        [f"{p.month:%m/%y}" for p in points],
        [(_("Tingkat cakupan (%)"), [(p.rate_bp or 0) / 100 for p in points])],
        _("Tren tingkat cakupan"),
        fmt=lambda v: f"{v:.0f}%",
        target=target,
    )


def share_chart(table: Table, title: str = ""):
    """Bars of the first count of a table (with its share): rows with none are left out."""
    bars = [
        charts.Bar(str(row[0]), row[1], number(row[1]) + f" ({percent(row[2])})")
        for row in table.rows
        if row[1]
    ][:12]
    return charts.hbars(bars, title or table.title, empty=_("Belum ada data pada tanggal ini."))


def regions_chart(regions: list[RegionFigures], title: str):
    """Regions side by side by coverage rate (with their rate target), or by count when
    none of them has a workforce figure."""
    with_rate = any(r.total.rate_bp is not None for r in regions)
    bars = []
    for region in regions:
        total = region.total
        rate_target = next(
            (p for p in region.targets if p.is_rate and p.target.segment == "total"), None
        )
        if with_rate:
            if total.rate_bp is None:
                bars.append(charts.Bar(region.name, 0, _("tanpa angka angkatan kerja"), None))
                continue
            bars.append(
                charts.Bar(
                    region.name,
                    total.rate_bp / 100,
                    percent(total.rate_bp),
                    rate_target.target.value / 100 if rate_target else None,
                    percent(rate_target.target.value) if rate_target else "",
                    rate_target.status if rate_target else "",
                )
            )
        else:
            bars.append(charts.Bar(region.name, total.covered, number(total.covered)))
    return charts.hbars(bars, title, empty=_("Tidak ada wilayah."))


def retention_chart(table: Table, title: str = ""):
    """Retention after 1, 3 and 6 months as bars of the share still covered (the region's
    ``retensi`` table: one row per period, ended, still covered, rate)."""
    bars = [
        charts.Bar(
            str(row[0]), row[3] / 100, f"{percent(row[3])} ({number(row[2])}/{number(row[1])})"
        )
        for row in table.rows
        if row[1] and row[3] is not None
    ]
    return charts.hbars(
        bars, title or table.title, empty=_("Belum ada masa sponsor yang berakhir dan teramati.")
    )


def groups_retention_chart(table: Table, months: int = 3):
    """Groups (programs, agents) side by side by the share still covered ``months`` after
    their sponsored months (the table's columns: name, then ended/kept/rate per period)."""
    column = 1 + 3 * (1, 3, 6).index(months)
    bars = [
        charts.Bar(str(row[0]), row[column + 2] / 100, percent(row[column + 2]))
        for row in table.rows
        if row[column] and row[column + 2] is not None
    ][:12]
    title = _("%(title)s, %(k)s bulan") % {"title": table.title, "k": months}
    return charts.hbars(bars, title, empty=_("Belum ada masa sponsor yang berakhir dan teramati."))


def dashboard_charts(board, tables: dict[str, Table]) -> dict:
    found = {
        "target": target_chart(board.figures),
        "tren": trend_chart(board),
        "cakupan": rate_chart(board),
    }
    covered = {
        "kategori": _("Terlindungi menurut kategori peserta"),
        "pekerjaan": _("Terlindungi menurut pekerjaan"),
        "jenis_kelamin": _("Terlindungi menurut jenis kelamin"),
    }
    for key, title in covered.items():
        found[key] = share_chart(tables[key], title)
    for key in ("pendanaan", "status"):
        found[key] = share_chart(tables[key])
    found["retensi"] = retention_chart(tables["retensi"])
    for key in ("retensi_program", "retensi_agen"):
        if tables[key].rows:
            found[key] = groups_retention_chart(tables[key])
    if "wilayah" in tables:
        found["wilayah"] = regions_chart(board.children, tables["wilayah"].title)
    if "kecamatan" in tables:
        found["kecamatan"] = regions_chart(board.children, tables["kecamatan"].title)
    return found
