"""The benefit table versions of PP 82/2019, Permenaker 5/2021 and Permenaker 1/2025."""

from django.db import migrations

from lindung.claims.defaults import BENEFIT_RULES, ensure_default_benefit_rules


def seed(apps, schema_editor):
    ensure_default_benefit_rules(apps.get_model("claims", "BenefitRule"))


def unseed(apps, schema_editor):
    apps.get_model("claims", "BenefitRule").objects.filter(
        effective_from__in=[v["effective_from"] for v in BENEFIT_RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_benefit_rules")]
    operations = [migrations.RunPython(seed, unseed)]
