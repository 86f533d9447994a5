"""Demo data: one user per role and synthetic workers on real Gianyar and Jembrana villages.

Loading is idempotent: users are updated in place, workers are keyed by NIK, so a second
run changes nothing. Names and NIKs are generated from a fixed seed; nobody here is real.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import Role
from lindung.accounts.services import create_user
from lindung.demo.agents import load_demo_agents
from lindung.demo.boundaries import load_demo_boundaries
from lindung.demo.claims import load_demo_claims
from lindung.demo.employers import load_demo_employers
from lindung.demo.programs import load_demo_programs as load
from lindung.demo.selfpay import load_demo_selfpay
from lindung.demo.targets import load_demo_targets
from lindung.demo.workers import demo_workers
from lindung.people.models import Person
from lindung.regions.models import Region

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


@dataclass(frozen=True)
class DemoResult:
    users: list[tuple[str, str, str]]
    workers_created: int
    workers_total: int


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
    load_demo_employers(today=today)  # the formal side: employers and outreach (employers)
    load_demo_claims(today=today)  # a death paid to the heirs, an accident, a refusal
    load_demo_boundaries()  # generated outlines for the dashboards' maps (lindung.maps)
    total = Person.objects.count()
    return DemoResult(users=users, workers_created=total - before, workers_total=total)


def load_demo_programs(*, today: dt.date) -> list:
    """The article's programs (Gianyar 2023 and 2024, Jembrana 2022) and an open one."""
    from lindung.accounts.models import User

    proposers = {
        user.region_id: user
        for user in User.objects.filter(username__in=["operator.batubulan", "operator.ketewel"])
    }
    return load(today=today, proposers=proposers)
