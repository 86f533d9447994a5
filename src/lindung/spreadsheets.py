"""The one spreadsheet writer: every XLSX and CSV the product writes goes through here.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would
be run as a formula by Excel or LibreOffice (CSV injection), and names, addresses, payment
references and notes are typed by people. So:

- in CSV such text gets a leading apostrophe, the convention spreadsheets show as "text";
- in XLSX :class:`Workbook` never turns a string into a formula (``strings_to_formulas``
  is off whatever the caller asks), writes every string as a string cell, and gives
  formula-looking text Excel's quote-prefix style, so it stays text even when someone
  edits the cell; the value itself is unchanged. Writing a formula is refused outright:
  the product has no formula of its own, so any formula would carry someone's text.

Numbers, dates and booleans stay what they are, so the finance office can still sum them.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable

import xlsxwriter
import xlsxwriter.worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Options no caller may override: text is text.
_SAFE_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value):
    """The CSV form of a cell: formula-looking text prefixed with an apostrophe."""
    if looks_like_formula(value):
        return "'" + value
    return value


class Worksheet(xlsxwriter.worksheet.Worksheet):
    """A worksheet whose strings are always string cells, quote-prefixed when they could
    be read as a formula, and which refuses formulas."""

    def _write_string(self, row, col, string, cell_format=None):
        if string.startswith(FORMULA_START):
            cell_format = self.quoted(cell_format)
        return super()._write_string(row, col, string, cell_format)

    def _refuse_formula(self, *args, **kwargs):
        raise TypeError("Lindung writes no formulas into spreadsheets")

    write_formula = _write_formula = _refuse_formula
    write_array_formula = _write_array_formula = _refuse_formula
    write_dynamic_array_formula = _refuse_formula


class Workbook(xlsxwriter.Workbook):
    """``xlsxwriter.Workbook`` with :class:`Worksheet` sheets and the safe options."""

    worksheet_class = Worksheet

    def __init__(self, target, options: dict | None = None):
        self._properties: dict[int, dict] = {}
        self._quoted: dict[int, object] = {}
        super().__init__(target, {**(options or {}), **_SAFE_OPTIONS})

    def add_format(self, properties=None):
        fmt = super().add_format(properties)
        self._properties[id(fmt)] = dict(properties or {})
        return fmt

    def add_worksheet(self, name=None, worksheet_class=None):
        sheet = super().add_worksheet(name, worksheet_class or Worksheet)
        sheet.quoted = self.quoted
        return sheet

    def quoted(self, cell_format):
        """The quote-prefix twin of ``cell_format`` (made once per format)."""
        key = id(cell_format)
        if key not in self._quoted:
            properties = self._properties.get(key, {}) if cell_format is not None else {}
            self._quoted[key] = super().add_format({**properties, "quote_prefix": True})
        return self._quoted[key]


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
    """An XLSX workbook written row by row (constant memory), for long lists."""

    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    suffix = ".xlsx"

    def __init__(self, target):
        self.book = Workbook(target, {"constant_memory": True})
        self.header = self.book.add_format({"bold": True, "bg_color": "#E7F4EE", "border": 1})
        self.text = self.book.add_format({"num_format": "@"})
        self.date = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.money = self.book.add_format({"num_format": "#,##0"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def sheet(self, name: str, header: list[str], widths: list[int] | None = None):
        sheet = self.book.add_worksheet(name[:31])
        for c, title in enumerate(header):
            sheet.write_string(0, c, str(title), self.header)
            sheet.set_column(c, c, (widths or [])[c] if c < len(widths or []) else 16)
        sheet.freeze_panes(1, 0)
        return _Rows(self, sheet)

    def close(self) -> None:
        self.book.close()


class _Rows:
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
                sheet.write_string(r, c, str(value), book.text)
        self.row += 1
