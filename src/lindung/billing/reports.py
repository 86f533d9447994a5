"""The bill and the budget realisation as XLSX and PDF (fpdf2), fit to sign.

Both carry the program, the funder, the period, a recap per village, the total in
figures and in words, and a signature block; the bill's XLSX adds every line. Figures
come from the selectors (already scoped to the user), never computed here.
"""

import datetime as dt
import io

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from lindung.billing.models import STATUS_LABELS, Bill
from lindung.billing.selectors import (
    WARNING_PERCENT,
    Realisation,
    bill_lines,
    payments_of,
    village_totals,
)
from lindung.billing.terbilang import rupiah_words
from lindung.formatting import number, rupiah, tanggal
from lindung.pdf_columns import clip, fit_widths
from lindung.people import visibility
from lindung.spreadsheets import Workbook

TITLE_BILL = "TAGIHAN IURAN JAMINAN SOSIAL KETENAGAKERJAAN"
TITLE_REALISATION = "LAPORAN REALISASI ANGGARAN IURAN JAMINAN SOSIAL KETENAGAKERJAAN"


def _place(program) -> str:
    area = program.area
    name = area.display_name if area is not None else ""
    return name.removeprefix("Kab. ").removeprefix("Kota ").title() or "…"


def _month_label(month: dt.date) -> str:
    names = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]  # fmt: skip
    return f"{names[month.month - 1]} {month.year}"


def file_stem(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def _funder(program) -> str:
    label = program.get_funder_display()
    return f"{label} — {program.funder_name}" if program.funder_name else str(label)


# --- XLSX ----------------------------------------------------------------------------------


class _Sheet:
    """A little writer over the safe workbook that keeps the row cursor and the formats.

    Text such as a payment's reference is typed by people: the workbook writes it as text,
    never as a formula."""

    def __init__(self, book, name: str):
        self.book, self.ws, self.row = book, book.add_worksheet(name), 0
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1,
                                     "text_wrap": True, "valign": "top"})  # fmt: skip
        self.money = book.add_format({"num_format": '"Rp" #,##0;-"Rp" #,##0', "border": 1})
        self.money_bold = book.add_format(
            {"num_format": '"Rp" #,##0;-"Rp" #,##0', "bold": True, "border": 1}
        )
        self.int = book.add_format({"num_format": "#,##0", "border": 1})
        self.cell = book.add_format({"border": 1})
        self.date = book.add_format({"num_format": "dd/mm/yyyy", "border": 1})

    def line(self, *values, fmt=None):
        for col, value in enumerate(values):
            self.ws.write(self.row, col, value, fmt)
        self.row += 1

    def pair(self, label, value):
        self.ws.write(self.row, 0, label, self.bold)
        self.ws.write(self.row, 1, value)
        self.row += 1

    def table(self, headers, rows, formats):
        self.ws.write_row(self.row, 0, headers, self.head)
        self.row += 1
        for values in rows:
            for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
                if isinstance(value, dt.date):
                    self.ws.write_datetime(self.row, col, dt.datetime.combine(value, dt.time()),
                                           self.date)  # fmt: skip
                else:
                    self.ws.write(self.row, col, value, getattr(self, fmt))
            self.row += 1

    def signatures(self, program, today, prepared_by: str):
        self.row += 1
        self.ws.write(self.row, 4, f"{_place(program)}, {tanggal(today)}")
        self.row += 1
        self.ws.write(self.row, 0, _("Disiapkan oleh,"))
        self.ws.write(self.row, 4, _("Mengetahui,"))
        self.row += 4
        self.ws.write(self.row, 0, f"( {prepared_by} )")
        self.ws.write(self.row, 4, "( ................................ )")
        self.row += 1
        self.ws.write(self.row, 4, "NIP ................................")
        self.row += 1


def bill_xlsx(user, bill: Bill, today: dt.date) -> bytes:
    out = io.BytesIO()
    book = Workbook(out, {"in_memory": True})
    sheet = _Sheet(book, "Tagihan")
    program = bill.program
    sheet.line(TITLE_BILL, fmt=sheet.title)
    sheet.row += 1
    sheet.pair(_("Nomor"), bill.number)
    sheet.pair(_("Program"), program.name)
    sheet.pair(_("Pembayar"), _funder(program))
    if bill.village_code:
        sheet.pair(_("Desa"), bill.village_code)
    sheet.pair(_("Bulan tagihan"), _month_label(bill.month))
    sheet.pair(_("Paket"), program.benefits_label)
    sheet.pair(_("Jatuh tempo"), tanggal(bill.due_date))
    sheet.pair(_("Status"), str(STATUS_LABELS[bill.status(today)]))
    sheet.row += 1
    totals = list(village_totals(user, bill))
    rows = [
        (i, t.village.display_name if t.village else t.village_id,
         t.village.parent.display_name if t.village and t.village.parent else "",
         t.people, t.lines, t.jkk, t.jkm, t.jht, t.amount)
        for i, t in enumerate(totals, 1)
    ]  # fmt: skip
    sheet.table(
        ["No", _("Desa/Kelurahan"), _("Kecamatan"), _("Peserta bulan ini"), _("Baris"), "JKK",
         "JKM", "JHT", _("Jumlah")],
        rows,
        ["int", "cell", "cell", "int", "int", "money", "money", "money", "money"],
    )  # fmt: skip
    sheet.ws.write(sheet.row, 7, _("JUMLAH"), sheet.head)
    sheet.ws.write(sheet.row, 8, sum(t.amount for t in totals), sheet.money_bold)
    sheet.row += 1
    if len(totals) and sum(t.amount for t in totals) != bill.amount:
        sheet.line(_("Jumlah seluruh tagihan (semua desa):"), rupiah(bill.amount))
    sheet.line(_("Terbilang: %(words)s") % {"words": rupiah_words(bill.amount)})
    payments = list(payments_of(bill))
    if payments:
        sheet.row += 1
        sheet.table(
            [_("Tanggal bayar"), _("Referensi"), _("Jumlah")],
            [(p.paid_on, p.reference, p.amount) for p in payments],
            ["date", "cell", "money"],
        )
        sheet.line(_("Sisa tagihan"), rupiah(bill.outstanding))
    sheet.signatures(program, today, _prepared_by(user))
    sheet.ws.set_column(0, 0, 16)
    sheet.ws.set_column(1, 2, 26)
    sheet.ws.set_column(3, 8, 15)

    detail = _Sheet(book, "Rincian")
    detail.line(_("Rincian tagihan %(number)s") % {"number": bill.number}, fmt=detail.title)
    lines = (
        (i, visibility.nik(user, nik), name, kpj, village, month, kind,
         jkk, jkm, jht, amount)
        for i, (nik, name, kpj, village, month, kind, jkk, jkm, jht, amount) in enumerate(
            bill_lines(user, bill).values_list(
                "enrollment__person__nik", "enrollment__person__full_name", "enrollment__kpj",
                "village__name", "covered_month", "kind", "jkk", "jkm", "jht", "amount",
            ).iterator(chunk_size=5000),
            1,
        )
    )  # fmt: skip
    detail.table(
        ["No", "NIK", _("Nama"), "KPJ", _("Desa"), _("Bulan iuran"), _("Jenis"), "JKK", "JKM",
         "JHT", _("Jumlah")],
        lines,
        ["int", "cell", "cell", "cell", "cell", "date", "cell", "money", "money", "money",
         "money"],
    )  # fmt: skip
    detail.ws.set_column(0, 0, 7)
    detail.ws.set_column(1, 4, 20)
    detail.ws.set_column(5, 10, 13)
    book.close()
    return out.getvalue()


def _prepared_by(user) -> str:
    if user is None:
        return "................................"
    return user.get_full_name() or user.username


def realisation_xlsx(user, real: Realisation, today: dt.date) -> bytes:
    out = io.BytesIO()
    book = Workbook(out, {"in_memory": True})
    sheet = _Sheet(book, "Realisasi")
    program, total = real.program, real.total
    sheet.line(TITLE_REALISATION, fmt=sheet.title)
    sheet.row += 1
    sheet.pair(_("Program"), program.name)
    sheet.pair(_("Pemberi dana"), real.funder_label)
    sheet.pair(_("Keadaan per"), tanggal(real.as_of))
    sheet.row += 1
    sheet.table(
        [_("Uraian"), _("Jumlah"), _("% pagu")],
        _figure_rows(total),
        ["cell", "money", "cell"],
    )
    if (warning := warning_text(real)) is not None:
        sheet.line(warning, fmt=sheet.bold)
    if real.by_month:
        sheet.row += 1
        sheet.table(
            [_("Bulan"), _("Ditagih"), _("Dibayar")],
            [(_month_label(m), b, p) for m, b, p in real.by_month],
            ["cell", "money", "money"],
        )
    if real.villages:
        sheet.row += 1
        sheet.table(
            [_("Desa/Kelurahan"), _("Kecamatan"), _("Anggaran desa"), _("Terikat"), _("Ditagih"),
             _("Dibayar")],
            [(v.village_name, v.district_name, v.allocated if v.allocated is not None else "–",
              v.committed, v.billed, v.paid) for v in real.villages],
            ["cell", "cell", "money", "money", "money", "money"],
        )  # fmt: skip
    sheet.signatures(program, today, _prepared_by(user))
    sheet.ws.set_column(0, 1, 30)
    sheet.ws.set_column(2, 6, 18)
    book.close()
    return out.getvalue()


def _figure_rows(f) -> list[tuple]:
    def pct(value):
        return f"{value}%" if value is not None else "–"

    return [
        (_("Pagu anggaran"), f.allocated or 0, "100%" if f.allocated else "–"),
        (_("Terikat (iuran semua bulan dibiayai)"), f.committed, pct(f.committed_percent)),
        (_("Ditagih"), f.billed, pct(f.billed_percent)),
        (_("Dibayar"), f.paid, pct(f.paid_percent)),
        (_("Sisa pagu (pagu − terikat)"), f.remaining or 0, ""),
        (_("Ditagih belum dibayar"), f.outstanding, ""),
    ]


def warning_text(real: Realisation) -> str | None:
    level = real.total.level
    if level == "over":
        return _("MELEBIHI PAGU: iuran terikat atau ditagih lebih besar dari pagu anggaran.")
    if level == "warning":
        return _(
            "PERINGATAN: iuran terikat atau ditagih telah mencapai %(pct)s%% dari pagu anggaran "
            "(batas peringatan %(limit)s%%)."
        ) % {"pct": real.total.used_percent, "limit": WARNING_PERCENT}
    return None


# --- PDF -----------------------------------------------------------------------------------

_LATIN = str.maketrans({"–": "-", "—": "-", "−": "-", "…": "...", "’": "'", "“": '"', "”": '"'})


def latin(text) -> str:
    """Core PDF fonts speak Latin-1: dashes and quotes become their plain forms."""
    return str(text).translate(_LATIN).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, latin(f"{self.doc_title} - {_('halaman')} {self.page_no()}"), align="C")

    def heading(self, text: str):
        self.set_font("Helvetica", "B", 12)
        self.multi_cell(0, 6, latin(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def pairs(self, rows):
        for label, value in rows:
            self.set_font("Helvetica", "B", 9)
            self.cell(40, 5.5, latin(label))
            self.set_font("Helvetica", size=9)
            self.multi_cell(0, 5.5, latin(f": {value}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def grid(self, headers, rows, widths, aligns, total=None):
        """A table of fixed-height cells; the right-aligned (numeric) columns are widened
        to their widest amount (``pdf_columns.fit_widths``) so that no number is cut."""
        rows = [[latin(v) for v in values] for values in rows]
        total = [latin(v) for v in total] if total is not None else None
        self.set_font("Helvetica", "B", 8)  # the widest font of the table: totals are bold
        numeric = [align == "R" for align in aligns]
        widths = fit_widths(
            self, widths, rows + ([total] if total else []), numeric, total=sum(widths)
        )
        self.set_fill_color(232, 238, 244)
        for header, width in zip(headers, widths, strict=True):
            self.cell(width, 6, clip(self, latin(header), width), border=1, fill=True, align="C")
        self.ln()
        self.set_font("Helvetica", size=8)
        for values in rows:
            if self.will_page_break(5.5):
                self.add_page()
            for value, width, align, number_ in zip(values, widths, aligns, numeric, strict=True):
                text = value if number_ else clip(self, value, width)
                self.cell(width, 5.5, text, border=1, align=align)
            self.ln()
        if total is not None:
            self.set_font("Helvetica", "B", 8)
            for value, width, align, number_ in zip(total, widths, aligns, numeric, strict=True):
                text = value if number_ else clip(self, value, width)
                self.cell(width, 6, text, border=1, align=align)
            self.ln()
        self.ln(2)

    def words(self, amount: int, label: str = ""):
        self.set_font("Helvetica", "I", 9)
        text = _("Terbilang: %(words)s") % {"words": rupiah_words(amount)}
        self.multi_cell(0, 5, latin(f"{label} {text}".strip()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def signatures(self, program, today, prepared_by: str):
        if self.will_page_break(40):
            self.add_page()
        self.set_font("Helvetica", size=9)
        self.ln(4)
        half = (self.w - 30) / 2
        self.cell(half, 5, "")
        self.cell(half, 5, latin(f"{_place(program)}, {tanggal(today)}"), align="C")
        self.ln()
        self.cell(half, 5, latin(_("Disiapkan oleh,")), align="C")
        self.cell(half, 5, latin(_("Mengetahui,")), align="C")
        self.ln(22)
        self.cell(half, 5, latin(f"( {prepared_by} )"), align="C")
        self.cell(half, 5, "( ................................ )", align="C")
        self.ln()
        self.cell(half, 5, "")
        self.cell(half, 5, "NIP ................................", align="C")
        self.ln()


def bill_pdf(user, bill: Bill, today: dt.date) -> bytes:
    program = bill.program
    pdf = _Pdf(TITLE_BILL)
    pdf.heading(TITLE_BILL)
    rows = [
        (_("Nomor"), bill.number),
        (_("Program"), program.name),
        (_("Pembayar"), _funder(program)),
        (_("Bulan tagihan"), _month_label(bill.month)),
        (_("Paket"), program.benefits_label),
        (_("Jatuh tempo"), tanggal(bill.due_date)),
        (_("Status"), str(STATUS_LABELS[bill.status(today)])),
    ]
    if bill.village_code:
        rows.insert(3, (_("Desa"), bill.village_code))
    pdf.pairs(rows)
    totals = list(village_totals(user, bill))
    pdf.grid(
        ["No", _("Desa/Kelurahan"), _("Kecamatan"), _("Peserta"), "JKK", "JKM", _("Jumlah")],
        [
            (str(i), t.village.display_name if t.village else t.village_id,
             t.village.parent.display_name if t.village and t.village.parent else "",
             number(t.people), rupiah(t.jkk), rupiah(t.jkm), rupiah(t.amount))
            for i, t in enumerate(totals, 1)
        ],
        [9, 42, 34, 16, 27, 27, 25],
        ["R", "L", "L", "R", "R", "R", "R"],
        total=("", _("JUMLAH"), "", number(sum(t.people for t in totals)),
               rupiah(sum(t.jkk for t in totals)), rupiah(sum(t.jkm for t in totals)),
               rupiah(sum(t.amount for t in totals))),
    )  # fmt: skip
    pdf.words(bill.amount)
    payments = list(payments_of(bill))
    if payments:
        pdf.grid(
            [_("Tanggal bayar"), _("Referensi"), _("Jumlah")],
            [(tanggal(p.paid_on), p.reference, rupiah(p.amount)) for p in payments],
            [35, 90, 55],
            ["L", "L", "R"],
            total=(_("Sisa tagihan"), "", rupiah(bill.outstanding)),
        )
    pdf.signatures(program, today, _prepared_by(user))
    return bytes(pdf.output())


def realisation_pdf(user, real: Realisation, today: dt.date) -> bytes:
    program = real.program
    pdf = _Pdf(TITLE_REALISATION)
    pdf.heading(TITLE_REALISATION)
    pdf.pairs(
        [
            (_("Program"), program.name),
            (_("Pemberi dana"), real.funder_label),
            (_("Keadaan per"), tanggal(real.as_of)),
        ]
    )
    pdf.grid(
        [_("Uraian"), _("Jumlah"), _("% pagu")],
        [(label, rupiah(value), pct) for label, value, pct in _figure_rows(real.total)],
        [100, 50, 30],
        ["L", "R", "R"],
    )
    if (warning := warning_text(real)) is not None:
        pdf.set_font("Helvetica", "B", 9)
        pdf.multi_cell(0, 5, latin(warning), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    if real.by_month:
        pdf.grid(
            [_("Bulan"), _("Ditagih"), _("Dibayar")],
            [(_month_label(m), rupiah(b), rupiah(p)) for m, b, p in real.by_month],
            [60, 60, 60],
            ["L", "R", "R"],
        )
    if real.villages:
        pdf.grid(
            [_("Desa/Kelurahan"), _("Kecamatan"), _("Terikat"), _("Ditagih"), _("Dibayar")],
            [(v.village_name, v.district_name, rupiah(v.committed), rupiah(v.billed),
              rupiah(v.paid)) for v in real.villages],
            [44, 36, 34, 34, 32],
            ["L", "L", "R", "R", "R"],
        )  # fmt: skip
    pdf.words(real.total.paid, _("Dibayar s.d. tanggal ini."))
    pdf.signatures(program, today, _prepared_by(user))
    return bytes(pdf.output())
