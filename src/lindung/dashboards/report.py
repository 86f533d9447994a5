"""A printable PDF report of a region for the Bupati: headline numbers, target against
actual, the monthly trend, the breakdowns and the village table, with the sources of the
workforce figures on the page (a rate is never printed without its denominator).

Drawn with fpdf2's core fonts (no font files, no system libraries): text is written in
Latin-1, so the few typographic characters outside it are replaced.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from lindung.dashboards.charts import STATUS_COLOURS
from lindung.dashboards.formal import KEYS as FORMAL_KEYS
from lindung.dashboards.tables import STATUS, Table, write
from lindung.formatting import number, tanggal, waktu
from lindung.pdf_columns import fit_widths

REPLACE = {"—": "-", "–": "-", "…": "...", "▼": "v", "’": "'", "“": '"', "”": '"', "≥": ">="}
BRAND = (11, 110, 79)
GREY = (91, 102, 117)


def latin1(text) -> str:
    text = str(text)
    for old, new in REPLACE.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class ReportPdf(FPDF):
    """An A4 report of the product: its title in the document's properties and in every
    page's footer with the page number. The regency's reports (``lindung.reports``) use it
    too, with wider margins for the letterhead."""

    def __init__(self, title: str, *, margin: float = 15):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(margin, 15, margin)
        self.set_auto_page_break(True, margin=16)
        self.set_title(latin1(title))
        self.set_creator("Lindung")

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, latin1(self.report_title), new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str):
        if self.get_y() > 250:
            self.add_page()
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.set_text_color(*BRAND)
        self.cell(0, 7, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def note(self, text: str):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*GREY)
        self.multi_cell(0, 4, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def table_of(self, table: Table, *, limit: int | None = None, widths=None):
        rows = table.rows if limit is None else table.rows[:limit]
        self.set_font("Helvetica", "", 8)
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(190, 198, 208)
        self.set_line_width(0.2)
        aligns = ["RIGHT" if table.numeric(i) else "LEFT" for i in range(len(table.columns))]
        if widths is None:
            weights = {"text": 2.0, "status": 1.4, "date": 1.4}
            widths = [
                2.6 if i == 0 else weights.get(column.kind, 1.1)
                for i, column in enumerate(table.columns)
            ]
        texts = [
            [latin1(write(v, c.kind)) for v, c in zip(r, table.columns, strict=True)] for r in rows
        ]
        numeric = [table.numeric(i) for i in range(len(table.columns))]
        widths = fit_widths(self, widths, texts, numeric)  # a number never wraps in its cell
        with self.table(
            cell_fill_mode="NONE",
            borders_layout="HORIZONTAL_LINES",
            col_widths=widths,
            text_align=aligns,
            line_height=4.5,
            first_row_as_headings=True,
            headings_style=FontFace(emphasis="BOLD", fill_color=(238, 242, 246)),
        ) as grid:
            head = grid.row()
            for column in table.columns:
                head.cell(latin1(column.label))
            for values in rows:
                row = grid.row()
                for value, column in zip(values, table.columns, strict=True):
                    text = write(value, column.kind)
                    if column.kind == STATUS and value in STATUS_COLOURS:
                        self.set_text_color(*_hex(STATUS_COLOURS[value]))
                    row.cell(latin1(text))
                    self.set_text_color(0, 0, 0)
        if limit is not None and len(table.rows) > limit:
            self.note(
                _("... dan %(n)s baris lagi (lihat ekspor XLSX).") % {"n": len(table.rows) - limit}
            )

    def bars(self, items: list[tuple[str, float, float | None, str, str]]):
        """(label, value, target, value text, status) as horizontal bars."""
        top = max([v for _l, v, _t, _x, _s in items] + [t or 0 for _l, _v, t, _x, _s in items]) or 1
        width = 75
        for label, value, target, text, status in items:
            if self.get_y() > 270:
                self.add_page()
            y = self.get_y()
            self.set_font("Helvetica", "", 7)
            self.cell(70, 6, latin1(label[:56]))
            x = self.get_x()
            self.set_fill_color(*_hex(STATUS_COLOURS.get(status, "#0b6e4f")))
            self.rect(x, y + 1, max(width * value / top, 0.3), 4, style="F")
            if target:
                tx = x + width * target / top
                self.set_draw_color(28, 36, 48)
                self.set_line_width(0.6)
                self.line(tx, y, tx, y + 6)
            self.set_xy(x + width + 2, y)
            self.cell(0, 6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_fill_color(255, 255, 255)

    def line_chart(self, labels: list[str], values: list[float], caption: str):
        if not values:
            return
        if self.get_y() > 220:
            self.add_page()
        x0, y0, w, h = self.l_margin + 12, self.get_y() + 2, 160, 40
        top = max(values) or 1
        self.set_draw_color(215, 221, 229)
        self.set_line_width(0.2)
        for i in range(5):
            y = y0 + h - h * i / 4
            self.line(x0, y, x0 + w, y)
            self.set_font("Helvetica", "", 6)
            self.set_xy(self.l_margin - 2, y - 2)
            self.cell(13, 4, number(round(top * i / 4)), align="R")
        step = w / max(len(values) - 1, 1)
        self.set_draw_color(*BRAND)
        self.set_line_width(0.7)
        for i in range(1, len(values)):
            self.line(
                x0 + (i - 1) * step,
                y0 + h - h * values[i - 1] / top,
                x0 + i * step,
                y0 + h - h * values[i] / top,
            )
        self.set_font("Helvetica", "", 6)
        for i, label in enumerate(labels):
            if i % max(1, len(labels) // 6) == 0 or i == len(labels) - 1:
                self.set_xy(x0 + i * step - 6, y0 + h + 1)
                self.cell(12, 3, latin1(label), align="C")
        self.set_xy(self.l_margin, y0 + h + 5)
        self.note(caption)


def _columns(table: Table, indices: tuple[int, ...]) -> Table:
    """Some of the columns of ``table`` (the first one, its labels, included)."""
    return Table(
        table.key,
        table.title,
        [table.columns[i] for i in indices],
        [[row[i] for i in indices] for row in table.rows],
    )


def render(board, tables: dict[str, Table], *, generated: dt.datetime | None = None) -> bytes:
    figures = board.figures
    total = figures.total
    title = _("Laporan cakupan jaminan sosial ketenagakerjaan - %(region)s") % {
        "region": figures.name
    }
    pdf = ReportPdf(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 7, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    generated = generated or timezone.localtime()
    pdf.cell(
        0,
        6,
        latin1(
            _("Keadaan per %(day)s - dibuat %(made)s")
            % {"day": tanggal(board.date), "made": waktu(generated)}
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    pdf.heading(_("Angka utama"))
    rate = write(total.rate_bp, "rate") if total.rate_bp is not None else _("tidak dihitung")
    lines = [
        (_("Pekerja terlindungi"), number(total.covered)),
        (_("  dibiayai pemerintah"), number(total.sponsored)),
        (_("  iuran mandiri setelah masa sponsor"), number(total.self_paid)),
        (_("  di luar registri (laporan BPJS)"), number(total.reported_count)),
        (_("Dibiayai sejak awal tahun %(y)s") % {"y": board.date.year}, number(total.started)),
        (_("Tingkat cakupan"), rate),
        (_("Akan berakhir dalam 30 hari"), number(board.breakdowns.expiring)),
        (
            _("Kuota program %(y)s terisi") % {"y": board.date.year},
            f"{number(board.breakdowns.quota_used)} / {number(board.breakdowns.quota_places)}",
        ),
    ]
    for label, value in lines:
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(95, 6, latin1(label))
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if total.workforce:
        w = total.workforce
        pdf.note(
            _("Angkatan kerja: %(count)s (%(definition)s %(year)s; sumber: %(source)s).")
            % {
                "count": number(w.count),
                "definition": w.definition_label,
                "year": w.year,
                "source": w.source,
            }
        )
        for other, other_rate in total.alternative_rates():
            pdf.note(
                _("Dengan %(definition)s %(year)s (%(count)s; %(source)s) cakupan %(rate)s.")
                % {
                    "definition": other.definition_label,
                    "year": other.year,
                    "count": number(other.count),
                    "source": other.source,
                    "rate": f"{other_rate:.2f}%".replace(".", ","),
                }
            )
    else:
        pdf.note(_("Belum ada angka angkatan kerja untuk wilayah ini: cakupan tidak dihitung."))

    pdf.heading(tables["target"].title)
    if figures.targets:
        items = []
        for p in figures.targets:
            scale = 100 if p.is_rate else 1
            actual = (p.actual or 0) / scale
            text = (
                write(p.actual, "rate" if p.is_rate else "count")
                + " / "
                + write(p.target.value, "rate" if p.is_rate else "count")
            )
            items.append(
                (
                    f"{p.segment_label} - {p.metric_label}",
                    actual,
                    p.target.value / scale,
                    text,
                    p.status,
                )
            )
        pdf.bars(items)
        pdf.table_of(tables["target"])
    else:
        pdf.note(_("Belum ada target untuk tahun ini."))
    for warning in board.warnings:
        pdf.note("! " + warning.message)

    pdf.heading(tables["tren"].title)
    pdf.line_chart(
        [f"{p.month:%m/%y}" for p in board.series],
        [p.covered for p in board.series],
        _("Pekerja terlindungi pada akhir setiap bulan."),
    )
    pdf.table_of(tables["tren"])

    for key in ("kategori", "jenis_kelamin"):
        # Ten columns do not fit a portrait page: coverage first, then places and premiums.
        pdf.heading(tables[key].title)
        pdf.table_of(_columns(tables[key], (0, 1, 2, 3, 4, 5, 6)))
        pdf.table_of(_columns(tables[key], (0, 7, 8, 9)))
        pdf.note(tables[key].note)
    for key in ("pendanaan", "retensi", "anggaran"):
        pdf.heading(tables[key].title)
        pdf.table_of(tables[key])
    for key in ("retensi_program", "retensi_agen"):
        table = tables[key]
        if not table.rows:
            continue
        # Ten columns: the one-month and three-month figures, then the six-month ones.
        pdf.heading(table.title)
        pdf.table_of(_columns(table, (0, 1, 2, 3, 4, 5, 6)))
        pdf.table_of(_columns(table, (0, 7, 8, 9)))
        pdf.note(table.note)

    for key in ("klaim_program", "klaim_dana", "klaim_desa"):
        if key in tables:
            pdf.heading(tables[key].title)
            pdf.table_of(tables[key], limit=400)
        if key == "klaim_desa" and key in tables:
            pdf.note(tables[key].note)
    if "corong_verifikasi" in tables:
        pdf.heading(tables["corong_verifikasi"].title)
        pdf.table_of(tables["corong_verifikasi"], limit=400)
        pdf.note(tables["corong_verifikasi"].note)
    for key in (*FORMAL_KEYS, "wilayah", "kecamatan", "desa"):
        if key in tables:
            pdf.heading(tables[key].title)
            pdf.table_of(tables[key], limit=400)
    return bytes(pdf.output())
