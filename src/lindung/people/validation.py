"""Checks of one worker record, shared by the form, the API and spreadsheet imports.

Every problem is a :class:`Problem` with the field, a stable code and an Indonesian
message that says how to fix it. Nothing here writes.
"""

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import in_scope
from lindung.people import nik as nik_rules
from lindung.people.categories import parse_category
from lindung.people.models import Occupation, Person
from lindung.regions.models import Region

MESSAGES = {
    "nik_missing": _("NIK wajib diisi (16 angka dari KTP/KK)."),
    "name_missing": _("Nama lengkap wajib diisi, sesuai KTP."),
    "name_invalid": _(
        "Nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung."
    ),
    "sex_missing": _("Jenis kelamin wajib diisi: L (laki-laki) atau P (perempuan)."),
    "sex_invalid": _("Jenis kelamin harus L (laki-laki) atau P (perempuan)."),
    "birth_date_missing": _("Tanggal lahir wajib diisi, dengan format 19/02/1980."),
    "birth_date_invalid": _(
        "Tanggal lahir tidak dikenali atau tidak mungkin: tulis seperti 19/02/1980."
    ),
    "village_missing": _("Desa/kelurahan wajib dipilih (kode seperti 51.04.01.2001)."),
    "village_unknown": _(
        "Kode desa/kelurahan tidak ada dalam daftar Kemendagri: tulis 4 bagian, mis. 51.04.01.2001."
    ),
    "village_out_of_scope": _("Desa/kelurahan ini di luar wilayah kerja Anda."),
    "category_missing": _("Kategori peserta wajib diisi (mis. pekerja_rentan)."),
    "category_unknown": _(
        "Kategori tidak dikenal: pakai salah satu kode atau nama di lembar Petunjuk "
        "(perangkat_desa, kader_desa, pekerja_sosial, pekerja_rentan, petugas_parkir, "
        "informal_lain)."
    ),
    "income_missing": _("Penghasilan sebulan wajib diisi, dalam rupiah bulat (mis. 1000000)."),
    "income_invalid": _(
        "Penghasilan harus rupiah bulat tanpa desimal, dari 0 sampai 1.000.000.000 (mis. 1500000)."
    ),
    "phone_invalid": _("Nomor HP harus 9–15 angka, diawali 08 atau +62 (mis. 081234567890)."),
    "segment_invalid": _("Segmen harus BPU (informal) atau PU (formal)."),
    "decile_invalid": _("Desil DTSEN harus angka 1 sampai 10."),
    "occupation_unknown": _(
        "Pekerjaan belum ada di daftar: disimpan seperti tertulis, kabupaten akan merapikannya."
    ),
    "field_hidden": _(
        "Isian ini tidak boleh diubah oleh peran Anda (NIK, tanggal lahir dan jenis kelamin "
        "disamarkan): minta operator desa atau admin kabupaten mengubahnya."
    ),
    "exists": _("NIK sudah terdaftar di registri: ubah data orang tersebut, jangan dobel."),
    "possible_duplicate": _(
        "Mungkin orang yang sama dengan data lain di kabupaten ini (nama mirip dengan tanggal "
        "lahir dan jenis kelamin sama, atau nomor HP sama). Data tetap disimpan; admin "
        "kabupaten memeriksanya di daftar data ganda."
    ),
    "duplicate_in_file": _(
        "NIK ini sudah ada di baris sebelumnya dalam berkas yang sama: baris pertama yang "
        "dipakai; hapus baris dobel atau perbaiki NIK-nya."
    ),
    "exists_out_of_scope": _(
        "NIK sudah terdaftar di desa/kelurahan di luar wilayah Anda: tidak diubah; minta "
        "admin kabupaten memindahkannya bila orang ini memang pindah."
    ),
    "row_ragged": _(
        "Baris ini punya lebih banyak sel daripada judul kolom: ada pemisah (, atau ;) di "
        "dalam isian? Apit isian itu dengan tanda kutip atau simpan sebagai .xlsx."
    ),
    **nik_rules.MESSAGES,
}

MAX_INCOME = 1_000_000_000
# A sex mismatch is shown on the sex field, which is more often the wrong one; a birth-date
# mismatch under the NIK, whose message names the date the NIK holds (either may be wrong).
_CROSS_CHECK_FIELD = {nik_rules.SEX_MISMATCH: "sex", nik_rules.BIRTH_DATE_MISMATCH: "nik"}
_NAME = re.compile(r"^[^\W\d_]+([ .,'’-]*[^\W\d_]*)*\.?$")
_PHONE = re.compile(r"^(\+62|62|0)8\d{7,12}$")


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    facts: tuple = ()  # (name, value) pairs the message names, e.g. (("count", 15),)

    @property
    def message(self) -> str:
        if self.facts:
            return nik_rules.message(self.code, dict(self.facts))
        return str(MESSAGES.get(self.code, self.code))

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class Checked:
    """A record after checking: clean values, errors (refuse) and warnings (keep)."""

    values: dict = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(value) -> dt.date | None:
    """A date from ``19/02/1980``, ``1980-02-19`` or a ``date``; ``None`` if not a real date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_rupiah(value, maximum: int) -> int | None:
    """Integer rupiah from ``1500000``, ``1.500.000`` or ``Rp 1.500.000`` (a whole-number
    cell too), from 0 to ``maximum``; ``None`` if it is not that. Never a float."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if 0 <= value <= maximum else None
    text = str(value).strip().lower().removeprefix("rp").strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if not text.isdecimal():
        return None
    amount = int(text)
    return amount if amount <= maximum else None


def parse_income(value) -> int | None:
    return parse_rupiah(value, MAX_INCOME)


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s().-]", "", value)


class OccupationMatcher:
    """Match what people write (``Petani``, ``petani sawah``, ``Pedagan``) to the managed list."""

    def __init__(self, occupations=None):
        occupations = list(occupations if occupations is not None else Occupation.objects.all())
        self.by_key = {}
        for occupation in occupations:
            for text in (occupation.code, occupation.name, occupation.name_en):
                if text:
                    self.by_key[self.key(text)] = occupation

    @staticmethod
    def key(text: str) -> str:
        return " ".join(str(text).replace("_", " ").replace("-", " ").lower().split())

    def match(self, text: str) -> Occupation | None:
        key = self.key(text)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        close = difflib.get_close_matches(key, self.by_key, n=1, cutoff=0.85)
        return self.by_key[close[0]] if close else None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_worker(
    data: dict,
    *,
    user=None,
    today: dt.date | None = None,
    villages: dict[str, Region] | None = None,
    occupations: OccupationMatcher | None = None,
) -> Checked:
    """Check a whole worker record (an update checks the stored record with its changes).

    ``villages`` and ``occupations`` let a caller checking many rows load them once.
    """
    today = today or timezone.localdate()
    # PostgreSQL cannot store NUL; files pasted from other systems sometimes carry them.
    data = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}
    checked = Checked()
    values, errors = checked.values, checked.errors

    def required(name: str, code: str):
        value = data.get(name)
        if _blank(value):
            errors.append(Problem(name, code))
            return None
        return value

    if (name := required("full_name", "name_missing")) is not None:
        name = " ".join(str(name).split())
        if len(name) > 150 or not _NAME.match(name):
            errors.append(Problem("full_name", "name_invalid"))
        else:
            values["full_name"] = name

    if (sex := required("sex", "sex_missing")) is not None:
        sex = str(sex).strip().upper()
        sex = {"LAKI-LAKI": "L", "PEREMPUAN": "P", "M": "L", "F": "P"}.get(sex, sex)
        if sex in Person.Sex.values:
            values["sex"] = sex
        else:
            errors.append(Problem("sex", "sex_invalid"))

    if (raw := required("birth_date", "birth_date_missing")) is not None:
        born = parse_date(raw)
        if born is None or born > today or born.year < 1900:
            errors.append(Problem("birth_date", "birth_date_invalid"))
        else:
            values["birth_date"] = born

    if (raw := required("nik", "nik_missing")) is not None:
        verdict = nik_rules.check_nik(
            raw, sex=values.get("sex"), birth_date=values.get("birth_date"), today=today
        )
        errors.extend(
            Problem(
                _CROSS_CHECK_FIELD.get(code, "nik"),
                code,
                tuple(sorted(verdict.facts.get(code, {}).items())),
            )
            for code in verdict.errors
        )
        checked.warnings.extend(Problem("nik", code) for code in verdict.warnings)
        if verdict.valid:
            values["nik"] = verdict.nik

    if (code := required("village_code", "village_missing")) is not None:
        code = str(code).strip()
        village = (
            villages.get(code)
            if villages is not None
            else Region.objects.filter(code=code, level=Region.Level.VILLAGE).first()
        )
        if village is None:
            errors.append(Problem("village_code", "village_unknown"))
        elif not in_scope(user, code):
            errors.append(Problem("village_code", "village_out_of_scope"))
        else:
            values["village"] = village

    if (raw := required("category", "category_missing")) is not None:
        if category := parse_category(raw):
            values["category"] = category
        else:
            errors.append(Problem("category", "category_unknown"))

    if (raw := required("declared_income", "income_missing")) is not None:
        income = parse_income(raw)
        if income is None:
            errors.append(Problem("declared_income", "income_invalid"))
        else:
            values["declared_income"] = income

    text = " ".join(str(data.get("occupation") or "").split())[:80]
    occupation = (occupations or OccupationMatcher()).match(text) if text else None
    values["occupation"] = occupation
    values["occupation_text"] = "" if occupation else text
    if text and not occupation:
        checked.warnings.append(Problem("occupation", "occupation_unknown"))

    phone = normalize_phone(str(data.get("phone") or ""))
    if phone and not _PHONE.match(phone):
        errors.append(Problem("phone", "phone_invalid"))
    else:
        values["phone"] = phone

    if not _blank(data.get("segment")):
        segment = str(data["segment"]).strip().upper()
        if segment in Person.Segment.values:
            values["segment"] = segment
        else:
            errors.append(Problem("segment", "segment_invalid"))

    decile = str(data.get("welfare_decile") or "").strip()
    if not decile:
        values["welfare_decile"] = None
    elif decile.isdecimal() and 1 <= int(decile) <= 10:
        values["welfare_decile"] = int(decile)
    else:
        errors.append(Problem("welfare_decile", "decile_invalid"))

    for name, limit in (
        ("address", 255),
        ("birth_place", 80),
        ("mother_maiden_name", 150),
        ("data_source", 60),
    ):
        if name in data:
            values[name] = " ".join(str(data.get(name) or "").split())[:limit]
    if "has_disability" in data:
        values["has_disability"] = bool(data.get("has_disability"))
    if not _blank(data.get("welfare_decile_as_of")):
        values["welfare_decile_as_of"] = parse_date(data["welfare_decile_as_of"])
    return checked
