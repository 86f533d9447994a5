"""Writes of the claims app: report a claim, tick its documents, move it, hand it over.

Every write is one transaction; every move is a :class:`~lindung.claims.models.ClaimMove`
and every change of a claim a history row. A reported death ends the worker's sponsored
coverage on the day of death (``programs.services.end_early``), so billing stops after the
month of death and the months already billed become correction lines.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role
from lindung.accounts.scope import in_scope
from lindung.claims import benefits, selectors
from lindung.claims.models import (
    DEATHS,
    DOCUMENTS,
    Claim,
    ClaimMove,
    Kind,
    Relation,
    Status,
)
from lindung.people.validation import parse_date
from lindung.programs import services as programs
from lindung.programs.lifecycle import State
from lindung.programs.models import EndCause, Enrollment, Transition
from lindung.refusals import Refusal

REPORTERS = frozenset({Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN, Role.VILLAGE_OPERATOR, Role.AGENT})
DECIDERS = frozenset({Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN})

ALLOWED = {
    Status.REPORTED: {Status.DOCUMENTS_COMPLETE, Status.REFUSED},
    Status.DOCUMENTS_COMPLETE: {Status.SUBMITTED, Status.REPORTED, Status.REFUSED},
    Status.SUBMITTED: {Status.PAID, Status.REFUSED},
    Status.PAID: set(),
    Status.REFUSED: set(),
}

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = (".jpg", ".jpeg", ".png")

MESSAGES = {
    "forbidden": _("Peran Anda tidak dapat melakukan ini untuk klaim di wilayah ini."),
    "worker_not_found": _("Pekerja dengan NIK ini tidak ditemukan di wilayah Anda."),
    "kind_invalid": _(
        "Jenis klaim tidak dikenal: death, work_accident_death, total_disability atau "
        "work_accident_care."
    ),
    "reporter_required": _("Tulis nama pelapor (operator desa, agen, atau keluarga)."),
    "heir_required": _(
        "Untuk klaim kematian tulis nama ahli waris, hubungannya (spouse, child, parent, "
        "sibling, other) dan nomor kontaknya."
    ),
    "relation_invalid": _("Hubungan ahli waris: spouse, child, parent, sibling, other atau self."),
    "claim_duplicate": _(
        "Kematian pekerja ini sudah dilaporkan (klaim %(number)s, status %(status)s): buka "
        "klaim itu, jangan membuat klaim kedua."
    ),
    "documents_invalid": _("Berkas tidak dikenal untuk jenis klaim ini: %(codes)s."),
    "documents_missing": _("Berkas belum lengkap: %(missing)s."),
    "transition_not_allowed": _("Klaim berstatus '%(from)s' tidak dapat menjadi '%(to)s'."),
    "reason_required": _("Tulis alasan penolakan dari BPJS."),
    "amount_invalid": _("Jumlah dibayar harus rupiah bulat lebih dari 0, mis. 42000000."),
    "paid_on_invalid": _("Tanggal dibayar tidak terbaca, sebelum peristiwa, atau di masa depan."),
    "amount_above_estimate": _(
        "Jumlah dibayar %(amount)s melebihi perkiraan %(estimate)s: tulis catatan pembayaran "
        "(mis. nomor surat BPJS) yang menjelaskan selisihnya."
    ),
    "handover_not_paid": _("Serah terima dicatat setelah klaim dibayar."),
    "handover_date_invalid": _(
        "Tanggal serah terima tidak terbaca, sebelum pembayaran, atau di masa depan."
    ),
    "handover_by_required": _("Tulis siapa yang menyerahkan (mis. Bupati, Kepala Desa)."),
    "photo_invalid": _("Foto serah terima harus JPG atau PNG, paling besar 5 MB."),
}


class ClaimRefused(Refusal):
    """A claim write refused; ``field`` names the input at fault (``request`` if none)."""

    messages = MESSAGES | benefits.MESSAGES

    def __init__(self, code: str, field: str = "request", **params):
        super().__init__(code, **params)
        self.field = field


def may_report(user, village_code: str) -> bool:
    return user is None or (user.role in REPORTERS and in_scope(user, village_code))


def may_decide(user, village_code: str) -> bool:
    return user is None or (user.role in DECIDERS and in_scope(user, village_code))


def _text(value, limit: int) -> str:
    return " ".join(str(value or "").replace("\x00", "").split())[:limit]


def _actor(user):
    return user if user is not None and getattr(user, "pk", None) else None


def _covering_enrollment(person, event_date: dt.date) -> Enrollment | None:
    """The enrollment whose coverage holds the event, else the latest one activated."""
    enrollments = person.enrollments.filter(effective_date__isnull=False).order_by(
        "-effective_date", "-id"
    )
    for enrollment in enrollments:
        if enrollment.effective_date <= event_date and (
            enrollment.coverage_end is None or event_date <= enrollment.coverage_end
        ):
            return enrollment
    return enrollments.first()


def report(*, user, data: dict, today: dt.date, via: str = "web") -> Claim:
    """Record a reported event. Raises :class:`ClaimRefused` (code and field) on bad input."""
    person = selectors.worker_by_nik(user, data.get("nik"))
    if person is None:
        raise ClaimRefused("worker_not_found", "nik")
    if not may_report(user, person.village_id):
        raise ClaimRefused("forbidden")
    kind = _text(data.get("kind"), 30)
    if kind not in Kind.values:
        raise ClaimRefused("kind_invalid", "kind")
    event_date = parse_date(data.get("event_date") or "")
    if event_date is None:
        raise ClaimRefused("date_invalid", "event_date")
    reporter = _text(data.get("reporter_name"), 150) or (
        (user.get_full_name() or user.username) if user is not None else ""
    )
    if not reporter:
        raise ClaimRefused("reporter_required", "reporter_name")
    heir = {
        "heir_name": _text(data.get("heir_name"), 150),
        "heir_relation": _text(data.get("heir_relation"), 10),
        "heir_phone": _text(data.get("heir_phone"), 30),
    }
    if heir["heir_relation"] and heir["heir_relation"] not in Relation.values:
        raise ClaimRefused("relation_invalid", "heir_relation")
    if kind in DEATHS and not all(heir.values()):
        missing = next(name for name, value in heir.items() if not value)
        raise ClaimRefused("heir_required", missing)
    try:
        estimate = benefits.estimate(benefits.of_person(person), kind, event_date, today=today)
    except benefits.EstimateRefused as refusal:
        raise ClaimRefused(refusal.code, "event_date", **refusal.params) from refusal
    enrollment = _covering_enrollment(person, event_date)
    now = timezone.now()
    with transaction.atomic():
        if kind in DEATHS:
            earlier = (
                Claim.objects.select_for_update()
                .filter(person=person, kind__in=DEATHS)
                .exclude(status=Status.REFUSED)
                .first()
            )
            if earlier is not None:
                raise ClaimRefused("claim_duplicate", number=earlier.number,
                                   status=earlier.get_status_display())  # fmt: skip
        claim = Claim(
            person=person,
            enrollment=enrollment,
            kind=kind,
            event_date=event_date,
            place=_text(data.get("place"), 200),
            reported_on=today,
            reporter_name=reporter,
            reported_by=_actor(user),
            estimate_total=estimate.total,
            estimate_up_to=estimate.total_up_to,
            estimate_covered=estimate.covered,
            estimate_rule=estimate.rule.legal_basis,
            village_id=person.village_id,
            **heir,
        )
        claim.set_region_codes()
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError as exc:  # the same death reported at the same moment
            raise ClaimRefused("claim_duplicate", number="-", status="-") from exc
        ClaimMove.objects.create(claim=claim, to_status=Status.REPORTED, at=now,
                                 by=_actor(user), via=via, note=claim.reporter_name)  # fmt: skip
        if kind in DEATHS:
            _end_membership(claim, today=today, via=via)
    return claim


def _end_membership(claim: Claim, *, today: dt.date, via: str) -> None:
    """A death ends the sponsored coverage on the day of death (if it was still running)."""
    enrollment = claim.enrollment
    if enrollment is None or enrollment.state != State.ACTIVE:
        return
    if enrollment.coverage_end is None or claim.event_date >= enrollment.coverage_end:
        return
    programs.end_early(
        user=None,
        enrollment=enrollment,
        cause=EndCause.DEATH,
        on=claim.event_date,
        today=today,
        reason=str(_("Klaim %(number)s.")) % {"number": claim.number},
        via=Transition.Via.API if via == "api" else Transition.Via.SYSTEM,
    )


def set_documents(*, user, claim: Claim, documents, via: str = "web") -> Claim:
    """Record which documents of the checklist were received."""
    if not may_report(user, claim.village_id):
        raise ClaimRefused("forbidden")
    wanted = DOCUMENTS[claim.kind]
    given = [str(code).strip() for code in (documents or []) if str(code).strip()]
    unknown = sorted(set(given) - set(wanted))
    if unknown:
        raise ClaimRefused("documents_invalid", "documents", codes=", ".join(unknown)[:200])
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        locked.documents = [code for code in wanted if code in given]
        locked.save(update_fields=["documents", "updated_at"])
    claim.documents = locked.documents
    return claim


def move(
    *,
    user,
    claim: Claim,
    to_status: str,
    today: dt.date,
    note: str = "",
    amount=None,
    paid_on=None,
    via: str = "web",
) -> Claim:
    """Move a claim along ``reported → documents_complete → submitted → paid | refused``."""
    if to_status not in Status.values:
        params = {"from": claim.status, "to": to_status[:30]}
        raise ClaimRefused("transition_not_allowed", "status", **params)
    decider_only = to_status in (Status.SUBMITTED, Status.PAID, Status.REFUSED)
    allowed = may_decide if decider_only else may_report
    if not allowed(user, claim.village_id):
        raise ClaimRefused("forbidden")
    note = str(note or "").replace("\x00", "").strip()[:2000]
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if to_status not in ALLOWED[locked.status]:
            raise ClaimRefused(
                "transition_not_allowed", "status",
                **{"from": Status(locked.status).label, "to": Status(to_status).label},
            )  # fmt: skip
        fields = ["status", "updated_at"]
        if to_status == Status.DOCUMENTS_COMPLETE:
            missing = [c for c in DOCUMENTS[locked.kind] if c not in locked.documents]
            if missing:
                from lindung.claims.models import DOCUMENT_LABELS

                labels = ", ".join(str(DOCUMENT_LABELS[c]) for c in missing)
                raise ClaimRefused("documents_missing", "documents", missing=labels)
        elif to_status == Status.SUBMITTED:
            locked.submitted_on = today
            fields.append("submitted_on")
        elif to_status == Status.REFUSED:
            if not note:
                raise ClaimRefused("reason_required", "note")
            locked.refusal_reason = note
            fields.append("refusal_reason")
        elif to_status == Status.PAID:
            paid = _amount(amount)
            if paid is None:
                raise ClaimRefused("amount_invalid", "amount_paid")
            day = parse_date(paid_on) if paid_on not in (None, "") else None
            if day is None or day > today or day < locked.event_date:
                raise ClaimRefused("paid_on_invalid", "paid_on")
            if paid > max(locked.estimate_up_to, locked.estimate_total) and not note:
                from lindung.formatting import rupiah

                raise ClaimRefused("amount_above_estimate", "amount_paid", amount=rupiah(paid),
                                   estimate=rupiah(locked.estimate_up_to))  # fmt: skip
            locked.amount_paid, locked.paid_on, locked.payment_note = paid, day, note
            fields += ["amount_paid", "paid_on", "payment_note"]
        from_status = locked.status
        locked.status = to_status
        locked.save(update_fields=fields)
        ClaimMove.objects.create(
            claim=locked, from_status=from_status, to_status=to_status, at=timezone.now(),
            by=_actor(user), note=note, via=via,
        )  # fmt: skip
    return locked


def _amount(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    text = str(value or "").strip().replace(".", "").removeprefix("Rp").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= 10**12 else None


def record_handover(
    *, user, claim: Claim, on, by_name: str, testimony: str, photo=None, today: dt.date
) -> Claim:
    """The benefit handed over to the heirs: when, by whom, a photo, a short testimony."""
    if not may_report(user, claim.village_id):
        raise ClaimRefused("forbidden")
    if claim.status != Status.PAID:
        raise ClaimRefused("handover_not_paid")
    day = parse_date(on or "")
    if day is None or day > today or (claim.paid_on and day < claim.paid_on):
        raise ClaimRefused("handover_date_invalid", "handover_on")
    by_name = _text(by_name, 150)
    if not by_name:
        raise ClaimRefused("handover_by_required", "handover_by")
    if photo is not None:
        name = (getattr(photo, "name", "") or "").lower()
        if not name.endswith(PHOTO_TYPES) or (photo.size or 0) > MAX_PHOTO_BYTES:
            raise ClaimRefused("photo_invalid", "handover_photo")
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        locked.handover_on, locked.handover_by = day, by_name
        locked.testimony = str(testimony or "").replace("\x00", "").strip()[:1000]
        if photo is not None:
            extension = (getattr(photo, "name", "") or "").lower().rpartition(".")[2]
            locked.handover_photo.save(f"{locked.number}.{extension}", photo, save=False)
        locked.save()
    return locked
