"""Permenaker 1/2025 in force from its promulgation, 24/02/2025, not the assumed 01/01/2025.

The date: Permenaker 1/2025 (amending Permenaker 5/2021) was promulgated (*diundangkan*) on
24 February 2025 (see ``docs/claims.md`` for the source). Only the seeded row is moved, and
only while it still carries the assumed date and the seeded legal basis: a row an
administrator corrected is left as it is.
"""

import datetime as dt

from django.db import migrations

ASSUMED = dt.date(2025, 1, 1)
PROMULGATED = dt.date(2025, 2, 24)
BASIS = "Permenaker 1/2025 (perubahan Permenaker 5/2021)"
NOTES = (
    "Angka manfaat yang ditanyakan peserta tidak berubah. Berlaku sejak diundangkan "
    "24/02/2025 (sumber: docs/claims.md)."
)
OLD_NOTES = (
    "Angka manfaat yang ditanyakan peserta tidak berubah. Tanggal berlaku belum "
    "dipastikan (diambil 01/01/2025); periksa sebelum dipakai untuk klaim resmi."
)


def move(apps, schema_editor, old, new, notes):
    rules = apps.get_model("claims", "BenefitRule").objects
    if rules.filter(effective_from=new).exists():
        return
    rules.filter(effective_from=old, legal_basis=BASIS).update(effective_from=new, notes=notes)


def forward(apps, schema_editor):
    move(apps, schema_editor, ASSUMED, PROMULGATED, NOTES)


def backward(apps, schema_editor):
    move(apps, schema_editor, PROMULGATED, ASSUMED, OLD_NOTES)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_claims_register")]
    operations = [migrations.RunPython(forward, backward)]
