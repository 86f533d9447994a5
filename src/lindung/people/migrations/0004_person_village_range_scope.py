# The registry's scope above the village becomes a range of village codes on the one
# (village, full_name) index; the three single-level indexes go. A range of codes needs a
# bytewise order: PostgreSQL gets the column in collation "C" (under a linguistic
# collation such as en_US, dots are ignored and "51.04.01.2001" would not sort between
# "51.04." and "51.04/"); SQLite's default collation is bytewise already.

from django.db import migrations


def village_column_in_c(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE people_person ALTER COLUMN village_id TYPE varchar(13) COLLATE "C"'
        )


def village_column_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE people_person ALTER COLUMN village_id TYPE varchar(13) "
            'COLLATE "default"'
        )


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_slimmer_person_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='person',
            name='people_pers_regency_aace18_idx',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='people_pers_distric_9a3a95_idx',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='people_pers_provinc_7c18f0_idx',
        ),
        migrations.RunPython(village_column_in_c, village_column_default, elidable=False),
    ]
