"""PostgreSQL: self-paid collection lines partitioned by month of ``month`` (the month a
line pays for; ``lindung.partitioning``).

The fee lines' foreign key to them is kept by Django only (first operation): PostgreSQL
cannot reference the partitioned table's key ``(id, month)`` by the id alone. Then the
table is copied into a partitioned twin of the same name (same columns, indexes, foreign
keys and id sequence; primary key ``(id, month)``; the unique key ``(person, month)``
already holds the partition key) in this migration's transaction. SQLite keeps a plain
table.
"""

import django.db.models.deletion
from django.db import migrations, models

from lindung.partitioning import MONTH, Scheme, partition_table, unpartition_table

SCHEME = Scheme("selfpay_collectionline", "month", MONTH)


def forward(apps, schema_editor):
    partition_table(schema_editor, SCHEME)


def backward(apps, schema_editor):
    unpartition_table(schema_editor, SCHEME.table)


class Migration(migrations.Migration):

    dependencies = [
        ("selfpay", "0005_history"),
        ("regions", "0002_region_code_bytewise"),
    ]

    operations = [
        migrations.AlterField(
            model_name="feeline",
            name="collection_line",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="fee_lines",
                to="selfpay.collectionline",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
