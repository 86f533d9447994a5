"""PostgreSQL: three indexes on the summary instead of five, so that a refresh after a large
import writes less (every changed row is an entry in every index).

- ``tally_children`` goes: ``tally_children_cover`` (migration 0004) has the same key.
- ``tally_region_cover`` goes: the unique index, which every refresh needs anyway, carries
  ``delta`` (``INCLUDE``), so a region's own rows are still read from the index alone.

The model keeps declaring the plain index and constraint, which is what SQLite has (it has
no ``INCLUDE`` and at its scale needs none); on PostgreSQL the names stay, so a later
migration that drops them finds them or passes (``IF EXISTS``).
"""

from django.db import migrations

KEY = "region_code, measure, dim, item, day"

FORWARD = [
    "DROP INDEX IF EXISTS tally_children",
    "DROP INDEX IF EXISTS tally_region_cover",
    "ALTER TABLE targets_tally DROP CONSTRAINT tally_unique",
    f"ALTER TABLE targets_tally ADD CONSTRAINT tally_unique UNIQUE ({KEY}) INCLUDE (delta)",
]
BACKWARD = [
    "ALTER TABLE targets_tally DROP CONSTRAINT tally_unique",
    f"ALTER TABLE targets_tally ADD CONSTRAINT tally_unique UNIQUE ({KEY})",
    "CREATE INDEX IF NOT EXISTS tally_region_cover ON targets_tally "
    "(region_code, measure, dim, day) INCLUDE (item, delta)",
    "CREATE INDEX IF NOT EXISTS tally_children ON targets_tally (parent_code, measure, dim, day)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("targets", "0007_rebuild_summary")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
