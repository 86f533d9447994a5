"""Dashboard tables as an Excel workbook: one sheet per table, real numbers with formats.

Text is always written as a string cell (``write_string``), never as a formula, whatever
it starts with; counts, rates and rupiah are numbers, so the finance office can sum them.
"""

import datetime as dt
import io

from django.utils.translation import gettext as _

from lindung.dashboards.tables import COUNT, DATE, MONEY, RATE, STATUS, Table, write
from lindung.spreadsheets import Workbook


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "tabel"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} {n}"
        n += 1
    used.add(name.lower())
    return name


def workbook(tables: list[Table], *, heading: list[str]) -> bytes:
    """``heading``: lines written above every table (region, date, sources)."""
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title_format = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1, "text_wrap": True})
    formats = {
        COUNT: book.add_format({"num_format": "#,##0"}),
        RATE: book.add_format({"num_format": "0.00%"}),
        MONEY: book.add_format({"num_format": '"Rp "#,##0'}),
        DATE: book.add_format({"num_format": "dd/mm/yyyy"}),
    }
    used: set[str] = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.sheet or table.title, used))
        sheet.write_string(0, 0, table.title, title_format)
        row = 1
        for line in heading:
            sheet.write_string(row, 0, line)
            row += 1
        if table.note:
            sheet.write_string(row, 0, table.note)
            row += 1
        row += 1
        for col, column in enumerate(table.columns):
            sheet.write_string(row, col, column.label, header)
            sheet.set_column(col, col, 28 if col == 0 else 16)
        first_data = row + 1
        for values in table.rows:
            row += 1
            for col, (value, column) in enumerate(zip(values, table.columns, strict=True)):
                _write(sheet, row, col, value, column.kind, formats)
        if table.rows:
            sheet.autofilter(first_data - 1, 0, row, len(table.columns) - 1)
        sheet.freeze_panes(first_data, 1)
        if not table.rows:
            sheet.write_string(row + 1, 0, _("Belum ada data."), bold)
    book.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value, kind: str, formats: dict) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif kind == COUNT and isinstance(value, int):
        sheet.write_number(row, col, value, formats[COUNT])
    elif kind == RATE and isinstance(value, int):
        sheet.write_number(row, col, value / 10000, formats[RATE])
    elif kind == MONEY and isinstance(value, int):
        sheet.write_number(row, col, value, formats[MONEY])
    elif kind == DATE and isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats[DATE])
    elif kind == STATUS:
        sheet.write_string(row, col, write(value, kind))
    else:
        sheet.write_string(row, col, str(value))
