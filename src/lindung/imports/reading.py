"""Read a CSV or XLSX worker file into a table of text, whatever the file looks like.

Everything is read as text (a NIK must never become a number here) and mapped to the
canonical fields of :mod:`lindung.imports.columns`. Problems with the file as a whole
(not a spreadsheet, no usable header, a required column missing) raise :class:`FileRefused`
with a stable code; problems of single rows are left to the checks.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings

from lindung.imports.columns import COLUMNS, HeaderMap, map_headers
from lindung.refusals import Refusal
from lindung.uploads import inspect

ROW = "row"  # the row number as a spreadsheet shows it (the header is row 1)
RAGGED = "ragged"  # the row has more cells than the header
# Whether the NIK cell of an XLSX row was stored as a number, not text: Excel keeps 15
# significant digits of a number, so a 16-digit NIK typed into such a cell lost its last
# digit (it became 0). Only an XLSX file can tell; a CSV never has this column.
NIK_NUMBER = "nik_number_cell"


class FileRefused(Refusal):
    """The file cannot be imported at all; ``code`` is stable, ``params`` fill the message."""


@dataclass
class RawTable:
    frame: pl.DataFrame  # ROW, RAGGED and one text column per mapped field
    headers: HeaderMap
    file_format: str  # "csv" or "xlsx"
    details: dict = field(default_factory=dict)  # encoding, delimiter, sheet


def sniff_format(data: bytes, name: str = "") -> str:
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused("file_xls")
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise FileRefused("file_unreadable")
    return "csv"


def max_file_bytes() -> int:
    """The largest worker list read at all. Uploads are held to the smaller upload limit
    (``LINDUNG_UPLOAD_MAX_BYTES``) before they get here; a file on the server's disk
    (``lindung import workers``) may be a regency's million rows."""
    return int(getattr(settings, "LINDUNG_IMPORT_MAX_MB", 200)) * 1024 * 1024


def read_table(data: bytes, name: str = "", *, village_given: bool = False) -> RawTable:
    """Read ``data`` (the bytes of the file) and check that the columns are usable."""
    inspect(data, name, limit=max_file_bytes(), refuse=FileRefused)
    file_format = sniff_format(data, name)
    if file_format == "xlsx":
        frame, headers, details = _read_xlsx(data)
    else:
        frame, headers, details = _read_csv(data)
    if headers.duplicated:
        raise FileRefused("column_duplicate", columns=", ".join(headers.duplicated))
    if missing := headers.missing(village_given=village_given):
        raise FileRefused("column_missing", columns=", ".join(c.name for c in missing))
    frame = _canonical(frame, headers)
    if frame.height == 0:
        raise FileRefused("file_empty")
    return RawTable(frame=frame, headers=headers, file_format=file_format, details=details)


def _canonical(frame: pl.DataFrame, headers: HeaderMap) -> pl.DataFrame:
    """Rename to field names, drop unused columns and wholly empty rows."""
    columns = [ROW, RAGGED]
    if NIK_NUMBER in frame.columns:
        columns.append(NIK_NUMBER)
    for column in COLUMNS:
        if column.field in headers.fields:
            frame = frame.rename({headers.fields[column.field]: column.field})
            columns.append(column.field)
    frame = frame.select(columns)
    values = [c for c in columns if c not in (ROW, RAGGED, NIK_NUMBER)]
    blank = pl.all_horizontal(
        [pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in values]
    )
    return frame.filter(~blank | pl.col(RAGGED))


# ---- CSV -------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes of the file: UTF-8 (with or without BOM) as is, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    # The five bytes Windows-1252 leaves undefined are taken as Latin-1.
    text = "".join(
        chunk.decode("cp1252", errors="strict") if i % 2 == 0 else chunk.decode("latin-1")
        for i, chunk in enumerate(_split_undefined(data))
    )
    return text.encode("utf-8"), "windows-1252"


def _split_undefined(data: bytes) -> list[bytes]:
    parts, start = [], 0
    for i, byte in enumerate(data):
        if byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
            parts.extend([data[start:i], data[i : i + 1]])
            start = i + 1
    parts.append(data[start:])
    return parts


def sniff_delimiter(header_line: str) -> str:
    """The separator of the header line: the most frequent of ``;``, ``,`` and tab."""
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> tuple[pl.DataFrame, HeaderMap, dict]:
    data, encoding = decode(data)
    first_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    separator = sniff_delimiter(first_line)
    headers_raw = next(csv.reader([first_line], delimiter=separator))
    names = _unique_names(headers_raw)
    headers = map_headers(names)
    options = dict(
        separator=separator,
        has_header=False,
        skip_rows=1,
        infer_schema=False,
        new_columns=names,
        empty_string_is_null=False,
        raise_if_empty=False,
    )
    ragged_rows: set[int] = set()
    try:
        try:
            frame = pl.read_csv(io.BytesIO(data), **options)
        except pl.exceptions.ComputeError:
            # A row with more cells than the header (a separator inside an unquoted value):
            # find which rows, then read again keeping the first cells of each row.
            ragged_rows = _ragged_rows(data, separator, len(names))
            frame = pl.read_csv(io.BytesIO(data), truncate_ragged_lines=True, **options)
    except (pl.exceptions.SchemaError, pl.exceptions.ComputeError, csv.Error):
        # Rows with fewer cells than the header from the first row on: read them in
        # Python, the missing cells empty (the row checks then name what is missing).
        frame, ragged_rows = _read_short_rows(data, separator, names)
    if frame.width < len(names):  # the file is only a header
        frame = pl.DataFrame({n: pl.Series([], dtype=pl.String) for n in names})
    frame = frame.with_row_index(ROW, offset=2).with_columns(
        pl.col(ROW).cast(pl.Int64),
        pl.col(ROW).is_in(sorted(ragged_rows)).alias(RAGGED),
    )
    return frame, headers, {"encoding": encoding, "delimiter": separator}


def _unique_names(headers: list[str]) -> list[str]:
    names, seen = [], set()
    for i, header in enumerate(headers):
        name = header.strip() or f"column_{i + 1}"
        while name in seen or name in (ROW, RAGGED):
            name += "_"
        seen.add(name)
        names.append(name)
    return names


def _read_short_rows(data: bytes, separator: str, names: list[str]):
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=separator)
        next(reader, None)
        rows = list(reader)
    except csv.Error as exc:
        raise FileRefused("file_unreadable") from exc
    width = len(names)
    ragged = {number for number, cells in enumerate(rows, start=2) if len(cells) > width}
    columns = {
        name: pl.Series([cells[i] if i < len(cells) else "" for cells in rows], dtype=pl.String)
        for i, name in enumerate(names)
    }
    return pl.DataFrame(columns), ragged


def _ragged_rows(data: bytes, separator: str, width: int) -> set[int]:
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=separator)
    next(reader, None)
    return {number for number, cells in enumerate(reader, start=2) if len(cells) > width}


# ---- XLSX ------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> tuple[pl.DataFrame, HeaderMap, dict]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except (fastexcel.FastExcelError, zipfile.BadZipFile, ValueError) as exc:
        raise FileRefused("file_unreadable") from exc
    chosen, best = 0, -1
    # The first sheet whose header names the most of our columns (a report or a template
    # may have a sheet of instructions before or after the data).
    for index in range(len(reader.sheet_names)):
        try:
            head = reader.load_sheet(index, n_rows=1, dtypes="string").to_polars()
        except fastexcel.FastExcelError:
            continue
        score = len(map_headers(head.columns).fields)
        if score > best:
            chosen, best = index, score
    try:
        sheet = reader.load_sheet(chosen, dtypes="string")
        frame = sheet.to_polars()
    except fastexcel.FastExcelError as exc:
        raise FileRefused("file_unreadable") from exc
    names = [str(name) for name in frame.columns]
    cleaned = _unique_names(["" if n.startswith("__UNNAMED__") else n for n in names])
    frame = frame.rename(dict(zip(names, cleaned, strict=True)))
    headers = map_headers(cleaned)
    frame = frame.with_columns(pl.all().cast(pl.String)).with_row_index(ROW, offset=2)
    frame = frame.with_columns(pl.col(ROW).cast(pl.Int64), pl.lit(False).alias(RAGGED))
    if nik_column := headers.fields.get("nik"):
        numbers = _number_cells(reader, chosen, names[cleaned.index(nik_column)])
        if numbers is None or len(numbers) != frame.height:
            numbers = pl.repeat(False, frame.height, eager=True)
        frame = frame.with_columns(numbers.alias(NIK_NUMBER))
    return frame, headers, {"sheet": reader.sheet_names[chosen]}


def _number_cells(reader, sheet: int, column: str) -> pl.Series | None:
    """Which cells of the NIK column hold a number rather than text.

    The sheet is read as text (a NIK must stay text), which hides a cell's type; read
    alone as booleans, the column gives a value for number cells and null for text.
    """
    import fastexcel

    try:
        cells = reader.load_sheet(sheet, use_columns=[column], dtypes={column: "boolean"})
        return cells.to_polars().to_series(0).is_not_null()
    except (fastexcel.FastExcelError, ValueError, pl.exceptions.PolarsError):
        return None
