"""Demo programs that reproduce the article's figures, on synthetic workers of real villages.

- Gianyar 2023: 64 desa × 100 = 6,400 sponsored workers, one 6-month round.
- Gianyar 2024: 64 desa × 100 × 2 rounds = 12,800, different people in each round.
- Jembrana 2022: 51 villages (kelurahan included) × 100 = 5,100 places, 4,800 proposed,
  3,800 accepted, the rest refused (already members, or not meeting the regency's check).
- Gianyar 2027: open, with a few proposals, to try the proposal and verification pages.

The finished programs are written in bulk (people, enrollments, their whole history,
batches and the insurer's answers) so loading stays fast; the open one goes through the
real services. Loading twice changes nothing: a program that exists is skipped.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from lindung.bpjs.models import BatchEntry, SubmissionBatch
from lindung.demo.workers import demo_workers
from lindung.people.categories import Category
from lindung.people.models import Person
from lindung.programs import services
from lindung.programs.eligibility import Ineligible
from lindung.programs.lifecycle import HOLDING, State
from lindung.programs.models import (
    Enrollment,
    LegalDocument,
    Program,
    ProgramVillage,
    Transition,
    VillageQuota,
)
from lindung.programs.premiums import enrollment_cost
from lindung.regions.models import Region

INPRES = {
    "number": "Inpres 2/2021",
    "title": "Optimalisasi Pelaksanaan Program Jaminan Sosial Ketenagakerjaan",
    "issued_on": dt.date(2021, 3, 25),
}


@dataclass(frozen=True)
class DemoProgram:
    name: str
    area: str
    year: int
    rounds: str
    include_kelurahan: bool
    proposals_per_village: int  # people proposed per village and round
    refused_by_regency: int = 0  # of all proposals, rejected at verification
    refused_by_insurer: int = 0  # of all proposals, rejected in the insurer's answer
    serial_offset: int = 0  # different people from the other programs of the same regency


FINISHED = [
    DemoProgram("Perlindungan Pekerja Rentan Gianyar 2023", "51.04", 2023, "07/2023", False, 100),
    DemoProgram(
        "Perlindungan Pekerja Rentan Gianyar 2024",
        "51.04",
        2024,
        "01/2024, 07/2024",
        False,
        100,
        serial_offset=100,
    ),
    DemoProgram(
        "Perlindungan Pekerja Rentan Jembrana 2022",
        "51.01",
        2022,
        "01/2022",
        True,
        0,  # 4,800 proposals spread over 51 villages, below
        refused_by_regency=300,
        refused_by_insurer=700,
    ),
]
JEMBRANA_PROPOSALS = 4_800
OPEN = DemoProgram(
    "Perlindungan Pekerja Rentan Gianyar 2027", "51.04", 2027, "01/2027, 07/2027", False, 0
)
# Serials of program workers start above the base demo's (1–99) so NIKs never collide.
FIRST_SERIAL = 100
AFTER_SPONSORSHIP = [(State.CONTINUED, 25), (State.LAPSED, 60), (State.ENDED, 15)]


def _villages(area: str, include_kelurahan: bool) -> list[Region]:
    villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{area}.")
    if not include_kelurahan:
        villages = villages.filter(kind=Region.Kind.DESA)
    return list(villages.order_by("code"))


def _workers(villages: list[Region], per_village: int, *, offset: int, seed: int) -> list[Person]:
    """``per_village`` new workers per village, serials unique inside each district."""
    index_in_district: dict[str, int] = {}
    people = []
    for village in villages:
        district = village.code.rpartition(".")[0]
        position = index_in_district.get(district, 0)
        index_in_district[district] = position + 1
        first = FIRST_SERIAL + offset + position * 400
        people += demo_workers(
            [village], per_village, seed=seed + position, first_serial=first, born=(1962, 2000)
        )
    Person.objects.bulk_create(people, ignore_conflicts=True, batch_size=2000)
    stored = dict(Person.objects.filter(nik__in=[p.nik for p in people]).values_list("nik", "pk"))
    for person in people:
        person.pk = stored[person.nik]
    return people


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _program(spec: DemoProgram, villages: list[Region], places: int) -> Program:
    funder_name = {
        "51.04": "Pemerintah Kabupaten Gianyar",
        "51.01": "Pemerintah Kabupaten Jembrana",
    }
    program = services.create_program(
        user=None,
        data={
            "name": spec.name,
            "year": spec.year,
            "area_code": spec.area,
            "funder": "apbd",
            "funder_name": funder_name[spec.area],
            "budget": places * 100_800,
            "income_basis": 1_000_000,
            "sponsored_months": 6,
            "rounds": spec.rounds,
            "quota_per_village": 100,
            "include_kelurahan": spec.include_kelurahan,
            "eligible_categories": list(Category.values),
            "notes": "Data demo: orang-orangnya rekaan, angka-angkanya dari berita.",
        },
    )
    document, _ = LegalDocument.objects.get_or_create(
        number=INPRES["number"],
        defaults={"title": INPRES["title"], "issued_on": INPRES["issued_on"]},
    )
    program.legal_basis.add(document)
    return program


def _insert_transitions(rows: list[tuple]) -> None:
    """Many history rows at once: ``COPY`` on PostgreSQL, one ``executemany`` on SQLite
    (the ORM's bulk insert is several times slower for the 100,000+ rows of the demo)."""
    table = connection.ops.quote_name(Transition._meta.db_table)
    columns = "enrollment_id, from_state, to_state, at, reason, via"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        prepared = [(e, a, b, adapt(at), reason, via) for e, a, b, at, reason, via in rows]
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"
        for start in range(0, len(prepared), 10_000):
            cursor.executemany(sql, prepared[start : start + 10_000])


def _finished_program(spec: DemoProgram, seed: int) -> Program:
    """A program whose whole story is over: proposed, verified, answered, ended."""
    rng = random.Random(seed)
    villages = _villages(spec.area, spec.include_kelurahan)
    program = _program(spec, villages, places=len(villages) * 100 * len(spec.rounds.split(",")))
    rounds = list(program.rounds.order_by("number"))
    for round_ in rounds:
        round_.program = program
    cost = enrollment_cost(program, rounds[0])  # the same for every round of these programs
    per_village = spec.proposals_per_village or -(-JEMBRANA_PROPOSALS // len(villages))
    people = _workers(villages, per_village * len(rounds), offset=spec.serial_offset, seed=seed)
    if not spec.proposals_per_village:
        people = people[:JEMBRANA_PROPOSALS]

    plans = []
    by_village: dict[str, list[Person]] = {}
    for person in people:
        by_village.setdefault(person.village_id, []).append(person)
    order = 0
    for village_people in by_village.values():
        for i, person in enumerate(village_people):
            round_ = rounds[i // per_village] if i // per_village < len(rounds) else rounds[-1]
            order += 1
            if order <= spec.refused_by_regency:
                fate = "regency"
            elif order <= spec.refused_by_regency + spec.refused_by_insurer:
                fate = "insurer"
            else:
                fate = rng.choices(
                    [s for s, _ in AFTER_SPONSORSHIP], [w for _, w in AFTER_SPONSORSHIP]
                )[0]
            plans.append((person, round_, fate))
    rng.shuffle(plans)  # refusals spread over the villages, not all in the first ones

    batches = {
        round_.pk: SubmissionBatch.objects.create(
            program=program,
            number=round_.number,
            region_code=program.area_id,
            created_at=_at(round_.start_month - dt.timedelta(days=20)),
            note="Data demo",
        )
        for round_ in rounds
    }
    stories = []  # (enrollment, its steps, its batch entry or None), all decided before writing
    for serial, (person, round_, fate) in enumerate(plans, start=1):
        start = round_.start_month
        proposed = _at(start - dt.timedelta(days=45))
        verified = _at(start - dt.timedelta(days=30))
        enrollment = Enrollment(
            program=program,
            round=round_,
            person_id=person.pk,
            village_id=person.village_id,
            state=fate if fate not in ("regency", "insurer") else State.REJECTED,
            committed_premium=cost,
            proposed_at=proposed,
        )
        enrollment.set_region_codes()
        steps = [("", State.PROPOSED, proposed, "", "web")]
        entry = None
        if fate == "regency":
            reason = "Tidak memenuhi syarat hasil verifikasi Disnaker (data demo)"
            steps.append((State.PROPOSED, State.REJECTED, verified, reason, "web"))
        else:
            answered = _at(start, 10)
            steps += [
                (State.PROPOSED, State.VERIFIED, verified, "", "web"),
                (State.VERIFIED, State.SUBMITTED, _at(start - dt.timedelta(days=20)),
                 "Diajukan ke BPJS (demo)", "web"),
            ]  # fmt: skip
            entry = BatchEntry(batch=batches[round_.pk], nik=person.nik, answered_at=answered)
            if fate == "insurer":
                reason = "Ditolak BPJS: sudah terdaftar sebagai peserta aktif"
                steps.append((State.SUBMITTED, State.REJECTED, answered, reason, "bpjs"))
                entry.answer, entry.answer_reason = (
                    BatchEntry.Answer.REJECTED,
                    "Sudah peserta aktif",
                )
            else:
                kpj = f"{program.year % 100:02d}{program.pk % 1000:03d}{serial:06d}"
                end = services.coverage_end(start, program.sponsored_months)
                enrollment.kpj, enrollment.effective_date, enrollment.coverage_end = kpj, start, end
                entry.answer, entry.kpj, entry.effective_date = (
                    BatchEntry.Answer.ACCEPTED,
                    kpj,
                    start,
                )
                steps += [
                    (State.SUBMITTED, State.ACTIVE, answered, "", "bpjs"),
                    (State.ACTIVE, State.ENDED, _at(end + dt.timedelta(days=1), 1),
                     "Masa sponsor selesai.", "system"),
                ]  # fmt: skip
                if fate != State.ENDED:
                    later = _at(end + dt.timedelta(days=95 if fate == State.LAPSED else 20))
                    why = (
                        "Tidak membayar iuran 3 bulan (demo)"
                        if fate == State.LAPSED
                        else "Lanjut iuran mandiri lewat agen BumDes (demo)"
                    )
                    steps.append((State.ENDED, fate, later, why, "web"))
        enrollment.reason = steps[-1][3] if steps[-1][1] != State.ENDED else ""
        enrollment.state_changed_at = steps[-1][2]
        stories.append((enrollment, steps, entry))
    Enrollment.objects.bulk_create([e for e, _, _ in stories], batch_size=2000)
    transitions, entries = [], []
    for enrollment, steps, entry in stories:
        transitions += [(enrollment.pk, *step) for step in steps]
        if entry is not None:
            entry.enrollment = enrollment
            entries.append(entry)
    _insert_transitions(transitions)
    BatchEntry.objects.bulk_create(entries, batch_size=2000)
    _settle_counters(program)
    return program


def _settle_counters(program: Program) -> None:
    """Quota and budget counters equal to the enrollments written in bulk."""
    holding = Enrollment.objects.filter(program=program, state__in=HOLDING)
    for row in holding.order_by().values("round_id", "village_id").annotate(n=Count("id")):
        VillageQuota.objects.filter(round_id=row["round_id"], village_id=row["village_id"]).update(
            used=row["n"]
        )
    committed = sum(holding.values_list("committed_premium", flat=True))
    Program.objects.filter(pk=program.pk).update(committed=committed)
    ProgramVillage.objects.filter(program=program).update(committed=0)


def _open_program(today: dt.date, proposers: dict[str, object]) -> Program:
    """The next program, open for proposals: a few already proposed and verified."""
    villages = _villages(OPEN.area, False)
    program = _program(OPEN, villages, places=len(villages) * 100 * 2)
    for village_code, user in proposers.items():
        people = Person.objects.filter(village_id=village_code).order_by("nik")[:12]
        for person in people:
            try:
                services.propose(user=user, program=program, person=person, today=today)
            except Ineligible:
                continue
    first = Enrollment.objects.filter(program=program).order_by("id")[:6]
    services.move_many(
        user=None,
        enrollments=Enrollment.objects.filter(pk__in=[e.pk for e in first]),
        to_state=State.VERIFIED,
        reason="Diverifikasi Disnaker (demo)",
    )
    return program


def load_demo_programs(*, today: dt.date, proposers: dict[str, object]) -> list[Program]:
    """Load the demo programs that are missing. ``proposers`` maps a village to its operator."""
    loaded = []
    for seed, spec in enumerate(FINISHED, start=2030):
        if not Program.objects.filter(name=spec.name).exists():
            loaded.append(_finished_program(spec, seed))
    if not Program.objects.filter(name=OPEN.name).exists():
        loaded.append(_open_program(today, proposers))
    return loaded
