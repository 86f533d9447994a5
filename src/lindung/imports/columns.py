"""The columns of a worker file: canonical names, the names people really write, and order.

A header cell is matched after lowering its case, dropping what is in brackets and turning
every run of spaces and punctuation into ``_``: ``Tanggal Lahir (dd/mm/yyyy)`` becomes
``tanggal_lahir``. English names are accepted too, so a file made for another system loads.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    field: str  # the name in the code and in check_worker
    name: str  # the header in the template and in reports
    label: str
    required: bool
    aliases: tuple[str, ...]
    example: str
    help: str


# In template order; this order is also the order in which a row's errors are listed.
COLUMNS = (
    Column(
        "nik",
        "nik",
        _("NIK"),
        True,
        ("nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan", "national_id", "id_number"),
        "5104011902850001",
        _("16 angka dari KTP/KK. Format kolom sebagai Teks agar Excel tidak merusaknya."),
    ),
    Column(
        "full_name",
        "nama",
        _("Nama lengkap"),
        True,
        ("nama", "nama_lengkap", "nama_pekerja", "name", "full_name"),
        "I Made Sudarsana",
        _("Sesuai KTP."),
    ),
    Column(
        "sex",
        "jenis_kelamin",
        _("Jenis kelamin"),
        True,
        ("jenis_kelamin", "jk", "l_p", "kelamin", "sex", "gender"),
        "L",
        _("L (laki-laki) atau P (perempuan)."),
    ),
    Column(
        "birth_date",
        "tanggal_lahir",
        _("Tanggal lahir"),
        True,
        ("tanggal_lahir", "tgl_lahir", "tanggal_lhr", "birth_date", "date_of_birth", "dob"),
        "19/02/1985",
        _("dd/mm/yyyy (19/02/1985), yyyy-mm-dd, atau sel tanggal Excel."),
    ),
    Column(
        "village_code",
        "kode_desa",
        _("Kode desa/kelurahan"),
        True,
        (
            "kode_desa",
            "kode_kelurahan",
            "kode_desa_kelurahan",
            "kode_wilayah",
            "village_code",
            "village",
        ),
        "51.04.01.2001",
        _("Kode Kemendagri 4 bagian, lihat lembar Desa."),
    ),
    Column(
        "address",
        "alamat",
        _("Alamat"),
        False,
        ("alamat", "alamat_lengkap", "address"),
        "Banjar Kaja",
        _("Boleh kosong."),
    ),
    Column(
        "phone",
        "no_hp",
        _("Nomor HP"),
        False,
        ("no_hp", "nomor_hp", "hp", "no_telepon", "nomor_telepon", "telepon", "phone", "mobile"),
        "081234567890",
        _("Boleh kosong; 08… atau +62…."),
    ),
    Column(
        "occupation",
        "pekerjaan",
        _("Pekerjaan"),
        True,
        ("pekerjaan", "jenis_pekerjaan", "occupation", "job"),
        "Petani",
        _("Pilih dari lembar Pekerjaan; yang lain disimpan seperti tertulis."),
    ),
    Column(
        "category",
        "kategori",
        _("Kategori peserta"),
        True,
        ("kategori", "kategori_peserta", "category"),
        "pekerja_rentan",
        _("Kode atau nama dari lembar Kategori."),
    ),
    Column(
        "declared_income",
        "penghasilan",
        _("Penghasilan sebulan (Rp)"),
        True,
        ("penghasilan", "penghasilan_sebulan", "pendapatan", "income", "declared_income"),
        "1000000",
        _("Rupiah bulat tanpa titik (1000000); 1.000.000 juga diterima."),
    ),
)

BY_FIELD = {column.field: column for column in COLUMNS}
FIELD_ORDER = [column.field for column in COLUMNS]
_ALIASES = {alias: column.field for column in COLUMNS for alias in column.aliases}
# Columns people add that carry nothing to import (a running number); ignored silently.
_IGNORED = {"no", "nomor", "no_urut", "nomor_urut", "urut"}
# The explanation columns of our own report, so that its sheet of refused rows re-imports.
_IGNORED |= {"baris", "kesalahan", "kolom_bermasalah", "keterangan"}


def header_key(text) -> str:
    """``Tanggal Lahir (dd/mm/yyyy)*`` → ``tanggal_lahir``."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", str(text or "").strip().lower())
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


@dataclass
class HeaderMap:
    """Which file column holds which field, and what could not be used."""

    fields: dict[str, str]  # field → the header as written in the file
    unknown: list[str]
    duplicated: list[str]

    def missing(self, *, village_given: bool = False) -> list[Column]:
        return [
            column
            for column in COLUMNS
            if column.required
            and column.field not in self.fields
            and not (village_given and column.field == "village_code")
        ]


def map_headers(headers: list[str]) -> HeaderMap:
    fields: dict[str, str] = {}
    unknown, duplicated = [], []
    for header in headers:
        key = header_key(header)
        field = _ALIASES.get(key)
        if field is None:
            if key and key not in _IGNORED and not key.startswith("column_"):
                unknown.append(str(header))
        elif field in fields:
            duplicated.append(str(header))
        else:
            fields[field] = header
    return HeaderMap(fields=fields, unknown=unknown, duplicated=duplicated)
