"""The two Perisai fee rules seen in public reports (sources: docs/agents.md)."""

import datetime as dt

from django.db import migrations

RULES = [
    {
        "code": "perisai-2018",
        "name": "Perisai 2018",
        "legal_basis": "BPJS Ketenagakerjaan, peluncuran Perisai (Sukawati, Februari 2018)",
        "effective_from": dt.date(2018, 2, 1),
        "first_tier_months": None,
        "first_tier_bp": 750,
        "second_tier_months": None,
        "second_tier_bp": 0,
        "acquisition_threshold": 50,
        "incentive_basic": 0,
        "incentive_with_jht": 0,
        "acquisition_bonus": 500_000,
        "organisation_bp": 0,
        "due_day": 5,
        "notes": "7,5% iuran bulanan peserta rekrutan agen; Rp 500.000 bila 50 peserta baru sebulan.",
    },
    {
        "code": "perisai-baru-2022",
        "name": "New Perisai 2022",
        "legal_basis": "Peraturan Direksi BPJS Ketenagakerjaan 13/PERDIR.02/042022",
        "effective_from": dt.date(2022, 4, 1),
        "first_tier_months": 24,
        "first_tier_bp": 1500,
        "second_tier_months": 60,
        "second_tier_bp": 500,
        "acquisition_threshold": 25,
        "incentive_basic": 10_000,
        "incentive_with_jht": 15_000,
        "acquisition_bonus": 0,
        "organisation_bp": 1000,
        "due_day": 5,
        "notes": (
            "15% iuran bulan ke-1–24, 5% bulan ke-25–60 tiap peserta kelolaan; insentif "
            "akuisisi Rp 15.000 (JKK+JKM+JHT) / Rp 10.000 (JKK+JKM) per peserta baru bila "
            "paling sedikit 25 NIK baru sebulan; wadah +10%."
        ),
    },
]


def add_rules(apps, schema_editor):
    FeeRule = apps.get_model("selfpay", "FeeRule")
    for rule in RULES:
        FeeRule.objects.update_or_create(code=rule["code"], defaults=rule)


def remove_rules(apps, schema_editor):
    apps.get_model("selfpay", "FeeRule").objects.filter(
        code__in=[r["code"] for r in RULES], statements__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("selfpay", "0002_feerule_collection_agent_feestatement_feeline_and_more")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
