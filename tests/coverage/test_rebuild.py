"""``summary.rebuild`` on PostgreSQL writes a new table and swaps it in: the summary must
come back with the same indexes, constraints and identity, and stay refreshable."""

import datetime as dt

import pytest
from django.db import connection

from lindung.coverage import summary
from lindung.coverage.models import Tally
from lindung.programs.models import Enrollment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's swap"),
]


def shape() -> dict:
    """What the rest of the system relies on: index and constraint names and definitions,
    the columns' defaults and the identity's sequence."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'targets_tally'"
        )
        indexes = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'targets_tally'::regclass"
        )
        constraints = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT column_name, is_nullable, data_type, is_identity, column_default "
            "FROM information_schema.columns WHERE table_name = 'targets_tally'"
        )
        columns = sorted(cursor.fetchall())
        cursor.execute("SELECT pg_get_serial_sequence('targets_tally', 'id')")
        sequence = cursor.fetchone()[0]
    return {"indexes": indexes, "constraints": constraints, "columns": columns, "seq": sequence}


def test_rebuild_swaps_in_a_table_of_the_same_shape(gianyar):
    before = shape()
    stored = sorted(
        Tally.objects.values_list("region_code", "measure", "dim", "item", "day", "delta")
    )
    assert summary.rebuild() == len(stored)
    assert shape() == before
    assert before["seq"] == "public.targets_tally_id_seq"
    rebuilt = sorted(
        Tally.objects.values_list("region_code", "measure", "dim", "item", "day", "delta")
    )
    assert rebuilt == stored
    # Twice in a row (the second finds the first's table in place), then an ordinary
    # refresh upserts through the unique constraint of the new table.
    summary.rebuild()
    assert shape() == before
    enrollment = Enrollment.objects.get(person=gianyar.p3)
    Enrollment.objects.filter(pk=enrollment.pk).update(coverage_end=dt.date(2024, 11, 30))
    assert summary.refresh() == 1
    assert summary.verify() == []
    # The identity still numbers new rows.
    row = Tally.objects.create(
        region_code="51.04", level=2, parent_code="51", measure="sp", dim="", item="",
        day=dt.date(2030, 1, 1), delta=1,
    )  # fmt: skip
    assert row.pk > max(Tally.objects.exclude(pk=row.pk).values_list("pk", flat=True))


def test_the_summary_keeps_three_indexes(db):
    """Every index is paid for by every refresh: the key for upserts (carrying ``delta`` so
    a region's rows are read from it alone) and the children's covering index."""
    indexes = dict(shape()["indexes"])
    assert set(indexes) == {"targets_tally_pkey", "tally_unique", "tally_children_cover"}
    assert indexes["tally_unique"].endswith(
        "(region_code, measure, dim, item, day) INCLUDE (delta)"
    )
