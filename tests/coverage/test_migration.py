"""A database built by the version before the split (the summary's tables in the targets
app, no coverage app) migrates to the new layout with every row kept: the move is made in
Django's state only."""

import hashlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lindung.coverage import summary

OLD_LAYOUT = [("targets", "0008_fewer_summary_indexes"), ("coverage", None)]


def _fingerprint() -> tuple[int, int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT region_code, measure, dim, item, day, delta FROM targets_tally "
            "ORDER BY region_code, measure, dim, item, day"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT COUNT(*) FROM targets_dirtyvillage")
        (dirty,) = cursor.fetchone()
    digest = hashlib.sha256(repr([tuple(map(str, row)) for row in rows]).encode()).hexdigest()
    return len(rows), dirty, digest


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_an_old_layout_database_keeps_its_summary(transactional_db, gianyar):
    # Committed, not in a test transaction: SQLite's schema editor refuses to run in one.
    _migrate(OLD_LAYOUT)
    applied = MigrationExecutor(connection).loader.applied_migrations
    assert ("coverage", "0001_initial") not in applied
    with connection.cursor() as cursor:  # the old version writes as it did
        cursor.execute("INSERT INTO targets_dirtyvillage (village_code) VALUES ('51.04.01.2002')")
    before = _fingerprint()
    assert before[0] > 0 and before[1] == 1

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(latest)

    assert _fingerprint() == before
    assert summary.pending()  # the waiting village is still waiting
    summary.refresh()
    assert summary.verify() == []
