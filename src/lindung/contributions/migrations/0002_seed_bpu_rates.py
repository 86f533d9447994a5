"""The BPU rate version in force since PP 44/2015 (JKK 1%, JKM Rp 6,800, JHT 2%)."""

from django.db import migrations

from lindung.contributions.defaults import BPU_VERSIONS, ensure_default_rates


def seed(apps, schema_editor):
    ensure_default_rates(apps.get_model("contributions", "BpuRateVersion"))


def unseed(apps, schema_editor):
    apps.get_model("contributions", "BpuRateVersion").objects.filter(
        effective_from__in=[v["effective_from"] for v in BPU_VERSIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
