"""The report as XLSX (``lindung.spreadsheets``: no text becomes a formula) and as PDF
(fpdf2 core fonts, like the dashboards' and billing's PDFs), with the letterhead and the
signature block filled from the form (blank fields print as a line to write on)."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from lindung.dashboards.report import BRAND, GREY, ReportPdf, latin1
from lindung.formatting import number, rupiah, tanggal
from lindung.reports.inpres import Report
from lindung.spreadsheets import XlsxBook


@dataclass
class Letterhead:
    office: str = ""  # e.g. PEMERINTAH KABUPATEN GIANYAR — DINAS TENAGA KERJA
    address: str = ""
    place: str = ""  # where the report is signed
    signer: str = ""
    position: str = ""
    nip: str = ""

    @classmethod
    def from_query(cls, data) -> "Letterhead":
        def get(name, limit=150):
            return " ".join(str(data.get(name) or "").split())[:limit]

        return cls(get("kantor"), get("alamat", 250), get("tempat", 80), get("penandatangan"),
                   get("jabatan"), get("nip", 30))  # fmt: skip


def _cell(value, money: bool) -> str:
    if value is None:
        return _("tidak tersedia")
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, int):
        return rupiah(value) if money else number(value)
    if hasattr(value, "strftime"):
        return tanggal(value)
    return str(value)


def _money_columns(header: list[str]) -> set[int]:
    words = ("Pagu", "Ditagih", "Dibayar", "Manfaat", "Iuran")
    return {i for i, h in enumerate(header) if any(str(h).startswith(w) for w in words)}


def xlsx(report: Report) -> bytes:
    buffer = io.BytesIO()
    book = XlsxBook(buffer)
    header = [_("Bagian"), _("Angka"), _("Nilai"), _("Satuan"), _("Sumber / keterangan")]
    figures = book.sheet(_("Ringkasan"), header, [34, 48, 18, 10, 60])
    figures.append([report.title])
    figures.append([_("Periode"), f"{tanggal(report.start)} – {tanggal(report.end)}",
                    "", "", _("angka per %(date)s") % {"date": tanggal(report.as_of)}])  # fmt: skip
    for section in report.sections:
        for f in section.figures:
            if f.missing:
                figures.append([section.title, f.label, "", "", f.shown])
            elif f.kind == "percent":
                figures.append([section.title, f.label, f.value / 100, "%", f.source])
            elif f.kind == "text":
                figures.append([section.title, f.label, f.text, "", f.source])
            else:
                unit = "Rp" if f.kind == "rupiah" else ""
                figures.append([section.title, f.label, f.value, unit, f.source],
                               money={2} if f.kind == "rupiah" else frozenset())  # fmt: skip
    for section in report.sections:
        if not section.rows:
            continue
        sheet = book.sheet(section.title[:31], [str(h) for h in section.header])
        money = _money_columns(section.header)
        for row in section.rows:
            sheet.append(row, money=money)
        if section.note:
            sheet.append([section.note])
    book.close()
    return buffer.getvalue()


class _Pdf(ReportPdf):
    def __init__(self, title: str):
        super().__init__(title, margin=18)

    def line_of(self, text: str, size=9, style="", height=5, align="L"):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, height, latin1(text), align=align, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)  # fmt: skip


def pdf(report: Report, letterhead: Letterhead) -> bytes:
    doc = _Pdf(report.title)
    doc.alias_nb_pages()
    doc.add_page()
    blank = "." * 40
    doc.line_of((letterhead.office or blank).upper(), 12, "B", 6, "C")
    if letterhead.address:
        doc.line_of(letterhead.address, 8, "", 4, "C")
    doc.set_draw_color(*BRAND)
    doc.set_line_width(0.6)
    doc.line(18, doc.get_y() + 1, 192, doc.get_y() + 1)
    doc.ln(4)
    doc.line_of(report.title, 12, "B", 6, "C")
    doc.line_of(_("Periode %(start)s s.d. %(end)s; angka per %(date)s") % {
        "start": tanggal(report.start), "end": tanggal(report.end),
        "date": tanggal(report.as_of)}, 9, "", 5, "C")  # fmt: skip
    for section in report.sections:
        if doc.get_y() > 250:
            doc.add_page()
        doc.ln(2)
        doc.set_text_color(*BRAND)
        doc.line_of(section.title, 11, "B", 6)
        doc.set_text_color(0, 0, 0)
        for f in section.figures:
            doc.set_font("Helvetica", "", 9)
            doc.cell(95, 5, latin1(f.label))
            doc.set_font("Helvetica", "B" if not f.missing else "I", 9)
            doc.cell(0, 5, latin1(f.shown), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if f.source and not f.missing:
                doc.set_text_color(*GREY)
                doc.line_of(f"   {_('sumber')}: {f.source}", 7, "", 3.5)
                doc.set_text_color(0, 0, 0)
        if section.rows:
            money = _money_columns(section.header)
            with doc.table(text_align="LEFT", line_height=4.5) as table:
                doc.set_font("Helvetica", "", 8)
                head = table.row()
                for title in section.header:
                    head.cell(latin1(title))
                for values in section.rows:
                    row = table.row()
                    for i, value in enumerate(values):
                        row.cell(latin1(_cell(value, i in money)))
        if section.note:
            doc.set_text_color(*GREY)
            doc.line_of(section.note, 8, "I", 4)
            doc.set_text_color(0, 0, 0)
    if doc.get_y() > 230:
        doc.add_page()
    doc.ln(8)
    x = 120
    doc.set_x(x)
    doc.set_font("Helvetica", "", 9)
    place = letterhead.place or blank[:20]
    doc.multi_cell(0, 5, latin1(f"{place}, {blank[:20]}\n{letterhead.position or blank}"),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    doc.ln(18)
    doc.set_x(x)
    doc.set_font("Helvetica", "BU", 9)
    doc.multi_cell(0, 5, latin1(letterhead.signer or blank), new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)  # fmt: skip
    doc.set_x(x)
    doc.set_font("Helvetica", "", 9)
    doc.multi_cell(0, 5, latin1(f"NIP {letterhead.nip or blank[:25]}"), new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)  # fmt: skip
    return bytes(doc.output())
