"""The benefit table versions every database starts with (loaded by a migration).

Kept here, not only in the migration, so a database emptied by tests or by hand can get
them back with :func:`ensure_default_benefit_rules`. Where each figure comes from, and
which dates could not be confirmed, is written in ``docs/claims.md``: keep the two in step.
"""

import datetime as dt

_PP82 = {
    "jkm_lump_sum": 20_000_000,
    "jkm_periodic": 12_000_000,
    "jkm_funeral": 10_000_000,
    "scholarship_max": 174_000_000,
    "scholarship_children": 2,
    "scholarship_min_months": 36,
    "jkk_death_multiple": 48,
    "jkk_funeral": 10_000_000,
    "jkk_periodic": 12_000_000,
    "jkk_disability_multiple": 56,
    "jkk_care": "Perawatan dan pengobatan sesuai kebutuhan medis, tanpa batas biaya",
}

BENEFIT_RULES = [
    {
        **_PP82,
        "effective_from": dt.date(2019, 12, 2),
        "legal_basis": "PP 82/2019 (perubahan PP 44/2015)",
        "notes": (
            "JKM Rp 42 juta = santunan sekaligus Rp 20 juta + berkala Rp 12 juta + pemakaman "
            "Rp 10 juta; beasiswa 2 anak paling banyak Rp 174 juta setelah 3 tahun iuran. "
            "JKK meninggal 48 × penghasilan, cacat total tetap 56 × penghasilan. Tanggal "
            "berlaku = tanggal PP diundangkan."
        ),
    },
    {
        **_PP82,
        "effective_from": dt.date(2021, 3, 1),
        "bpu_early_death_months": 3,
        "bpu_early_death_amount": 10_000_000,
        "legal_basis": "Permenaker 5/2021 (tata cara JKK, JKM, JHT)",
        "notes": (
            "Peserta BPU yang meninggal (bukan karena kecelakaan kerja) dalam 3 bulan pertama "
            "kepesertaan menerima Rp 10 juta, bukan Rp 42 juta. Bulan berlaku belum "
            "dipastikan (diambil 03/2021)."
        ),
    },
    {
        **_PP82,
        "effective_from": dt.date(2025, 2, 24),
        "bpu_early_death_months": 3,
        "bpu_early_death_amount": 10_000_000,
        "legal_basis": "Permenaker 1/2025 (perubahan Permenaker 5/2021)",
        "notes": (
            "Angka manfaat yang ditanyakan peserta tidak berubah. Berlaku sejak diundangkan "
            "24/02/2025 (sumber: docs/claims.md)."
        ),
    },
]


def ensure_default_benefit_rules(model=None) -> int:
    """Add the default versions that are missing; returns how many were added."""
    if model is None:
        from lindung.claims.models import BenefitRule as model
    added = 0
    for row in BENEFIT_RULES:
        values = dict(row)
        effective_from = values.pop("effective_from")
        _, created = model.objects.get_or_create(effective_from=effective_from, defaults=values)
        added += created
    return added
