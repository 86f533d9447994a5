"""The receipt of a collection as a PDF (fpdf2): A6 to print, or a narrow phone page to
share in a chat; with the months, the rule that priced each, and the amount in words."""

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from lindung.billing.reports import latin
from lindung.billing.terbilang import rupiah_words
from lindung.formatting import rupiah, tanggal
from lindung.people.nik import mask_nik
from lindung.selfpay.models import Collection, Method

# Page sizes in millimetres: A6 portrait, and a phone screen (9:19.5) whose text stays
# readable without zooming when the PDF is opened full-width.
SIZES = {"a6": (105, 148), "phone": (72, 156)}


def receipt_pdf(collection: Collection, size: str = "a6") -> bytes:
    width, height = SIZES[size]
    pdf = FPDF(orientation="P", unit="mm", format=(width, height))
    margin = 6 if size == "a6" else 4
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(auto=True, margin=margin)
    pdf.add_page()
    inner = width - 2 * margin

    def line(text, style="", font=8, align="L", height=4.2):
        pdf.set_font("Helvetica", style, font)
        pdf.multi_cell(inner, height, latin(text), align=align,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip

    line(_("KUITANSI IURAN MANDIRI"), "B", 10, "C", 5)
    line(_("BPJS Ketenagakerjaan - peserta bukan penerima upah"), "", 7, "C")
    pdf.ln(2)
    person = collection.person
    collector = collection.agent.full_name if collection.agent_id else (
        collection.collected_by.get_full_name() or collection.collected_by.username
        if collection.collected_by_id else "-"
    )  # fmt: skip
    for label, value in [
        (_("Nomor"), collection.number),
        (_("Tanggal"), tanggal(collection.paid_on)),
        (_("Nama"), person.full_name),
        ("NIK", mask_nik(person.nik)),
        ("KPJ", collection.enrollment.kpj or "-"),
        (_("Cara bayar"), str(Method(collection.method).label)),
        (_("Diterima oleh"), collector),
    ]:
        line(f"{label}: {value}")
    pdf.ln(1.5)
    pdf.set_font("Helvetica", "B", 8)
    month_width = inner * 0.35
    pdf.cell(month_width, 5, latin(_("Bulan")), border="B")
    pdf.cell(inner - month_width, 5, latin(_("Iuran")), border="B", align="R")
    pdf.ln()
    for item in collection.lines.order_by("month"):
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(month_width, 4.5, f"{item.month:%m/%Y}")
        pdf.cell(inner - month_width, 4.5, latin(rupiah(item.amount)), align="R")
        pdf.ln()
        line(item.rule_label, "I", 6, height=3)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(month_width, 6, latin(_("JUMLAH")), border="T")
    pdf.cell(inner - month_width, 6, latin(rupiah(collection.total)), border="T", align="R")
    pdf.ln()
    line(_("Terbilang: %(words)s") % {"words": rupiah_words(collection.total)}, "I", 7)
    pdf.ln(2)
    line(_("Simpan kuitansi ini sebagai bukti pembayaran iuran."), "", 6, "C", 3)
    return bytes(pdf.output())
