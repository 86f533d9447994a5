"""A small world for the security tests: one of everything inside Gianyar, one in Jembrana.

Inside (``IN``) is Desa Batubulan (Sukawati, Gianyar), in every role's region; outside
(``OUT``) is a village of Jembrana, outside every region but the system admin's. Each side
has two workers (a man and a woman, with names found nowhere else), a program with one
active enrollment and one submitted in a batch with the insurer's answer, a bill with a
paid payment and its proof, a legal document, an import job with a refused row, a target
and a workforce figure; and, for self-paid continuation, a third worker whose sponsored
months of 2026 are over, on the work list of the side's agent (in its Wadah, with an
agreement) with a contact, a collection of one month (its receipt), a deposit of it and the
agent's fee statement; a statement import, a data-subject request and an access-log entry.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from lindung.accounts.models import Role
from lindung.accounts.services import create_user, issue_token
from lindung.agents import services as agents
from lindung.agents.models import Contact
from lindung.billing.services import record_payment, run_billing
from lindung.bpjs.files import write_answer
from lindung.bpjs.services import create_batch, import_answer
from lindung.claims.services import report as report_claim
from lindung.employers import services as employers
from lindung.imports.models import ImportJob, ImportRow, UpdateImport
from lindung.people.models import Person, PossibleDuplicate
from lindung.privacy.access import record_access
from lindung.privacy.models import AccessKind, SubjectRequest
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from lindung.programs.services import add_legal_document, create_program, move_many, propose
from lindung.selfpay.fees import run_fees
from lindung.selfpay.models import FeeStatement, StatementImport
from lindung.selfpay.services import record_collection, record_deposit
from lindung.targets.models import Target, WorkforceFigure
from tests.billing.conftest import activate, sponsor
from tests.factories import PASSWORD, nik_for
from tests.programs.conftest import program_data
from tests.selfpay.conftest import ended_enrollment

TODAY = dt.date(2024, 3, 1)
# Self-paid continuation runs in 2026: the sponsored months end in September, October is
# paid in November.
SELFPAY_TODAY = dt.date(2026, 11, 25)


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
    """The objects of one side; ``people`` are the workers whose data must stay there, and
    ``names`` the free text of its agents, Wadah and money that must stay there too."""

    region: str
    village: str
    people: list[Person] = field(default_factory=list)
    objects: dict = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


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


def _continuation(side: Side, word: str, serial: int, owner, agent_user) -> dict:
    """The Perisai and self-paid objects of one side (see the module docstring)."""
    region, village = side.region, side.village
    today = SELFPAY_TODAY
    organisation = agents.create_organisation(
        user=None,
        data={"kind": "bumdes", "name": f"BumDes {word}", "regency_code": region},
        today=today,
    )
    agents.set_organisation_villages(user=None, organisation=organisation, village_codes=[village])
    agreement = agents.add_agreement(
        user=None,
        organisation=organisation,
        number=f"PKS {word}",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        branch="Denpasar",
        document=ContentFile(MINIMAL_PDF, name="pks.pdf"),
    )
    agent = agents.create_agent(
        user=None,
        data={
            "full_name": f"Agen {word}",
            "regency_code": region,
            "organisation": organisation,
            "user": agent_user,
            "villages": [village],
        },
        today=today,
    )
    program = create_program(
        user=None,
        data=program_data(
            name=f"Program Mandiri {word}", year=2026, rounds="04/2026", area_code=region
        ),
    )
    ketut = _person(village, f"I Ketut {word}", "L", dt.date(1979, 5, 14), serial + 2)
    ketut.agent = agent
    ketut.save(update_fields=["agent"])
    side.people.append(ketut)
    ended = ended_enrollment(program, ketut)
    ended.agent = agent
    ended.save(update_fields=["agent"])
    contact = agents.record_contact(
        user=None,
        enrollment=ended,
        outcome=Contact.Outcome.WILL_CONTINUE,
        contacted_on=dt.date(2026, 11, 20),
        today=today,
        note=f"Catatan {word}",
    )
    collection = record_collection(
        user=None,
        nik=ketut.nik,
        months=["2026-10"],
        paid_on="25/11/2026",
        method="cash",
        today=today,
    )
    deposit = record_deposit(
        user=None,
        reference=f"Setoran {word}",
        deposited_on="25/11/2026",
        amount=collection.total,
        today=today,
    )
    run_fees(month=dt.date(2026, 11, 1))
    side.names = [
        agent.full_name,
        organisation.name,
        agreement.number,
        contact.note,
        collection.number,
        deposit.reference,
    ]
    statement = FeeStatement.objects.get(agent=agent, month=dt.date(2026, 11, 1))
    return {
        "organisation": organisation,
        "agreement": agreement,
        "agent": agent,
        "ended": ended,
        "contact": contact,
        "collection": collection,
        "deposit": deposit,
        "fee_statement": statement,
        "subject_request": SubjectRequest.objects.create(
            kind=SubjectRequest.Kind.PRODUCE,
            nik=ketut.nik,
            person=ketut,
            region_code=village,
            reason=f"Permintaan {word}",
            made_by=owner,
        ),
        "access": record_access(None, AccessKind.VIEW, person=ketut),
    }


def _side(region: str, village: str, word: str, serial: int, owner, agent_user=None) -> Side:
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
        "token": owner.api_tokens.first(),
    }
    side.objects |= _continuation(side, word, serial, owner, agent_user)
    side.objects |= _employer(side, word, serial, man)
    side.objects |= _offline(man, owner, word)
    # A claim: a work accident of the sponsored worker, with a named heir.
    claim = report_claim(
        user=None,
        data={
            "nik": man.nik,
            "kind": "work_accident_care",
            "event_date": "2024-02-10",
            "reporter_name": f"Pelapor {word}",
            "heir_name": f"Ahli Waris {word}",
            "heir_relation": "spouse",
            "heir_phone": "081111222333",
        },
        today=TODAY,
    )
    side.objects["claim"] = claim
    side.names.append(claim.heir_name)
    # A possible duplicate for the regency's review (the two share a phone).
    side.objects["duplicate"] = PossibleDuplicate.objects.create(
        person=woman, other=man, regency_code=man.regency_code, reason="phone"
    )
    return side


def _employer(side: Side, word: str, serial: int, worker: Person) -> dict:
    """An employer of the side's village with one of its workers, a letter of appeal with
    its PDF and a socialisation event."""
    employer = employers.create_employer(
        user=None,
        data={
            "name": f"PT Usaha {word}",
            "nib": f"{serial:012d}{1 if side.region == '51.04' else 2}",
            "sector": "47111",
            "village_code": side.village,
            "total_workers": "12",
            "workers_source": "wlkp",
            "workers_as_of": "01/02/2024",
            "registered_workers": "5",
            "programs": "JKK,JKM",
            "npp": f"NPP{word}",
            "registration_source": "insurer",
            "registration_as_of": "01/02/2024",
            "contact_name": f"Pak Kontak {word}",
        },
        today=TODAY,
    )
    letter = employers.record_action(
        user=None,
        employer=employer,
        data={
            "kind": "letter",
            "done_on": "05/02/2024",
            "outcome": "no_response",
            "letter_number": f"560/{word}/2024",
            "follow_up_on": "20/02/2024",
        },
        today=TODAY,
        document=ContentFile(MINIMAL_PDF, name="surat.pdf"),
    )
    event = employers.hold_event(
        user=None,
        data={
            "title": f"Sosialisasi {word}",
            "held_on": "10/02/2024",
            "village_code": side.village,
        },
        employers=[employer],
        attended={employer.pk},
        today=TODAY,
    )
    worker.employer = employer
    worker.save(update_fields=["employer"])
    side.names += [employer.name, f"Pak Kontak {word}", f"560/{word}/2024"]
    return {"employer": employer, "letter": letter, "event": event}


def _offline(man: Person, owner, word: str) -> dict:
    """The owner's phone and a conflict it sent: a change to the man made on a stale copy."""
    import uuid

    from lindung.sync.models import Conflict, Device, SyncRecord

    device = Device.objects.create(user=owner, label=f"Ponsel {word}")
    record = SyncRecord.objects.create(
        client_id=uuid.uuid4(),
        device=device,
        user=owner,
        kind="worker.update",
        payload={"worker_id": man.pk, "changes": {"address": f"Banjar {word}"}},
        base_version="1",
        status=SyncRecord.Status.CONFLICT,
    )
    conflict = Conflict(
        record=record,
        type=Conflict.Type.WORKER_CHANGED,
        person=man,
        server_version={"nik": man.nik, "full_name": man.full_name, "address": man.address},
        phone_version={"address": f"Banjar {word}"},
        village_id=man.village_id,
    )
    conflict.set_region_codes()
    conflict.save()
    return {"device": device, "conflict": conflict}


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
    tokens = {role: issue_token(user) for role, user in users.items()}
    issue_token(outsider)
    inside = _side(
        "51.04",
        "51.04.01.2001",
        "Dalamwilayah",
        1,
        users[Role.VILLAGE_OPERATOR],
        agent_user=users[Role.AGENT],
    )
    outside = _side("51.01", "51.01.01.2001", "Luarwilayah", 1, outsider)
    # The insurer's statement covers the whole country: one import, of nobody's side.
    inside.objects["statement_import"] = StatementImport.objects.create(
        file_name="rekening-koran.xlsx", sha256="1" * 64, uploaded_at=timezone.now(), rows=0
    )
    # A member list applied in each region, its report naming the side's worker.
    for side, uploader in ((inside, users[Role.REGENCY_ADMIN]), (outside, None)):
        side.objects["update_import"] = UpdateImport.objects.create(
            kind=UpdateImport.Kind.MEMBERS,
            file_name="peserta.csv",
            sha256="2" * 64,
            uploaded_at=timezone.now(),
            uploaded_by=uploader,
            region_code=side.region,
            rows=1,
            refused=1,
            report=[{"row": 2, "nik": side.people[0].nik, "code": "kpj_taken", "message": "x"}],
        )
    for side in (inside, outside):
        side.objects |= _agreed_list(side)
    return World(inside=inside, outside=outside, users=users, tokens=tokens)


def _agreed_list(side: Side) -> dict:
    """The village's agreed list for the program's round, naming the side's first worker."""
    from lindung.programs.agreedlist import read_typed
    from lindung.programs.services import save_agreed_list

    program = side.objects["program"]
    saved = save_agreed_list(
        user=None,
        program=program,
        round=program.rounds.get(number=1),
        village_code=side.village,
        meeting_date=dt.date(2023, 12, 1),
        minutes_number="BA/01/XII/2023",
        minutes=MINIMAL_PDF,
        rows=read_typed(f"{side.people[0].nik}; {side.people[0].full_name}; pekerja rentan"),
        source="typed",
        today=TODAY,
    )
    return {"agreed_list": saved.version.agreed_list, "agreed_version": saved.version}
