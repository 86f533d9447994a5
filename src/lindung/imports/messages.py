"""Messages of the import as a whole (the row codes live in ``people.validation.MESSAGES``)."""

from django.utils.translation import gettext_lazy as _

from lindung.people.validation import MESSAGES as ROW_MESSAGES
from lindung.uploads import UPLOAD_MESSAGES

FILE_MESSAGES = {
    **UPLOAD_MESSAGES,
    "file_empty": _("Berkas kosong: tidak ada baris data di bawah baris judul."),
    "file_unreadable": _(
        "Berkas tidak bisa dibaca sebagai CSV atau XLSX: simpan ulang dari Excel sebagai "
        "'Buku Kerja Excel (.xlsx)' atau 'CSV (dipisah koma)'."
    ),
    "file_xls": _(
        "Berkas .xls (Excel 97-2003) tidak didukung: buka di Excel lalu simpan sebagai .xlsx."
    ),
    "file_too_large": _(
        "Berkas terlalu besar (batas %(limit)s MB): pecah menjadi beberapa berkas."
    ),
    "file_changed": _(
        "Berkas tidak sama dengan yang diunggah semula (isi berubah): unggah sebagai impor baru."
    ),
    "file_gone": _("Berkas impor sudah tidak tersedia: unggah ulang."),
    "column_missing": _(
        "Kolom wajib tidak ada: %(columns)s. Pakai templat (Unduh templat) atau beri judul "
        "kolom seperti di templat."
    ),
    "column_duplicate": _(
        "Ada kolom yang muncul dua kali: %(columns)s. Hapus salah satunya lalu unggah ulang."
    ),
    "village_invalid": _(
        "Desa/kelurahan bawaan %(village)s tidak dikenal atau di luar wilayah Anda."
    ),
    "interrupted": _(
        "Impor terhenti sebelum selesai (%(reason)s). Batch yang sudah tersimpan tetap ada; "
        "jalankan lagi untuk melanjutkan tanpa data ganda."
    ),
}


def file_message(code: str, params: dict | None = None) -> str:
    text = str(FILE_MESSAGES.get(code, code))
    try:
        return text % (params or {}) if params else text
    except (KeyError, TypeError, ValueError):
        return text


def row_message(code: str) -> str:
    return str(ROW_MESSAGES.get(code, code))
