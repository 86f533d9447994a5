"""Fee statements as XLSX and PDF, and the reconciliation's differences as XLSX. Every
figure comes with what it is made of: participant, contribution month, base, rate, rule."""

import io

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from lindung.billing.reports import latin
from lindung.billing.terbilang import rupiah_words
from lindung.formatting import rupiah, tanggal
from lindung.selfpay import selectors
from lindung.selfpay.models import FeeLine, FeeStatement
from lindung.spreadsheets import Workbook


def statement_title(statement: FeeStatement) -> str:
    who = statement.agent.full_name if statement.agent_id else statement.organisation.name
    return _("Rekap imbal jasa %(who)s, bulan %(month)s") % {
        "who": who,
        "month": f"{statement.month:%m/%Y}",
    }


def _percent(bp: int) -> str:
    return f"{bp / 100:g}%".replace(".", ",") if bp else ""


def line_row(line: FeeLine) -> tuple:
    """(kind, who, contribution month, month number, base, rate, amount, correction)."""
    if line.source_statement_id:
        who = line.source_statement.agent.full_name
    else:
        who = line.person.full_name if line.person_id else ""
    month = f"{line.contribution_month:%m/%Y}" if line.contribution_month else ""
    return (
        str(FeeLine.Kind(line.kind).label),
        who,
        month,
        line.month_number or "",
        line.base,
        _percent(line.rate_bp),
        line.amount,
        _("koreksi") if line.correction else "",
    )


def _headers() -> list[str]:
    return [_("Jenis"), _("Peserta / agen"), _("Bulan iuran"), _("Bulan ke-"),
            _("Dasar (Rp)"), _("Persen"), _("Imbal jasa (Rp)"), _("Catatan")]  # fmt: skip


def statement_xlsx(statement: FeeStatement) -> bytes:
    output = io.BytesIO()
    book = Workbook(output)
    sheet = book.add_worksheet(_("Imbal jasa"))
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    money = book.add_format({"num_format": '"Rp" #,##0;-"Rp" #,##0', "border": 1})
    cell = book.add_format({"border": 1})
    sheet.write(0, 0, statement_title(statement), bold)
    rows = [
        (_("Aturan"), f"{statement.rule.name} ({statement.rule.legal_basis})"),
        (_("Status"), str(FeeStatement.Status(statement.status).label)),
        (_("Jatuh tempo"), tanggal(statement.due_on)),
        (_("Jumlah"), rupiah(statement.total)),
    ]
    for index, (label, value) in enumerate(rows, start=1):
        sheet.write(index, 0, label, bold)
        sheet.write(index, 1, value)
    sheet.write_row(6, 0, _headers(), head)
    row = 7
    for line in selectors.statement_lines(statement):
        for col, value in enumerate(line_row(line)):
            sheet.write(row, col, value, money if col in (4, 6) else cell)
        row += 1
    sheet.set_column(0, 1, 28)
    sheet.set_column(2, 7, 14)
    book.close()
    return output.getvalue()


def statement_pdf(statement: FeeStatement) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, latin(statement_title(statement)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    for text in [
        f"{_('Aturan')}: {statement.rule.name} ({statement.rule.legal_basis})",
        f"{_('Status')}: {FeeStatement.Status(statement.status).label}"
        f" - {_('Jatuh tempo')}: {tanggal(statement.due_on)}",
    ]:
        pdf.multi_cell(0, 5, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    widths = [42, 70, 22, 18, 30, 18, 32, 25]
    pdf.set_font("Helvetica", "B", 8)
    for header, width in zip(_headers(), widths, strict=True):
        pdf.cell(width, 6, latin(header), border=1, align="C")
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    for line in selectors.statement_lines(statement):
        values = list(line_row(line))
        values[4], values[6] = rupiah(values[4]), rupiah(values[6])
        for index, (value, width) in enumerate(zip(values, widths, strict=True)):
            align = "R" if index in (3, 4, 5, 6) else "L"
            pdf.cell(width, 5, latin(str(value))[:60], border=1, align=align)
        pdf.ln()
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(sum(widths[:6]), 6, latin(_("JUMLAH")), border=1)
    pdf.cell(widths[6], 6, latin(rupiah(statement.total)), border=1, align="R")
    pdf.ln(8)
    pdf.set_font("Helvetica", "I", 9)
    words = _("Terbilang: %(words)s") % {"words": rupiah_words(max(statement.total, 0))}
    pdf.multi_cell(0, 5, latin(words), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def differences_xlsx(found) -> bytes:
    output = io.BytesIO()
    book = Workbook(output)
    sheet = book.add_worksheet(_("Selisih"))
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    money = book.add_format({"num_format": '"Rp" #,##0', "border": 1})
    text = book.add_format({"border": 1, "num_format": "@"})
    headers = ["KPJ", _("Bulan"), _("Nama"), _("Desa"), _("Selisih"),
               _("Diterima agen (Rp)"), _("Rekening koran BPJS (Rp)")]  # fmt: skip
    sheet.write_row(0, 0, headers, head)
    for row, d in enumerate(found, start=1):
        sheet.write_string(row, 0, d.kpj, text)
        sheet.write(row, 1, f"{d.month:%m/%Y}", text)
        sheet.write(row, 2, d.full_name, text)
        sheet.write(row, 3, d.village_id, text)
        sheet.write(row, 4, d.label, text)
        sheet.write(row, 5, d.collected if d.collected is not None else "", money)
        sheet.write(row, 6, d.at_insurer if d.at_insurer is not None else "", money)
    sheet.set_column(0, 6, 18)
    book.close()
    return output.getvalue()
