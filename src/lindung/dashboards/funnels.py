"""The verification funnel on a dashboard: the programs of the date's year that reach the
region, each counted in the region's villages (``programs.funnel``), as one table and a
chart of their sum. Shown on the page (``dashboards/_funnels.html``), in the XLSX and in
the PDF; a program's own page has the funnel by village and district with its reasons."""

from django.utils.translation import gettext as _

from lindung.dashboards.tables import COUNT, Column, Table
from lindung.programs.funnel import STEP_LABELS, STEPS, Funnel, combined
from lindung.programs.funnel_export import chart

KEY = "corong_verifikasi"


def funnel_table(items: list[tuple[str, str, Funnel]], year: int) -> Table:
    columns = [Column(_("Program")), Column(_("Wilayah program"))]
    columns += [Column(str(STEP_LABELS[key]), COUNT) for key in STEPS]
    columns.append(Column(_("Usulan di luar daftar musyawarah"), COUNT))
    rows = [
        [name, area, *[funnel.steps[key].count for key in STEPS], funnel.not_on_list]
        for name, area, funnel in items
    ]
    if len(items) > 1:
        total = total_of(items)
        rows.append(
            [_("Jumlah"), "", *[total.steps[key].count for key in STEPS], total.not_on_list]
        )
    return Table(
        KEY,
        _("Corong verifikasi program tahun %(year)s di wilayah ini") % {"year": year},
        columns,
        rows,
        note=_(
            "Dihitung dari desa/kelurahan wilayah ini saja. Alasan gugur per tahap ada di "
            "halaman corong tiap program."
        )
        if items
        else _("Belum ada program tahun %(year)s di wilayah ini.") % {"year": year},
        sheet=_("Corong verifikasi"),
    )


def total_of(items: list[tuple[str, str, Funnel]]) -> Funnel:
    return combined([funnel for _name, _area, funnel in items], "", _("Semua program"))


def funnel_chart(items: list[tuple[str, str, Funnel]], year: int):
    title = _("Corong verifikasi %(year)s, semua program di wilayah ini") % {"year": year}
    return chart(total_of(items), title)
