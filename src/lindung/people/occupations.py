"""The managed occupation list every database starts with (seeded by a migration).

Kept here, not only in the migration, so a database emptied by tests or by hand can get
it back with :func:`ensure_occupations`.
"""

OCCUPATIONS = [
    # code, Indonesian name, English name, transport worker (PP 50/2025 relief group)
    ("petani", "Petani", "Farmer", False),
    ("pekebun", "Pekebun", "Planter", False),
    ("peternak", "Peternak", "Livestock farmer", False),
    ("nelayan", "Nelayan", "Fisher", False),
    ("pembudidaya_ikan", "Pembudidaya ikan", "Fish farmer", False),
    ("pedagang", "Pedagang", "Trader", False),
    ("pedagang_kaki_lima", "Pedagang kaki lima", "Street vendor", False),
    ("petugas_parkir", "Petugas parkir", "Parking attendant", False),
    ("buruh_harian_lepas", "Buruh harian lepas", "Day labourer", False),
    ("buruh_tani", "Buruh tani", "Farm labourer", False),
    ("tukang_bangunan", "Tukang bangunan", "Construction worker", False),
    ("pengrajin", "Pengrajin", "Craftsperson", False),
    ("penjahit", "Penjahit", "Tailor", False),
    ("asisten_rumah_tangga", "Asisten rumah tangga", "Domestic worker", False),
    ("seniman", "Seniman", "Artist", False),
    ("pemandu_wisata", "Pemandu wisata", "Tour guide", False),
    ("pemangku", "Pemangku (rohaniwan adat)", "Temple priest", False),
    ("kader_posyandu", "Kader posyandu", "Posyandu cadre", False),
    ("perangkat_desa", "Perangkat desa", "Village official", False),
    ("linmas", "Linmas / pecalang", "Village security", False),
    ("tukang_ojek", "Tukang ojek", "Motorbike taxi driver", True),
    ("pengemudi_ojek_daring", "Pengemudi ojek daring", "Ride-hailing driver", True),
    ("sopir", "Sopir", "Driver", True),
    ("kurir", "Kurir", "Courier", True),
    ("buruh_angkut", "Buruh angkut / logistik", "Porter / logistics worker", True),
    ("lainnya", "Lainnya", "Other", False),
]


def ensure_occupations(model=None) -> None:
    """Add the starting occupations that are missing (``model``: a migration's own)."""
    if model is None:
        from lindung.people.models import Occupation as model
    for code, name, name_en, transport in OCCUPATIONS:
        model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_transport": transport}
        )
