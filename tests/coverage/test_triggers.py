"""The write paths mark the villages they touch, through database triggers, and a refresh
recomputes only those; a read costs one probe when nothing changed."""

import datetime as dt

import pytest
from django.db import connection, transaction

from lindung.coverage import indicators, summary, triggers
from lindung.coverage.models import DirtyVillage, Tally
from lindung.people.services import update_worker
from lindung.programs.services import update_program
from tests.coverage.builders import (
    BATUBULAN,
    KETEWEL,
    enroll,
    make_person,
    make_program,
    sponsored_path,
)

pytestmark = pytest.mark.django_db
D = dt.date


def marked() -> set[str]:
    return set(DirtyVillage.objects.values_list("village_code", flat=True))


def test_nothing_to_do_costs_one_query(gianyar, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert summary.refresh() == 0


def test_a_corrected_category_moves_the_breakdown(gianyar):
    person = gianyar.p3  # Ketewel, covered from 20/07
    update_worker(user=None, person=person, changes={"category": "kader_desa"}, today=D(2024, 8, 1))
    assert marked() == {KETEWEL}
    assert summary.refresh() == 1
    parts = indicators.breakdowns("51.04", D(2024, 7, 25))
    assert parts.by_category == {"pekerja_rentan": 2, "kader_desa": 1}
    assert summary.verify() == []


def test_a_person_field_that_does_not_matter_marks_nothing(gianyar):
    person = gianyar.p3
    update_worker(
        user=None, person=person, changes={"address": "Banjar Kelod"}, today=D(2024, 8, 1)
    )
    assert marked() == set()


def test_an_enrollment_marks_every_village_of_the_same_person(db):
    program = make_program()
    person = make_person(BATUBULAN)
    enroll(person, program, sponsored_path(D(2024, 1, 2), D(2024, 1, 15), ("ended", D(2024, 7, 1))))
    summary.refresh()
    # The same person, later enrolled through Ketewel (moved house): both villages.
    enroll(person, program, [("proposed", D(2024, 7, 1))], village=KETEWEL)
    assert marked() == {BATUBULAN, KETEWEL}


def test_a_program_year_change_marks_its_villages(gianyar):
    update_program(user=None, program=gianyar.province, changes={"year": 2025})
    assert marked() == {BATUBULAN}
    summary.refresh()
    assert indicators.breakdowns("51.04", D(2024, 7, 25)).quota_places == 600
    assert summary.verify() == []


def test_a_rolled_back_write_leaves_no_mark(gianyar):
    with transaction.atomic():
        update_worker(
            user=None, person=gianyar.p3, changes={"category": "kader_desa"}, today=D(2024, 8, 1)
        )
        transaction.set_rollback(True)
    assert marked() == set()


def test_refresh_touches_only_the_marked_villages(gianyar):
    before = set(Tally.objects.filter(level=4).values_list("region_code", flat=True))
    assert before == {BATUBULAN, KETEWEL, "51.04.01.2003", "51.01.02.2001"}
    jembrana_rows = list(
        Tally.objects.filter(region_code__startswith="51.01")
        .order_by("pk")
        .values_list("pk", "delta")
    )
    update_worker(
        user=None, person=gianyar.p3, changes={"category": "kader_desa"}, today=D(2024, 8, 1)
    )
    summary.refresh()
    after = list(
        Tally.objects.filter(region_code__startswith="51.01")
        .order_by("pk")
        .values_list("pk", "delta")
    )
    assert after == jembrana_rows  # another regency's rows are not rewritten


def test_sqlite_triggers_come_back_after_a_table_rebuild(db):
    """SQLite drops a table's triggers with the table when a migration rebuilds it; the
    coverage app makes them again after every ``migrate``."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps triggers across ALTER TABLE")

    def names() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return {row[0] for row in cursor.fetchall()}

    expected = {name for name, _when, _body in triggers.SQLITE_TRIGGERS}
    assert expected <= names()
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER targets_person_upd")
    assert "targets_person_upd" not in names()
    triggers.restore_sqlite_triggers()
    assert expected <= names()
