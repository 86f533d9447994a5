"""The first rule of size and required programs (see ``ComplianceRule``): dated data."""

import datetime as dt

from django.db import migrations

SOURCE = (
    "Skala usaha menurut jumlah pekerja sebagaimana dipakai BPS (mikro 1-4, kecil 5-19, "
    "menengah 20-99, besar 100 atau lebih), karena PP 7/2021 Pasal 35-36 menetapkan skala "
    "UMKM menurut modal usaha dan hasil penjualan tahunan serta membolehkan kriteria lain "
    "seperti jumlah tenaga kerja bila keduanya tidak diketahui. Program wajib: Perpres "
    "109/2013 Pasal 6 (besar dan menengah JKK, JKM, JHT, JP; kecil JKK, JKM, JHT; mikro JKK, "
    "JKM) dan PP 37/2021 (JKP bagi pemberi kerja yang mengikutsertakan pekerjanya dalam JKK, "
    "JKM, JHT dan JP)."
)


def seed(apps, schema_editor):
    Rule = apps.get_model("employers", "ComplianceRule")
    Rule.objects.get_or_create(
        valid_from=dt.date(2021, 2, 2),
        defaults={
            "micro_max": 4,
            "small_max": 19,
            "medium_max": 99,
            "programs_micro": "JKK,JKM",
            "programs_small": "JKK,JKM,JHT",
            "programs_medium": "JKK,JKM,JHT,JP,JKP",
            "programs_large": "JKK,JKM,JHT,JP,JKP",
            "source": SOURCE,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("employers", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
