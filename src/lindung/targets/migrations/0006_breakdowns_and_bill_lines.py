"""Breakdowns of every indicator by the worker's category, sex and occupation.

Longer ``dim`` and ``item`` for the crossed breakdowns (``2024/cat``,
``2024-07-20/pekerja_rentan``): on PostgreSQL a longer ``varchar`` limit changes the
catalogue only, neither the table nor its indexes are rewritten. Triggers on the bill
lines, so that premiums billed are kept in the summary like everything else.
"""

from django.db import migrations, models


def create_triggers(apps, schema_editor):
    from lindung.coverage.triggers import billing_create_statements

    for statement in billing_create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    from lindung.coverage.triggers import billing_drop_statements

    for statement in billing_drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0005_drop_zero_index"),
        ("billing", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(model_name="tally", name="dim", field=models.CharField(max_length=12)),
        migrations.AlterField(
            model_name="tally", name="item", field=models.CharField(max_length=40)
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
