"""The common informal occupations of village workers, as a starting list to manage."""

from django.db import migrations

from lindung.people.occupations import ensure_occupations


def seed(apps, schema_editor):
    ensure_occupations(apps.get_model("people", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
