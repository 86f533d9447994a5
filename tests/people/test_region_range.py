"""The registry's scope above the village is a range of village codes on one index."""

import datetime as dt

import pytest
from django.db import connection

from lindung.accounts.scope import scoped, within
from lindung.people import services
from lindung.people.models import Person
from tests.factories import nik_for, worker_data

BORN = dt.date(1985, 2, 19)

pytestmark = pytest.mark.django_db

# Villages whose codes sit next to the edges of the ranges: the last village of Gianyar's
# first district, the first of the next one, and villages of the neighbouring regencies.
VILLAGES = ["51.04.01.2001", "51.04.01.2012", "51.04.02.2001", "51.03.01.1001", "51.05.01.2001"]


def _register(villages):
    people = {}
    for serial, code in enumerate(villages, start=1):
        data = worker_data(nik=nik_for(code[:8], BORN, "L", serial), village_code=code)
        people[code] = services.register_worker(user=None, data=data)
    return people


@pytest.mark.parametrize(
    "region, expected",
    [
        ("51", VILLAGES),
        ("51.04", VILLAGES[:3]),
        ("51.04.01", VILLAGES[:2]),
        ("51.04.01.2012", VILLAGES[1:2]),
        ("51.05", VILLAGES[4:]),
        ("52", []),
    ],
)
def test_a_region_is_exactly_the_villages_below_it(region, expected, make_user):
    people = _register(VILLAGES)
    found = set(Person.objects.filter(within(region, model=Person)))
    assert found == {people[code] for code in expected}
    user = make_user(f"u{region}", "viewer", region)
    assert set(scoped(user, Person.objects.all())) == found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's collations")
def test_the_village_column_sorts_bytewise_whatever_the_database_collation():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'people_person' AND column_name = 'village_id'"
        )
        assert cursor.fetchone()[0] == "C"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_a_regency_scope_reads_the_village_index(make_user):
    _register(VILLAGES)
    query = scoped(make_user("kab", "viewer", "51.04"), Person.objects.all()).query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    index = Person._meta.indexes[0].name
    assert index in plan, plan
