"""Hand-built programs, workers and enrollments with chosen dates, for indicator tests.

The services stamp transitions with the clock; these builders write the rows directly so
each date in a test is the one the test states.
"""

import datetime as dt
import itertools

from django.utils import timezone

from lindung.people.models import Occupation, Person
from lindung.programs.models import (
    Enrollment,
    Program,
    ProgramVillage,
    Round,
    Transition,
    VillageQuota,
    add_months,
)
from lindung.programs.services import coverage_end
from tests.factories import nik_for

BATUBULAN = "51.04.01.2001"
KETEWEL = "51.04.01.2002"
CELUK = "51.04.01.2003"
MENDOYO_VILLAGE = "51.01.02.2001"  # a desa of Jembrana, another regency

_serial = itertools.count(1)


def at(day: dt.date, hour: int = 10):
    """A moment of ``day`` in local time (WITA)."""
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def make_program(
    *,
    area="51.04",
    year=2024,
    funder="apbd",
    months=6,
    quota=100,
    villages=(BATUBULAN, KETEWEL, CELUK),
    starts=(dt.date(2024, 1, 1),),
    name=None,
) -> Program:
    program = Program.objects.create(
        name=name or f"Program {area} {year} {next(_serial)}",
        year=year,
        area_id=area,
        funder=funder,
        funding_code="SG",
        budget=10**12,
        sponsored_months=months,
        quota_per_village=quota,
        eligible_categories=["pekerja_rentan"],
    )
    for number, start in enumerate(starts, start=1):
        Round.objects.create(program=program, number=number, start_month=start)
    for village in villages:
        place = ProgramVillage(program=program, village_id=village, quota=quota)
        place.set_region_codes()
        place.save()
        for round_ in program.rounds.all():
            row = VillageQuota(program=program, round=round_, village_id=village, quota=quota)
            row.set_region_codes()
            row.save()
    return program


def make_person(
    village=BATUBULAN,
    *,
    sex="L",
    category="pekerja_rentan",
    occupation: str | None = "petani",
    segment="BPU",
) -> Person:
    serial = next(_serial)
    person = Person(
        nik=nik_for(village[:8], dt.date(1980 + serial % 20, 1, 1 + serial % 27), sex, serial),
        full_name="I Made " + "".join("abcdefghij"[int(d)] for d in str(serial)).title(),
        sex=sex,
        birth_date=dt.date(1980 + serial % 20, 1, 1 + serial % 27),
        village_id=village,
        category=category,
        declared_income=1_000_000,
        segment=segment,
        occupation=Occupation.objects.filter(code=occupation).first() if occupation else None,
    )
    person.set_region_codes()
    person.save()
    return person


def enroll(
    person: Person,
    program: Program,
    path: list[tuple[str, dt.date]],
    *,
    round_number: int = 1,
    effective: dt.date | None = None,
    village: str | None = None,
) -> Enrollment:
    """An enrollment that went through ``path`` (state, day) in order.

    The effective date is the day of ``active`` unless given; the sponsored period ends on
    the last day of the program's last sponsored month.
    """
    round_ = program.rounds.get(number=round_number)
    first_day = path[0][1]
    enrollment = Enrollment(
        program=program,
        round=round_,
        person=person,
        village_id=village or person.village_id,
        state=path[-1][0],
        state_changed_at=at(path[-1][1]),
        committed_premium=100_800,
        proposed_at=at(first_day),
    )
    activated = [day for state, day in path if state == "active"]
    if activated:
        enrollment.effective_date = effective or activated[0]
        enrollment.coverage_end = coverage_end(enrollment.effective_date, program.sponsored_months)
        enrollment.kpj = f"{next(_serial):011d}"
    enrollment.set_region_codes()
    enrollment.save()
    previous = ""
    for state, day in path:
        Transition.objects.create(
            enrollment=enrollment, from_state=previous, to_state=state, at=at(day), via="system"
        )
        previous = state
    return enrollment


def sponsored_path(proposed: dt.date, active: dt.date, *then: tuple[str, dt.date]):
    """proposed → verified → submitted → active, then whatever follows."""
    return [
        ("proposed", proposed),
        ("verified", proposed + dt.timedelta(days=3)),
        ("submitted", proposed + dt.timedelta(days=5)),
        ("active", active),
        *then,
    ]


def month_end(day: dt.date, months: int = 0) -> dt.date:
    return add_months(day.replace(day=1), months + 1) - dt.timedelta(days=1)
