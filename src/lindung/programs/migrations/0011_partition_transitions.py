"""PostgreSQL: enrollment transitions partitioned by year of ``at``, in the program's time
zone (``lindung.partitioning``).

The table is copied into a partitioned twin of the same name (same columns, indexes,
foreign keys, triggers and id sequence; primary key ``(id, at)``) in this migration's
transaction. Django's model is unchanged; SQLite keeps a plain table.
"""

from django.conf import settings
from django.db import migrations

from lindung.partitioning import YEAR, Scheme, partition_table, unpartition_table


def forward(apps, schema_editor):
    partition_table(schema_editor, Scheme("programs_transition", "at", YEAR, settings.TIME_ZONE))


def backward(apps, schema_editor):
    unpartition_table(schema_editor, "programs_transition")


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0010_agreed_lists"),
        ("regions", "0002_region_code_bytewise"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
