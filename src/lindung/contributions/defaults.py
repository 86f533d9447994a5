"""The rate versions every database starts with (loaded by a migration).

Kept here, not only in the migration, so a database emptied by tests or by hand can get
them back with :func:`ensure_default_rates`.
"""

import datetime as dt

BPU_VERSIONS = [
    {
        "effective_from": dt.date(2015, 7, 1),
        "jkk_rate_bp": 100,
        "jkk_min": 10_000,
        "jkk_max": 207_000,
        "jkm_amount": 6_800,
        "jht_rate_bp": 200,
        "income_floor": 1_000_000,
        "income_step": 500_000,
        "legal_basis": "PP 44/2015 (lampiran iuran BPU); PP 82/2019 mengubah manfaat, bukan iuran",
        "notes": (
            "JKK 1% dari golongan penghasilan (paling sedikit Rp 10.000, paling banyak "
            "Rp 207.000), JKM Rp 6.800, JHT 2%. Langkah golongan Rp 500.000 di atas "
            "Rp 1.000.000 belum dicocokkan dengan lampiran resmi: periksa sebelum dipakai "
            "untuk penghasilan di atas golongan terendah."
        ),
    },
]


def ensure_default_rates(model=None) -> int:
    """Add the default versions that are missing; returns how many were added."""
    if model is None:
        from lindung.contributions.models import BpuRateVersion as model
    added = 0
    for version in BPU_VERSIONS:
        values = dict(version)
        _, created = model.objects.get_or_create(
            effective_from=values.pop("effective_from"), defaults=values
        )
        added += created
    return added
