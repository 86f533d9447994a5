"""PostgreSQL: covering indexes, so the dashboards' reads of the summary are index-only.

A regency's village table reads ~16 rows per village (852 villages in Kab. Aceh Utara),
each on a different heap page; with the counted columns in the index, PostgreSQL answers
from the index alone. SQLite has no ``INCLUDE`` and does not need it at its scale.
"""

from django.db import migrations

INDEXES = {
    "tally_children_cover": (
        "CREATE INDEX IF NOT EXISTS tally_children_cover ON targets_tally "
        "(parent_code, measure, dim, day) INCLUDE (region_code, item, delta)"
    ),
    "tally_region_cover": (
        "CREATE INDEX IF NOT EXISTS tally_region_cover ON targets_tally "
        "(region_code, measure, dim, day) INCLUDE (item, delta)"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in INDEXES.values():
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("targets", "0003_triggers_set_difference")]

    operations = [migrations.RunPython(create, drop)]
