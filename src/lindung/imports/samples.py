"""Synthetic worker files that look like the real ones: Bali villages, valid NIKs.

Used by the tests, the benchmark and demos. Generation is vectorised (a million rows in
about a second) and deterministic for a seed. Nobody in these files is real.
"""

import csv
import io
from functools import cache

import polars as pl

from lindung.imports.columns import COLUMNS
from lindung.regions.codes import VILLAGE, official_codes

FIRST_MALE = ["I Made", "I Wayan", "I Nyoman", "I Ketut", "I Putu", "I Gede", "I Komang"]
FIRST_FEMALE = ["Ni Made", "Ni Luh", "Ni Wayan", "Ni Nyoman", "Ni Ketut", "Ni Putu", "Ni Kadek"]
GIVEN = [
    "Sudarsana", "Artini", "Suarta", "Budiasih", "Wirawan", "Sariani", "Mertayasa", "Suweca",
    "Astuti", "Darmawan", "Puspayanti", "Adnyana", "Yuliani", "Sukadana", "Widiastuti",
    "Arsana", "Rusmini", "Suardana", "Kartini", "Sutama", "Wiratama", "Suparta", "Sumerta",
]  # fmt: skip
OCCUPATIONS = [
    "Petani", "Pedagang", "Buruh harian lepas", "Petugas parkir", "Nelayan", "Pengrajin",
    "Peternak", "Kader posyandu", "Perangkat desa", "Tukang ojek", "petani", "Pedagang kaki lima",
    "Tukang bangunan", "Penjahit", "Pemandu wisata", "Sopir", "Pembuat canang",
]  # fmt: skip
CATEGORIES = ["pekerja_rentan"] * 6 + ["petugas_parkir", "kader_desa", "perangkat_desa"]
INCOMES = ["1000000", "1000000", "1000000", "1500000", "2000000", "1.250.000"]
BANJAR = ["Kaja", "Kelod", "Kangin", "Kauh", "Tengah", "Anyar", "Delod Peken"]
_DAYS = 16_000  # birth dates spread over ~44 years from 1962
_SERIALS = 9_999
_SPACE = _DAYS * _SERIALS
_STEP = 1_000_003  # prime, so i → i·STEP mod SPACE is a permutation: NIKs never repeat


@cache
def bali_villages(prefix: str = "51") -> tuple[str, ...]:
    return tuple(
        r.code for r in official_codes() if r.level == VILLAGE and r.code.startswith(prefix + ".")
    )


def _pick(options: list[str], hashed: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(options)).get((hashed % len(options)).cast(pl.Int64))


def workers_frame(rows: int, *, seed: int = 7, villages: tuple[str, ...] | None = None):
    """``rows`` valid workers with the template's column names, all text."""
    villages = villages or bali_villages()
    index = pl.int_range(rows, dtype=pl.Int64)

    def hashed(salt: int) -> pl.Expr:
        return (index + salt * 7919 + seed * 104_729).hash(seed + salt)

    slot = (index * _STEP + seed) % _SPACE
    born = pl.date(1962, 1, 1) + pl.duration(days=slot // _SERIALS)
    serial = slot % _SERIALS + 1
    female = (hashed(1) % 2) == 1
    village = _pick(list(villages), hashed(2))
    day = born.dt.day().cast(pl.Int64) + pl.when(female).then(40).otherwise(0)
    nik = pl.concat_str(
        village.str.slice(0, 8).str.replace_all(".", "", literal=True),
        day.cast(pl.String).str.zfill(2),
        born.dt.strftime("%m%y"),
        serial.cast(pl.String).str.zfill(4),
    )
    first = (
        pl.when(female).then(_pick(FIRST_FEMALE, hashed(3))).otherwise(_pick(FIRST_MALE, hashed(3)))
    )
    frame = pl.select(
        nik.alias("nik"),
        pl.concat_str(first, _pick(GIVEN, hashed(4)), separator=" ").alias("nama"),
        pl.when(female).then(pl.lit("P")).otherwise(pl.lit("L")).alias("jenis_kelamin"),
        born.dt.strftime("%d/%m/%Y").alias("tanggal_lahir"),
        village.alias("kode_desa"),
        pl.concat_str(pl.lit("Banjar"), _pick(BANJAR, hashed(5)), separator=" ").alias("alamat"),
        pl.concat_str(
            pl.lit("08"), (hashed(6) % 9_000_000_000 + 1_000_000_000).cast(pl.String)
        ).alias("no_hp"),
        _pick(OCCUPATIONS, hashed(7)).alias("pekerjaan"),
        _pick(CATEGORIES, hashed(8)).alias("kategori"),
        _pick(INCOMES, hashed(9)).alias("penghasilan"),
    )
    return frame


def to_csv(frame: pl.DataFrame, *, separator: str = ",", encoding: str = "utf-8", bom=False):
    """The bytes of a CSV file as Excel or LibreOffice would save it."""
    if encoding == "utf-8" and not bom:
        return frame.write_csv(separator=separator).encode()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=separator, lineterminator="\r\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.iter_rows())
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def to_xlsx(frame: pl.DataFrame, path=None, *, numbers_as_numbers: bool = False):
    """An XLSX file (bytes, or written to ``path``) with the NIK column kept as text."""
    import xlsxwriter

    target = path or io.BytesIO()
    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = book.add_worksheet("Pekerja")
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, frame.columns)
    for r, values in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if numbers_as_numbers and isinstance(value, str) and value.isdigit():
                sheet.write_number(r, c, int(value))
            else:
                sheet.write_string(r, c, value, text)
    book.close()
    return None if path else target.getvalue()


TEMPLATE_HEADER = [c.name for c in COLUMNS]
