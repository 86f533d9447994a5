"""PostgreSQL: the update triggers find changed rows by set difference (see
``lindung.coverage.triggers._pg_changed``) instead of joining the transition tables."""

from django.db import migrations


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from lindung.coverage.triggers import create_statements, drop_statements

    for statement in drop_statements("postgresql") + create_statements("postgresql"):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("targets", "0002_dirty_village_triggers")]

    operations = [migrations.RunPython(recreate, migrations.RunPython.noop)]
