"""The continuation work list on frozen dates, and the contacts recorded from it."""

import datetime as dt

import pytest
from django.http import Http404

from lindung.agents import selectors, services
from lindung.agents.models import Contact
from lindung.programs.lifecycle import State
from tests.agents.conftest import CELUK, make_enrollment
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 15)


@pytest.fixture
def round_one(gianyar, program):
    """Batubulan: one ending soon, one ended, one ended long ago, one ending much later,
    one continued; one ended in Ketewel and one in Celuk (another Wadah)."""
    people = {}

    def add(key, village, state, end):
        person = make_person(village, name=key)
        people[key] = make_enrollment(program, person, state=state, coverage_end=end)

    add("soon", BATUBULAN, State.ACTIVE, dt.date(2026, 12, 31))
    add("later", BATUBULAN, State.ACTIVE, dt.date(2027, 3, 31))
    add("ended", BATUBULAN, State.ENDED, dt.date(2026, 11, 30))
    add("long_ago", BATUBULAN, State.ENDED, dt.date(2026, 6, 30))
    add("continued", BATUBULAN, State.CONTINUED, dt.date(2026, 10, 31))
    add("ketewel", KETEWEL, State.ENDED, dt.date(2026, 11, 30))
    add("celuk", CELUK, State.ENDED, dt.date(2026, 11, 30))
    add("past_end", BATUBULAN, State.ACTIVE, dt.date(2026, 12, 10))  # not yet moved to ended
    return people


def names(rows) -> list[str]:
    return [e.person.full_name for e in rows]


def test_ending_first_then_ended_most_recent_first(gianyar, round_one):
    rows = selectors.work_list(None, as_of=AS_OF, village=BATUBULAN)
    assert names(rows) == ["soon", "past_end", "ended", "long_ago"]
    assert [e.bucket for e in rows] == [0, 1, 1, 1]


def walk(per_page: int, **filters) -> list[list[str]]:
    """Every page of Batubulan's list, following ``next`` from the first."""
    page = selectors.work_page(None, as_of=AS_OF, village=BATUBULAN, per_page=per_page)
    pages = [names(page)]
    while page.next:
        cursor = selectors.Cursor.decode(page.next)
        page = selectors.work_page(
            None, as_of=AS_OF, village=BATUBULAN, per_page=per_page, cursor=cursor
        )
        pages.append(names(page))
    return pages


def test_pages_keep_the_order_of_the_list(round_one):
    page = selectors.work_page(None, as_of=AS_OF, village=BATUBULAN, per_page=3)
    assert (page.count, page.num_pages, page.number) == (4, 2, 1)
    assert names(page) == ["soon", "past_end", "ended"]
    assert [e.bucket for e in page] == [0, 1, 1]
    assert walk(3) == [["soon", "past_end", "ended"], ["long_ago"]]


def test_pages_of_any_size_read_the_sections_one_after_the_other(round_one):
    for per_page in (1, 2, 4, 5):
        assert sum(walk(per_page), []) == ["soon", "past_end", "ended", "long_ago"]


def test_months_left(round_one):
    soon = selectors.window(round_one["soon"], AS_OF)
    assert (soon.ending, soon.months_left) == (True, 1)
    ended = selectors.window(round_one["ended"], AS_OF)
    # coverage ended 30/11: December is the first unpaid month, payable until March.
    assert (ended.ending, ended.months_left, ended.continue_by) == (
        False,
        4,
        dt.date(2027, 3, 31),
    )
    assert selectors.window(round_one["long_ago"], AS_OF).months_left == 0


def test_the_list_moves_with_the_date(round_one):
    on_new_year = names(selectors.work_list(None, as_of=dt.date(2027, 3, 5), village=BATUBULAN))
    assert on_new_year[0] == "later"
    assert "soon" in on_new_year


def test_a_person_proposed_again_leaves_the_list(round_one, program):
    person = round_one["ended"].person
    make_enrollment(program, person, state=State.PROPOSED, coverage_end=dt.date(2027, 6, 30))
    assert "ended" not in names(selectors.work_list(None, as_of=AS_OF))


def test_an_agent_works_its_own_villages_only(gianyar, round_one):
    _, agents = gianyar
    mine = names(selectors.work_list(agents["ketewel"].user, as_of=AS_OF))
    assert mine == ["ketewel"]
    holding = names(selectors.work_list(agents["holding_coordinator"].user, as_of=AS_OF))
    assert "celuk" not in holding and {"ketewel", "soon"} <= set(holding)
    assert names(selectors.work_list(agents["celuk"].user, as_of=AS_OF)) == ["celuk"]


def test_an_attributed_enrollment_follows_its_agent(gianyar, round_one):
    _, agents = gianyar
    celuk_worker = round_one["celuk"]
    celuk_worker.agent = agents["ketewel"]
    celuk_worker.save()
    assert "celuk" in names(selectors.work_list(agents["ketewel"].user, as_of=AS_OF))


def test_filters_by_agent_and_program(gianyar, round_one, program):
    _, agents = gianyar
    rows = selectors.work_list(None, as_of=AS_OF, agent=agents["ketewel"], program=program)
    assert names(rows) == ["ketewel"]


def test_record_contacts(gianyar, round_one):
    agent = gianyar[1]["batubulan"]
    ended = selectors.get_work_item(agent.user, round_one["ended"].pk)
    contact = services.record_contact(
        user=agent.user,
        enrollment=ended,
        outcome=Contact.Outcome.WILL_CONTINUE,
        contacted_on=AS_OF,
        today=AS_OF,
        note="Bayar minggu depan",
    )
    assert (contact.agent, contact.village_id) == (agent, BATUBULAN)
    row = selectors.work_list(agent.user, as_of=AS_OF).get(pk=ended.pk)
    assert (row.last_outcome, row.last_contacted_on) == ("will_continue", AS_OF)


@pytest.mark.parametrize(
    ("outcome", "on", "reason", "code"),
    [
        ("declined", AS_OF, "", "reason_required"),
        ("called", AS_OF + dt.timedelta(days=1), "", "date_in_future"),
        ("emailed", AS_OF, "", "bad_outcome"),
        ("called", None, "", "date_required"),
    ],
)
def test_contacts_refused(gianyar, round_one, outcome, on, reason, code):
    agent = gianyar[1]["batubulan"]
    with pytest.raises(services.ContactRefused) as refusal:
        services.record_contact(
            user=agent.user,
            enrollment=round_one["ended"],
            outcome=outcome,
            contacted_on=on,
            today=AS_OF,
            reason=reason,
        )
    assert refusal.value.code == code
    assert not Contact.objects.exists()


def test_declined_keeps_the_reason(gianyar, round_one):
    contact = services.record_contact(
        user=gianyar[1]["batubulan"].user,
        enrollment=round_one["ended"],
        outcome="declined",
        contacted_on=AS_OF,
        today=AS_OF,
        reason="Sudah ikut BPJS dari tempat kerja",
    )
    assert contact.reason == "Sudah ikut BPJS dari tempat kerja"


def test_another_organisations_worker_is_404(gianyar, round_one):
    agent = gianyar[1]["batubulan"]
    with pytest.raises(Http404):
        selectors.get_work_item(agent.user, round_one["celuk"].pk)


def test_village_choices_follow_the_scope_and_the_portfolio(gianyar, round_one, regency_admin):
    orgs, agents = gianyar
    codes = lambda user, **kw: [  # noqa: E731
        r.code for r in selectors.villages_on_list(user, as_of=AS_OF, **kw)
    ]
    assert codes(regency_admin) == sorted([BATUBULAN, CELUK, KETEWEL])
    assert codes(regency_admin, agent=agents["ketewel"]) == [KETEWEL]
    agent_user = agents["batubulan"].user
    assert codes(agent_user) == [BATUBULAN]
    celuk = round_one["celuk"]
    celuk.agent = agents["batubulan"]
    celuk.save(update_fields=["agent"])
    assert codes(agent_user) == sorted([BATUBULAN, CELUK])
    assert codes(agents["celuk"].user) == [CELUK]
    assert codes(agents["holding_coordinator"].user) == sorted([BATUBULAN, CELUK, KETEWEL])
    # Nothing on the list there any more: a village is not offered.
    for key in ("ketewel",):
        round_one[key].state = State.CONTINUED
        round_one[key].save(update_fields=["state"])
    assert KETEWEL not in codes(regency_admin)
