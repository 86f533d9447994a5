"""The rate versions and relief rules every database starts with (loaded by migrations).

Kept here, not only in the migrations, so a database emptied by tests or by hand can get
them back with :func:`ensure_default_rates`. Where each figure comes from, and which ones
could not be confirmed, is written in ``docs/rates.md``: keep the two in step.
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

_PU_BASE = {
    "jkk_class1_bp": 24,
    "jkk_class2_bp": 54,
    "jkk_class3_bp": 89,
    "jkk_class4_bp": 127,
    "jkk_class5_bp": 174,
    "jkm_bp": 30,
    "jht_employer_bp": 370,
    "jht_worker_bp": 200,
    "jp_employer_bp": 200,
    "jp_worker_bp": 100,
}

PU_VERSIONS = [
    {
        **_PU_BASE,
        "effective_from": dt.date(2015, 7, 1),
        "legal_basis": "PP 44/2015 (JKK, JKM); PP 46/2015 (JHT); PP 45/2015 (JP)",
        "notes": "JKK 0,24–1,74% menurut kelompok risiko, JKM 0,30%, JHT 3,7% + 2%, JP 2% + 1%.",
    },
    {
        **_PU_BASE,
        "effective_from": dt.date(2021, 2, 1),
        "jkp_government_bp": 22,
        "jkp_from_jkk_bp": 14,
        "jkp_from_jkm_bp": 10,
        "legal_basis": "PP 37/2021 (JKP)",
        "notes": (
            "JKP 0,46% dari upah (batas Rp 5.000.000): 0,22% Pemerintah Pusat, 0,14% "
            "rekomposisi JKK, 0,10% rekomposisi JKM. Pemberi kerja tidak membayar tambahan. "
            "Bulan iuran pertama JKP belum dipastikan (diambil bulan PP diundangkan)."
        ),
    },
    {
        **_PU_BASE,
        "effective_from": dt.date(2025, 2, 1),
        "jkp_government_bp": 22,
        "jkp_from_jkk_bp": 14,
        "jkp_from_jkm_bp": 0,
        "legal_basis": "PP 6/2025 (perubahan PP 37/2021)",
        "notes": (
            "JKP 0,36% dari upah: 0,22% Pemerintah Pusat, 0,14% rekomposisi JKK; "
            "rekomposisi JKM dihapus. Bulan berlaku diambil bulan PP diundangkan (02/2025)."
        ),
    },
]

_JP_CAP_BASIS = "PP 45/2015 Pasal 29 (disesuaikan tiap tahun dengan pertumbuhan PDB)"
_UNCHECKED = "Angka pengumuman tahunan BPJS Ketenagakerjaan; belum dicocokkan dengan sumber resmi."
_CHECKED = "Dicocokkan dengan pemberitaan pengumuman BPJS Ketenagakerjaan."
_IN_FORCE_2021 = (
    "Berlaku 02/2021 menurut surat edaran BPJS Ketenagakerjaan B/0246/022021 (diberitakan); "
    "bulan mulainya belum dipastikan."
)

WAGE_CAPS = [
    ("JP", dt.date(2015, 7, 1), 7_000_000, "PP 45/2015", _CHECKED),
    ("JP", dt.date(2016, 3, 1), 7_335_300, _JP_CAP_BASIS, _UNCHECKED),
    ("JP", dt.date(2017, 3, 1), 7_703_500, _JP_CAP_BASIS, _UNCHECKED),
    ("JP", dt.date(2018, 3, 1), 8_094_000, _JP_CAP_BASIS, _UNCHECKED),
    ("JP", dt.date(2019, 3, 1), 8_512_400, _JP_CAP_BASIS, _UNCHECKED),
    ("JP", dt.date(2020, 3, 1), 8_754_600, _JP_CAP_BASIS, _IN_FORCE_2021),
    # 2021: unchanged (the economy shrank in 2020; the insurer's circular of 02/2021 keeps
    # Rp 8,754,600). 2022 = 8,754,600 × 1.0369 (growth of 2021).
    ("JP", dt.date(2022, 3, 1), 9_077_600, _JP_CAP_BASIS, _UNCHECKED),
    ("JP", dt.date(2023, 3, 1), 9_559_600, _JP_CAP_BASIS, _CHECKED),
    ("JP", dt.date(2024, 3, 1), 10_042_300, _JP_CAP_BASIS, _CHECKED),
    ("JP", dt.date(2025, 3, 1), 10_547_400, _JP_CAP_BASIS, _UNCHECKED),
    ("JKP", dt.date(2021, 2, 1), 5_000_000, "PP 37/2021", _CHECKED),
]

_STATE_BUDGETS = ["apbn", "apbd", "apbd_province"]

RELIEF_RULES = [
    {
        "code": "pp49-2020-covid",
        "name": "Keringanan iuran masa COVID-19 (JKK dan JKM −99%)",
        "legal_basis": "PP 49/2020",
        "segment": "",
        "programs": ["JKK", "JKM"],
        "discount_bp": 9_900,
        "first_month": dt.date(2020, 8, 1),
        "last_month": dt.date(2021, 1, 1),
        "participants": "all",
        "excluded_payers": [],
        "notes": (
            "Contoh historis. Syarat PP 49/2020 (iuran lunas s.d. Juli 2020; peserta baru "
            "membayar penuh dua bulan pertama) tidak dimodelkan."
        ),
    },
    {
        "code": "pp50-2025-transport",
        "name": "Keringanan iuran BPU pekerja transportasi (JKK dan JKM −50%)",
        "legal_basis": "PP 50/2025",
        "segment": "BPU",
        "programs": ["JKK", "JKM"],
        "discount_bp": 5_000,
        "first_month": dt.date(2026, 1, 1),
        "last_month": dt.date(2027, 3, 1),
        "participants": "transport",
        "excluded_payers": _STATE_BUDGETS,
        "notes": (
            "Ojek daring dan pangkalan, sopir, kurir, logistik. Peserta yang iurannya "
            "dibayar APBN/APBD dikecualikan; APBDes menurut pengaturan "
            "LINDUNG_RELIEF_EXCLUDES_APBDES."
        ),
    },
    {
        "code": "pp50-2025-other",
        "name": "Keringanan iuran BPU selain transportasi (JKK dan JKM −50%)",
        "legal_basis": "PP 50/2025",
        "segment": "BPU",
        "programs": ["JKK", "JKM"],
        "discount_bp": 5_000,
        "first_month": dt.date(2026, 4, 1),
        "last_month": dt.date(2026, 12, 1),
        "participants": "non_transport",
        "excluded_payers": _STATE_BUDGETS,
        "notes": (
            "Semua peserta BPU selain pekerja transportasi. Peserta yang iurannya dibayar "
            "APBN/APBD dikecualikan; APBDes menurut pengaturan LINDUNG_RELIEF_EXCLUDES_APBDES."
        ),
    },
]


def _ensure(model, rows, keys) -> int:
    added = 0
    for row in rows:
        values = dict(row)
        lookup = {key: values.pop(key) for key in keys}
        _, created = model.objects.get_or_create(**lookup, defaults=values)
        added += created
    return added


def ensure_default_pu_rates(model=None, cap_model=None) -> int:
    if model is None:
        from lindung.contributions.models import PuRateVersion as model
    if cap_model is None:
        from lindung.contributions.models import WageCap as cap_model
    caps = [
        {"program": p, "effective_from": d, "amount": a, "legal_basis": b, "notes": n}
        for p, d, a, b, n in WAGE_CAPS
    ]
    return _ensure(model, PU_VERSIONS, ["effective_from"]) + _ensure(
        cap_model, caps, ["program", "effective_from"]
    )


def ensure_default_relief_rules(model=None) -> int:
    if model is None:
        from lindung.contributions.models import ReliefRule as model
    return _ensure(model, RELIEF_RULES, ["code"])


def ensure_default_rates(model=None) -> int:
    """Add the default versions that are missing; returns how many were added.

    With ``model`` (a migration's historical BPU model) only the BPU table is seeded;
    without it, every table: BPU, PU, wage caps and relief rules.
    """
    if model is not None:
        return _ensure(model, BPU_VERSIONS, ["effective_from"])
    from lindung.contributions.models import BpuRateVersion

    return (
        _ensure(BpuRateVersion, BPU_VERSIONS, ["effective_from"])
        + ensure_default_pu_rates()
        + ensure_default_relief_rules()
    )
