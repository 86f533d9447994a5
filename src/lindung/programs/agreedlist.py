"""Reading a village's agreed list (*daftar hasil musyawarah desa*) and its signed minutes.

The list comes as a CSV/XLSX file (through ``lindung.uploads``, like every uploaded file)
or typed, one worker a line (``NIK; nama; kategori``). Columns are found by their titles
(NIK, nama, kategori, kode desa), else taken in that order. Nothing here touches the
database: ``services.save_agreed_list`` checks the rows against the registry and the
program's rules and keeps the version.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lindung.refusals import Refusal
from lindung.uploads import UPLOAD_MESSAGES, inspect, read_table

MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_MINUTES_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 5000

MESSAGES = {
    **UPLOAD_MESSAGES,
    "file_xls": _(
        "Berkas .xls (Excel lama) tidak dapat dibaca: simpan ulang sebagai .xlsx atau CSV."
    ),
    "file_unreadable": _(
        "Daftar tidak dapat dibaca: unggah XLSX atau CSV dengan kolom NIK, nama, kategori."
    ),
    "village_not_yours": _(
        "Desa %(village)s bukan desa wilayah kerja Anda: operator desa hanya mengunggah daftar "
        "musyawarah desanya sendiri."
    ),
    "village_not_in_program": _("Desa %(village)s tidak ikut program ini: pilih desa peserta."),
    "round_unknown": _("Putaran ini tidak ada di program: pilih salah satu putarannya."),
    "meeting_date_invalid": _(
        "Tanggal musyawarah desa wajib diisi dan harus tanggal yang benar, mis. 19/02/2027."
    ),
    "meeting_date_in_future": _(
        "Tanggal musyawarah desa %(date)s belum terjadi: isi tanggal musyawarah yang sudah "
        "berlangsung."
    ),
    "meeting_after_round_start": _(
        "Tanggal musyawarah desa %(date)s sesudah awal putaran %(round)s (%(start)s): daftar "
        "harus disepakati sebelum putaran mulai. Periksa tanggalnya, atau pilih putaran "
        "berikutnya."
    ),
    "minutes_number_missing": _("Nomor berita acara musyawarah desa wajib diisi."),
    "minutes_missing": _(
        "Unggah berita acara musyawarah desa yang sudah ditandatangani (PDF atau foto)."
    ),
    "minutes_invalid": _(
        "Berita acara harus berkas PDF, JPG atau PNG, paling besar 10 MB: pindai atau foto "
        "lembar yang ditandatangani."
    ),
    "agreed_list_empty": _(
        "Daftar kosong: tidak ada satu NIK pun. Isi paling sedikit satu baris NIK; nama; kategori."
    ),
    "agreed_list_too_long": _(
        "Daftar berisi %(count)s baris, lebih dari %(max)s: satu daftar untuk satu desa dan "
        "satu putaran."
    ),
    "agreed_list_unchanged": _(
        "Daftar ini sama persis dengan versi %(number)s yang sudah tersimpan (%(date)s): "
        "tidak dibuat versi baru."
    ),
    "forbidden": _("Peran Anda tidak boleh mengunggah daftar musyawarah desa."),
}


class AgreedListRefused(Refusal):
    """A list refused as a whole; ``code`` is stable, ``message`` Indonesian."""

    messages = MESSAGES


@dataclass(frozen=True)
class ListRow:
    row: int
    nik: str
    full_name: str
    category: str
    village: str


_HEADERS = {
    "nik": ("nik", "noktp", "nomorinduk", "nomorindukkependudukan"),
    "full_name": ("nama", "namalengkap", "name", "fullname"),
    "category": ("kategori", "category", "kategoripeserta"),
    "village": ("kodedesa", "desa", "village", "villagecode", "kodedesakelurahan"),
}


def _key(text) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def _score(header: list[str]) -> int:
    keys = {_key(cell) for cell in header}
    return sum(1 for names in _HEADERS.values() if keys & set(names))


def _columns(header: list[str]) -> dict[str, int] | None:
    """Where each field is, by the titles of the first row; ``None`` if it has no titles."""
    keys = [_key(cell) for cell in header]
    found = {}
    for name, titles in _HEADERS.items():
        for index, key in enumerate(keys):
            if key in titles:
                found[name] = index
                break
    return found if "nik" in found else None


def _rows(table: list[list[str]], first_row: int) -> list[ListRow]:
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        return []
    columns = _columns(table[0])
    if columns is None:
        columns = {"nik": 0, "full_name": 1, "category": 2}
        if table[0] and not re.search(r"\d", str(table[0][0])):
            table = table[1:]  # titles this reader does not know: skip them
            first_row += 1
    else:
        table = table[1:]
        first_row += 1

    def cell(row: list[str], name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(row):
            return ""
        return " ".join(str(row[index]).replace("\x00", "").split())

    rows = []
    for offset, row in enumerate(table):
        rows.append(
            ListRow(
                row=first_row + offset,
                nik=cell(row, "nik")[:40],
                full_name=cell(row, "full_name")[:200],
                category=cell(row, "category")[:60],
                village=cell(row, "village")[:20],
            )
        )
    return rows


def read_list_file(content: bytes, name: str) -> list[ListRow]:
    """The rows of an uploaded list (CSV or XLSX), numbered as the spreadsheet numbers them."""
    inspect(content, name, limit=MAX_LIST_BYTES, refuse=AgreedListRefused)
    table = read_table(content, name, refuse=AgreedListRefused, score=_score)
    return _limit(_rows(table, 1))


def read_typed(text: str) -> list[ListRow]:
    """The rows of a typed list: one worker a line, ``NIK; nama; kategori`` (or commas)."""
    lines = [line for line in (text or "").replace("\x00", "").splitlines() if line.strip()]
    if not lines:
        return []
    delimiter = ";" if sum(line.count(";") for line in lines) else ","
    if delimiter == "," and not any("," in line for line in lines):
        delimiter = "\t"
    table = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    return _limit(_rows(table, 1))


def rows_from_items(items: list[dict]) -> list[ListRow]:
    """The rows of a list sent as JSON objects ``{"nik", "name", "category"}``."""
    return _limit(
        [
            ListRow(
                row=index,
                nik=str(item.get("nik") or "").strip()[:40],
                full_name=" ".join(str(item.get("name") or "").split())[:200],
                category=str(item.get("category") or "").strip()[:60],
                village=str(item.get("village_code") or "").strip()[:20],
            )
            for index, item in enumerate(items, start=1)
        ]
    )


def _limit(rows: list[ListRow]) -> list[ListRow]:
    if len(rows) > MAX_ENTRIES:
        raise AgreedListRefused("agreed_list_too_long", count=len(rows), max=MAX_ENTRIES)
    return rows


def minutes_kind(content: bytes) -> str | None:
    """``pdf``, ``jpeg`` or ``png`` by the file's first bytes; ``None`` for anything else."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def check_minutes(content: bytes | None) -> str:
    """The kind of a signed minutes file, or a refusal saying what is wrong with it."""
    if not content:
        raise AgreedListRefused("minutes_missing")
    kind = minutes_kind(content)
    if kind is None or len(content) > MAX_MINUTES_BYTES:
        raise AgreedListRefused("minutes_invalid")
    return kind


def fingerprint(meeting_date, minutes_number: str, minutes: bytes, rows: list[ListRow]) -> str:
    """The digest that says whether two versions are the same list (row numbers aside)."""
    digest = hashlib.sha256()
    digest.update(f"{meeting_date:%Y-%m-%d}\n{minutes_number}\n".encode())
    digest.update(hashlib.sha256(minutes).digest())
    for row in rows:
        digest.update(f"{row.nik}\t{row.full_name}\t{row.category}\t{row.village}\n".encode())
    return digest.hexdigest()
