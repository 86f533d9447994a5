"""``/api/v1/employers``: the employer registry, its outreach actions and the work list.

The same scope and the same refusals as the pages: an employer outside the token's region
is 404; a role that may not write gets 403; bad fields get 422 with one problem per field
(the codes of ``employers.services.MESSAGES``). A letter's PDF is uploaded on the page.
"""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Query, Router, Schema, Status

from lindung.employers import selectors, services
from lindung.employers.models import Action, Employer, Event
from lindung.people import visibility
from lindung.privacy import access
from lindung.programs import clock
from lindung.schemas import Problems, RecordId, Refusal

router = Router()


class EmployerOut(Schema):
    id: int
    name: str
    nib: str | None
    npwp: str
    legal_form: str
    sector: str  # the 5-digit KBLI code, or the section letter when no code is known
    kbli_section: str
    kbli_code: str
    village_code: str
    district_code: str
    regency_code: str
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    total_workers: int
    workers_male: int | None
    workers_female: int | None
    workers_source: str
    workers_as_of: dt.date
    registered_workers: int
    uncovered_workers: int
    programs: list[str]
    npp: str
    wage_underreported: bool
    registration_source: str
    registration_as_of: dt.date
    closed_on: dt.date | None
    size_class: str
    compliance: str
    reasons: list[str]
    identified_by_name: bool
    next_follow_up: dt.date | None


class EmployerIn(Schema):
    name: str
    nib: str | None = None
    village_code: str
    sector: str
    total_workers: int
    registered_workers: int = 0
    npwp: str = ""
    legal_form: str = "lainnya"
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    workers_male: int | None = None
    workers_female: int | None = None
    workers_source: str = "employer"
    workers_as_of: dt.date | None = None
    programs: list[str] = []
    npp: str = ""
    wage_underreported: bool = False
    registration_source: str = "employer"
    registration_as_of: dt.date | None = None
    closed_on: dt.date | None = None


class EmployerPatch(Schema):
    name: str | None = None
    nib: str | None = None
    village_code: str | None = None
    sector: str | None = None
    total_workers: int | None = None
    registered_workers: int | None = None
    npwp: str | None = None
    legal_form: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    workers_male: int | None = None
    workers_female: int | None = None
    workers_source: str | None = None
    workers_as_of: dt.date | None = None
    programs: list[str] | None = None
    npp: str | None = None
    wage_underreported: bool | None = None
    registration_source: str | None = None
    registration_as_of: dt.date | None = None
    closed_on: dt.date | None = None


class EmployerPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EmployerOut]


class WorkListPage(EmployerPage):
    as_of: dt.date
    # ``count`` stops at 1,000 (``employers.selectors.COUNT_CAP``); true when there are more.
    more: bool


class ActionIn(Schema):
    kind: str
    outcome: str
    done_on: dt.date | None = None
    letter_number: str = ""
    notes: str = ""
    follow_up_on: dt.date | None = None


class ActionOut(Schema):
    id: int
    employer_id: int
    kind: str
    done_on: dt.date
    outcome: str
    letter_number: str
    notes: str
    follow_up_on: dt.date | None
    officer: str | None


class EventIn(Schema):
    """A socialisation event: the employers invited (``employer_ids``) and those of them
    who came (``attended_ids``; the others are recorded absent)."""

    title: str
    held_on: dt.date | None = None
    place: str = ""
    village_code: str
    follow_up_on: dt.date | None = None
    employer_ids: list[RecordId]
    attended_ids: list[RecordId] = []


class EventAttendance(Schema):
    employer_id: int
    employer_name: str
    outcome: str


class EventOut(Schema):
    id: int
    title: str
    held_on: dt.date
    place: str
    village_code: str
    officer: str | None
    employers: list[EventAttendance]


class EventPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EventOut]


class WorkerLinkIn(Schema):
    nik: str


class LinkedWorker(Schema):
    """A worker who names the employer; the NIK masked for the roles that get it masked."""

    id: int
    nik: str
    full_name: str
    village_code: str
    segment: str


class LinkedWorkerPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LinkedWorker]


def _out(employer: Employer) -> dict:
    return {
        "id": employer.pk,
        "name": employer.name,
        "nib": employer.nib,
        "npwp": employer.npwp,
        "legal_form": employer.legal_form,
        "sector": employer.kbli_code or employer.kbli_section,
        "kbli_section": employer.kbli_section,
        "kbli_code": employer.kbli_code,
        "village_code": employer.village_id,
        "district_code": employer.district_code,
        "regency_code": employer.regency_code,
        "address": employer.address,
        "contact_name": employer.contact_name,
        "contact_phone": employer.contact_phone,
        "contact_email": employer.contact_email,
        "total_workers": employer.total_workers,
        "workers_male": employer.workers_male,
        "workers_female": employer.workers_female,
        "workers_source": employer.workers_source,
        "workers_as_of": employer.workers_as_of,
        "registered_workers": employer.registered_workers,
        "uncovered_workers": employer.uncovered,
        "programs": employer.program_list,
        "npp": employer.npp,
        "wage_underreported": employer.wage_underreported,
        "registration_source": employer.registration_source,
        "registration_as_of": employer.registration_as_of,
        "closed_on": employer.closed_on,
        "size_class": employer.size_class,
        "compliance": employer.compliance,
        "reasons": [r for r in employer.reasons.split(",") if r],
        "identified_by_name": employer.identified_by_name,
        "next_follow_up": employer.next_follow_up,
    }


def _fields(data: dict, today: dt.date) -> dict:
    """The API's typed values as the text the service reads (one parser for every door)."""
    out = dict(data)
    if "programs" in out and out["programs"] is not None:
        out["programs"] = ",".join(str(p)[:5] for p in out["programs"][:10])
    if "wage_underreported" in out:
        out["wage_underreported"] = "1" if out["wage_underreported"] else ""
    for key in ("workers_as_of", "registration_as_of"):
        if key in out and out[key] is None:
            out[key] = today
    return out


def _refused(error) -> Status:
    if isinstance(error, services.EmployerInvalid):
        return Status(422, {"errors": [p.as_dict() for p in error.problems]})
    return Status(403, error.as_dict())


def _page(queryset, page: int, page_size: int) -> dict:
    current = Paginator(queryset, page_size).get_page(page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_out(e) for e in current.object_list],
    }


@router.get("", response=EmployerPage, summary="Pemberi kerja di wilayah pengguna")
def list_employers(
    request,
    q: str = "",
    sector: str = "",
    size: str = "",
    compliance: str = "",
    district: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=500),
):
    filters = selectors.read_filters(
        {"q": q, "sector": sector, "size": size, "compliance": compliance, "district": district}
    )
    return _page(selectors.employers_for(request.user, filters), page, page_size)


@router.post(
    "",
    response={201: EmployerOut, 403: Refusal, 422: Problems},
    summary="Tambah pemberi kerja",
)
def create_employer(request, payload: EmployerIn):
    today = clock.today()
    try:
        employer = services.create_employer(
            user=request.user, data=_fields(payload.model_dump(), today), today=today
        )
    except (services.EmployerInvalid, services.EmployerRefused) as error:
        return _refused(error)
    return Status(201, _out(employer))


@router.get(
    "/worklist",
    response=WorkListPage,
    summary="Daftar kerja penjangkauan: tindak lanjut jatuh tempo, lalu pekerja belum "
    "terdaftar terbanyak",
)
def work_list(
    request,
    sector: str = "",
    size: str = "",
    district: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=500),
):
    today = clock.today()
    filters = selectors.read_filters({"sector": sector, "size": size, "district": district})
    rows = selectors.work_list(request.user, filters, today=today)
    answer = _page(rows, page, page_size)
    return {"as_of": today, "more": rows.capped} | answer


# --- socialisation events (before "/{employer_id}", which would take "events") -----------------


def _event_out(event: Event, user) -> dict:
    return {
        "id": event.pk,
        "title": event.title,
        "held_on": event.held_on,
        "place": event.place,
        "village_code": event.village_id,
        "officer": event.officer.username if event.officer_id else None,
        "employers": [
            {"employer_id": a.employer_id, "employer_name": a.employer.name, "outcome": a.outcome}
            for a in selectors.event_actions(event, user)
        ],
    }


@router.get("/events", response=EventPage, summary="Sosialisasi di wilayah pengguna")
def list_events(request, page: int = Query(1, ge=1), page_size: int = Query(50, ge=1, le=200)):
    current = Paginator(
        selectors.events_for(request.user).select_related("officer"), page_size
    ).get_page(page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_event_out(e, request.user) for e in current.object_list],
    }


@router.post(
    "/events",
    response={201: EventOut, 403: Refusal, 422: Problems},
    summary="Catat sosialisasi untuk banyak pemberi kerja sekaligus (dengan daftar hadir)",
)
def create_event(request, payload: EventIn):
    if not services.can_edit(request.user):
        return _refused(services.EmployerRefused("forbidden"))
    today = clock.today()
    data = payload.model_dump()
    data["held_on"] = data["held_on"] or today
    # Only employers the caller may see can be invited; an unknown id is a problem, not
    # a silent drop.
    wanted = set(payload.employer_ids)
    employers = list(selectors.employers_for(request.user).filter(pk__in=wanted))
    unknown = sorted(wanted - {e.pk for e in employers})
    if unknown:
        problem = services.Problem(
            "employer_ids", "employer_unknown", (("ids", ", ".join(map(str, unknown))),)
        )
        return Status(422, {"errors": [problem.as_dict()]})
    try:
        event = services.hold_event(
            user=request.user,
            data=data,
            employers=employers,
            attended=set(payload.attended_ids) & wanted,
            today=today,
        )
    except (services.EmployerInvalid, services.EmployerRefused) as error:
        return _refused(error)
    return Status(201, _event_out(event, request.user))


@router.get("/events/{event_id}", response=EventOut, summary="Satu sosialisasi dan daftar hadirnya")
def get_event(request, event_id: int):
    return _event_out(selectors.get_event(request.user, event_id), request.user)


@router.get("/{employer_id}", response=EmployerOut, summary="Satu pemberi kerja")
def get_employer(request, employer_id: int):
    return _out(selectors.get_employer(request.user, employer_id))


@router.patch(
    "/{employer_id}",
    response={200: EmployerOut, 403: Refusal, 422: Problems},
    summary="Ubah data pemberi kerja (isian yang dikirim saja)",
)
def update_employer(request, employer_id: int, payload: EmployerPatch):
    employer = selectors.get_employer(request.user, employer_id)
    today = clock.today()
    # ``null`` clears what may be empty (reopening a closed employer); elsewhere it is ignored.
    clearable = {"nib", "closed_on", "workers_male", "workers_female"}
    changes = {
        k: v
        for k, v in payload.model_dump(exclude_unset=True).items()
        if v is not None or k in clearable
    }
    try:
        services.update_employer(
            user=request.user, employer=employer, changes=_fields(changes, today), today=today
        )
    except (services.EmployerInvalid, services.EmployerRefused) as error:
        return _refused(error)
    return _out(employer)


@router.post(
    "/{employer_id}/actions",
    response={201: ActionOut, 403: Refusal, 422: Problems},
    summary="Catat tindakan penjangkauan (kunjungan, surat, sosialisasi, peringatan)",
)
def add_action(request, employer_id: int, payload: ActionIn):
    employer = selectors.get_employer(request.user, employer_id)
    today = clock.today()
    data = payload.model_dump()
    data["done_on"] = data["done_on"] or today
    try:
        action: Action = services.record_action(
            user=request.user, employer=employer, data=data, today=today
        )
    except (services.EmployerInvalid, services.EmployerRefused) as error:
        return _refused(error)
    return Status(
        201,
        {
            "id": action.pk,
            "employer_id": employer.pk,
            "kind": action.kind,
            "done_on": action.done_on,
            "outcome": action.outcome,
            "letter_number": action.letter_number,
            "notes": action.notes,
            "follow_up_on": action.follow_up_on,
            "officer": action.officer.username if action.officer_id else None,
        },
    )


# --- workers who name the employer ---------------------------------------------------------


def _worker_out(person, user) -> dict:
    return {
        "id": person.pk,
        "nik": visibility.nik(user, person.nik),
        "full_name": person.full_name,
        "village_code": person.village_id,
        "segment": person.segment,
    }


@router.get(
    "/{employer_id}/workers",
    response=LinkedWorkerPage,
    summary="Pekerja formal yang tercatat bekerja pada pemberi kerja ini",
)
def list_workers(
    request,
    employer_id: int,
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=200),
):
    employer = selectors.get_employer(request.user, employer_id)
    current = Paginator(selectors.workers_of(request.user, employer), page_size).get_page(page)
    people = list(current.object_list)
    # Names of workers: who saw which (UU PDP), as on the employer's page.
    access.listed(
        request, [p.pk for p in people], {"employer": employer.pk}, current.paginator.count
    )
    return {
        "count": current.paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_worker_out(p, request.user) for p in people],
    }


@router.post(
    "/{employer_id}/workers",
    response={201: LinkedWorker, 403: Refusal, 422: Problems},
    summary="Tautkan pekerja formal (PU) ke pemberi kerja ini, menurut NIK",
)
def link_worker(request, employer_id: int, payload: WorkerLinkIn):
    employer = selectors.get_employer(request.user, employer_id)
    try:
        person = services.link_worker(user=request.user, employer=employer, nik=payload.nik)
    except services.EmployerRefused as error:
        if error.code == "forbidden":
            return _refused(error)
        problem = services.Problem("nik", error.code)
        return Status(422, {"errors": [problem.as_dict()]})
    return Status(201, _worker_out(person, request.user))


@router.delete(
    "/{employer_id}/workers/{worker_id}",
    response={204: None, 403: Refusal, 404: Refusal},
    summary="Lepaskan tautan pekerja dari pemberi kerja ini",
)
def unlink_worker(request, employer_id: int, worker_id: int):
    employer = selectors.get_employer(request.user, employer_id)
    try:
        services.unlink_worker(user=request.user, employer=employer, person_id=worker_id)
    except services.EmployerRefused as error:
        return Status(403 if error.code == "forbidden" else 404, error.as_dict())
    return Status(204, None)
