"""Two agents recording the same month of the same worker at the same moment: exactly one
receipt is written, the other gets the ``month_paid`` refusal. PostgreSQL only (see
tests/programs/test_concurrency.py for why SQLite's test database cannot show it)."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from lindung.accounts.models import Role, User
from lindung.agents.models import Agent, AgentVillage
from lindung.selfpay.models import CollectionLine
from lindung.selfpay.services import CollectionRefused, record_collection
from tests.factories import TODAY
from tests.selfpay.conftest import ended_enrollment

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency needs a server database (PostgreSQL); runs in the PostgreSQL pass",
)


def test_two_agents_one_month_exactly_one_succeeds(bali_regions, make_user):
    from lindung.programs.services import create_program
    from tests.programs.conftest import program_data

    program = create_program(
        user=None, data=program_data(name="Uji serentak 2026", year=2026, rounds="04/2026")
    )
    enrollment = ended_enrollment(program)
    agents = []
    for i in range(2):
        user = make_user(f"agen.{i}", Role.AGENT, "51.04.01")
        perisai = Agent.objects.create(regency_id="51.04", full_name=f"Agen {i}", user=user)
        served = AgentVillage(agent=perisai, village_id=enrollment.village_id)
        served.set_region_codes()
        served.save()
        agents.append(user.pk)
    outcomes: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(agents))

    def worker(user_id):
        try:
            user = User.objects.get(pk=user_id)
            start.wait()
            try:
                record_collection(user=user, nik=enrollment.person.nik, months=["2026-10"],
                                  paid_on=TODAY, method="cash", today=TODAY)  # fmt: skip
                code = "ok"
            except CollectionRefused as refused:
                code = refused.code
            with lock:
                outcomes[code] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == Counter({"ok": 1, "month_paid": 1})
    assert CollectionLine.objects.filter(person=enrollment.person).count() == 1
