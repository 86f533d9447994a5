"""Import report rows get the day they were written, and on PostgreSQL are partitioned by
month of it (``lindung.partitioning``), so that old reports can be detached and archived.

The rows already there take their job's day. The unique key ``(job, row)`` becomes
``(job, row, written_on)`` (a partitioned table's unique keys hold its key); then the
table is copied into a partitioned twin of the same name in this migration's transaction.
SQLite keeps a plain table.
"""

from django.db import migrations, models

import lindung.imports.models
from lindung.partitioning import MONTH, Scheme, partition_table, unpartition_table

SCHEME = Scheme("imports_importrow", "written_on", MONTH)


def days_of_their_jobs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        day = "(j.created_at AT TIME ZONE 'UTC')::date"
    else:
        day = "date(j.created_at)"
    schema_editor.execute(
        f"UPDATE imports_importrow SET written_on = (SELECT {day} FROM imports_importjob j "
        "WHERE j.id = imports_importrow.job_id) "
        "WHERE EXISTS (SELECT 1 FROM imports_importjob j WHERE j.id = imports_importrow.job_id)"
    )


def forward(apps, schema_editor):
    partition_table(schema_editor, SCHEME)


def backward(apps, schema_editor):
    unpartition_table(schema_editor, SCHEME.table)


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0003_update_imports_member_list_and_welfare"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="importrow",
            name="import_row_once",
        ),
        migrations.AddField(
            model_name="importrow",
            name="written_on",
            field=models.DateField(
                db_default=lindung.imports.models.CurrentDate(),
                editable=False,
                verbose_name="ditulis",
            ),
        ),
        migrations.RunPython(days_of_their_jobs, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="importrow",
            constraint=models.UniqueConstraint(
                fields=("job", "row", "written_on"), name="import_row_once"
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
