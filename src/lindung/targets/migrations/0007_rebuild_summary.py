"""An existing summary is rebuilt in the new shape: breakdowns of every measure by
category, sex and occupation, premiums billed, moves of state as ``from>to``, sponsored per
category read from the funders. A new database has nothing to rebuild. On a large
registry this takes a while (10 million workers: see ``docs/performance.md``)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from lindung.coverage import summary

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM targets_tally LIMIT 1")
        if cursor.fetchone() is None:
            return
    summary.rebuild()


class Migration(migrations.Migration):
    dependencies = [("targets", "0006_breakdowns_and_bill_lines")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
