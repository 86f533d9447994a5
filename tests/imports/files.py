"""Worker files made by the tests: clean ones from the generator, dirty ones by hand."""

import csv
import datetime as dt
import io

import polars as pl

from lindung.imports import samples
from tests.factories import nik_for

HEADER = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "alamat", "no_hp",
          "pekerjaan", "kategori", "penghasilan"]  # fmt: skip
BATUBULAN, KETEWEL = "51.04.01.2001", "51.04.01.2002"


def row(serial: int = 1, **changes) -> dict:
    """A valid worker of Desa Batubulan; ``changes`` override cells by template name."""
    born = dt.date(1985, 2, 19)
    cells = {
        "nik": nik_for("51.04.01", born, "L", serial),
        "nama": "I Made Sudarsana",
        "jenis_kelamin": "L",
        "tanggal_lahir": "19/02/1985",
        "kode_desa": BATUBULAN,
        "alamat": "Banjar Kaja",
        "no_hp": "081234567890",
        "pekerjaan": "Petani",
        "kategori": "pekerja_rentan",
        "penghasilan": "1000000",
    }
    cells.update(changes)
    return cells


def to_csv(rows: list[dict], *, header=None, separator=",", encoding="utf-8", bom=False) -> bytes:
    header = header or list(rows[0]) if rows else header or HEADER
    text = io.StringIO()
    writer = csv.writer(text, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    keys = list(rows[0]) if rows else []
    for cells in rows:
        writer.writerow([cells.get(k, "") for k in keys])
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def to_xlsx(rows: list[dict], *, cell_types: dict | None = None) -> bytes:
    """``cell_types`` maps a column to "number" or "date" to write those cells as Excel would."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Pekerja")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    keys = list(rows[0])
    sheet.write_row(0, 0, keys)
    for r, cells in enumerate(rows, start=1):
        for c, key in enumerate(keys):
            value = cells[key]
            kind = (cell_types or {}).get(key)
            if kind in ("number", "date") and value.isdigit():
                sheet.write_number(r, c, int(value))
            elif kind == "date" and "/" in value:
                day, month, year = map(int, value.split("/"))
                sheet.write_datetime(r, c, dt.datetime(year, month, day), date_format)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def clean_csv(rows: int, *, seed: int = 7, separator: str = ",", villages=None) -> bytes:
    frame = samples.workers_frame(rows, seed=seed, villages=villages)
    return samples.to_csv(frame, separator=separator)


def clean_frame(rows: int, *, seed: int = 7, villages=None) -> pl.DataFrame:
    return samples.workers_frame(rows, seed=seed, villages=villages)
