"""Files that update a few facts of workers already in the registry, found by NIK.

Two come from outside the regency: the insurer's member list of a region (KPJ and
membership status, kept in ``people.Membership``) and the social office's welfare file
(DTSEN decile with its as-of date, data source, disability flag). Neither adds a worker
nor touches any other field. Each file is read with the worker import's readers (CSV or
XLSX, encodings, Excel's damage to NIKs), checked row by row, and applied in one
transaction with a :class:`~lindung.imports.models.UpdateImport` holding the row report.
Applying the same file again changes nothing (every row ``unchanged``).
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import scope_code, scoped
from lindung.imports.columns import header_key
from lindung.imports.messages import FILE_MESSAGES as IMPORT_FILE_MESSAGES
from lindung.imports.models import UpdateImport
from lindung.imports.reading import (
    NIK_NUMBER,
    ROW,
    FileRefused,
    _read_csv,
    _read_xlsx,
    max_file_bytes,
    sniff_format,
)
from lindung.people import nik as nik_rules
from lindung.people.models import Membership, Person
from lindung.people.nik import mask_nik
from lindung.people.selectors import kpj_holders
from lindung.people.services import is_kpj_conflict, record_memberships
from lindung.people.validation import parse_date
from lindung.privacy.history import Via, bulk_history, changes_through
from lindung.programs import permissions
from lindung.uploads import inspect

ROW_MESSAGES = {
    "nik_missing": _("NIK wajib diisi (16 angka dari KTP/KK)."),
    **nik_rules.MESSAGES,
    "duplicate_in_file": _(
        "NIK ini sudah ada di baris sebelumnya dalam berkas yang sama: baris pertama yang "
        "dipakai; hapus baris dobel."
    ),
    "not_registered": _(
        "NIK tidak ada di registri pekerja wilayah Anda: daftarkan dulu pekerjanya, atau "
        "abaikan bila ia bukan warga wilayah Anda."
    ),
    "status_invalid": _("STATUS harus AKTIF atau NONAKTIF."),
    "kpj_invalid": _("NO_KPJ harus 8 sampai 20 angka (boleh kosong untuk peserta nonaktif)."),
    "kpj_taken": _(
        "NO_KPJ %(kpj)s sudah milik pekerja lain (NIK %(holder)s): satu KPJ hanya untuk satu "
        "orang. Tanyakan nomor yang benar ke BPJS, lalu impor baris ini lagi."
    ),
    "date_invalid": _("Tanggal tidak dikenali: tulis seperti 19/02/2026."),
    "date_future": _("Tanggal data tidak boleh setelah hari ini."),
    "decile_missing": _("DESIL wajib diisi: angka 1 (termiskin) sampai 10."),
    "decile_invalid": _("Desil DTSEN harus angka 1 sampai 10."),
    "disability_invalid": _("DISABILITAS harus YA atau TIDAK (boleh kosong: tidak diubah)."),
}

FILE_MESSAGES = {
    "as_of_missing": _(
        "Tanggal data wajib: isi kolom TANGGAL di berkas atau pilih tanggal data di formulir."
    ),
    "as_of_future": _("Tanggal data tidak boleh setelah hari ini."),
}


@dataclass(frozen=True)
class Field:
    name: str
    aliases: tuple[str, ...]
    required: bool = False


MEMBER_FIELDS = (
    Field("nik", ("nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan"), True),
    Field("kpj", ("no_kpj", "kpj", "nomor_kpj", "no_peserta", "nomor_peserta")),
    Field("status", ("status", "status_kepesertaan", "status_peserta"), True),
    Field("as_of", ("tanggal", "tgl", "per_tanggal", "tanggal_data", "tgl_data")),
)
WELFARE_FIELDS = (
    Field("nik", ("nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan"), True),
    Field("decile", ("desil", "desil_dtsen", "desil_kesejahteraan", "decile"), True),
    Field("as_of", ("tanggal", "tgl", "per_tanggal", "tanggal_data", "desil_per_tanggal")),
    Field("source", ("sumber", "sumber_data", "data_source")),
    Field("disability", ("disabilitas", "penyandang_disabilitas", "difabel", "disability")),
)
_ACTIVE = {"aktif", "active", "a", "1", "ya"}
_INACTIVE = {"nonaktif", "non_aktif", "tidak_aktif", "inactive", "n", "0", "tidak"}
_YES = {"ya", "y", "1", "true", "ada"}
_NO = {"tidak", "t", "0", "false", "tidak_ada", "bukan"}


class UpdateRefused(FileRefused):
    """The file as a whole cannot be used; nothing was changed."""

    messages = {**IMPORT_FILE_MESSAGES, **FILE_MESSAGES}


def read_fields(content: bytes, file_name: str, fields: tuple[Field, ...]) -> pl.DataFrame:
    """The file's rows as text by field name, with ``ROW`` and whether the NIK was a number."""
    inspect(content, file_name, limit=max_file_bytes(), refuse=UpdateRefused)
    if sniff_format(content, file_name) == "xlsx":
        frame, _headers, _details = _read_xlsx(content)
    else:
        frame, _headers, _details = _read_csv(content)
    by_alias = {alias: f.name for f in fields for alias in f.aliases}
    mapped: dict[str, str] = {}
    duplicated = []
    for header in frame.columns:
        name = by_alias.get(header_key(header))
        if name is None:
            continue
        if name in mapped:
            duplicated.append(header)
        mapped[name] = header
    if duplicated:
        raise UpdateRefused("column_duplicate", columns=", ".join(duplicated))
    missing = [f.aliases[0].upper() for f in fields if f.required and f.name not in mapped]
    if missing:
        raise UpdateRefused("column_missing", columns=", ".join(missing))
    columns = [pl.col(ROW)]
    columns.append(
        pl.col(NIK_NUMBER) if NIK_NUMBER in frame.columns else pl.lit(False).alias(NIK_NUMBER)
    )
    for f in fields:
        value = pl.col(mapped[f.name]) if f.name in mapped else pl.lit("")
        columns.append(value.cast(pl.String).fill_null("").str.strip_chars().alias(f.name))
    frame = frame.select(columns)
    blank = pl.all_horizontal([pl.col(f.name) == "" for f in fields])
    frame = frame.filter(~blank)
    if frame.height == 0:
        raise UpdateRefused("file_empty")
    return frame


def _require(user) -> None:
    """The regency's staff: the lists cover a region, not a village."""
    if not permissions.is_manager(user):
        raise PermissionDenied


class _Report:
    def __init__(self):
        self.problems: list[dict] = []

    def add(self, row: int, nik: str, code: str, **params) -> None:
        text = str(ROW_MESSAGES[code])
        self.problems.append(
            {"row": row, "nik": nik, "code": code, "message": text % params if params else text}
        )


def _nik_of(cells: dict, report: _Report) -> str | None:
    raw = cells["nik"]
    if not raw:
        report.add(cells[ROW], "", "nik_missing")
        return None
    nik = nik_rules.normalize(raw)
    if cells[NIK_NUMBER] and len(nik) == 16 and nik.isdigit() and nik.endswith("0"):
        report.add(cells[ROW], nik, nik_rules.NIK_PRECISION_LOST)
        return None
    checked = nik_rules.check_nik(nik)
    if not checked.valid:
        report.add(cells[ROW], nik, checked.errors[0])
        return None
    return nik


def _people(user, rows: list[dict], report: _Report) -> dict[str, Person]:
    """The rows' workers in the user's region, by NIK; the others are reported."""
    niks, first = [], {}
    for cells in rows:
        nik = _nik_of(cells, report)
        if nik is None:
            continue
        if nik in first:
            report.add(cells[ROW], nik, "duplicate_in_file")
            continue
        first[nik] = cells[ROW]
        cells["_nik"] = nik
        niks.append(nik)
    found = {p.nik: p for p in scoped(user, Person.objects.filter(nik__in=niks))}
    for cells in rows:
        nik = cells.get("_nik")
        if nik and nik not in found:
            report.add(cells[ROW], nik, "not_registered")
            cells["_nik"] = None
    return found


def _as_of(cells: dict, default: dt.date | None, today: dt.date, report: _Report):
    if not cells["as_of"]:
        if default is None:
            raise UpdateRefused("as_of_missing")
        return default
    day = parse_date(cells["as_of"])
    if day is None:
        report.add(cells[ROW], cells["_nik"], "date_invalid")
    elif day > today:
        report.add(cells[ROW], cells["_nik"], "date_future")
        return None
    return day


def _record(*, user, kind, file_name, content, rows, counts, report, as_of) -> UpdateImport:
    scope = scope_code(user)
    return UpdateImport.objects.create(
        kind=kind,
        file_name=file_name.replace("\x00", "")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=timezone.now(),
        uploaded_by=user if user is not None and user.pk else None,
        region_code=scope or "",
        as_of=as_of,
        rows=rows,
        report=sorted(report.problems, key=lambda p: p["row"]),
        **counts,
    )


def _check_default(as_of: dt.date | None, today: dt.date) -> None:
    if as_of is not None and as_of > today:
        raise UpdateRefused("as_of_future")


# ---- the insurer's member list ---------------------------------------------------------


def import_member_list(
    *, user, content: bytes, file_name: str, as_of: dt.date | None = None, today=None
) -> UpdateImport:
    """Keep the KPJ and status of the listed workers (``people.Membership``), dated.

    ``as_of`` is the date of the list, used for rows without their own TANGGAL. A KPJ
    another person holds is refused (``kpj_taken``); if another file gives it at the same
    moment, the unique constraint fails this transaction and it is run again (see
    ``bpjs.services.import_answer``).
    """
    _require(user)
    today = today or timezone.localdate()
    _check_default(as_of, today)
    frame = read_fields(content, file_name, MEMBER_FIELDS)
    with changes_through(Via.IMPORT, f"daftar peserta BPJS {file_name}", user=user):
        for attempt in range(3):
            try:
                return _import_members(user, frame, content, file_name, as_of, today)
            except IntegrityError as exc:
                if attempt == 2 or not is_kpj_conflict(exc):
                    raise
    raise AssertionError("unreachable")


def _import_members(user, frame, content, file_name, as_of, today) -> UpdateImport:
    report = _Report()
    rows = frame.to_dicts()
    with transaction.atomic():
        people = _people(user, rows, report)
        kpjs = {r["kpj"] for r in rows if r["kpj"]}
        holders = kpj_holders(kpjs)
        from_enrollments = _enrollment_kpjs(kpjs)
        for kpj, person_id in from_enrollments.items():
            holders.setdefault(kpj, person_id)
        answers: dict[int, tuple[str, str, dt.date]] = {}
        for cells in rows:
            nik = cells.get("_nik")
            if not nik:
                continue
            person = people[nik]
            key = header_key(cells["status"])
            if key in _ACTIVE:
                status = Membership.Status.ACTIVE
            elif key in _INACTIVE:
                status = Membership.Status.INACTIVE
            else:
                report.add(cells[ROW], nik, "status_invalid")
                continue
            kpj = cells["kpj"].removesuffix(".0")
            if kpj and not (kpj.isdigit() and 8 <= len(kpj) <= 20):
                report.add(cells[ROW], nik, "kpj_invalid")
                continue
            if kpj and holders.setdefault(kpj, person.pk) != person.pk:
                holder = Person.objects.filter(pk=holders[kpj]).values_list("nik", flat=True)
                report.add(
                    cells[ROW], nik, "kpj_taken", kpj=kpj, holder=mask_nik(holder.first() or "")
                )
                continue
            day = _as_of(cells, as_of, today, report)
            if day is None:
                continue
            answers[person.pk] = (kpj, status, day)
        counts = record_memberships(
            answers, source=Membership.Source.MEMBER_LIST, source_label=file_name
        )
        return _record(
            user=user,
            kind=UpdateImport.Kind.MEMBERS,
            file_name=file_name,
            content=content,
            rows=len(rows),
            counts={
                "updated": counts["created"] + counts["updated"],
                "unchanged": counts["unchanged"],
                "refused": len(report.problems),
            },
            report=report,
            as_of=as_of,
        )


def _enrollment_kpjs(kpjs: set[str]) -> dict[str, int]:
    """KPJs of enrollments activated before memberships were kept (a string reference: the
    imports app sits above programs, but reads only this)."""
    from lindung.programs.models import Enrollment

    if not kpjs:
        return {}
    return dict(
        Enrollment.objects.filter(kpj__in=kpjs).exclude(kpj="").values_list("kpj", "person_id")
    )


# ---- the social office's welfare file --------------------------------------------------


def import_welfare(
    *, user, content: bytes, file_name: str, as_of: dt.date | None = None, today=None
) -> UpdateImport:
    """Update the DTSEN decile (with its as-of date), data source and disability flag.

    Only these fields change; an empty SUMBER or DISABILITAS cell leaves the field as it
    is. A row whose values are already the registry's is ``unchanged``.
    """
    _require(user)
    today = today or timezone.localdate()
    _check_default(as_of, today)
    frame = read_fields(content, file_name, WELFARE_FIELDS)
    with changes_through(Via.IMPORT, f"data DTSEN {file_name}", user=user):
        return _import_welfare(user, frame, content, file_name, as_of, today)


def _import_welfare(user, frame, content, file_name, as_of, today) -> UpdateImport:
    report = _Report()
    rows = frame.to_dicts()
    changed: list[Person] = []
    unchanged = 0
    with transaction.atomic():
        people = _people(user, rows, report)
        for cells in rows:
            nik = cells.get("_nik")
            if not nik:
                continue
            person = people[nik]
            if not cells["decile"]:
                report.add(cells[ROW], nik, "decile_missing")
                continue
            decile = cells["decile"].removesuffix(".0")
            if not (decile.isdigit() and 1 <= int(decile) <= 10):
                report.add(cells[ROW], nik, "decile_invalid")
                continue
            disability = person.has_disability
            if cells["disability"]:
                key = header_key(cells["disability"])
                if key not in _YES | _NO:
                    report.add(cells[ROW], nik, "disability_invalid")
                    continue
                disability = key in _YES
            day = _as_of(cells, as_of, today, report)
            if day is None:
                continue
            source = cells["source"][:60] or person.data_source or "DTSEN"
            values = (int(decile), day, source, disability)
            if values == (
                person.welfare_decile,
                person.welfare_decile_as_of,
                person.data_source,
                person.has_disability,
            ):
                unchanged += 1
                continue
            (
                person.welfare_decile,
                person.welfare_decile_as_of,
                person.data_source,
                person.has_disability,
            ) = values
            person.updated_at = timezone.now()
            changed.append(person)
        fields = ["welfare_decile", "welfare_decile_as_of", "data_source", "has_disability"]
        Person.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=1000)
        bulk_history(Person, changed, update=True)
        return _record(
            user=user,
            kind=UpdateImport.Kind.WELFARE,
            file_name=file_name,
            content=content,
            rows=len(rows),
            counts={
                "updated": len(changed),
                "unchanged": unchanged,
                "refused": len(report.problems),
            },
            report=report,
            as_of=as_of,
        )


def row_message(code: str) -> str:
    return str(ROW_MESSAGES.get(code, code))
