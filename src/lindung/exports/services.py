"""Writing exports to files (the CLI) and to responses (the page); nothing is written to
the database."""

import itertools
from pathlib import Path

from lindung.exports.workers import HEADER, export_rows, header_for
from lindung.spreadsheets import CsvSheet, XlsxBook

_MONEY = {HEADER.index("penghasilan")}
_WIDTHS = [18, 28, 6, 12, 15, 24, 15, 22, 16, 14, 24, 20, 20, 8, 12]


def write_workers_xlsx(user, filters: dict, target) -> int:
    book = XlsxBook(target)
    sheet = book.sheet("Pekerja", header_for(user), _WIDTHS)
    count = 0
    for row in export_rows(user, filters):
        sheet.append(row, money=_MONEY)
        count += 1
    book.close()
    return count


def stream_workers_csv(user, filters: dict, separator: str = ","):
    yield from CsvSheet(separator=separator).rows(
        itertools.chain([header_for(user)], export_rows(user, filters))
    )


def write_workers_file(user, filters: dict, path) -> int:
    """Write the export to ``path`` (.xlsx or .csv); returns the number of workers."""
    path = Path(path)
    with path.open("wb") as handle:
        if path.suffix.lower() != ".csv":
            return write_workers_xlsx(user, filters, handle)
        count = 0
        for chunk in stream_workers_csv(user, filters):
            handle.write(chunk)
            count += chunk.count(b"\r\n")
        return count - 1
