"""KBLI 2020: the business classification an employer's sector is chosen from.

The list is data (``data/kbli2020.csv``), read once. Its source is the Peraturan Badan Pusat
Statistik Nomor 2 Tahun 2020 tentang Klasifikasi Baku Lapangan Usaha Indonesia (BPS). No
maintained machine-readable KBLI 2020 package exists on PyPI or npm, so the file is kept here:
it holds the 21 sections (kategori A–U) with their official names, the division (golongan
pokok) ranges of each section, and only the 5-digit codes (kelompok) the regency's lists use
so far. A code missing from the file is refused as unknown: add its row from the BPS
publication (never a code from memory) and the forms, imports and API accept it.
"""

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "kbli2020.csv"
SOURCE = "Peraturan BPS No. 2 Tahun 2020 (KBLI 2020)"


@cache
def _rows() -> tuple[dict[str, str], dict[str, tuple[int, int]], dict[str, str]]:
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
    return _rows()[0]


def codes() -> dict[str, str]:
    """The 5-digit codes kept, with their titles."""
    return _rows()[2]


def section_of(code: str) -> str | None:
    """The section a 5-digit code lies in (by its division, the first two digits)."""
    division = int(code[:2])
    for letter, (low, high) in _rows()[1].items():
        if low <= division <= high:
            return letter
    return None


def parse(value: str) -> tuple[str, str] | None:
    """``(section, code)`` for a section letter or a kept 5-digit code, else ``None``."""
    value = (value or "").strip().upper()
    if len(value) == 1 and value in sections():
        return value, ""
    if len(value) == 5 and value.isdigit() and value in codes():
        return section_of(value), value
    return None


def choices() -> list[tuple[str, str]]:
    """Sections, each followed by its kept codes: one list for forms."""
    out = []
    kept = codes()
    for letter, title in sections().items():
        out.append((letter, f"{letter} — {title}"))
        for code in sorted(c for c in kept if section_of(c) == letter):
            out.append((code, f"    {code} — {kept[code]}"))
    return out


def label(section: str, code: str = "") -> str:
    if code:
        return f"{code} {codes().get(code, '')}".strip()
    return f"{section} {sections().get(section, '')}".strip()
