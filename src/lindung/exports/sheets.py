"""Spreadsheet writers that are safe to open: every export and report goes through here.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` would be run as a formula by
Excel or LibreOffice (CSV injection). In CSV such text gets a leading apostrophe, the
convention spreadsheets show as "text"; in XLSX it is written as a string cell with
Excel's own quote-prefix style, so it stays text even when someone edits the cell and
the value itself is unchanged.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The CSV form of a cell: formula-looking text prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class CsvSheet:
    """CSV in UTF-8 with BOM (so Excel reads Indonesian names right), ``;`` or ``,``."""

    content_type = "text/csv; charset=utf-8"
    suffix = ".csv"

    def __init__(self, target=None, separator: str = ","):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, delimiter=separator, lineterminator="\r\n")
        self.target = target
        self.started = False

    def _cell(self, value):
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return neutralise(value)

    def rows(self, rows: Iterable[Iterable]) -> Iterable[bytes]:
        """Encode rows as they come (for streaming responses)."""
        if not self.started:
            self.started = True
            yield "\ufeff".encode()
        for row in rows:
            self.writer.writerow([self._cell(v) for v in row])
            if self.buffer.tell() > 1 << 16:
                yield self._drain()
        yield self._drain()

    def _drain(self) -> bytes:
        data = self.buffer.getvalue().encode("utf-8")
        self.buffer.seek(0)
        self.buffer.truncate()
        return data

    def write(self, rows: Iterable[Iterable]) -> None:
        for chunk in self.rows(rows):
            self.target.write(chunk)


class XlsxBook:
    """An XLSX workbook written row by row (constant memory), with safe text cells."""

    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    suffix = ".xlsx"

    def __init__(self, target):
        import xlsxwriter

        self.book = xlsxwriter.Workbook(
            target, {"constant_memory": True, "strings_to_formulas": False}
        )
        self.header = self.book.add_format({"bold": True, "bg_color": "#E7F4EE", "border": 1})
        self.text = self.book.add_format({"num_format": "@"})
        self.quoted = self.book.add_format({"num_format": "@", "quote_prefix": True})
        self.date = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.money = self.book.add_format({"num_format": "#,##0"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def sheet(self, name: str, header: list[str], widths: list[int] | None = None):
        sheet = self.book.add_worksheet(name[:31])
        for c, title in enumerate(header):
            sheet.write_string(0, c, str(title), self.header)
            sheet.set_column(c, c, (widths or [])[c] if c < len(widths or []) else 16)
        sheet.freeze_panes(1, 0)
        return _Sheet(self, sheet)

    def close(self) -> None:
        self.book.close()


class _Sheet:
    def __init__(self, book: XlsxBook, sheet):
        self.book, self.sheet, self.row = book, sheet, 1

    def append(self, values: Iterable, money: set[int] = frozenset()) -> None:
        book, sheet, r = self.book, self.sheet, self.row
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value, book.money if c in money else None)
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value.replace(tzinfo=None), book.date)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), book.date)
            else:
                text = str(value)
                style = book.quoted if text.startswith(FORMULA_START) else book.text
                sheet.write_string(r, c, text, style)
        self.row += 1
