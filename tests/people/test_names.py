"""Balinese names made comparable: true and false pairs, and the polars key equal to the
Python one."""

import polars as pl
import pytest
from django.db import connection

from lindung.people.names import key_expr, name_key, similar, similarity

# (name, name, same person possible?) — given the same birth date and sex.
PAIRS = [
    ("I Made Sudarta", "I Made Sudartha", True),  # th / t
    ("I Made Sudarta", "Made Sudarta", True),  # the prefix left out
    ("I Made Sudarta", "I Kadek Sudarta", True),  # Made and Kadek: the second child
    ("I Ketut Sudarta", "I Ktut Sudarta", True),
    ("Ni Luh Putu Ayu", "Ni Luh Ayu", True),  # Putu and Luh: the first child (judgement)
    ("I Wayan Sudarmma", "I Gede Sudarma", True),  # double letter; Wayan and Gede
    ("Ni Made Soekarni", "Ni Made Sukarni", True),  # oe / u
    ("I Gede Djaja", "I Gede Jaya", True),  # the old spelling: dj / j, j / y
    ("I Nyoman Tjandra", "I Komang Candra", True),  # tj / c; Nyoman and Komang
    ("I Made Dharma Putra", "I Made Darma Putra", True),  # dh / d
    ("I Made Sudarta", "I Made Sudarata", True),  # one letter too many
    ("I Made Sudarta", "I Ketut Sudarta", False),  # brothers: second and fourth child
    ("Ni Luh Made Ayu", "Ni Luh Ayu", False),  # Luh before Made is the girl's Luh
    ("I Made Sudarta", "I Made Sudirta", False),  # another name
    ("I Made Sudarsana", "I Made Sudarsono", False),
    ("I Ketut Wirawan", "I Ketut Wiratama", False),
    ("Ni Made Artini", "Ni Made Astini", False),
    ("I Made Panji", "I Made Pandji", True),
    ("I Made Panji", "I Made Panyi", False),  # nj stays nj
]


@pytest.mark.parametrize(("left", "right", "same"), PAIRS)
def test_balinese_pairs(left, right, same):
    assert similar(name_key(left), name_key(right)) is same


def test_keys():
    assert name_key("I Made Sudartha") == "2sudarta"
    assert name_key("  NI   LUH putu ayu ") == "1ayu"
    assert name_key("Ktut Sudarta") == "4sudarta"
    assert name_key("Soedjana") == "0sujana"  # no birth-order name: matches any
    assert name_key("") == "0"


def test_polars_key_equals_python_key():
    names = [left for left, _, _ in PAIRS] + [right for _, right, _ in PAIRS]
    names += ["", "Ni Luh", "I Gede  DJAJA", "O'Neil-Ana", "Njoman Tjokro", "Komang Aaa"]
    keys = pl.DataFrame({"n": names}).select(key_expr("n")).to_series().to_list()
    assert keys == [name_key(n) for n in names]


@pytest.mark.django_db
def test_sql_similarity_equals_python(db):
    """pg_trgm's similarity() on PostgreSQL, the Python one on SQLite: the same figures."""
    pairs = [(name_key(a)[1:], name_key(b)[1:]) for a, b, _ in PAIRS]
    with connection.cursor() as cursor:
        for left, right in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [left, right])
            assert cursor.fetchone()[0] == pytest.approx(similarity(left, right), abs=1e-6)
