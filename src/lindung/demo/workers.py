"""Synthetic workers for the demo: the same people every run, on real villages."""

import datetime as dt
import random

from lindung.people.categories import Category
from lindung.people.models import Occupation, Person
from lindung.regions.codes import compact
from lindung.regions.models import Region

MALE_NAMES = ["I Made", "I Wayan", "I Nyoman", "I Ketut", "I Putu", "I Gede", "I Komang"]
FEMALE_NAMES = ["Ni Made", "Ni Luh", "Ni Wayan", "Ni Nyoman", "Ni Ketut", "Ni Putu", "Ni Komang"]
GIVEN = [
    "Sudarsana",
    "Artini",
    "Suarta",
    "Budiasih",
    "Wirawan",
    "Sariani",
    "Mertayasa",
    "Suweca",
    "Astuti",
    "Darmawan",
    "Puspayanti",
    "Adnyana",
    "Yuliani",
    "Sukadana",
    "Widiastuti",
    "Arsana",
    "Rusmini",
    "Suardana",
    "Kartini",
    "Sutama",
]
OCCUPATIONS = [
    "petani",
    "pedagang",
    "buruh_harian_lepas",
    "petugas_parkir",
    "nelayan",
    "pengrajin",
    "peternak",
    "kader_posyandu",
    "perangkat_desa",
    "tukang_ojek",
]
CATEGORY_OF = {
    "petugas_parkir": Category.PETUGAS_PARKIR,
    "kader_posyandu": Category.PEKERJA_SOSIAL,
    "perangkat_desa": Category.PERANGKAT_DESA,
}


def demo_nik(village_code: str, sex: str, born: dt.date, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{compact(village_code)[:6]}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def demo_workers(
    villages: list[Region],
    per_village: int,
    seed: int = 2024,
    *,
    first_serial: int = 1,
    born: tuple[int, int] = (1962, 2004),
) -> list[Person]:
    """Synthetic workers, the same every run: ``per_village`` in each village.

    ``first_serial`` and ``born`` (years) let other demo data make further, distinct people.
    """
    rng = random.Random(seed)
    occupations = {o.code: o for o in Occupation.objects.all()}
    people = []
    for village in villages:
        for serial in range(first_serial, first_serial + per_village):
            sex = rng.choice("LP")
            birth = dt.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
            occupation = occupations.get(rng.choice(OCCUPATIONS))
            first = rng.choice(MALE_NAMES if sex == "L" else FEMALE_NAMES)
            person = Person(
                nik=demo_nik(village.code, sex, birth, serial),
                full_name=f"{first} {rng.choice(GIVEN)}",
                sex=sex,
                birth_date=birth,
                birth_place=village.name.title(),
                village=village,
                address=f"Banjar {rng.choice(['Kaja', 'Kelod', 'Kangin', 'Kauh', 'Tengah'])}",
                phone=f"08{rng.randint(1000000000, 9999999999)}",
                occupation=occupation,
                category=CATEGORY_OF.get(
                    occupation.code if occupation else "", Category.PEKERJA_RENTAN
                ),
                declared_income=rng.choice([1_000_000, 1_000_000, 1_500_000, 2_000_000]),
                data_source="Musyawarah desa (demo)",
                welfare_decile=rng.randint(1, 5),
            )
            person.set_region_codes()
            people.append(person)
    return people
