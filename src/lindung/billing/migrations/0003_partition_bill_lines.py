"""PostgreSQL: bill lines partitioned by month of ``covered_month`` (``lindung.partitioning``).

The table is copied into a partitioned twin of the same name (same columns, indexes,
foreign key, triggers and id sequence; primary key ``(id, covered_month)``) in this
migration's transaction. Django's model is unchanged; SQLite keeps a plain table.
"""

from django.db import migrations

from lindung.partitioning import MONTH, Scheme, partition_table, unpartition_table

SCHEME = Scheme("billing_billline", "covered_month", MONTH)


def forward(apps, schema_editor):
    partition_table(schema_editor, SCHEME)


def backward(apps, schema_editor):
    unpartition_table(schema_editor, SCHEME.table)


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0002_history"),
        ("regions", "0002_region_code_bytewise"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
