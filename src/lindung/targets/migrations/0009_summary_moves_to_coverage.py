"""The summary's tables now belong to the ``coverage`` app (its migration 0001): they leave
this app's state, and the database keeps them as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0008_fewer_summary_indexes"),
        ("coverage", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DirtyVillage"),
                migrations.DeleteModel(name="Tally"),
            ],
            database_operations=[],
        ),
    ]
