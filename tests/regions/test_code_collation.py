"""Region codes compare byte by byte on PostgreSQL, on the key and on every column that
refers to it, so a join on a region code can use the regions' key (``regions.fields``)."""

import pytest
from django.apps import apps
from django.db import connection

from lindung.people.selectors import workers_for
from lindung.people.services import register_worker
from lindung.regions.models import Region
from tests.factories import worker_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's collations"),
]


def _columns_referring_to_regions():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Region:
                yield model._meta.db_table, field.column
    yield Region._meta.db_table, "code"


def test_every_column_that_refers_to_a_region_is_in_collation_c():
    columns = sorted(set(_columns_referring_to_regions()))
    assert len(columns) > 10
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        )
        collations = {(table, column): collation for table, column, collation in cursor}
    assert {c: collations[c] for c in columns if collations[c] != "C"} == {}


def test_a_lookup_by_nik_reads_its_village_by_the_regions_key(make_user):
    admin = make_user("kab", "regency_admin", "51.04")
    person = register_worker(user=admin, data=worker_data())
    people = workers_for(admin, nik=person.nik)
    sql, params = people.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on regions_region" not in plan, plan
    assert "on regions_region" in plan, plan
