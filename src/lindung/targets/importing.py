"""Workforce figures, targets and reported participants from a spreadsheet (CSV or XLSX).

The statistics office publishes its labour-force tables as spreadsheets; a regency keeps
its targets in one. A file is checked whole first: if any row is wrong, nothing is saved
and the report names every wrong row, its column, what is wrong and how to fix it. A
correct file is saved in one transaction, keyed by the natural key of each row, so
importing the same file twice changes nothing.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import in_scope
from lindung.programs import permissions
from lindung.refusals import Refusal, RowProblem
from lindung.regions.models import Region
from lindung.signals import records_changed
from lindung.spreadsheets import Workbook
from lindung.targets import services
from lindung.targets.models import ReportedCoverage, Target, WorkforceFigure
from lindung.uploads import UPLOAD_MESSAGES, inspect, read_table

MAX_ROWS = 300_000
KINDS = {
    "workforce": _("Angka angkatan kerja"),
    "targets": _("Target"),
    "reported": _("Peserta di luar registri (laporan BPJS)"),
}
HEADERS = {
    "region_code": ("kode_wilayah", "kode wilayah", "kode", "kode_kemendagri", "region_code"),
    "year": ("tahun", "year"),
    "segment": ("segmen", "segment"),
    "definition": ("definisi", "definition"),
    "count": ("jumlah", "jumlah_pekerja", "jumlah pekerja", "peserta", "count"),
    "source": ("sumber", "source"),
    "note": ("catatan", "keterangan", "note", "dasar"),
    "metric": ("ukuran", "jenis_target", "jenis target", "metric"),
    "value": ("nilai", "target", "value"),
    "as_of": ("per_tanggal", "per tanggal", "tanggal", "as_of"),
}
REQUIRED = {
    "workforce": ("region_code", "year", "count", "source"),
    "targets": ("region_code", "year", "metric", "value"),
    "reported": ("region_code", "segment", "as_of", "count", "source"),
}
TEMPLATES = {
    "workforce": (
        ["kode_wilayah", "tahun", "segmen", "definisi", "jumlah", "sumber", "catatan"],
        [
            ["51.01", "2024", "total", "penduduk bekerja", "172000", "BPS, Sakernas", ""],
            ["51.01", "2024", "formal", "penduduk bekerja", "60000", "BPS, Sakernas", ""],
        ],
    ),
    "targets": (
        ["kode_wilayah", "tahun", "segmen", "ukuran", "nilai", "catatan"],
        [
            ["51.04", "2024", "total", "dibiayai", "12800", "2 putaran x 100 per desa"],
            ["51.01", "2024", "total", "persen", "40", "RPJMD"],
        ],
    ),
    "reported": (
        ["kode_wilayah", "segmen", "per_tanggal", "jumlah", "sumber", "catatan"],
        [["51.01", "formal", "31/12/2024", "28800", "Laporan BPJS Cabang", ""]],
    ),
}

FILE_MESSAGES = {
    **UPLOAD_MESSAGES,
    "file_empty": _("Berkas kosong: tidak ada baris data di bawah judul kolom."),
    "file_unreadable": _("Berkas tidak dapat dibaca: unggah CSV atau XLSX (Excel 2007 ke atas)."),
    "file_xls": _("Berkas .xls (Excel lama) tidak didukung: simpan ulang sebagai .xlsx."),
    "file_too_long": _("Berkas terlalu panjang: paling banyak %(max)s baris per unggahan."),
    "column_missing": _("Kolom wajib tidak ada: %(columns)s. Unduh contoh berkas untuk judulnya."),
}
ROW_MESSAGES = {
    "region_code_number": _(
        "Kode wilayah terbaca sebagai angka (%(value)s): format kolom sebagai Teks, lalu tulis "
        "kode lengkap, mis. 51.10."
    ),
    "duplicate_in_file": _(
        "Baris ini mengulang wilayah, tahun dan jenis yang sama di baris %(first)s."
    ),
}


class FileRefused(Refusal):
    messages = FILE_MESSAGES


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def _norm(header: str) -> str:
    return " ".join(str(header).strip().lower().replace("_", " ").split())


def _map_headers(headers: list[str]) -> dict[str, int]:
    found = {}
    for index, header in enumerate(headers):
        key = _norm(header)
        for name, aliases in HEADERS.items():
            if name not in found and key in {_norm(a) for a in aliases}:
                found[name] = index
    return found


def read_rows(data: bytes, name: str = "") -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The header map and the (spreadsheet row number, cells) of every non-empty row."""
    inspect(data, name, refuse=FileRefused)
    table = read_table(data, name, refuse=FileRefused, score=lambda row: len(_map_headers(row)))
    headers = _map_headers(table[0])
    rows = [
        (number, cells)
        for number, cells in enumerate(table[1:], start=2)
        if any(str(c).strip() for c in cells)
    ]
    if not rows:
        raise FileRefused("file_empty")
    if len(rows) > MAX_ROWS:
        raise FileRefused("file_too_long", max=f"{MAX_ROWS:,}".replace(",", "."))
    return headers, rows


def guess_kind(headers: dict[str, int]) -> str:
    if "metric" in headers or "value" in headers:
        return "targets"
    if "as_of" in headers:
        return "reported"
    return "workforce"


CHECKS = {
    "workforce": services.check_workforce,
    "targets": services.check_target,
    "reported": services.check_reported,
}
KEYS = {
    "workforce": ("region", "year", "segment", "definition"),
    "targets": ("region", "year", "segment", "metric"),
    "reported": ("region", "segment", "as_of"),
}
MODELS = {"workforce": WorkforceFigure, "targets": Target, "reported": ReportedCoverage}
FIELDS = {
    "workforce": ("count", "source", "note"),
    "targets": ("value", "note"),
    "reported": ("count", "source", "note"),
}


class _Regions:
    """Region lookups for a whole file at once (``services._region`` asks one at a time)."""

    def __init__(self, codes: set[str], user):
        self.known = {r.code: r for r in Region.objects.filter(code__in=codes)}
        self.user = user

    def check(self, code, problems: list) -> Region | None:
        code = str(code or "").strip()
        region = self.known.get(code)
        if region is None:
            problems.append(services.Problem("region_code", "region_unknown"))
            return None
        if not (permissions.is_manager(self.user) and in_scope(self.user, code)):
            problems.append(services.Problem("region_code", "region_out_of_scope"))
            return None
        return region


def import_figures(*, user, data: bytes, name: str = "", kind: str = "") -> ImportReport:
    """Check the whole file, then save it all, or nothing (see the module's docstring)."""
    if not permissions.is_manager(user):
        raise PermissionDenied
    headers, rows = read_rows(data, name)
    kind = kind if kind in KINDS else guess_kind(headers)
    missing = [c for c in REQUIRED[kind] if c not in headers]
    if missing:
        raise FileRefused("column_missing", columns=", ".join(HEADERS[c][0] for c in missing))
    report = ImportReport(kind=kind, rows=len(rows))

    def cell(cells: list[str], name: str) -> str:
        index = headers.get(name)
        return str(cells[index]).strip() if index is not None and index < len(cells) else ""

    regions = _Regions({cell(cells, "region_code") for _n, cells in rows}, user)
    checked = []
    seen: dict[tuple, int] = {}
    for number, cells in rows:
        values_in = {name: cell(cells, name) for name in headers}
        values, problems = CHECKS[kind](values_in, user=user, regions=regions.check)
        code = values_in.get("region_code", "")
        for problem in problems:
            message, problem_code = problem.message, problem.code
            if problem.code == "region_unknown" and _looks_numeric(code):
                problem_code = "region_code_number"
                message = str(ROW_MESSAGES[problem_code]) % {"value": code}
            report.problems.append(
                RowProblem(
                    number,
                    problem.field,
                    HEADERS[problem.field][0] if problem.field in HEADERS else problem.field,
                    problem_code,
                    values_in.get(problem.field, ""),
                    message,
                )
            )
        if problems:
            continue
        key = tuple(values[k].pk if k == "region" else values[k] for k in KEYS[kind])
        if key in seen:
            report.problems.append(
                RowProblem(
                    number,
                    "region_code",
                    "kode_wilayah",
                    "duplicate_in_file",
                    code,
                    str(ROW_MESSAGES["duplicate_in_file"]) % {"first": seen[key]},
                )
            )
            continue
        seen[key] = number
        checked.append(values)
    if report.problems:
        return report
    _save_all(kind, checked, user, report)
    return report


def _looks_numeric(code: str) -> bool:
    parts = code.split(".")
    return len(parts) == 2 and all(p.isdecimal() for p in parts) and len(parts[1]) == 1


@transaction.atomic
def _save_all(kind: str, rows: list[dict], user, report: ImportReport) -> None:
    model = MODELS[kind]
    keys = KEYS[kind]
    actor = user if user is not None and user.pk else None
    existing = {}
    codes = sorted({row["region"].pk for row in rows})
    for start in range(0, len(codes), 5000):
        for obj in model.objects.filter(region_id__in=codes[start : start + 5000]):
            key = tuple(obj.region_id if k == "region" else getattr(obj, k) for k in keys)
            existing[key] = obj
    create, update = [], []
    now = timezone.now()
    for row in rows:
        key = tuple(row["region"].pk if k == "region" else row[k] for k in keys)
        obj = existing.get(key)
        if obj is None:
            create.append(
                model(
                    **{k: row[k] for k in keys},
                    **{f: row[f] for f in FIELDS[kind]},
                    updated_by=actor,
                )
            )
        elif any(getattr(obj, f) != row[f] for f in FIELDS[kind]):
            for f in FIELDS[kind]:
                setattr(obj, f, row[f])
            obj.updated_by, obj.updated_at = actor, now
            update.append(obj)
    model.objects.bulk_create(create, batch_size=2000)
    if update:
        model.objects.bulk_update(
            update, [*FIELDS[kind], "updated_by", "updated_at"], batch_size=2000
        )
    report.created, report.updated = len(create), len(update)
    records_changed.send(sender=__name__)  # written in bulk: no save signal


def template_rows(kind: str) -> tuple[list[str], list[list[str]]]:
    return TEMPLATES[kind]


def template_xlsx(kind: str) -> bytes:
    """The example file of a kind as a workbook: its header and example rows, all text."""
    headers, rows = template_rows(kind)
    buffer = io.BytesIO()
    book = Workbook(buffer)
    sheet = book.add_worksheet(str(KINDS[kind])[:31])
    bold = book.add_format({"bold": True})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, max(12, len(header) + 2))
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, str(value))
    book.close()
    return buffer.getvalue()
