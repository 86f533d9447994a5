"""Recording self-paid months: prices from the premium engine, the window, one payment a
month, the move from ended to continued, scope, and nothing half-written on a refusal."""

import datetime as dt

import pytest

from lindung.programs.lifecycle import State
from lindung.programs.models import Transition
from lindung.selfpay.models import Collection, CollectionLine
from lindung.selfpay.services import CollectionRefused, record_collection
from tests.factories import TODAY
from tests.programs.conftest import KETEWEL
from tests.selfpay.conftest import ended_enrollment, make_person

pytestmark = pytest.mark.django_db


def collect(user, enrollment, months, **extra):
    data = {"paid_on": TODAY, "method": "cash", "today": TODAY, **extra}
    return record_collection(user=user, nik=enrollment.person.nik, months=months, **data)


def refusal_code(user, enrollment, months, **extra) -> str:
    with pytest.raises(CollectionRefused) as caught:
        collect(user, enrollment, months, **extra)
    assert caught.value.message and caught.value.message != caught.value.code
    return caught.value.code


def test_months_priced_by_the_engine_with_the_relief_rule_named(agent, ended):
    collection = collect(agent, ended, ["2026-10", "2026-11", "2026-12", "2027-01"])
    lines = {f"{line.month:%Y-%m}": line for line in collection.lines.all()}
    assert [lines[m].amount for m in sorted(lines)] == [8_400, 8_400, 8_400, 16_800]
    assert collection.total == 3 * 8_400 + 16_800
    assert "PP 50/2025" in lines["2026-10"].rule_label
    assert lines["2026-10"].rule is not None and lines["2026-10"].base_amount == 16_800
    assert lines["2027-01"].rule is None
    assert "tidak ada keringanan" in lines["2027-01"].rule_label
    assert collection.number == f"KW-2026-{collection.pk:07d}"


def test_first_collection_continues_the_enrollment_in_its_history(agent, ended):
    collect(agent, ended, ["2026-10"])
    ended.refresh_from_db()
    assert ended.state == State.CONTINUED
    move = Transition.objects.get(enrollment=ended, to_state=State.CONTINUED)
    assert move.from_state == State.ENDED and move.by == agent and "KW-2026-" in move.reason
    collect(agent, ended, ["2026-11"])
    assert Transition.objects.filter(enrollment=ended, to_state=State.CONTINUED).count() == 1


def test_a_month_is_paid_once(agent, operator, ended):
    collect(agent, ended, ["2026-10", "2026-11"])
    assert refusal_code(operator, ended, ["2026-11", "2026-12"]) == "month_paid"
    assert CollectionLine.objects.filter(person=ended.person).count() == 2


def test_arrears_window_and_ahead_window(agent, sponsor_program):
    late = ended_enrollment(sponsor_program, coverage_end=dt.date(2026, 6, 30))
    # July 2026 is four months before November: no longer payable.
    assert refusal_code(agent, late, ["2026-07", "2026-08"]) == "arrears_beyond_window"
    # Only August onwards asked, but July stays a hole: the membership has ended.
    assert refusal_code(agent, late, ["2026-08"]) == "membership_ended"
    current = ended_enrollment(sponsor_program)
    assert refusal_code(agent, current, ["2026-09"]) == "month_sponsored"
    assert refusal_code(agent, current, ["2027-12"]) == "ahead_beyond_window"
    collection = collect(agent, current, [f"{m:%Y-%m}" for m in _months(2026, 10, 14)])
    assert collection.lines.count() == 14  # October 2026 … November 2027, 12 ahead
    assert not Collection.objects.filter(person=late.person).exists()


def _months(year, month, count):
    for i in range(count):
        index = year * 12 + month - 1 + i
        yield dt.date(index // 12, index % 12 + 1, 1)


def test_three_months_of_arrears_can_still_be_paid(agent, sponsor_program):
    enrollment = ended_enrollment(sponsor_program, coverage_end=dt.date(2026, 7, 31))
    collection = collect(agent, enrollment, ["2026-08", "2026-09", "2026-10", "2026-11"])
    assert collection.total == 4 * 8_400


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"months": ["2026-13"]}, "month_invalid"),
        ({"months": []}, "months_missing"),
        ({"method": "cek"}, "method_invalid"),
        ({"paid_on": "31/02/2026"}, "date_invalid"),
        ({"paid_on": TODAY + dt.timedelta(days=1)}, "date_future"),
        ({"paid_on": TODAY - dt.timedelta(days=40)}, "date_too_old"),
        ({"amount": -8400}, "amount_invalid"),
        ({"amount": 8400.5}, "amount_invalid"),
        ({"amount": "8400,5"}, "amount_invalid"),
        ({"amount": 16_800}, "amount_mismatch"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_nothing_written(agent, ended, change, code):
    data = {"months": ["2026-10"], **change}
    months = data.pop("months")
    assert refusal_code(agent, ended, months, **data) == code
    assert not Collection.objects.exists()
    ended.refresh_from_db()
    assert ended.state == State.ENDED


def test_the_collected_amount_is_checked_when_given(agent, ended):
    assert collect(agent, ended, ["2026-10", "2026-11"], amount="16.800").total == 16_800


def test_a_worker_outside_the_collectors_region_is_not_found(make_user, sponsor_program):
    jembrana_agent = make_user("agen.jembrana", "agent", "51.01")
    enrollment = ended_enrollment(sponsor_program)
    assert refusal_code(jembrana_agent, enrollment, ["2026-10"]) == "worker_not_found"
    other_village = make_user("op.ketewel", "village_operator", "51.04.01.2002")
    assert refusal_code(other_village, enrollment, ["2026-10"]) == "worker_not_found"


def test_an_agent_collects_only_in_its_villages(agent, sponsor_program):
    ketewel = ended_enrollment(sponsor_program, make_person(KETEWEL))
    assert refusal_code(agent, ketewel, ["2026-10"]) == "worker_not_found"


def test_a_collection_is_the_agents_activity(agent, ended):
    collection = collect(agent, ended, ["2026-10"], paid_on=TODAY - dt.timedelta(days=3))
    assert collection.agent == agent.agent
    agent.agent.refresh_from_db()
    assert agent.agent.last_activity_on == TODAY - dt.timedelta(days=3)


def test_viewers_do_not_collect(viewer, ended):
    assert refusal_code(viewer, ended, ["2026-10"]) == "forbidden"


def test_no_ended_enrollment_means_nothing_to_continue(agent):
    person = make_person()
    with pytest.raises(CollectionRefused) as caught:
        record_collection(user=agent, nik=person.nik, months=["2026-10"], paid_on=TODAY,
                          method="cash", today=TODAY)  # fmt: skip
    assert caught.value.code == "no_continuation"


def test_a_lapsed_membership_is_not_revived(agent, sponsor_program):
    enrollment = ended_enrollment(sponsor_program, state=State.LAPSED)
    assert refusal_code(agent, enrollment, ["2026-10"]) == "membership_ended"
