"""The verification funnel shown three ways, like the dashboards: an SVG chart on the page,
an XLSX workbook and a PDF, built from the same two tables (steps, and drop-outs with
their reasons) with the dashboards' own writers."""

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from lindung.dashboards import charts
from lindung.dashboards import xlsx as dashboard_xlsx
from lindung.dashboards.report import ReportPdf, latin1
from lindung.dashboards.tables import COUNT, TEXT, Column, Table
from lindung.formatting import number
from lindung.programs.funnel import STEP_LABELS, STEPS, Funnel, FunnelReport


def chart(funnel: Funnel, title: str):
    """One bar per step; the value says how many of the first step are left."""
    first = funnel.steps["agreed"].count or funnel.steps["proposed"].count
    bars = []
    for step in funnel.step_list():
        share = f" ({round(100 * step.count / first)}%)" if first else ""
        bars.append(charts.Bar(step.label, step.count, f"{number(step.count)}{share}"))
    return charts.hbars(bars, title, empty=_("Belum ada data."))


def _groups(report: FunnelReport) -> list[Funnel]:
    return [report.total, *report.groups]


def steps_table(report: FunnelReport) -> Table:
    columns = [Column(_("Wilayah"), TEXT)]
    columns += [Column(str(STEP_LABELS[key]), COUNT) for key in STEPS]
    columns.append(Column(_("Usulan di luar daftar musyawarah"), COUNT))
    rows = [
        [f.name, *[f.steps[key].count for key in STEPS], f.not_on_list] for f in _groups(report)
    ]
    return Table("corong", _("Corong verifikasi"), columns, rows, sheet=_("Corong"))


def drops_table(report: FunnelReport) -> Table:
    columns = [
        Column(_("Wilayah"), TEXT),
        Column(_("Gugur sebelum tahap"), TEXT),
        Column(_("Kode"), TEXT),
        Column(_("Alasan"), TEXT),
        Column(_("Jumlah"), COUNT),
        Column(_("Keterangan"), TEXT),
    ]
    rows = []
    for funnel in _groups(report):
        for step in funnel.step_list():
            for drop in step.sorted_drops():
                detail = "; ".join(f"{r} ({n})" for r, n in drop.reasons.most_common(10))
                rows.append([funnel.name, step.label, drop.code, drop.label, drop.count, detail])
    return Table("gugur", _("Alasan gugur per tahap"), columns, rows, sheet=_("Alasan gugur"))


def _heading(report: FunnelReport) -> list[str]:
    program = report.program
    lines = [program.name]
    if report.round is not None:
        lines.append(
            _("Putaran %(n)s (%(start)s)")
            % {"n": report.round.number, "start": report.round.start_month.strftime("%m/%Y")}
        )
    lines.append(_("Dibuat %(at)s") % {"at": timezone.localtime().strftime("%d/%m/%Y %H:%M")})
    return lines


def workbook(report: FunnelReport) -> bytes:
    return dashboard_xlsx.workbook(
        [steps_table(report), drops_table(report)], heading=_heading(report)
    )


def pdf(report: FunnelReport) -> bytes:
    title = _("Corong verifikasi - %(program)s") % {"program": report.program.name}
    document = ReportPdf(title)
    document.add_page()
    document.set_font("Helvetica", "B", 14)
    document.multi_cell(0, 7, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for line in _heading(report)[1:]:
        document.note(line)
    total = report.total
    first = total.steps["agreed"].count or total.steps["proposed"].count
    document.heading(_("Tahap"))
    document.bars(
        [
            (
                step.label,
                step.count,
                None,
                f"{number(step.count)}"
                + (f" ({round(100 * step.count / first)}%)" if first else ""),
                "",
            )
            for step in total.step_list()
        ]
    )
    document.heading(_("Corong verifikasi"))
    document.table_of(steps_table(report))
    document.heading(_("Alasan gugur per tahap"))
    document.table_of(drops_table(report), widths=[2.2, 1.8, 1.8, 2.2, 1, 3])
    return bytes(document.output())
