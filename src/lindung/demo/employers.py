"""Demo employers: a few hundred businesses of Gianyar and Jembrana as the article tells it.

Jembrana's fish processors (the canneries of Pengambengan, hundreds to thousands of workers
each), its ferry port and the minimarkets of both regencies are mostly registered; hotels and
the big employers mostly, restaurants in part; the small businesses (UMKM), cooperatives and
village credit institutions (LPD) are small and lag. Jembrana's registered workers come to
about 48 % of its formal workforce, the article's figure, at once on its dashboard.
Disnaker has held a socialisation in each regency, sent letters of appeal to LPD and
visited restaurants, with follow-ups some of which are overdue.

Each regency gets a target per segment for the demo's year, the article's "34% → 40%" kind
(:data:`SEGMENT_TARGETS`), so that its dashboard shows formal and informal coverage side by
side, each against its target; Gianyar gets the formal/informal split of its workforce
those rates need (Jembrana's is in :mod:`lindung.demo.targets`).

Everything goes through the services (rules, history, work list as a user sees them).
The employers are loaded once: none is made when the demo's first employer exists (the
targets and figures are saved again, which changes nothing). Names are invented.
"""

import datetime as dt
import random

from lindung.accounts.models import User
from lindung.employers import services
from lindung.employers.models import Employer
from lindung.privacy.history import Via, changes_through
from lindung.regions.models import Region
from lindung.targets import services as target_services

FIRST_NIB = "9120000000001"
PROGRAMS_FULL = "JKK,JKM,JHT,JP,JKP"

PENGAMBENGAN = "51.01.01.2011"  # Negara, Jembrana: the fish port and its canneries
GILIMANUK = "51.01.04.1001"  # Melaya, Jembrana: the ferry port to Java

# kind: (count, regencies, sector, legal form, workers (low, high), share registered
#        (low, high), chance of a NIB, name stem, villages (None: any of the regency's))
#
# Sized so that Jembrana's registered workers are about 48 % of its 52,000 formal workers
# (the article), most of them at the fish processors of Pengambengan, which employ hundreds
# to thousands each; Gianyar's about a third of its 118,000, mostly at hotels and the craft
# and garment workshops that export, against its 50 % target. The employers' own count of
# their workers is most of the formal workforce, not all of it: the rest work for employers
# no list has named yet.
KINDS = {
    "fish": (
        12, ("51.01",), "10213", "pt", (900, 2800), (0.9, 1.0), 1.0, "PT Pengalengan Ikan",
        (PENGAMBENGAN,),
    ),
    "plantation": (
        4, ("51.01",), "A", "pt", (300, 900), (0.6, 0.9), 1.0, "PT Perkebunan", None,
    ),
    "port": (
        2, ("51.01",), "H", "pt", (250, 600), (0.95, 1.0), 1.0, "PT Penyeberangan",
        (GILIMANUK,),
    ),
    "hotel": (45, ("51.04",), "55110", "pt", (200, 1000), (0.75, 0.95), 1.0, "Hotel", None),
    "craft": (
        20, ("51.04",), "C", "cv", (200, 1500), (0.6, 0.9), 1.0, "CV Kerajinan Ekspor", None,
    ),
    "hospital": (4, ("51.04",), "Q", "pt", (400, 1200), (0.95, 1.0), 1.0, "RS Swasta", None),
    "minimarket": (
        40, ("51.01", "51.04"), "47111", "pt", (8, 20), (1.0, 1.0), 1.0, "Minimarket", None,
    ),
    "restaurant": (
        30, ("51.04", "51.01"), "56101", "cv", (5, 40), (0.2, 0.6), 0.8, "Restoran", None,
    ),
    "umkm": (
        150, ("51.04", "51.01"), "47112", "perorangan", (1, 8), (0.0, 0.0), 0.3, "Warung", None,
    ),
    "cooperative": (
        30, ("51.04", "51.01"), "K", "koperasi", (5, 25), (0.0, 0.5), 0.7, "Koperasi", None,
    ),
    "lpd": (
        40, ("51.04", "51.01"), "K", "lpd", (5, 25), (0.0, 0.4), 0.2, "LPD Desa Adat", None,
    ),
}  # fmt: skip


# Gianyar's 310,000 employed persons (lindung.demo.targets) split into formal and informal
# (a demo split, as Jembrana's), so that each segment has a rate.
GIANYAR_SPLIT = [
    # region, year, segment, definition, count, source
    ("51.04", 2024, "formal", "penduduk_bekerja", 118_000,
     "BPS, Sakernas (pembagian formal/informal demo)"),
    ("51.04", 2024, "informal", "penduduk_bekerja", 192_000,
     "BPS, Sakernas (pembagian formal/informal demo)"),
]  # fmt: skip
# Rate targets per segment for the demo's year (percent). Jembrana's add up to its 40 %
# overall (52,000 formal × 55 % + 120,000 informal × 33 % ≈ 40 % of 172,000).
SEGMENT_TARGETS = [
    # region, segment, rate, note
    ("51.01", "formal", "55", "target cakupan pekerja formal: dari 48% menjadi 55% (demo)"),
    ("51.01", "informal", "33", "target cakupan pekerja informal: dari 28% menjadi 33% (demo)"),
    ("51.04", "formal", "50", "target cakupan pekerja formal (demo)"),
    ("51.04", "informal", "10", "target cakupan pekerja informal (demo)"),
]


def load_demo_segment_targets(*, year: int) -> int:
    """Gianyar's formal/informal workforce and both regencies' rate target per segment for
    ``year`` (idempotent: saved again, nothing changes). Returns the number of targets."""
    for region, figure_year, segment, definition, count, source in GIANYAR_SPLIT:
        target_services.save_workforce(
            user=None,
            data={
                "region_code": region,
                "year": figure_year,
                "segment": segment,
                "definition": definition,
                "count": count,
                "source": source,
            },
        )
    for region, segment, rate, note in SEGMENT_TARGETS:
        target_services.save_target(
            user=None,
            data={
                "region_code": region,
                "year": year,
                "segment": segment,
                "metric": "rate",
                "value": rate,
                "note": note,
            },
        )
    return len(SEGMENT_TARGETS)


def _villages(regency: str) -> list[str]:
    return list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{regency}.")
        .order_by("code")
        .values_list("code", flat=True)
    )


def _programs(size_total: int, registered: int) -> str:
    if not registered:
        return ""
    return PROGRAMS_FULL if size_total >= 20 else "JKK,JKM,JHT"


def load_demo_employers(*, today: dt.date) -> int:
    """Make the demo's employers and their outreach, and the targets per segment of the
    demo's year; returns how many employers were made."""
    load_demo_segment_targets(year=today.year)
    if Employer.objects.filter(nib=FIRST_NIB).exists():
        return 0
    rng = random.Random(48)
    villages = {code: _villages(code) for code in ("51.01", "51.04")}
    officers = {
        regency: User.objects.filter(username=name).first()
        for regency, name in (("51.04", "disnaker.gianyar"), ("51.01", "disnaker.jembrana"))
    }
    as_of = today.replace(day=1)
    made: dict[str, list[Employer]] = {kind: [] for kind in KINDS}
    serial = 0
    with changes_through(Via.COMMAND, "demo"):
        for kind, (
            count,
            regencies,
            sector,
            form,
            workers,
            share,
            nib_chance,
            stem,
            places,
        ) in KINDS.items():
            for i in range(count):
                regency = regencies[i % len(regencies)]
                village = rng.choice(places or villages[regency])
                total = rng.randint(*workers)
                registered = round(total * rng.uniform(*share))
                if kind == "umkm" and rng.random() < 0.1:
                    registered = 1
                serial += 1
                has_nib = serial == 1 or rng.random() < nib_chance
                data = {
                    "name": f"{stem} {village[-4:]}-{i + 1}",
                    "nib": f"{int(FIRST_NIB) + serial - 1}" if has_nib else "",
                    "legal_form": form,
                    "sector": sector,
                    "village_code": village,
                    "total_workers": total,
                    "registered_workers": registered,
                    "programs": _programs(total, registered),
                    "npp": f"NPP{serial:05d}" if registered else "",
                    "wage_underreported": "1" if registered and rng.random() < 0.1 else "",
                    "workers_source": "wlkp" if has_nib else "umkm",
                    "workers_as_of": as_of,
                    "registration_source": "insurer",
                    "registration_as_of": as_of,
                }
                made[kind].append(services.create_employer(user=None, data=data, today=today))
        _outreach(made, officers, today)
    return serial


def _outreach(made: dict, officers: dict, today: dt.date) -> None:
    """A socialisation in each regency for its UMKM, cooperatives and LPD; letters of
    appeal to the LPD; visits to restaurants with follow-ups, some already overdue."""
    events = (
        ("51.04", "Sosialisasi BPJS Ketenagakerjaan bagi UMKM Gianyar", "Balai Budaya Gianyar"),
        ("51.01", "Sosialisasi Jaminan Sosial bagi LPD dan Koperasi Jembrana", "Gedung Kesenian"),
    )
    for regency, title, place in events:
        invited = [
            e
            for kind in ("umkm", "cooperative", "lpd")
            for e in made[kind]
            if e.regency_code == regency
        ][:40]
        services.hold_event(
            user=officers[regency],
            data={
                "title": title,
                "held_on": today - dt.timedelta(days=40),
                "place": place,
                "village_code": invited[0].village_id,
                "follow_up_on": (today - dt.timedelta(days=10)).strftime("%d/%m/%Y"),
            },
            employers=invited,
            attended={e.pk for e in invited[::3]},
            today=today,
        )
    for i, employer in enumerate(made["lpd"][:12]):
        services.record_action(
            user=officers[employer.regency_code],
            employer=employer,
            data={
                "kind": "letter",
                "done_on": today - dt.timedelta(days=20),
                "outcome": "no_response" if i % 3 else "promised",
                "letter_number": f"560/{100 + i}/Disnaker/{today.year}",
                "follow_up_on": today + dt.timedelta(days=(i % 4) * 7 - 7),
            },
            today=today,
        )
    for i, employer in enumerate(made["restaurant"][:10]):
        services.record_action(
            user=officers[employer.regency_code],
            employer=employer,
            data={
                "kind": "visit",
                "done_on": today - dt.timedelta(days=14),
                "outcome": "promised" if i % 2 else "partly",
                "notes": "Pemilik minta waktu sampai gaji bulan depan.",
                "follow_up_on": today + dt.timedelta(days=(i % 3) * 10 - 5),
            },
            today=today,
        )
