"""Demo data: one user per role and synthetic workers on real Gianyar and Jembrana villages.

Loading is idempotent: users are updated in place, workers are keyed by NIK, so a second
run changes nothing. Names and NIKs are generated from a fixed seed; nobody here is real.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import Role
from lindung.accounts.services import create_user
from lindung.agents.demo import load_demo_agents
from lindung.people.categories import Category
from lindung.people.models import Occupation, Person
from lindung.regions.codes import compact
from lindung.regions.models import Region
from lindung.selfpay.demo import load_demo_selfpay
from lindung.targets.demo import load_demo_targets

DEMO_PASSWORD = "lindung-demo-2026"

# username, role, region, full name
DEMO_USERS = [
    ("admin", Role.SYSTEM_ADMIN, None, "Admin Sistem"),
    ("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04", "Disnaker Gianyar"),
    ("operator.batubulan", Role.VILLAGE_OPERATOR, "51.04.01.2001", "Operator Desa Batubulan"),
    ("operator.ketewel", Role.VILLAGE_OPERATOR, "51.04.01.2002", "Operator Desa Ketewel"),
    ("agen.bumdes.sukawati", Role.AGENT, "51.04.01", "Agen Perisai BumDes Sukawati"),
    ("agen.bumdes.batubulan", Role.AGENT, "51.04.01", "Agen Perisai BumDes Batubulan"),
    ("koordinator.mitra.gianyar", Role.AGENT, "51.04", "Koordinator PT Mitra Gianyar Aman"),
    ("bupati.gianyar", Role.VIEWER, "51.04", "Bupati Gianyar"),
    ("disnaker.jembrana", Role.REGENCY_ADMIN, "51.01", "Disnaker Jembrana"),
    ("provinsi.bali", Role.VIEWER, "51", "Pemprov Bali"),
]

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


@dataclass(frozen=True)
class DemoResult:
    users: list[tuple[str, str, str]]
    workers_created: int
    workers_total: int


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


@transaction.atomic
def load_demo(*, per_village: int = 5, today: dt.date | None = None) -> DemoResult:
    users = []
    for username, role, region, name in DEMO_USERS:
        first, _, last = name.partition(" ")
        create_user(
            username=username,
            role=role,
            region_code=region,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        users.append((username, role, region or "seluruh Indonesia"))
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE, kind=Region.Kind.DESA)
        .filter(code__regex=r"^51\.0[14]\.")
        .order_by("code")
    )
    before = Person.objects.count()
    Person.objects.bulk_create(
        demo_workers(villages, per_village), ignore_conflicts=True, batch_size=2000
    )
    today = today or timezone.localdate()
    load_demo_programs(today=today)
    load_demo_agents(today=today)  # PT Mitra Gianyar Aman and its BumDes (lindung.agents)
    load_demo_selfpay(today=today)  # their first self-paid collections and fees
    load_demo_targets()  # workforce figures and targets of the article (lindung.targets)
    total = Person.objects.count()
    return DemoResult(users=users, workers_created=total - before, workers_total=total)


def load_demo_programs(*, today: dt.date) -> list:
    """The article's programs (Gianyar 2023 and 2024, Jembrana 2022) and an open one."""
    from lindung.accounts.models import User
    from lindung.programs.demo import load_demo_programs as load

    proposers = {
        user.region_id: user
        for user in User.objects.filter(username__in=["operator.batubulan", "operator.ketewel"])
    }
    return load(today=today, proposers=proposers)
