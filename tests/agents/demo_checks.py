"""The demo's PT Mitra Gianyar Aman: its BumDes agents in Sukawati, their workers and work.

Run by ``tests/test_demo.py`` on the demo it loads once for every app's checks."""

import datetime as dt

from lindung.accounts.models import User
from lindung.agents import selectors
from lindung.agents.models import Agent, Contact, Organisation
from lindung.people.models import Person
from tests.factories import TODAY


def check_agents_in_sukawati():
    holding = Organisation.objects.get(name="PT Mitra Gianyar Aman")
    assert holding.agreements.order_by("start_date").first().start_date == dt.date(2024, 5, 28)
    assert any(a.in_force_on(TODAY) for a in holding.agreements.all())
    assert holding.members.count() == 12  # the desa of Kec. Sukawati
    sukawati = User.objects.get(username="agen.bumdes.sukawati").agent
    assert sukawati.organisation.name == "BumDes Sukawati"
    assert Person.objects.filter(agent=sukawati).count() >= 10
    rows = list(selectors.work_list(sukawati.user, as_of=TODAY))
    sections = {selectors.window(e, TODAY).ending for e in rows}
    assert sections == {True, False}  # one round ends this month, one ended last month
    assert {e.village_id for e in rows} == {"51.04.01.2004"}
    recent = [e for e in rows if e.program.name.startswith("Perlindungan Pekerja Rentan Sukawati")]
    # The demo's self-payers (lindung.demo.selfpay) have continued: off the work list.
    continued = sukawati.enrollments.filter(state="continued").count()
    assert continued and len(recent) == 12 - continued
    assert all(e.agent_id == sukawati.pk for e in recent)
    assert rows[: len(recent)] == recent  # older rounds' people come after
    coordinator = User.objects.get(username="koordinator.mitra.gianyar")
    assert selectors.agents_for(coordinator).count() == 13
    assert Contact.objects.filter(outcome="declined").exclude(reason="").exists()


COUNTED = (Organisation, Agent, Contact)
