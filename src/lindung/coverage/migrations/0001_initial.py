"""The summary's two tables move from the ``targets`` app to this one: in Django's state
only. The tables, their indexes and the triggers that write into them stay as the targets
app's migrations made them (``db_table`` keeps their names), so no row is copied."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("targets", "0008_fewer_summary_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='DirtyVillage',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('village_code', models.CharField(max_length=13)),
            ],
            options={
                'verbose_name': 'desa menunggu ringkasan',
                'verbose_name_plural': 'desa menunggu ringkasan',
                'db_table': 'targets_dirtyvillage',
            },
        ),
        migrations.CreateModel(
            name='Tally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('region_code', models.CharField(max_length=13)),
                ('level', models.PositiveSmallIntegerField()),
                ('parent_code', models.CharField(max_length=13)),
                ('measure', models.CharField(max_length=6)),
                ('dim', models.CharField(max_length=12)),
                ('item', models.CharField(max_length=40)),
                ('day', models.DateField()),
                ('delta', models.BigIntegerField()),
            ],
            options={
                'verbose_name': 'ringkasan',
                'verbose_name_plural': 'ringkasan',
                'db_table': 'targets_tally',
                'indexes': [models.Index(fields=['parent_code', 'measure', 'dim', 'day'], name='tally_children')],
                'constraints': [models.UniqueConstraint(fields=('region_code', 'measure', 'dim', 'item', 'day'), name='tally_unique')],
            },
        ),
            ],
            database_operations=[],
        ),
    ]
