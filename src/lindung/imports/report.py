"""The row-level report of a job, as XLSX (three sheets) or CSV (one line per problem).

The XLSX's sheet "Ditolak" holds every refused row with its cells as written, under the
template's column names: fix the cells there and upload that workbook again; the reader
picks that sheet and ignores the explanation columns.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext as _

from lindung.imports.checks import CODE_FIELD
from lindung.imports.columns import BY_FIELD, COLUMNS
from lindung.imports.messages import file_message, row_message
from lindung.imports.models import ImportJob, ImportRow
from lindung.imports.selectors import report_rows
from lindung.spreadsheets import CsvSheet, XlsxBook

DETAIL_HEADER = ["baris", "kolom", "kode", "jenis", "pesan", "nilai", "keterangan"]
REJECTED_EXTRA = ["baris", "kesalahan", "kolom_bermasalah", "keterangan"]


def _column_name(code: str) -> str:
    field = CODE_FIELD.get(code, "")
    return BY_FIELD[field].name if field in BY_FIELD else ""


def _detail(code: str, row: ImportRow, job: ImportJob | None) -> str:
    if code == "duplicate_in_file" and row.first_row:
        return _("sama dengan baris %(row)s") % {"row": row.first_row}
    if code == "possible_duplicate" and row.values.get("duplicate_of"):
        return _("mungkin orang yang sama dengan: %(other)s") % {
            "other": row.values["duplicate_of"]
        }
    if code == "exists":
        return _("data berbeda dari registri; tidak diubah (centang 'Perbarui' atau --update)")
    return ""


class ShownProblem(NamedTuple):
    """One problem of a row as the result page shows it: what is wrong first, then where
    (the template's column and the cell as written), the stable code last."""

    message: str
    column: str
    value: str
    detail: str
    code: str


def row_problem(code: str, row: ImportRow) -> ShownProblem:
    field = CODE_FIELD.get(code, "")
    value = row.values.get(field, "") if field else ""
    return ShownProblem(
        message=row_message(code),
        column=_column_name(code),
        value="" if value is None else str(value),
        detail=_detail(code, row, None),
        code=code,
    )


def problems(job: ImportJob) -> Iterator[list]:
    """One line per problem of every reported row, in file order."""
    for row in report_rows(job).order_by("row").iterator(chunk_size=5000):
        for kind, codes in ((_("ditolak"), row.errors), (_("peringatan"), row.warnings)):
            for code in codes:
                field = CODE_FIELD.get(code, "")
                yield [
                    row.row,
                    _column_name(code),
                    code,
                    kind,
                    row_message(code),
                    row.values.get(field, ""),
                    _detail(code, row, job),
                ]


def summary_lines(job: ImportJob) -> list[list]:
    lines = [
        [_("Berkas"), job.source_name],
        [_("Status"), str(job.get_status_display())],
        [_("Baris data"), job.rows_total],
        [_("Diterima"), job.accepted],
        [_("  baru"), job.created],
        [_("  diperbarui"), job.updated],
        [_("  tetap (sudah ada)"), job.unchanged],
        [_("Ditolak"), job.rejected],
    ]
    if job.error_code:
        lines.append([_("Berkas ditolak"), file_message(job.error_code, job.error_params)])
    if unknown := job.notes.get("unknown_columns"):
        lines.append([_("Kolom diabaikan"), ", ".join(unknown)])
    lines.append([])
    lines.append([_("Kode"), _("Jumlah baris ditolak (menurut kesalahan pertama)"), _("Pesan")])
    lines += [[c, n, row_message(c)] for c, n in job.errors_by_code.items()]
    lines.append([])
    lines.append([_("Kode peringatan"), _("Jumlah baris"), _("Pesan")])
    lines += [[c, n, row_message(c)] for c, n in job.warnings_by_code.items()]
    return lines


def write_xlsx(job: ImportJob, target) -> None:
    book = XlsxBook(target)
    summary = book.sheet(_("Ringkasan"), [_("Impor #%(id)s") % {"id": job.pk}, ""], [34, 60])
    for line in summary_lines(job):
        summary.append(line)
    template = [c.name for c in COLUMNS]
    rejected = book.sheet(_("Ditolak"), REJECTED_EXTRA + template, [7, 26, 18, 60])
    for row in report_rows(job).filter(rejected=True).order_by("row").iterator(chunk_size=5000):
        messages = "; ".join(row_message(code) for code in row.errors)
        details = "; ".join(d for d in (_detail(c, row, job) for c in row.errors) if d)
        rejected.append(
            [row.row, ", ".join(row.errors), _column_name(row.errors[0]), messages or details]
            + [row.values.get(column.field, "") for column in COLUMNS]
        )
    detail = book.sheet(_("Rincian"), DETAIL_HEADER, [7, 14, 26, 11, 70, 22, 30])
    for line in problems(job):
        detail.append(line)
    book.close()


def write_csv(job: ImportJob, target) -> None:
    CsvSheet(target, separator=",").write([DETAIL_HEADER, *problems(job)])


def write_report(job: ImportJob, path) -> Path:
    """Write the report to ``path``; the suffix (.xlsx or .csv) decides the format."""
    path = Path(path)
    with path.open("wb") as handle:
        if path.suffix.lower() == ".csv":
            write_csv(job, handle)
        else:
            write_xlsx(job, handle)
    return path
