"""``/api/v1/programs/{id}/agreed-lists``: the villages' agreed lists, their versions, and
proposing from them. Thin: parse, call a selector or a service, answer."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from lindung.people import visibility
from lindung.programs import agreedlist, clock, permissions, selectors, services
from lindung.programs.agreedlist import AgreedListRefused
from lindung.programs.models import Transition
from lindung.schemas import DateTextQuery, Month, Problems, Refusal

# Mounted under ``/programs`` beside the programs' own router (``programs.api``).
programs_router = Router()


class AgreedEntryOut(Schema):
    row: int
    nik: str
    name: str
    category: str
    registered_name: str | None
    passed: bool
    code: str
    message: str
    proposal_code: str


class AgreedVersionOut(Schema):
    id: int
    number: int
    meeting_date: dt.date
    minutes_number: str
    minutes_kind: str
    source: str
    file_name: str
    entries: int
    passed: int
    checked_at: dt.datetime
    created_at: dt.datetime
    created_by: str | None


class AgreedListOut(Schema):
    id: int
    round: int
    start_month: Month
    village_code: str
    village_name: str
    latest: AgreedVersionOut | None
    versions: list[AgreedVersionOut] | None = None
    rows: list[AgreedEntryOut] | None = None


class AgreedSavedOut(Schema):
    created: bool
    code: str
    message: str
    agreed_list: AgreedListOut


class AgreedListIn(Schema):
    """``entries``: a JSON array of ``{"nik", "name", "category"}`` or typed lines
    ``NIK; nama; kategori``; or send ``entries_file`` (CSV/XLSX) instead."""

    village_code: str = ""
    round: int = 0
    meeting_date: DateTextQuery = ""
    minutes_number: str = ""
    entries: str = ""


class ProposalResultOut(Schema):
    nik: str
    enrolled: bool
    enrollment_id: int | None
    code: str
    message: str


def _version_out(version) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "meeting_date": version.meeting_date,
        "minutes_number": version.minutes_number,
        "minutes_kind": version.minutes_kind,
        "source": version.source,
        "file_name": version.file_name,
        "entries": version.entries_count,
        "passed": version.passed_count,
        "checked_at": version.checked_at,
        "created_at": version.created_at,
        "created_by": version.created_by.username if version.created_by else None,
    }


def _list_out(user, agreed, *, version=None, detail: bool = False) -> dict:
    versions = list(selectors.agreed_versions(agreed))
    data = {
        "id": agreed.pk,
        "round": agreed.round.number,
        "start_month": agreed.round.start_month.strftime("%Y-%m"),
        "village_code": agreed.village_id,
        "village_name": agreed.village.display_name,
        "latest": _version_out(versions[0]) if versions else None,
    }
    if detail:
        data["versions"] = [_version_out(v) for v in versions]
        shown = version or (versions[0] if versions else None)
        data["rows"] = [
            {
                "row": e.row,
                "nik": visibility.nik(user, e.nik) if len(e.nik) == 16 else e.nik,
                "name": e.full_name,
                "category": e.category,
                "registered_name": e.person.full_name if e.person else None,
                "passed": not e.code,
                "code": e.code,
                "message": e.message,
                "proposal_code": e.proposal_code,
            }
            for e in (selectors.agreed_entries(shown) if shown else [])
        ]
    return data


def _rows(payload: AgreedListIn, entries_file):
    import json

    if entries_file is not None:
        return agreedlist.read_list_file(entries_file.read(), entries_file.name or "")
    text = payload.entries.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise AgreedListRefused("file_unreadable")
        return agreedlist.rows_from_items(items)
    return agreedlist.read_typed(text)


FIELD_OF = {
    "village_not_yours": "village_code",
    "village_not_in_program": "village_code",
    "round_unknown": "round",
    "meeting_date_invalid": "meeting_date",
    "meeting_date_in_future": "meeting_date",
    "meeting_after_round_start": "meeting_date",
    "minutes_number_missing": "minutes_number",
    "minutes_missing": "minutes",
    "minutes_invalid": "minutes",
}


@programs_router.get(
    "/{program_id}/agreed-lists",
    response=list[AgreedListOut],
    summary="Daftar hasil musyawarah desa per desa dan putaran",
)
def list_agreed(request, program_id: int, round: int = 0):
    program = selectors.get_program(request.user, program_id)
    round_ = program.rounds.filter(number=round).first() if round else None
    return [
        _list_out(request.user, agreed)
        for agreed in selectors.agreed_lists_for(request.user, program, round_)
    ]


@programs_router.post(
    "/{program_id}/agreed-lists",
    response={201: AgreedSavedOut, 200: AgreedSavedOut, 422: Problems, 403: Refusal},
    summary="Unggah atau ketik daftar hasil musyawarah desa (versi baru)",
    description="Multipart: isian `village_code`, `round`, `meeting_date` (19/02/2027), "
    "`minutes_number`, `entries` (JSON atau baris `NIK; nama; kategori`) atau berkas "
    "`entries_file` (CSV/XLSX), dan berkas `minutes` (berita acara PDF/JPG/PNG). 201: versi "
    "baru, tiap nama diperiksa; 200 `agreed_list_unchanged`: daftar yang sama, tidak ada versi "
    "baru; 422 dengan `code` (`meeting_after_round_start`, `agreed_list_empty`, …); 403 "
    "`village_not_yours`.",
)
def upload_agreed(
    request,
    program_id: int,
    payload: Form[AgreedListIn],
    minutes: File[UploadedFile] = None,
    entries_file: File[UploadedFile] = None,
):
    program = selectors.get_program(request.user, program_id)
    if not permissions.is_proposer(request.user):
        return Status(403, AgreedListRefused("forbidden").as_dict())
    round_ = program.rounds.filter(number=payload.round).first()
    try:
        if round_ is None:
            raise AgreedListRefused("round_unknown")
        rows = _rows(payload, entries_file)
        saved = services.save_agreed_list(
            user=request.user,
            program=program,
            round=round_,
            village_code=payload.village_code,
            meeting_date=payload.meeting_date,
            minutes_number=payload.minutes_number,
            minutes=minutes.read() if minutes is not None else None,
            rows=rows,
            source="api",
            file_name=entries_file.name if entries_file is not None else "",
            today=clock.today(),
        )
    except AgreedListRefused as refusal:
        if refusal.code in ("forbidden", "village_not_yours"):
            return Status(403, refusal.as_dict())
        field = FIELD_OF.get(refusal.code, "entries")
        return Status(422, {"errors": [{"field": field, **refusal.as_dict()}]})
    agreed = selectors.get_agreed_list(request.user, program, saved.version.agreed_list_id)
    unchanged = saved.unchanged
    body = {
        "created": saved.created,
        "code": unchanged.code if unchanged else "",
        "message": unchanged.message if unchanged else "",
        "agreed_list": _list_out(request.user, agreed, detail=True),
    }
    return Status(201 if saved.created else 200, body)


@programs_router.get(
    "/{program_id}/agreed-lists/{list_id}",
    response=AgreedListOut,
    summary="Satu daftar musyawarah desa: versinya dan nama-nama versi terakhir",
)
def get_agreed(request, program_id: int, list_id: int):
    program = selectors.get_program(request.user, program_id)
    agreed = selectors.get_agreed_list(request.user, program, list_id)
    return _list_out(request.user, agreed, detail=True)


@programs_router.get(
    "/{program_id}/agreed-lists/{list_id}/versions/{version_id}",
    response=AgreedListOut,
    summary="Satu versi daftar musyawarah desa, dengan nama-namanya",
)
def get_agreed_version(request, program_id: int, list_id: int, version_id: int):
    program = selectors.get_program(request.user, program_id)
    agreed = selectors.get_agreed_list(request.user, program, list_id)
    version = selectors.agreed_version_by_id(agreed, version_id)
    return _list_out(request.user, agreed, version=version, detail=True)


@programs_router.post(
    "/{program_id}/agreed-lists/{list_id}/proposals",
    response={200: list[ProposalResultOut], 403: Refusal},
    summary="Usulkan nama-nama yang lolos pemeriksaan dari daftar musyawarah desa",
)
def propose_agreed(request, program_id: int, list_id: int):
    program = selectors.get_program(request.user, program_id)
    agreed = selectors.get_agreed_list(request.user, program, list_id)
    try:
        results = services.propose_agreed_list(
            user=request.user, agreed_list=agreed, today=clock.today(), via=Transition.Via.API
        )
    except PermissionDenied:
        return Status(
            403, {"code": "forbidden", "message": _("Peran Anda tidak boleh mengusulkan.")}
        )
    return Status(
        200,
        [
            {
                "nik": visibility.nik(request.user, r.nik),
                "enrolled": r.ok,
                "enrollment_id": r.enrollment.pk if r.enrollment else None,
                "code": r.code,
                "message": r.message,
            }
            for r in results
        ],
    )
