"""Balinese names made comparable: the key a possible duplicate is matched on.

A worker typed twice rarely has the same name twice. In Bali the differences follow a
pattern, so the key removes what says nothing about the person and keeps what does:

- **Case, punctuation and spacing** go: ``I  MADE sudarta.`` is ``i made sudarta``.
- **The prefixes** ``I`` (men) and ``Ni`` (women) go: the sex is compared on its own, and
  the prefix is as often left out as written.
- **The birth-order name** (``Wayan/Gede/Putu/Luh`` first child, ``Made/Kadek/Nengah``
  second, ``Nyoman/Komang`` third, ``Ketut/Ktut`` fourth) becomes one digit, 1–4, kept
  apart from the rest of the name: ``Gede`` and ``Putu`` are the same child, but
  ``I Made Sudarta`` and ``I Ketut Sudarta`` are brothers, never one person. When several
  stand at the start (``Ni Luh Putu Ayu``) the last one counts: ``Luh`` before another
  birth-order name is the girl's ``Luh``, not the first child's. A name without one gets
  ``0`` (unknown), which matches any order: it was left out, not different.
- **Old and loose spellings** of the rest (the *core*) are written one way. A core with
  ``dj``, ``tj`` or ``oe`` is in the spelling before 1972, still on old cards, where ``j``
  was ``y``: ``Djaja`` is ``Jaya``, ``Soedjana`` is ``Sujana``. Then ``tj``→``c``,
  ``sj``→``sy``, ``oe``→``u``, ``ch``→``k`` (``nj`` stays: ``Panji`` is a name of today;
  the old ``Njoman`` is among the birth-order names), an ``h`` after ``b d g k p t`` dropped
  (``Sudartha``/``Sudarta``, ``Dharma``/``Darma``), and double letters made single
  (``Sudarmma``/``Sudarma``).

The key is the digit followed by the core: ``I Made Sudartha`` → ``2sudarta``. Two keys are
*similar* when their digits agree (or one is ``0``), their cores begin with the same
letter (see :mod:`lindung.people.duplicates`) and have a trigram
similarity of at least :data:`THRESHOLD` (PostgreSQL ``pg_trgm``'s measure; the same
measure in Python, :func:`similarity`, is registered as ``similarity()`` on SQLite, so both
databases flag the same pairs). The spellings above are made equal by the key itself; the
trigram measure catches a typed letter too many or too few.

The key is computed twice, here for one name (a form, the API, the offline sync) and in
:func:`key_expr` for a whole import in polars: ``tests/people/test_names.py`` holds them
equal. Caste titles (``Ida Bagus``, ``Anak Agung``, ``Gusti``, ``Dewa``) are kept as part of
the name: they are written consistently, and dropping them would pair people of
different families.
"""

import re

import polars as pl

# The least trigram similarity of two cores for a possible duplicate.
THRESHOLD = 0.5

BIRTH_ORDER = {
    "wayan": "1",
    "gede": "1",
    "putu": "1",
    "luh": "1",
    "made": "2",
    "kadek": "2",
    "nengah": "2",
    "nyoman": "3",
    "njoman": "3",
    "komang": "3",
    "ketut": "4",
    "ktut": "4",
}
PREFIXES = ("i", "ni")
_ORDER = "|".join(BIRTH_ORDER)
_LEADING = "|".join([*PREFIXES, *BIRTH_ORDER])
# The run of prefixes and birth-order names at the start, each followed by a space (a
# name that is nothing else keeps its last word as its core).
LEADING_RUN = rf"^(?:(?:{_LEADING}) )*"
# The last birth-order name of that run (greedy: the run before it is as long as it can be).
LAST_ORDER = rf"^(?:(?:{_LEADING}) )*({_ORDER}) "
OLD_SPELLING = "dj|tj|oe"
# In an old spelling, first: ``tj`` is ``c``, ``j`` alone is ``y``, ``dj`` is ``j``.
OLD = [("tj", "c"), ("dj", "\x00"), ("j", "y"), ("\x00", "j")]
SPELLINGS = [("sj", "sy"), ("oe", "u"), ("ch", "k")]
H_AFTER = r"([bdgkpt])h"
DOUBLES = [(c * 2, c) for c in "abcdefghijklmnopqrstuvwxyz"]


def _clean(name: str) -> str:
    return re.sub(r"[^a-z]+", " ", (name or "").lower()).strip()


def _spell(core: str) -> str:
    if re.search(OLD_SPELLING, core):
        for old, new in OLD:
            core = core.replace(old, new)
    for old, new in SPELLINGS:
        core = core.replace(old, new)
    core = re.sub(H_AFTER, r"\1", core)
    for _round in range(2):  # a letter written three times too
        for old, new in DOUBLES:
            core = core.replace(old, new)
    return core


def name_key(name: str) -> str:
    """The comparable key of one name (see the module's docstring)."""
    clean = _clean(name)
    order = re.match(LAST_ORDER, clean)
    core = re.sub(LEADING_RUN, "", clean, count=1)
    return (BIRTH_ORDER[order.group(1)] if order else "0") + _spell(core)


def key_expr(column: str) -> pl.Expr:
    """:func:`name_key` of every value of ``column``, vectorised (for an import)."""
    clean = (
        pl.col(column)
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z]+", " ")
        .str.strip_chars()
    )
    order = clean.str.extract(LAST_ORDER, 1).replace_strict(
        BIRTH_ORDER, default="0", return_dtype=pl.String
    )
    core = clean.str.replace(LEADING_RUN, "")
    old = core
    for before, after in OLD:
        old = old.str.replace_all(before, after, literal=True)
    core = pl.when(core.str.contains(OLD_SPELLING)).then(old).otherwise(core)
    core = core.str.replace_many([o for o, _ in SPELLINGS], [n for _, n in SPELLINGS])
    core = core.str.replace_all(H_AFTER, "${1}")
    for _round in range(2):
        core = core.str.replace_many([o for o, _ in DOUBLES], [n for _, n in DOUBLES])
    return pl.concat_str(order.fill_null("0"), core)


def trigrams(text: str) -> set[str]:
    """The trigrams of ``text`` as ``pg_trgm`` makes them: each word padded with two spaces
    before and one after."""
    grams = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(left: str | None, right: str | None) -> float:
    """``pg_trgm``'s ``similarity()``: shared trigrams over all trigrams of the two."""
    a, b = trigrams(left or ""), trigrams(right or "")
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def orders_agree(left: str, right: str) -> bool:
    return left[:1] == right[:1] or "0" in (left[:1], right[:1])


def similar(left_key: str, right_key: str) -> bool:
    """Whether two keys name possibly the same person (given the same birth date and sex):
    the rule of ``people.duplicates.find``'s query, the first letters of the cores equal
    included."""
    return (
        orders_agree(left_key, right_key)
        and left_key[1:2] == right_key[1:2]
        and similarity(left_key[1:], right_key[1:]) >= THRESHOLD
    )
