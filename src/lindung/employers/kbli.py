"""KBLI 2020: the business classification an employer's sector is chosen from.

Its source is the Peraturan Badan Pusat Statistik Nomor 2 Tahun 2020 tentang Klasifikasi
Baku Lapangan Usaha Indonesia (BPS). No maintained machine-readable KBLI 2020 package
exists on PyPI or npm, so the list comes in two parts:

- ``data/kbli2020.csv``, kept with the product: the 21 sections (kategori A–U) with their
  official names, the division (golongan pokok) ranges of each section, and the few 5-digit
  codes (kelompok) the demo and the tests use;
- the full table of 5-digit codes, loaded into the database from the file BPS publishes
  (``lindung kbli load FILE``: :func:`read_table` here, the write in
  ``services.load_kbli``, kept as :class:`~lindung.employers.models.KbliCode`).

A code in neither is refused as unknown, never guessed. The database is asked per code
(one primary-key probe), not read whole: an import parses each distinct value once, a
list page the codes of its rows.
"""

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from lindung.refusals import Refusal, RowProblem
from lindung.uploads import UPLOAD_MESSAGES, inspect
from lindung.uploads import read_table as read_cells

DATA = Path(__file__).with_name("data") / "kbli2020.csv"
SOURCE = "Peraturan BPS No. 2 Tahun 2020 (KBLI 2020)"


@cache
def _kept() -> tuple[dict[str, str], dict[str, tuple[int, int]], dict[str, str]]:
    sections, ranges, codes = {}, {}, {}
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "kategori":
                sections[row["code"]] = row["title"]
                low, high = row["divisions"].split("-")
                ranges[row["code"]] = (int(low), int(high))
            else:
                codes[row["code"]] = row["title"]
    return sections, ranges, codes


def sections() -> dict[str, str]:
    """``{"A": "Pertanian, Kehutanan dan Perikanan", ...}`` in order."""
    return _kept()[0]


def _loaded(codes=None) -> dict[str, str]:
    """The loaded codes (all, or those of ``codes``) with their titles."""
    from lindung.employers.models import KbliCode

    rows = KbliCode.objects.all()
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    return dict(rows.values_list("code", "title"))


def codes() -> dict[str, str]:
    """Every known 5-digit code with its title: the kept ones and the loaded ones."""
    return dict(sorted({**_kept()[2], **_loaded()}.items()))


def title_of(code: str) -> str | None:
    """A 5-digit code's title, ``None`` for a code that is not known."""
    if code in _kept()[2]:
        return _kept()[2][code]
    return _loaded([code]).get(code)


def section_of(code: str) -> str | None:
    """The section a 5-digit code lies in (by its division, the first two digits)."""
    division = int(code[:2])
    for letter, (low, high) in _kept()[1].items():
        if low <= division <= high:
            return letter
    return None


def parse(value: str) -> tuple[str, str] | None:
    """``(section, code)`` for a section letter or a known 5-digit code, else ``None``."""
    value = (value or "").strip().upper()
    if len(value) == 1 and value in sections():
        return value, ""
    if len(value) == 5 and value.isdigit() and title_of(value) is not None:
        return section_of(value), value
    return None


def choices() -> list[tuple[str, str]]:
    """Sections, each followed by its known codes: one list for forms."""
    out = []
    known = codes()
    by_section: dict[str, list[str]] = {}
    for code in known:
        by_section.setdefault(section_of(code) or "", []).append(code)
    for letter, title in sections().items():
        out.append((letter, f"{letter} — {title}"))
        for code in by_section.get(letter, []):
            out.append((code, f"    {code} — {known[code]}"))
    return out


def filter_choices(selected: str = "") -> list[tuple[str, str]]:
    """The choices of a list's sector filter: the sections, the codes kept with the
    product and the code selected. Not the whole loaded table: ~1,800 options on every
    page of a list would cost its speed, and a section narrows as far as a list needs."""
    out = []
    kept = _kept()[2]
    chosen = parse(selected)
    extra = {chosen[1]: title_of(chosen[1])} if chosen and chosen[1] else {}
    for letter, title in sections().items():
        out.append((letter, f"{letter} — {title}"))
        for code, name in sorted({**kept, **extra}.items()):
            if section_of(code) == letter:
                out.append((code, f"    {code} — {name}"))
    return out


def label(section: str, code: str = "") -> str:
    if code:
        return f"{code} {title_of(code) or ''}".strip()
    return f"{section} {sections().get(section, '')}".strip()


# ---- the BPS table, read for ``lindung kbli load`` ---------------------------------------

MAX_BYTES = 10 * 1024 * 1024
HEADERS = {
    "code": ("kode", "kode kbli", "kode_kbli", "kbli", "code"),
    "title": ("judul", "uraian", "nama", "judul kbli", "title", "description"),
}
FILE_MESSAGES = {
    **UPLOAD_MESSAGES,
    "file_empty": _("Berkas kosong: tidak ada baris data di bawah judul kolom."),
    "file_unreadable": _("Berkas tidak dapat dibaca: unggah CSV atau XLSX (Excel 2007 ke atas)."),
    "file_xls": _("Berkas .xls (Excel lama) tidak didukung: simpan ulang sebagai .xlsx."),
    "column_missing": _(
        "Kolom wajib tidak ada: %(columns)s. Tabel KBLI harus berjudul kolom 'kode' dan "
        "'judul' (atau 'uraian')."
    ),
    "no_codes": _(
        "Berkas ini tidak memuat satu pun kode KBLI 5 angka (kelompok): periksa bahwa ini "
        "tabel KBLI 2020 dari BPS dan kolom kode berformat Teks."
    ),
}
ROW_MESSAGES = {
    "code_invalid": _(
        "Kode '%(value)s' bukan kode KBLI: tulis huruf kategori (A–U) atau 2 sampai 5 angka."
    ),
    "code_lost_zero": _(
        "Kode '%(value)s' tampaknya kehilangan nol di depannya karena selnya berformat angka "
        "(01111 terbaca 1111, 01 terbaca 1; kode kategori A diawali 0): format kolom kode "
        "sebagai Teks, lalu salin ulang kodenya dari terbitan BPS."
    ),
    "division_unknown": _(
        "Kode %(value)s: golongan pokok %(division)s tidak ada di KBLI 2020 (01–99 per kategori)."
    ),
    "title_required": _("Judul kode %(value)s kosong: salin judulnya dari terbitan BPS."),
    "duplicate_in_file": _(
        "Kode %(value)s sudah ada di baris %(first)s dengan judul lain: sisakan satu."
    ),
}


class KbliFileRefused(Refusal):
    messages = FILE_MESSAGES


@dataclass
class KbliTable:
    """The 5-digit codes of a BPS table, with what is wrong in it row by row. Rows of the
    levels above (kategori, golongan pokok, golongan, subgolongan) are counted, not kept."""

    codes: dict[str, str] = field(default_factory=dict)
    above: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


def _headers(row: list[str]) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(row):
        for name, aliases in HEADERS.items():
            if name not in found and _norm(cell) in {_norm(a) for a in aliases}:
                found[name] = index
    return found


def _problem(number: int, name: str, code: str, value: str, **params) -> RowProblem:
    message = str(ROW_MESSAGES[code]) % {"value": value, **params}
    return RowProblem(number, name, HEADERS[name][0], code, value, message)


def read_table(content: bytes, name: str = "") -> KbliTable:
    """The codes of a KBLI 2020 table (CSV or XLSX, a ``kode`` and a ``judul`` column).

    A code is text: ``01111`` stays ``01111``. A cell Excel stored as a number loses its
    leading zero (section A's codes all begin with ``0``): ``01111`` becomes ``1111``, which
    looks like a 4-digit subgolongan, and ``01`` becomes ``1``. Such a row is refused with
    its own message, never skipped as a level above: a one-digit number is no KBLI code,
    and a 4-digit code under which the file holds no 5-digit code is not a subgolongan
    (every subgolongan of KBLI 2020 has at least one kelompok).
    """
    inspect(content, name, limit=MAX_BYTES, refuse=KbliFileRefused)
    table = read_cells(content, name, refuse=KbliFileRefused, score=lambda r: len(_headers(r)))
    headers = _headers(table[0])
    missing = [HEADERS[n][0] for n in HEADERS if n not in headers]
    if missing:
        raise KbliFileRefused("column_missing", columns=", ".join(missing))
    result, first_row, subgroups = KbliTable(), {}, []
    for number, cells in enumerate(table[1:], start=2):
        cell = {n: str(cells[i]).strip() if i < len(cells) else "" for n, i in headers.items()}
        code, title = cell["code"], " ".join(cell["title"].split())
        if not code and not title:
            continue
        if re.fullmatch(r"\d(\.0+)?|\d{2,4}\.0+", code):
            result.problems.append(_problem(number, "code", "code_lost_zero", code))
            continue
        if not re.fullmatch(r"[A-Ua-u]|\d{2,5}", code):
            result.problems.append(_problem(number, "code", "code_invalid", code))
            continue
        if len(code) == 4:
            subgroups.append((number, code))
            continue
        if len(code) < 5:
            result.above += 1
            continue
        if section_of(code) is None:
            result.problems.append(
                _problem(number, "code", "division_unknown", code, division=code[:2])
            )
        elif not title:
            result.problems.append(_problem(number, "title", "title_required", code))
        elif code in result.codes and result.codes[code] != title:
            result.problems.append(
                _problem(number, "code", "duplicate_in_file", code, first=first_row[code])
            )
        else:
            result.codes.setdefault(code, title)
            first_row.setdefault(code, number)
    parents = {code[:4] for code in result.codes}
    for number, code in subgroups:
        if code in parents:
            result.above += 1
        else:
            result.problems.append(_problem(number, "code", "code_lost_zero", code))
    result.problems.sort(key=lambda problem: problem.row)
    if not result.codes and not result.problems:
        raise KbliFileRefused("no_codes")
    return result
