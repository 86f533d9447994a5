"""A small world for the security tests: one of everything inside Gianyar, one in Jembrana.

Inside (``IN``) is Desa Batubulan (Sukawati, Gianyar), in every role's region; outside
(``OUT``) is a village of Jembrana, outside every region but the system admin's. Each side
has two workers (a man and a woman, with names found nowhere else), a program with one
active enrollment and one submitted in a batch with the insurer's answer, a bill with a
paid payment and its proof, a legal document, an import job with a refused row, a target
and a workforce figure.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from lindung.accounts.models import Role
from lindung.accounts.services import create_user, issue_token
from lindung.billing.services import record_payment, run_billing
from lindung.bpjs.files import write_answer
from lindung.bpjs.services import create_batch, import_answer
from lindung.imports.models import ImportJob, ImportRow
from lindung.people.models import Person
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from lindung.programs.services import add_legal_document, create_program, move_many, propose
from lindung.targets.models import Target, WorkforceFigure
from tests.billing.conftest import activate, sponsor
from tests.factories import PASSWORD, nik_for
from tests.programs.conftest import program_data

TODAY = dt.date(2024, 3, 1)


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


MINIMAL_PDF = _pdf("Bukti")

# One user per role, all of them with Desa Batubulan inside their region.
REGIONS = {
    Role.SYSTEM_ADMIN: None,
    Role.REGENCY_ADMIN: "51.04",
    Role.VILLAGE_OPERATOR: "51.04.01.2001",
    Role.AGENT: "51.04.01",
    Role.VIEWER: "51.04",
}


@dataclass
class Side:
    """The objects of one side; ``people`` are the workers whose data must stay there."""

    region: str
    village: str
    people: list[Person] = field(default_factory=list)
    objects: dict = field(default_factory=dict)


@dataclass
class World:
    inside: Side
    outside: Side
    users: dict
    tokens: dict


def _person(village: str, name: str, sex: str, born: dt.date, serial: int, **extra) -> Person:
    person = Person(
        nik=nik_for(village.rpartition(".")[0], born, sex, serial),
        full_name=name,
        sex=sex,
        birth_date=born,
        village_id=village,
        category="pekerja_rentan",
        declared_income=1_000_000,
        address=extra.pop("address", "Banjar Kaja"),
        **extra,
    )
    person.set_region_codes()
    person.save()
    return person


def _side(region: str, village: str, word: str, serial: int, owner) -> Side:
    side = Side(region=region, village=village)
    man = _person(village, f"I Made {word}", "L", dt.date(1981, 3, 7), serial)
    woman = _person(village, f"Ni Luh {word}", "P", dt.date(1983, 11, 23), serial + 1)
    side.people = [man, woman]
    program = create_program(
        user=None,
        data=program_data(
            name=f"Program {word}",
            year=2024,
            rounds="01/2024",
            area_code=region,
            budget=64 * 100 * 100_800,
        ),
    )
    active = sponsor(program, [man])
    activate(active, dt.date(2024, 1, 1))
    submitted = propose(user=None, program=program, person=woman, today=dt.date(2024, 1, 2))
    move_many(
        user=None,
        enrollments=Enrollment.objects.filter(pk=submitted.pk),
        to_state=State.VERIFIED,
    )
    batch = create_batch(user=None, program=program)
    answer_file = io.BytesIO(write_answer([{"nik": woman.nik, "status": "DITOLAK", "reason": "x"}]))
    answer = import_answer(
        user=None, program=program, content=answer_file.getvalue(), file_name="jawaban.xlsx"
    )
    bill = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]
    payment = record_payment(
        user=None,
        bill=bill,
        paid_on="15/02/2024",
        amount=1000,
        reference=f"SP2D {word}",
        today=TODAY,
        proof=ContentFile(MINIMAL_PDF, name="bukti.pdf"),
    )
    document = add_legal_document(
        user=None,
        program=program,
        number=f"Perbup {word}",
        title="Perlindungan",
        issued_on="01/01/2024",
        pdf=ContentFile(MINIMAL_PDF, name="perbup.pdf"),
    )
    job = ImportJob.objects.create(
        user=owner,
        source_name="pekerja.csv",
        sha256="0" * 64,
        today=TODAY,
        status=ImportJob.Status.DONE,
        rows_total=1,
        rejected=1,
    )
    ImportRow.objects.create(
        job=job,
        row=2,
        rejected=True,
        errors=["exists"],
        values={"nik": man.nik, "full_name": man.full_name, "birth_date": "07/03/1981"},
    )
    target = Target.objects.create(
        region_id=region, year=2024, segment="total", metric="covered", value=100
    )
    figure = WorkforceFigure.objects.create(
        region_id=region,
        year=2024,
        segment="total",
        definition="penduduk_bekerja",
        count=1000,
        source="BPS",
    )
    side.objects = {
        "worker": man,
        "program": program,
        "enrollment": active[0],
        "batch": batch,
        "answer": answer,
        "bill": bill,
        "payment": payment,
        "document": document,
        "job": job,
        "user": owner,
        "target": target,
        "workforce": figure,
    }
    return side


def build() -> World:
    users = {
        role: create_user(username=f"sec.{role}", role=role, region_code=region, password=PASSWORD)
        for role, region in REGIONS.items()
    }
    outsider = create_user(
        username="sec.op.jembrana",
        role=Role.VILLAGE_OPERATOR,
        region_code="51.01.01.2001",
        password=PASSWORD,
    )
    inside = _side("51.04", "51.04.01.2001", "Dalamwilayah", 1, users[Role.VILLAGE_OPERATOR])
    outside = _side("51.01", "51.01.01.2001", "Luarwilayah", 1, outsider)
    tokens = {role: issue_token(user) for role, user in users.items()}
    return World(inside=inside, outside=outside, users=users, tokens=tokens)
