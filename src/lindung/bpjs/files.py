"""The files themselves: the registration workbook we send, the answer file we read back.

Layouts are documented in ``docs/bpjs-files.md``. The workbooks come from
``lindung.spreadsheets``: every text cell is written as text, so a value starting with
``=`` is never run as a formula and a NIK is never turned into a number.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lindung.formatting import rupiah, tanggal
from lindung.people import nik as nik_rules
from lindung.programs.models import add_months
from lindung.refusals import Refusal
from lindung.spreadsheets import Workbook
from lindung.uploads import UPLOAD_MESSAGES, inspect

REGISTRATION_COLUMNS = [
    ("NO", 6),
    ("NIK", 20),
    ("NAMA_LENGKAP", 28),
    ("TEMPAT_LAHIR", 16),
    ("TANGGAL_LAHIR", 14),
    ("JENIS_KELAMIN", 8),
    ("NAMA_IBU_KANDUNG", 24),
    ("ALAMAT", 28),
    ("KODE_DESA", 15),
    ("DESA_KELURAHAN", 20),
    ("KECAMATAN", 18),
    ("KABUPATEN_KOTA", 18),
    ("JENIS_PEKERJAAN", 20),
    ("LOKASI_KERJA", 20),
    ("PENGHASILAN", 14),
    ("PROGRAM", 14),
    ("PERIODE_MULAI", 14),
    ("PERIODE_SELESAI", 14),
    ("JUMLAH_BULAN", 8),
    ("NO_HP", 16),
    ("KODE_PENDANAAN", 10),
]

ANSWER_COLUMNS = ["NIK", "NAMA_LENGKAP", "NO_KPJ", "STATUS", "TGL_EFEKTIF", "KETERANGAN"]

# Header spellings accepted in an answer file, after lower-casing and dropping spaces/_/.
ANSWER_ALIASES = {
    "nik": "nik",
    "noktp": "nik",
    "nomorinduk": "nik",
    "nokpj": "kpj",
    "kpj": "kpj",
    "nomorkpj": "kpj",
    "nopeserta": "kpj",
    "status": "status",
    "statuskepesertaan": "status",
    "hasil": "status",
    "tglefektif": "effective_date",
    "tanggalefektif": "effective_date",
    "tmt": "effective_date",
    "effectivedate": "effective_date",
    "keterangan": "reason",
    "alasan": "reason",
    "reason": "reason",
    "catatan": "reason",
}

ACCEPTED_WORDS = {"diterima", "terima", "accepted", "accept", "ok", "sukses", "berhasil", "aktif"}
REJECTED_WORDS = {"ditolak", "tolak", "rejected", "reject", "gagal"}

ROW_MESSAGES = {
    "nik_invalid": _("NIK harus 16 angka: periksa sel NIK (format Teks, bukan angka)."),
    "status_invalid": _("STATUS harus DITERIMA atau DITOLAK."),
    "kpj_invalid": _("NO_KPJ wajib untuk peserta diterima: 8 sampai 20 angka."),
    "kpj_taken": _(
        "NO_KPJ %(kpj)s sudah milik pekerja lain (NIK %(holder)s): satu KPJ hanya untuk satu "
        "orang. Tanyakan nomor yang benar ke BPJS, lalu impor baris ini lagi."
    ),
    "effective_date_invalid": _(
        "TGL_EFEKTIF wajib untuk peserta diterima, dengan format 19/02/2024."
    ),
    "duplicate_in_file": _("NIK ini sudah ada di baris sebelumnya: baris ini dilewati."),
    "unknown_nik": _(
        "NIK ini tidak ada di pengajuan program ini (atau di luar wilayah Anda): tidak diubah."
    ),
    "answer_conflict": _(
        "Jawaban ini bertentangan dengan status sekarang (%(state)s): tidak diubah, periksa "
        "dengan BPJS."
    ),
}

FILE_MESSAGES = {
    **UPLOAD_MESSAGES,
    "file_unreadable": _(
        "Berkas tidak dapat dibaca: unggah XLSX atau CSV (UTF-8, pemisah koma atau titik koma)."
    ),
    "column_missing": _(
        "Kolom wajib tidak ada: %(columns)s. Baris pertama harus berisi judul kolom "
        "NIK, NO_KPJ, STATUS, TGL_EFEKTIF, KETERANGAN."
    ),
    "file_empty": _("Berkas tidak berisi satu baris jawaban pun."),
}


class AnswerFileInvalid(Refusal):
    messages = FILE_MESSAGES


@dataclass
class AnswerRow:
    row: int  # the row number as the spreadsheet shows it (header = 1)
    nik: str
    status: str  # "accepted", "rejected" or the raw text when unknown
    kpj: str
    effective_date: dt.date | None
    reason: str


# --- out: the registration workbook --------------------------------------------------------


def _sheet_formats(book):
    return {
        "head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "text": book.add_format({"num_format": "@"}),
        "money": book.add_format({"num_format": "#,##0"}),
        "title": book.add_format({"bold": True, "font_size": 13}),
    }


def registration_workbook(batch, entries, *, program, generated_at: dt.datetime) -> bytes:
    """The batch as XLSX: sheet ``PESERTA`` (one row per worker) and ``BERITA_ACARA``."""
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True})
    fmt = _sheet_formats(book)
    sheet = book.add_worksheet("PESERTA")
    for col, (name, width) in enumerate(REGISTRATION_COLUMNS):
        sheet.write_string(0, col, name, fmt["head"])
        sheet.set_column(col, col, width, fmt["text"])
    sheet.freeze_panes(1, 0)
    benefits = "+".join(program.benefits)
    total_premium = 0
    for row, entry in enumerate(entries, start=1):
        enrollment = entry.enrollment
        person = enrollment.person
        village = enrollment.village
        district = village.parent
        regency = district.parent if district else None
        start = enrollment.first_month or enrollment.round.start_month
        months = enrollment.months or program.sponsored_months  # a late proposal: fewer
        end = add_months(start, months - 1)
        total_premium += enrollment.committed_premium
        values = [
            str(row),
            person.nik,
            person.full_name,
            person.birth_place,
            tanggal(person.birth_date),
            person.sex,
            person.mother_maiden_name,
            person.address,
            village.code,
            village.name,
            district.name if district else "",
            regency.name if regency else "",
            person.occupation_label,
            village.display_name,
            str(program.income_basis or person.declared_income),
            benefits,
            start.strftime("%m/%Y"),
            end.strftime("%m/%Y"),
            str(months),
            person.phone,
            program.funding_code,
        ]
        for col, value in enumerate(values):
            if col in (0, 14, 18):
                sheet.write_number(row, col, int(value), fmt["money"] if col == 14 else None)
            else:
                sheet.write_string(row, col, value or "")
    count = len(entries)
    if count:
        sheet.autofilter(0, 0, count, len(REGISTRATION_COLUMNS) - 1)

    summary = book.add_worksheet("BERITA_ACARA")
    summary.set_column(0, 0, 34)
    summary.set_column(1, 1, 60)
    summary.write_string(0, 0, "BERITA ACARA SERAH TERIMA DATA", fmt["title"])
    lines = [
        ("Program", program.name),
        ("Tahun", str(program.year)),
        ("Wilayah program", program.area.display_name),
        ("Pemberi dana", program.funder_name or program.get_funder_display()),
        ("Kode pendanaan (Wadah)", program.funding_code),
        ("Nomor batch", batch.label),
        ("Tanggal batch", tanggal(batch.created_at)),
        ("Dibuat oleh", str(batch.created_by or "-")),
        ("Jumlah peserta", str(count)),
        ("Program jaminan", benefits),
        ("Bulan dibiayai", str(program.sponsored_months)),
        ("Jumlah iuran terikat", rupiah(total_premium)),
        ("Berkas dibuat", generated_at.strftime("%d/%m/%Y %H:%M")),
    ]
    for i, (label, value) in enumerate(lines, start=2):
        summary.write_string(i, 0, label)
        summary.write_string(i, 1, value)
    base = len(lines) + 4
    summary.write_string(base, 0, "Yang menyerahkan,")
    summary.write_string(base, 1, "Yang menerima (BPJS Ketenagakerjaan),")
    summary.write_string(base + 4, 0, "(.................................)")
    summary.write_string(base + 4, 1, "(.................................)")
    book.close()
    return buffer.getvalue()


def answer_template(entries) -> bytes:
    """A sheet with the batch's NIKs and empty answer columns, for whoever types the answer in."""
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True})
    fmt = _sheet_formats(book)
    sheet = book.add_worksheet("JAWABAN")
    for col, name in enumerate(ANSWER_COLUMNS):
        sheet.write_string(0, col, name, fmt["head"])
        sheet.set_column(col, col, 22, fmt["text"])
    for row, entry in enumerate(entries, start=1):
        sheet.write_string(row, 0, entry.enrollment.person.nik)
        sheet.write_string(row, 1, entry.enrollment.person.full_name)
    book.close()
    return buffer.getvalue()


def write_answer(rows: list[dict]) -> bytes:
    """An answer file as the insurer would send it (tests and demos use this)."""
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("JAWABAN")
    for col, name in enumerate(ANSWER_COLUMNS):
        sheet.write_string(0, col, name)
    keys = ["nik", "name", "kpj", "status", "effective_date", "reason"]
    for row, data in enumerate(rows, start=1):
        for col, key in enumerate(keys):
            value = data.get(key, "")
            if isinstance(value, dt.date):
                value = value.strftime("%d/%m/%Y")
            sheet.write_string(row, col, str(value or ""))
    book.close()
    return buffer.getvalue()


# --- in: the insurer's answer ---------------------------------------------------------------


def _header_key(text) -> str:
    return re.sub(r"[\s_.\-/]+", "", str(text or "").strip().lower())


def _cells(content: bytes, file_name: str) -> list[list[str]]:
    """All rows of the first sheet (XLSX) or of the CSV, as text."""
    inspect(content, file_name, refuse=AnswerFileInvalid)
    if file_name.lower().endswith((".xlsx", ".xls")) or content[:2] == b"PK":
        try:
            import polars as pl

            frame = pl.read_excel(
                content, engine="calamine", infer_schema_length=0, has_header=False
            )
        except Exception as exc:  # a broken or foreign file: refuse it, never a 500
            raise AnswerFileInvalid("file_unreadable") from exc
        return [
            ["" if v is None else str(v).replace("\x00", "") for v in row]
            for row in frame.iter_rows()
        ]
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise AnswerFileInvalid("file_unreadable")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter))
    except csv.Error as exc:
        raise AnswerFileInvalid("file_unreadable") from exc


def parse_answer_date(value: str) -> dt.date | None:
    text = str(value or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    text = text.split(" ")[0].split("T")[0]
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _kpj(value: str) -> str:
    """The KPJ as digits; a number cell's ``.0`` tail is dropped."""
    text = re.sub(r"\.0+$", "", str(value or "").strip())
    return re.sub(r"[\s.\-]", "", text)


def _status(value: str) -> str:
    word = str(value or "").strip().lower()
    if word in ACCEPTED_WORDS:
        return "accepted"
    if word in REJECTED_WORDS:
        return "rejected"
    return word


def read_answer(content: bytes, file_name: str) -> list[AnswerRow]:
    """The rows of an answer file; refuses (``AnswerFileInvalid``) a file it cannot use."""
    rows = _cells(content, file_name)
    while rows and not any(str(c).strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise AnswerFileInvalid("file_empty")
    columns = {}
    for index, title in enumerate(rows[0]):
        key = ANSWER_ALIASES.get(_header_key(title))
        if key and key not in columns:
            columns[key] = index
    missing = [name for name in ("nik", "status") if name not in columns]
    if missing:
        labels = {"nik": "NIK", "status": "STATUS"}
        raise AnswerFileInvalid("column_missing", columns=", ".join(labels[m] for m in missing))

    def cell(row, key):
        index = columns.get(key)
        return str(row[index]).strip() if index is not None and index < len(row) else ""

    answers = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in row):
            continue
        answers.append(
            AnswerRow(
                row=number,
                nik=nik_rules.normalize(cell(row, "nik")),
                status=_status(cell(row, "status")),
                kpj=_kpj(cell(row, "kpj")),
                effective_date=parse_answer_date(cell(row, "effective_date")),
                reason=" ".join(cell(row, "reason").split())[:500],
            )
        )
    if not answers:
        raise AnswerFileInvalid("file_empty")
    return answers
