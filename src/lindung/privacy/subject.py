"""Data-subject requests (UU PDP No. 27/2022): a person's copy, a correction, an erasure.

A regency admin (or the system admin) handles them for a person found by NIK inside its
region. Every request is recorded (:class:`~lindung.privacy.models.SubjectRequest`) with
who, when, the kind and the reason; a copy is also an export in the access log.

What erasure may remove (``docs/privacy.md``, "Erasure"):

- a person with **no enrollment** is deleted from the registry, and the values of their
  historical rows are blanked (the rows stay: who changed something and when is audit);
- a person **with an enrollment** (proposed, covered, billed or ended) is anonymised: the
  NIK, name, sex, birth date, village, category, segment and income stay, because the
  insurer's membership, the bills paid from public budgets and their audit are kept by law
  and rest on them; the contact and background fields (:data:`ERASABLE`) are blanked in the
  registry and in its history.

Access-log entries are never erased: they are the record of who saw the data.
"""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF, XPos, YPos

from lindung.accounts.scope import get_scoped_or_404
from lindung.people import services as people_services
from lindung.people.models import Person
from lindung.privacy import access
from lindung.privacy.models import AccessKind, SubjectRequest
from lindung.privacy.selectors import can_read_access_log, entries_about, history_of
from lindung.refusals import Refusal

# Erased from the registry and its history where the person must stay (enrolled).
ERASABLE = {
    "birth_place": "",
    "mother_maiden_name": "",
    "address": "",
    "phone": "",
    "occupation_id": None,
    "occupation_text": "",
    "data_source": "",
    "welfare_decile": None,
    "welfare_decile_as_of": None,
    "has_disability": False,
}
# Blanked in the history of a person deleted from the registry (the row must stay valid).
DELETED = {**ERASABLE, "full_name": "", "nik": "", "declared_income": 0}
# Fields a correction may change (what the worker form edits).
CORRECTABLE = [
    "nik", "full_name", "sex", "birth_date", "birth_place", "mother_maiden_name",
    "village_code", "address", "phone", "occupation", "category", "declared_income",
    "segment", "data_source", "welfare_decile", "welfare_decile_as_of", "has_disability",
]  # fmt: skip


class SubjectRefused(Refusal):
    messages = {
        "reason_missing": _("Tulis alasan permintaan (mis. surat permohonan tanggal berapa)."),
        "field_unknown": _("Kolom ini tidak dapat diperbaiki lewat permintaan subjek data."),
    }


def _require_handler(user) -> None:
    if not can_read_access_log(user):
        raise PermissionDenied


def find_person(user, nik: str) -> Person:
    """The person with this NIK inside the user's region; 404 otherwise."""
    _require_handler(user)
    return get_scoped_or_404(user, Person.objects.select_related("village", "occupation"),
                             nik="".join(nik.split()))  # fmt: skip


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise SubjectRefused("reason_missing")
    return reason[:2000]


def _record(user, kind, person, reason, details=None) -> SubjectRequest:
    return SubjectRequest.objects.create(
        kind=kind,
        nik=person.nik,
        person=person if person.pk else None,
        region_code=person.village_id,
        reason=reason,
        details=details or {},
        made_by=user,
    )


# ---- the copy ----------------------------------------------------------------------------


def _value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def everything_about(person: Person, viewer) -> dict:
    """All Lindung holds about the person: registry, enrollments with their moves, bill
    lines, change history, access-log entries and earlier requests."""
    registry = {
        f.name: _value(getattr(person, f.attname))
        for f in Person._meta.concrete_fields
        if f.name not in ("created_by",)
    }
    registry["village_name"] = person.village.display_name
    registry["occupation"] = person.occupation_label
    enrollments = []
    for e in person.enrollments.select_related("program", "round").order_by("id"):
        enrollments.append(
            {
                "id": e.pk,
                "program": e.program.name,
                "round": str(e.round),
                "state": e.state,
                "kpj": e.kpj,
                "effective_date": _value(e.effective_date),
                "coverage_end": _value(e.coverage_end),
                "committed_premium": e.committed_premium,
                "proposed_at": _value(e.proposed_at),
                "transitions": [
                    {
                        "at": _value(t.at),
                        "from": t.from_state,
                        "to": t.to_state,
                        "reason": t.reason,
                        "via": t.via,
                    }  # fmt: skip
                    for t in e.transitions.order_by("at", "id")
                ],
                "bill_lines": [
                    {
                        "bill": line.bill.number,
                        "covered_month": _value(line.covered_month),
                        "kind": line.kind,
                        "amount": line.amount,
                    }  # fmt: skip
                    for line in e.bill_lines.select_related("bill").order_by("covered_month", "id")
                ],
            }
        )
    return {
        "generated_at": _value(timezone.now()),
        "registry": registry,
        "enrollments": enrollments,
        "history": [
            {
                "at": _value(r.at),
                "type": r.type,
                "user": r.user,
                "via": r.via,
                "via_detail": r.via_detail,
                "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in r.changes],
            }
            for r in history_of(person, viewer)
        ],  # fmt: skip
        "access_log": [
            {
                "at": _value(e.at),
                "user": e.username,
                "kind": e.kind,
                "operation": e.operation,
                "address": e.address,
            }  # fmt: skip
            for e in sorted(entries_about(person.pk), key=lambda e: e.at)
        ],
        "requests": [
            {"at": _value(r.made_at), "kind": r.kind, "by": r.made_by.username, "reason": r.reason}
            for r in SubjectRequest.objects.filter(nik=person.nik).select_related("made_by")
        ],
    }


def _latin(text) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _pdf(data: dict) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, _latin(_("Data pribadi yang disimpan Lindung")),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(0, 5, _latin(_("Dibuat %(at)s") % {"at": data["generated_at"]}),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip

    def section(title: str, lines: list[str]) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 6, _latin(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", size=8)
        for line in lines or ["-"]:
            pdf.multi_cell(0, 4.5, _latin(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    section(
        _("Data registri"), [f"{k}: {'' if v is None else v}" for k, v in data["registry"].items()]
    )
    lines = []
    for e in data["enrollments"]:
        lines.append(f"{e['program']} ({e['round']}): {e['state']}, KPJ {e['kpj'] or '-'}, "
                     f"{e['effective_date'] or '-'} - {e['coverage_end'] or '-'}")  # fmt: skip
        lines += [
            f"    {t['at']}: {t['from'] or '-'} -> {t['to']} {t['reason']}"
            for t in e["transitions"]
        ]
        lines += [
            f"    {b['bill']} {b['covered_month']} {b['kind']} Rp {b['amount']}"
            for b in e["bill_lines"]
        ]
    section(_("Kepesertaan dan tagihan"), lines)
    section(_("Riwayat perubahan"), [
        f"{r['at']} {r['user'] or '-'} ({r['via']}): "
        + ("; ".join(f"{c['field']}: {c['old']} -> {c['new']}" for c in r["changes"]) or r["type"])
        for r in data["history"]
    ])  # fmt: skip
    section(_("Log akses"), [
        f"{e['at']} {e['user'] or '-'} {e['kind']} {e['operation']} {e['address'] or ''}"
        for e in data["access_log"]
    ])  # fmt: skip
    section(_("Permintaan subjek data"), [
        f"{r['at']} {r['kind']} {r['by']}: {r['reason']}" for r in data["requests"]
    ])  # fmt: skip
    return bytes(pdf.output())


@transaction.atomic
def produce(request, person: Person, *, reason: str, fmt: str) -> tuple[bytes, str]:
    """The person's copy as ``fmt`` (``json`` or ``pdf``): (content, content type)."""
    _require_handler(request.user)
    reason = _reason(reason)
    _record(request.user, SubjectRequest.Kind.PRODUCE, person, reason, {"format": fmt})
    access.record_access(request, AccessKind.EXPORT, person=person,
                         query={"subject_request": fmt})  # fmt: skip
    data = everything_about(person, request.user)
    if fmt == "pdf":
        return _pdf(data), "application/pdf"
    return json.dumps(data, ensure_ascii=False, indent=2).encode(), "application/json"


# ---- correction --------------------------------------------------------------------------


@transaction.atomic
def correct(user, person: Person, *, field: str, value, reason: str) -> Person:
    """Change one field as the person asked; checked as any edit is, the reason kept in the
    request and in the history row (``history_change_reason``)."""
    _require_handler(user)
    reason = _reason(reason)
    if field not in CORRECTABLE:
        raise SubjectRefused("field_unknown")
    old = people_services.worker_data(person).get(field)
    person._change_reason = reason[:100]
    people_services.update_worker(user=user, person=person, changes={field: value})
    _record(user, SubjectRequest.Kind.CORRECT, person, reason,
            {"field": field, "old": _value(old), "new": _value(value)})  # fmt: skip
    return person


# ---- erasure -----------------------------------------------------------------------------


def erasure_plan(person: Person) -> str:
    """``delete`` (nothing billing or the insurer keeps) or ``anonymise``."""
    return "anonymise" if person.enrollments.exists() else "delete"


@transaction.atomic
def erase(user, person: Person, *, reason: str) -> SubjectRequest:
    _require_handler(user)
    reason = _reason(reason)
    plan = erasure_plan(person)
    history = Person.history.filter(id=person.pk)
    if plan == "delete":
        record = _record(user, SubjectRequest.Kind.ERASE, person, reason, {"done": "deleted"})
        pk = person.pk
        person._change_reason = reason[:100]
        people_services.delete_worker(user=user, person=person)
        Person.history.filter(id=pk).update(**DELETED)
        return record
    for name, value in ERASABLE.items():
        setattr(person, name, value)
    person._change_reason = reason[:100]
    person.save()
    # The rows written before, and the one just written, hold no erased value any more.
    history.update(**ERASABLE)
    return _record(user, SubjectRequest.Kind.ERASE, person, reason,
                   {"done": "anonymised", "fields": sorted(ERASABLE)})  # fmt: skip
