"""Triggers that note the villages a write made stale (see ``lindung.coverage.triggers``)."""

from django.db import migrations


def create_triggers(apps, schema_editor):
    from lindung.coverage.triggers import create_statements

    for statement in create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    from lindung.coverage.triggers import drop_statements

    for statement in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_initial"),
        ("programs", "0001_initial"),
        ("people", "0002_seed_occupations"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
