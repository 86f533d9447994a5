"""The national identity number (NIK): parse it, check it, explain what is wrong.

A NIK has 16 digits, ``PPKKCC DDMMYY SSSS``: the district code without dots (province,
regency, district), the birth date with 40 added to the day for women, and a serial from
``0001``. A NIK keeps the district code it was issued with for life: a prefix that was a
district of the former list (``910101``, Merauke before Papua Selatan was made) is valid,
and the check names the district it is today (``93.01.01``; ``regions.codes``).
:func:`check_nik` never raises on bad input: it returns the parsed parts or a list of
stable error codes that forms, files and the API all share.
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.regions.codes import (
    district_now,
    district_prefixes,
    dotted_district,
    regency_now,
    regency_prefixes,
)

# Stable codes: files, the API and tests rely on them; never rename one.
NIK_FORMAT = "nik_format"
NIK_SCIENTIFIC = "nik_scientific_notation"
NIK_PRECISION_LOST = "nik_precision_lost"
NIK_REGION = "nik_region"
NIK_REGION_DISTRICT_UNKNOWN = "nik_region_district_unknown"
NIK_DATE = "nik_date"
SEX_MISMATCH = "sex_mismatch"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"

MESSAGES = {
    NIK_FORMAT: _("NIK harus 16 angka (tanpa huruf, spasi atau tanda baca), nomor urut dari 0001."),
    NIK_SCIENTIFIC: _(
        "NIK rusak oleh spreadsheet (tertulis seperti 5.10401E+15): format kolom NIK sebagai "
        "Teks lalu ketik ulang NIK dari KTP/KK."
    ),
    NIK_PRECISION_LOST: _(
        "NIK tersimpan sebagai angka, bukan teks: spreadsheet hanya menyimpan 15 angka, "
        "sehingga angka ke-16 berubah menjadi 0. Format kolom NIK sebagai Teks lalu ketik "
        "ulang NIK dari KTP/KK."
    ),
    NIK_REGION: _("6 angka pertama NIK bukan kode kecamatan/kabupaten yang ada: periksa KTP."),
    NIK_REGION_DISTRICT_UNKNOWN: _(
        "Kode kecamatan pada NIK tidak ada lagi (mungkin pemekaran), tetapi kabupatennya benar."
    ),
    NIK_DATE: _(
        "Angka ke-7 s.d. 12 NIK bukan tanggal lahir yang ada (untuk perempuan tanggal + 40)."
    ),
    SEX_MISMATCH: _(
        "Jenis kelamin tidak cocok dengan NIK (pada NIK perempuan tanggal lahir ditambah 40)."
    ),
    BIRTH_DATE_MISMATCH: _("Tanggal lahir tidak cocok dengan tanggal lahir pada NIK."),
}

# The same codes told with the one fact needed to fix them (``NikCheck.facts``).
MESSAGES_WITH_FACTS = {
    NIK_FORMAT: _(
        "NIK harus 16 angka; yang diisi %(count)s angka. Salin lagi dari KTP/KK, tanpa spasi."
    ),
    BIRTH_DATE_MISMATCH: _(
        "NIK ini memuat tanggal lahir %(date)s, tidak cocok dengan tanggal lahir yang diisi: "
        "periksa NIK atau tanggal lahirnya."
    ),
}

MALE, FEMALE = "L", "P"

_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")
_NUMBER_CELL = re.compile(r"^(\d{16})[.,]0+$")  # a number-formatted cell that kept every digit


@dataclass
class NikCheck:
    nik: str
    valid: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sex: str | None = None
    birth_date: dt.date | None = None
    # The region today: for a NIK issued under a former code, its successor.
    district_code: str | None = None
    regency_code: str | None = None
    province_code: str | None = None
    # The district code the NIK carries, when it is a former one (``91.01.01``).
    issued_district_code: str | None = None
    serial: str | None = None
    # code → the fact its message names: how many digits, which date the NIK holds
    facts: dict[str, dict] = field(default_factory=dict)

    def as_json(self) -> dict:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        keys = ("nik", "valid", "errors", "warnings", "sex", "birth_date", "district_code")
        found = {key: data[key] for key in keys}
        if self.issued_district_code:
            found["issued_district_code"] = self.issued_district_code
        return found


def normalize(raw) -> str:
    """The NIK as text: spaces and dots of grouping removed, a ``.0`` number tail dropped."""
    if raw is None:
        return ""
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() and raw < 1e16 else repr(raw)
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if match := _NUMBER_CELL.match(text):
        return match.group(1)
    return text


def birth_year(two_digits: int, today: dt.date) -> int:
    """The century of a two-digit year: the latest year that is not in the future."""
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def check_nik(
    raw,
    *,
    sex: str | None = None,
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
) -> NikCheck:
    """Check one NIK, and optionally the sex and birth date stated next to it."""
    nik = normalize(raw)
    result = NikCheck(nik=nik)
    if _SCIENTIFIC.match(nik):
        result.errors.append(NIK_SCIENTIFIC)
        return result
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit() or nik[12:] == "0000":
        result.errors.append(NIK_FORMAT)
        if nik.isascii() and nik.isdigit() and len(nik) != 16:
            result.facts[NIK_FORMAT] = {"count": len(nik)}
        return result

    result.serial = nik[12:]
    district = nik[:6]
    if district in district_prefixes():  # a district of today's list or of the former one
        result.district_code = district_now(district)
        if result.district_code != dotted_district(district):
            result.issued_district_code = dotted_district(district)
        if result.district_code is None:  # a former district with no successor
            result.warnings.append(NIK_REGION_DISTRICT_UNKNOWN)
    elif nik[:4] in regency_prefixes():
        result.warnings.append(NIK_REGION_DISTRICT_UNKNOWN)
    else:
        result.errors.append(NIK_REGION)
    if NIK_REGION not in result.errors:
        regency = (result.district_code or "")[:5] or regency_now(nik[:4])
        result.regency_code = regency or f"{nik[0:2]}.{nik[2:4]}"
        result.province_code = result.regency_code[:2]

    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    result.sex = FEMALE if day > 40 else MALE
    try:
        result.birth_date = dt.date(
            birth_year(year, today or timezone.localdate()), month, day - 40 if day > 40 else day
        )
    except ValueError:
        result.errors.append(NIK_DATE)
        result.sex = None

    if sex and result.sex and sex.upper() != result.sex:
        result.errors.append(SEX_MISMATCH)
    if birth_date and result.birth_date:
        # The NIK holds two digits of the year: compare day, month and those two digits.
        stated = (birth_date.day, birth_date.month, birth_date.year % 100)
        if stated != (result.birth_date.day, result.birth_date.month, year):
            result.errors.append(BIRTH_DATE_MISMATCH)
            result.facts[BIRTH_DATE_MISMATCH] = {"date": f"{result.birth_date:%d/%m/%Y}"}
        else:
            result.birth_date = birth_date
    result.valid = not result.errors
    return result


def mask_nik(nik: str) -> str:
    """``510401******0001``: the region and serial stay, the birth date is hidden."""
    if len(nik) != 16:
        return "*" * len(nik)
    return f"{nik[:6]}******{nik[12:]}"


def message(code: str, facts: dict | None = None) -> str:
    """The message of ``code``; with its facts (``NikCheck.facts``), the one naming them."""
    if facts and code in MESSAGES_WITH_FACTS:
        return str(MESSAGES_WITH_FACTS[code]) % facts
    return str(MESSAGES.get(code, code))


def region_note(result: NikCheck) -> str:
    """For a NIK issued under a former district code: which region that is now, e.g.
    "Kode wilayah NIK 91.01.01 adalah kode lama; wilayahnya sekarang 93.01.01 (Merauke,
    Kabupaten Merauke, Papua Selatan)". Empty for a NIK with a current code."""
    from lindung.regions.codes import current_names

    if not result.issued_district_code:
        return ""
    if not result.district_code:
        return str(
            _(
                "Kode wilayah NIK %(old)s adalah kode lama yang tidak ada lagi di daftar "
                "Kemendagri terkini; NIK tetap sah."
            )
            % {"old": result.issued_district_code}
        )
    names = current_names()
    code = result.district_code
    where = ", ".join(names[c] for c in (code, code[:5], code[:2]) if c in names)
    return str(
        _("Kode wilayah NIK %(old)s adalah kode lama; wilayahnya sekarang %(new)s (%(where)s).")
        % {"old": result.issued_district_code, "new": code, "where": where}
    )
