"""The one spreadsheet writer: text stays text whatever it starts with, numbers stay numbers."""

import io

import fastexcel
import pytest

from lindung.spreadsheets import CsvSheet, Workbook, XlsxBook, neutralise
from tests.spreadsheet_checks import PAYLOADS, assert_text_not_formula, formula_cells


def _book(write) -> bytes:
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True, "strings_to_formulas": True})
    write(book, book.add_worksheet("Uji"))
    book.close()
    return buffer.getvalue()


def test_strings_are_never_formulas_even_when_a_caller_asks():
    bold = {"bold": True}

    def write(book, sheet):
        fmt = book.add_format(bold)
        for r, payload in enumerate(PAYLOADS):
            sheet.write(r, 0, payload, fmt)  # the generic write() of xlsxwriter
            sheet.write_string(r, 1, payload)
        sheet.write_row(len(PAYLOADS), 0, PAYLOADS)

    data = _book(write)
    assert_text_not_formula(data, PAYLOADS)
    frame = fastexcel.read_excel(data).load_sheet(0, header_row=None).to_polars()
    assert frame.get_column(frame.columns[0]).to_list()[0] == PAYLOADS[0]


def test_numbers_dates_and_plain_text_keep_their_type():
    def write(book, sheet):
        sheet.write(0, 0, 16800)
        sheet.write(0, 1, "I Made")
        sheet.write(0, 2, 2.5)

    frame = fastexcel.read_excel(_book(write)).load_sheet(0, header_row=None).to_polars()
    assert frame.row(0) == (16800.0, "I Made", 2.5)


def test_formulas_are_refused():
    def write(book, sheet):
        sheet.write_formula(0, 0, "=1+1")

    with pytest.raises(TypeError):
        _book(write)


def test_row_by_row_book_quotes_formula_text():
    buffer = io.BytesIO()
    book = XlsxBook(buffer)
    sheet = book.sheet("Pekerja", ["nama", "penghasilan"])
    for payload in PAYLOADS:
        sheet.append([payload, 1_000_000], money={1})
    book.close()
    assert_text_not_formula(buffer.getvalue(), PAYLOADS)
    assert formula_cells(buffer.getvalue()) == []


def test_csv_prefixes_every_formula_start_and_leaves_numbers():
    rows = [[p, 5] for p in PAYLOADS]
    text = b"".join(CsvSheet().rows(rows)).decode("utf-8-sig")
    for payload in PAYLOADS:
        assert neutralise(payload) == "'" + payload
    assert text.count("'") >= len(PAYLOADS) and ",5\r\n" in text
