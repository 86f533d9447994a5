"""Demo agents: Gianyar's corporate agent PT Mitra Gianyar Aman (agreement of 28 May 2024,
renewed yearly) with one BumDes Perisai agent in each village of Kec. Sukawati, the
workers they signed up, a sponsored program of Sukawati whose rounds end around the demo's
"today" (one round ended last month, one ends this month), and the agents' first contacts.

Everything goes through the services, so attribution and the work list are what a user
would see. Loaded once: nothing is done when the holding exists.
"""

import datetime as dt

from lindung.accounts.models import User
from lindung.agents import services
from lindung.agents.models import Contact, Organisation
from lindung.people.categories import Category
from lindung.people.models import Person
from lindung.programs import services as programs
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, add_months
from lindung.regions.models import Region

HOLDING = "PT Mitra Gianyar Aman"
SUKAWATI = "51.04.01"
# Village code → the demo user signing in as that village's BumDes agent.
AGENT_USERS = {"51.04.01.2004": "agen.bumdes.sukawati", "51.04.01.2001": "agen.bumdes.batubulan"}
COORDINATOR = "koordinator.mitra.gianyar"
PER_ROUND = 6  # workers per village and round of the demo program
FIRST_SERIAL = 500  # above the other demo data's serials: new people
CONTACTS = [
    (Contact.Outcome.CALLED, "", "Minta dihubungi lagi minggu depan"),
    (Contact.Outcome.WILL_CONTINUE, "", "Akan bayar iuran mandiri lewat BumDes"),
    (Contact.Outcome.DECLINED, "Penghasilan tidak menentu", ""),
    (Contact.Outcome.UNREACHABLE, "", "Nomor HP tidak aktif"),
    (Contact.Outcome.VISITED, "", "Ditemui di balai banjar"),
]


def load_demo_agents(*, today: dt.date) -> Organisation | None:
    if Organisation.objects.filter(name=HOLDING, regency_id="51.04").exists():
        return None
    from lindung.demo.services import demo_workers

    holding = services.create_organisation(
        user=None,
        data={
            "kind": Organisation.Kind.HOLDING,
            "name": HOLDING,
            "regency_code": "51.04",
            "bank_name": "BPD Bali",
            "bank_account_number": "0180202000123",
            "bank_account_holder": HOLDING,
        },
        today=dt.date(2024, 5, 28),
    )
    start = dt.date(2024, 5, 28)
    for year in range(3):
        begin = start.replace(year=start.year + year)
        services.add_agreement(
            user=None,
            organisation=holding,
            number=f"PKS/{begin.year}/BPJSTK-GIANYAR/PERISAI/{year + 1:03d}",
            start_date=begin,
            end_date=services.add_year(begin) - dt.timedelta(days=1),
            branch="BPJS Ketenagakerjaan Cabang Gianyar",
        )
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{SUKAWATI}.")
        .filter(kind=Region.Kind.DESA)
        .order_by("code")
    )
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[*AGENT_USERS.values(), COORDINATOR])
    }
    agents = {}
    for village in villages:
        bumdes = services.create_organisation(
            user=None,
            data={
                "kind": Organisation.Kind.BUMDES,
                "name": f"BumDes {village.name.title()}",
                "regency_code": "51.04",
                "parent": holding,
            },
            today=start,
        )
        services.set_organisation_villages(
            user=None, organisation=bumdes, village_codes=[village.code], since=start
        )
        agents[village.code] = services.create_agent(
            user=None,
            data={
                "full_name": f"Agen BumDes {village.name.title()}",
                "regency_code": "51.04",
                "organisation": bumdes,
                "user": users.get(AGENT_USERS.get(village.code, "")),
                "phone": f"0812380{village.code[-4:]}",
                "started_on": start,
            },
            today=start,
        )
    coordinator = services.create_agent(
        user=None,
        data={
            "full_name": "Koordinator PT Mitra Gianyar Aman",
            "regency_code": "51.04",
            "organisation": holding,
            "is_coordinator": True,
            "user": users.get(COORDINATOR),
            "started_on": start,
        },
        today=start,
    )
    people = demo_workers(villages, PER_ROUND * 2, seed=2026, first_serial=FIRST_SERIAL)
    for person in people:
        person.agent_id = agents[person.village_id].pk  # signed up by the village's BumDes
    Person.objects.bulk_create(people, ignore_conflicts=True, batch_size=2000)
    _sponsored_rounds(villages, agents, today)
    for agent in [*agents.values(), coordinator]:
        services.note_activity(agent, today - dt.timedelta(days=3))
    return holding


def _sponsored_rounds(villages, agents, today: dt.date) -> None:
    """Sukawati's program: round 1 ended last month, round 2 ends this month."""
    this_month = today.replace(day=1)
    first, second = add_months(this_month, -6), add_months(this_month, -5)
    program = programs.create_program(
        user=None,
        data={
            "name": f"Perlindungan Pekerja Rentan Sukawati {first.year}",
            "year": first.year,
            "area_code": SUKAWATI,
            "funder": "apbd",
            "funder_name": "Pemerintah Kabupaten Gianyar",
            "budget": len(villages) * PER_ROUND * 2 * 100_800,
            "income_basis": 1_000_000,
            "sponsored_months": 6,
            "rounds": f"{first:%m/%Y}, {second:%m/%Y}",
            "quota_per_village": PER_ROUND,
            "eligible_categories": list(Category.values),
        },
    )
    rounds = list(program.rounds.order_by("number"))
    for village in villages:
        agent = agents[village.code]
        proposer = agent.user  # proposals by the agent's user remember the agent
        people = Person.objects.filter(village_id=village.code, agent=agent).order_by("nik")
        for i, person in enumerate(people[: PER_ROUND * 2]):
            round_ = rounds[i // PER_ROUND]
            programs.propose(
                user=proposer,
                program=program,
                person=person,
                round=round_,
                today=round_.start_month - dt.timedelta(days=20),
            )
    enrollments = Enrollment.objects.filter(program=program)
    for state in (State.VERIFIED, State.SUBMITTED):
        programs.move_many(user=None, enrollments=enrollments, to_state=state)
    answers = {
        e.pk: (f"26{e.person.nik[-10:]}", e.round.start_month)
        for e in enrollments.select_related("person", "round")
    }
    programs.activate_many(user=None, answers=answers, via="bpjs")
    programs.end_finished(today=today, program=program)
    for village in villages:  # what agents without a login proposed is theirs all the same
        services.assign_ended_enrollments(
            user=None, agent=agents[village.code], program=program, village_code=village.code
        )
    ended = Enrollment.objects.filter(program=program, state=State.ENDED).order_by("id")
    for i, enrollment in enumerate(ended[: len(CONTACTS) * 2]):
        outcome, reason, note = CONTACTS[i % len(CONTACTS)]
        services.record_contact(
            user=agents[enrollment.village_id].user,
            enrollment=enrollment,
            outcome=outcome,
            contacted_on=today - dt.timedelta(days=1 + i % 4),
            today=today,
            reason=reason,
            note=note,
        )
