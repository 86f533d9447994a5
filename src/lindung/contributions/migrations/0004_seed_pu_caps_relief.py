"""The formal-sector (PU) rate versions, the JP/JKP wage caps and the relief rules
(PP 49/2020, PP 50/2025) every database starts with; see ``docs/rates.md``."""

from django.db import migrations

from lindung.contributions.defaults import (
    PU_VERSIONS,
    RELIEF_RULES,
    WAGE_CAPS,
    ensure_default_pu_rates,
    ensure_default_relief_rules,
)


def seed(apps, schema_editor):
    ensure_default_pu_rates(
        apps.get_model("contributions", "PuRateVersion"),
        apps.get_model("contributions", "WageCap"),
    )
    ensure_default_relief_rules(apps.get_model("contributions", "ReliefRule"))


def unseed(apps, schema_editor):
    apps.get_model("contributions", "PuRateVersion").objects.filter(
        effective_from__in=[v["effective_from"] for v in PU_VERSIONS]
    ).delete()
    for program, date, *_ in WAGE_CAPS:
        apps.get_model("contributions", "WageCap").objects.filter(
            program=program, effective_from=date
        ).delete()
    apps.get_model("contributions", "ReliefRule").objects.filter(
        code__in=[r["code"] for r in RELIEF_RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_rates_pu_caps_relief")]
    operations = [migrations.RunPython(seed, unseed)]
