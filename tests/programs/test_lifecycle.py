"""The enrollment state machine: every allowed move works and is recorded; the rest are refused."""

import datetime as dt

import pytest
from django.http import Http404

from lindung.programs import selectors, services
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, Transition, VillageQuota
from lindung.programs.services import TransitionRefused
from tests.factories import TODAY
from tests.programs.conftest import KETEWEL, make_person

# Written out here, not imported, so that a change of the machine shows up as a failing test.
EXPECTED = {
    "proposed": {"verified", "rejected", "withdrawn"},
    "verified": {"submitted", "rejected", "withdrawn"},
    "submitted": {"active", "rejected", "withdrawn"},
    "active": {"ended"},
    "ended": {"continued", "renewed", "lapsed"},
    "continued": {"lapsed", "renewed"},
    "renewed": set(),
    "lapsed": set(),
    "rejected": set(),
    "withdrawn": set(),
}
ALL_STATES = list(EXPECTED)


def _enrollment_in(program, state: str) -> Enrollment:
    person = make_person()
    enrollment = services.propose(user=None, program=program, person=person, today=TODAY)
    Enrollment.objects.filter(pk=enrollment.pk).update(state=state)
    enrollment.refresh_from_db()
    return enrollment


def test_expected_table_covers_every_state():
    assert set(ALL_STATES) == set(State.values)


@pytest.mark.parametrize("from_state", ALL_STATES)
def test_every_move_from(from_state, program, regency_admin):
    for to_state in ALL_STATES:
        enrollment = _enrollment_in(program, from_state)
        recorded = Transition.objects.filter(enrollment=enrollment).count()
        if to_state in EXPECTED[from_state]:
            services.transition(
                user=regency_admin, enrollment=enrollment, to_state=to_state, reason="alasan uji"
            )
            enrollment.refresh_from_db()
            assert enrollment.state == to_state, (from_state, to_state)
            last = enrollment.transitions.order_by("-id").first()
            assert (last.from_state, last.to_state) == (from_state, to_state)
            assert last.by == regency_admin and last.reason == "alasan uji" and last.at
        else:
            with pytest.raises(TransitionRefused) as refused:
                services.transition(
                    user=regency_admin, enrollment=enrollment, to_state=to_state, reason="x"
                )
            assert refused.value.code == "transition_not_allowed", (from_state, to_state)
            assert "tidak diperbolehkan" in refused.value.message
            enrollment.refresh_from_db()
            assert enrollment.state == from_state
            assert Transition.objects.filter(enrollment=enrollment).count() == recorded


def test_unknown_target_state_is_refused(program, regency_admin):
    enrollment = _enrollment_in(program, "proposed")
    with pytest.raises(TransitionRefused) as refused:
        services.transition(user=regency_admin, enrollment=enrollment, to_state="aktif")
    assert refused.value.code == "transition_not_allowed"


@pytest.mark.parametrize("to_state", ["rejected", "withdrawn"])
def test_rejection_and_withdrawal_need_a_reason(to_state, program, regency_admin):
    enrollment = _enrollment_in(program, "verified")
    with pytest.raises(TransitionRefused) as refused:
        services.transition(
            user=regency_admin, enrollment=enrollment, to_state=to_state, reason=" "
        )
    assert refused.value.code == "reason_required"
    services.transition(
        user=regency_admin, enrollment=enrollment, to_state=to_state, reason="Sudah pindah"
    )
    enrollment.refresh_from_db()
    assert enrollment.reason == "Sudah pindah"


def test_proposal_is_recorded_as_the_first_transition(program, operator, person):
    enrollment = services.propose(user=operator, program=program, person=person, today=TODAY)
    first = enrollment.transitions.get()
    assert (first.from_state, first.to_state, first.by) == ("", "proposed", operator)
    assert enrollment.round.number == 1  # 01/2027 is the first round not started yet


def test_leaving_before_coverage_gives_the_place_and_budget_back(program, regency_admin):
    enrollment = _enrollment_in(program, "submitted")
    quota = VillageQuota.objects.get(round=enrollment.round, village=enrollment.village)
    program.refresh_from_db()
    assert (quota.used, program.committed) == (1, 100_800)
    services.transition(
        user=regency_admin, enrollment=enrollment, to_state="rejected", reason="NIK ganda"
    )
    quota.refresh_from_db()
    program.refresh_from_db()
    assert (quota.used, program.committed) == (0, 0)


def test_operator_may_withdraw_but_not_verify(program, operator):
    enrollment = _enrollment_in(program, "proposed")
    with pytest.raises(TransitionRefused) as refused:
        services.transition(user=operator, enrollment=enrollment, to_state="verified")
    assert refused.value.code == "forbidden"
    services.transition(
        user=operator, enrollment=enrollment, to_state="withdrawn", reason="Salah orang"
    )


def test_operator_may_not_withdraw_once_submitted(program, operator):
    enrollment = _enrollment_in(program, "submitted")
    with pytest.raises(TransitionRefused) as refused:
        services.transition(user=operator, enrollment=enrollment, to_state="withdrawn", reason="x")
    assert refused.value.code == "forbidden"


def test_operator_of_another_village_cannot_touch_it(program, make_user):
    enrollment = _enrollment_in(program, "proposed")
    ketewel = make_user("op.ketewel", "village_operator", KETEWEL)
    with pytest.raises(Http404):
        selectors.get_enrollment(ketewel, enrollment.pk)
    with pytest.raises(TransitionRefused) as refused:
        services.transition(user=ketewel, enrollment=enrollment, to_state="withdrawn", reason="x")
    assert refused.value.code == "forbidden"


def test_viewer_changes_nothing(program, viewer):
    enrollment = _enrollment_in(program, "proposed")
    with pytest.raises(TransitionRefused):
        services.transition(user=viewer, enrollment=enrollment, to_state="withdrawn", reason="x")


def test_activation_sets_coverage_and_renews_the_previous_enrollment(make_program, regency_admin):
    old_program = make_program(name="Gianyar 2024", year=2024, rounds="01/2024")
    new_program = make_program()
    person = make_person()
    old = services.propose(
        user=None, program=old_program, person=person, today=dt.date(2023, 12, 1)
    )
    Enrollment.objects.filter(pk=old.pk).update(state="ended")
    new = services.propose(user=None, program=new_program, person=person, today=TODAY)
    Enrollment.objects.filter(pk=new.pk).update(state="submitted")
    result = services.activate_many(
        user=regency_admin, answers={new.pk: ("24000000001", dt.date(2027, 1, 15))}
    )
    assert len(result.moved) == 1
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.state, new.kpj, new.coverage_end) == ("active", "24000000001", dt.date(2027, 6, 30))
    assert old.state == "renewed"
    assert old.transitions.order_by("-id").first().via == "system"


def test_end_of_sponsored_months_and_expiring_view(program, regency_admin):
    soon = _enrollment_in(program, "submitted")
    later = _enrollment_in(program, "submitted")
    services.activate_many(
        user=regency_admin,
        answers={
            soon.pk: ("24000000001", dt.date(2026, 6, 1)),  # ends 30/11/2026
            later.pk: ("24000000002", dt.date(2026, 8, 1)),  # ends 31/01/2027
        },
    )
    expiring = selectors.expiring(regency_admin, today=TODAY)
    assert list(expiring) == [Enrollment.objects.get(pk=soon.pk)]
    assert services.end_finished(today=dt.date(2026, 12, 1)) == 1
    soon.refresh_from_db()
    assert soon.state == "ended"
    assert services.end_finished(today=dt.date(2026, 12, 1)) == 0
