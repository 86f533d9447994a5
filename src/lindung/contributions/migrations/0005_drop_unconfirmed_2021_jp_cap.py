"""The JP wage cap was not raised in March 2021 (Rp 8,754,600 stayed in force): drop the
2021 row an earlier seed added, if it is still the seeded one. See docs/rates.md."""

import datetime as dt

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("contributions", "WageCap").objects.filter(
        program="JP", effective_from=dt.date(2021, 3, 1), amount=8_939_700
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("contributions", "0004_seed_pu_caps_relief")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
