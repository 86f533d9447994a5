"""The claims register: reporting (with its refusals), the state machine, the documents,
the hand-over, and a death ending the membership with the months billed after it flagged."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.billing import run as billing
from lindung.billing.models import Bill
from lindung.claims import selectors, services
from lindung.claims.models import DOCUMENTS, Claim, Kind, Status
from lindung.programs.lifecycle import State
from lindung.programs.models import Program, Transition
from tests.claims.conftest import TODAY, covered, make_person

pytestmark = pytest.mark.django_db


def death(person, **overrides):
    data = {
        "nik": person.nik,
        "kind": "death",
        "event_date": "15/07/2026",
        "place": "RSUD Sanjiwani",
        "reporter_name": "Kadek Ayu (operator desa)",
        "heir_name": "Ni Luh Sari",
        "heir_relation": "spouse",
        "heir_phone": "081234567890",
    }
    return data | overrides


def refused_code(call) -> tuple[str, str]:
    with pytest.raises(services.ClaimRefused) as refused:
        call()
    assert refused.value.message
    return refused.value.code, refused.value.field


@pytest.fixture
def committed(sponsor_program):
    Program.objects.filter(pk=sponsor_program.pk).update(committed=10 * 6 * 16_800)
    return sponsor_program


def test_a_death_is_reported_with_its_estimate_and_ends_the_membership(operator, committed):
    enrollment = covered(committed)
    claim = services.report(user=operator, data=death(enrollment.person), today=TODAY)
    assert (claim.status, claim.kind, claim.enrollment_id) == ("reported", "death", enrollment.pk)
    assert claim.estimate_total == 42_000_000 and claim.estimate_covered
    assert claim.estimate_rule.startswith("Permenaker 1/2025")
    assert claim.number == f"KLM-2026-{claim.pk:06d}"
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.end_cause, enrollment.coverage_end) == (
        State.ENDED, "death", dt.date(2026, 7, 15))  # fmt: skip
    last = Transition.objects.filter(enrollment=enrollment).latest("id")
    assert claim.number in last.reason
    assert [m.to_status for m in claim.moves.all()] == ["reported"]
    assert claim.history.count() == 1


def test_bad_reports_get_stable_codes(operator, committed):
    enrollment = covered(committed)
    person = enrollment.person
    outside = make_person("51.01.01.2001")

    def report(**changes):
        return lambda: services.report(user=operator, data=death(person, **changes), today=TODAY)

    assert refused_code(report(nik=outside.nik)) == ("worker_not_found", "nik")
    assert refused_code(report(kind="flood")) == ("kind_invalid", "kind")
    assert refused_code(report(event_date="2026-13-01")) == ("date_invalid", "event_date")
    assert refused_code(report(event_date="2026-12-01")) == ("date_in_future", "event_date")
    assert refused_code(report(event_date="2026-04-01")) == (
        "event_before_membership", "event_date")  # fmt: skip
    assert refused_code(report(heir_name="")) == ("heir_required", "heir_name")
    assert refused_code(report(heir_relation="cousin")) == ("relation_invalid", "heir_relation")
    first = services.report(user=operator, data=death(person), today=TODAY)
    code, _field = refused_code(report(kind="work_accident_death"))
    assert code == "claim_duplicate"
    with pytest.raises(services.ClaimRefused) as again:
        report()()
    assert first.number in again.value.message


def test_a_viewer_may_not_report(viewer, committed):
    enrollment = covered(committed)
    code, _field = refused_code(
        lambda: services.report(user=viewer, data=death(enrollment.person), today=TODAY)
    )
    assert code == "forbidden"


def test_the_state_machine(operator, regency_admin, committed):
    enrollment = covered(committed)
    claim = services.report(user=operator, data=death(enrollment.person), today=TODAY)

    def move(user, to, **kwargs):
        return services.move(user=user, claim=claim, to_status=to, today=TODAY, **kwargs)

    assert refused_code(lambda: move(operator, "documents_complete"))[0] == "documents_missing"
    assert refused_code(lambda: move(operator, "paid"))[0] == "forbidden"
    assert refused_code(lambda: move(regency_admin, "paid"))[0] == "transition_not_allowed"
    services.set_documents(user=operator, claim=claim, documents=DOCUMENTS[Kind.DEATH])
    code = refused_code(lambda: services.set_documents(user=operator, claim=claim,
                                                       documents=["x"]))  # fmt: skip
    assert code == ("documents_invalid", "documents")
    move(operator, "documents_complete")
    assert refused_code(lambda: move(operator, "submitted"))[0] == "forbidden"
    claim = move(regency_admin, "submitted")
    assert claim.submitted_on == TODAY
    assert refused_code(lambda: move(regency_admin, "paid", amount="0", paid_on="2026-11-01"))[
        0] == "amount_invalid"  # fmt: skip
    assert refused_code(lambda: move(regency_admin, "paid", amount=42_000_000,
                                     paid_on="2026-12-01"))[0] == "paid_on_invalid"  # fmt: skip
    above = refused_code(lambda: move(regency_admin, "paid", amount=50_000_000,
                                      paid_on="2026-11-01"))  # fmt: skip
    assert above == ("amount_above_estimate", "amount_paid")
    claim = move(regency_admin, "paid", amount="42.000.000", paid_on="01/11/2026")
    assert (claim.status, claim.amount_paid, claim.paid_on) == (
        "paid", 42_000_000, dt.date(2026, 11, 1))  # fmt: skip
    assert refused_code(lambda: move(regency_admin, "refused", note="x"))[0] == (
        "transition_not_allowed")  # fmt: skip
    assert [m.to_status for m in selectors.moves_of(claim)] == [
        "reported", "documents_complete", "submitted", "paid"]  # fmt: skip


def test_a_paid_amount_above_the_estimate_needs_a_note(regency_admin, committed):
    enrollment = covered(committed)
    claim = services.report(user=regency_admin, data=death(enrollment.person), today=TODAY)
    Claim.objects.filter(pk=claim.pk).update(status=Status.SUBMITTED)
    claim.refresh_from_db()
    paid = services.move(user=regency_admin, claim=claim, to_status="paid", today=TODAY,
                         amount=45_000_000, paid_on="2026-11-02",
                         note="Surat BPJS 12/2026: santunan tambahan")  # fmt: skip
    assert paid.payment_note.startswith("Surat BPJS")


def test_refused_needs_a_reason_and_frees_the_death_for_a_new_claim(operator, regency_admin,
                                                                     committed):  # fmt: skip
    enrollment = covered(committed)
    claim = services.report(user=operator, data=death(enrollment.person), today=TODAY)
    assert refused_code(lambda: services.move(user=regency_admin, claim=claim,
                                              to_status="refused", today=TODAY))[0] == (
        "reason_required")  # fmt: skip
    services.move(user=regency_admin, claim=claim, to_status="refused", today=TODAY,
                  note="Berkas ahli waris tidak sah")  # fmt: skip
    claim.refresh_from_db()
    assert claim.refusal_reason == "Berkas ahli waris tidak sah"
    again = services.report(user=operator, data=death(enrollment.person), today=TODAY)
    assert again.pk != claim.pk


def test_a_lapsed_membership_is_reported_but_estimated_at_nothing(operator, committed):
    enrollment = covered(committed, state=State.ENDED)
    claim = services.report(user=operator, data=death(enrollment.person, event_date="2026-10-20"),
                            today=TODAY)  # fmt: skip
    assert not claim.estimate_covered and claim.estimate_total == 0
    enrollment.refresh_from_db()
    assert enrollment.state == State.ENDED and enrollment.end_cause is None


def test_hand_over_after_payment(operator, regency_admin, committed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enrollment = covered(committed)
    claim = services.report(user=operator, data=death(enrollment.person), today=TODAY)

    def hand_over(**kwargs):
        values = {"on": "2026-11-05", "by_name": "Bupati Gianyar",
                  "testimony": "Terima kasih, sangat membantu."} | kwargs  # fmt: skip
        return services.record_handover(user=operator, claim=claim, today=TODAY, **values)

    assert refused_code(hand_over)[0] == "handover_not_paid"
    Claim.objects.filter(pk=claim.pk).update(status=Status.PAID, paid_on=dt.date(2026, 11, 1),
                                             amount_paid=42_000_000)  # fmt: skip
    claim.refresh_from_db()
    assert refused_code(lambda: hand_over(on="2026-10-30"))[0] == "handover_date_invalid"
    assert refused_code(lambda: hand_over(by_name=""))[0] == "handover_by_required"
    bad = SimpleUploadedFile("foto.exe", b"MZ", content_type="application/octet-stream")
    assert refused_code(lambda: hand_over(photo=bad))[0] == "photo_invalid"
    photo = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")
    done = hand_over(photo=photo)
    assert done.handover_on == dt.date(2026, 11, 5) and done.handover_by == "Bupati Gianyar"
    assert done.handover_photo.name.endswith(f"{claim.number}.jpg")
    assert done.testimony == "Terima kasih, sangat membantu."


def test_months_billed_after_the_death_are_flagged(operator, regency_admin, committed):
    enrollment = covered(committed)
    billing.execute(program=committed, month=dt.date(2026, 9, 1), today=TODAY)
    claim = services.report(user=operator, data=death(enrollment.person), today=TODAY)
    flagged = selectors.billed_after_death(claim)
    # Died in July: August and September were billed to the sponsor, on an unpaid bill.
    assert [(f.month.month, f.corrected) for f in flagged] == [(8, False), (9, False)]
    assert all(f.amount > 0 for f in flagged)
    assert {f.action for f in flagged} == {"koreksi pada tagihan berikutnya"}
    billing.execute(program=committed, month=dt.date(2026, 10, 1), today=TODAY)
    assert [(f.month.month, f.corrected) for f in selectors.billed_after_death(claim)] == [
        (8, True), (9, True)]  # fmt: skip
    assert {f.action for f in selectors.billed_after_death(claim)} == {
        "sudah dikoreksi di tagihan"}  # fmt: skip


def test_paid_bills_ask_for_a_refund(operator, committed):
    enrollment = covered(committed)
    billing.execute(program=committed, month=dt.date(2026, 8, 1), today=TODAY)
    Bill.objects.filter(program=committed).update(paid=1)
    claim = services.report(user=operator, data=death(enrollment.person), today=TODAY)
    assert {f.action for f in selectors.billed_after_death(claim)} == {
        "minta pengembalian (refund) ke BPJS"}  # fmt: skip


def test_a_worker_who_died_leaves_the_continuation_work_list(operator, regency_admin, committed):
    from lindung.agents.selectors import work_list

    alive, dead = covered(committed), covered(committed)
    services.report(user=operator, data=death(dead.person), today=TODAY)
    listed = set(work_list(regency_admin, as_of=TODAY).values_list("pk", flat=True))
    assert alive.pk in listed and dead.pk not in listed
