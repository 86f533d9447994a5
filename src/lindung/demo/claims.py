"""Demo claims in Gianyar, so the claims register, the reports and the estimator show
something real: a death in a sponsored month paid to the heirs and handed over, a work
accident being treated, and a claim refused because the membership had lapsed.

Everything goes through the claims services, as the village and the regency would do it.
Loaded once: nothing is done when Gianyar already has claims.
"""

import datetime as dt

from lindung.claims import services
from lindung.claims.models import DOCUMENTS, Claim, Status
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, add_months

GIANYAR = "51.04"


def _covered_on(day: dt.date):
    """Gianyar enrollments whose sponsored coverage holds ``day`` (and runs past it)."""
    return Enrollment.objects.filter(
        regency_code=GIANYAR,
        state__in=[State.ACTIVE, State.ENDED, State.CONTINUED, State.RENEWED, State.LAPSED],
        effective_date__lte=add_months(day.replace(day=1), -4),  # past the first 3 months
        coverage_end__gt=day,
    ).order_by("id")


def _move_along(claim: Claim, *, today: dt.date, paid_on: dt.date | None = None, upto=None):
    services.set_documents(user=None, claim=claim, documents=DOCUMENTS[claim.kind])
    for status in (Status.DOCUMENTS_COMPLETE, Status.SUBMITTED):
        claim = services.move(user=None, claim=claim, to_status=status, today=today)
        if status == upto:
            return claim
    return services.move(
        user=None, claim=claim, to_status=Status.PAID, today=today,
        amount=claim.estimate_total, paid_on=paid_on, note="Surat BPJS Ketenagakerjaan Gianyar",
    )  # fmt: skip


def load_demo_claims(*, today: dt.date) -> int:
    """Returns how many claims were recorded (0 on a second load or without enrollments)."""
    if Claim.objects.filter(regency_code=GIANYAR).exists():
        return 0
    recorded = 0
    # 1. A death in a sponsored month, paid and handed over to the widow.
    death_day = None
    for months_back in range(2, 24):
        day = add_months(today.replace(day=1), -months_back) + dt.timedelta(days=9)
        enrollment = _covered_on(day).first()
        if enrollment is not None:
            death_day = day
            break
    if death_day is not None:
        claim = services.report(user=None, today=today, data={
            "nik": enrollment.person.nik, "kind": "death", "event_date": death_day,
            "place": "RSUD Sanjiwani Gianyar", "reporter_name": "Operator desa",
            "heir_name": "Ni Wayan Sukerti", "heir_relation": "spouse",
            "heir_phone": "081338000111"})  # fmt: skip
        paid_on = min(today, death_day + dt.timedelta(days=30))
        claim = _move_along(claim, today=today, paid_on=paid_on)
        services.record_handover(
            user=None, claim=claim, on=min(today, paid_on + dt.timedelta(days=5)),
            by_name="Bupati Gianyar", today=today,
            testimony="Santunan ini menyambung sekolah anak-anak kami. Terima kasih.",
        )  # fmt: skip
        recorded += 1
    # 2. A work accident of a worker covered a month ago: care, submitted to the insurer.
    day = add_months(today.replace(day=1), -1) + dt.timedelta(days=14)
    enrollment = _covered_on(day).exclude(person__claims__isnull=False).first()
    if enrollment is not None:
        claim = services.report(user=None, today=today, data={
            "nik": enrollment.person.nik, "kind": "work_accident_care", "event_date": day,
            "place": "Sawah Subak Sukawati", "reporter_name": "Agen Perisai"})  # fmt: skip
        _move_along(claim, today=today, upto=Status.SUBMITTED)
        recorded += 1
    # 3. A death after the sponsored months, never continued: refused (lapsed).
    lapsed = (
        Enrollment.objects.filter(regency_code=GIANYAR, state__in=[State.ENDED, State.LAPSED],
                                  coverage_end__lt=today - dt.timedelta(days=60))
        .exclude(person__claims__isnull=False)
        .order_by("id")
        .first()
    )  # fmt: skip
    if lapsed is not None:
        claim = services.report(user=None, today=today, data={
            "nik": lapsed.person.nik, "kind": "death",
            "event_date": lapsed.coverage_end + dt.timedelta(days=45),
            "reporter_name": "Keluarga", "heir_name": "I Ketut Rai", "heir_relation": "child",
            "heir_phone": "081999000222"})  # fmt: skip
        services.move(user=None, claim=claim, to_status=Status.REFUSED, today=today,
                      note="Kepesertaan sudah berakhir: iuran tidak dilanjutkan setelah masa "
                           "sponsor.")  # fmt: skip
        recorded += 1
    return recorded
