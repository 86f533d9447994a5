"""``/api/v1/agents`` and ``/api/v1/continuation``: Perisai agents and their work list.

The same scope as the pages: an agent's token sees its own organisation's agents and
portfolio only; anything else is 404.
"""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Query, Router, Schema, Status

from lindung.accounts.models import User
from lindung.accounts.selectors import users_for
from lindung.agents import selectors, services
from lindung.agents.models import Agent, Organisation
from lindung.people import visibility
from lindung.privacy import access
from lindung.programs import clock
from lindung.programs.selectors import get_program
from lindung.schemas import IsoDate, Problems, Refusal, as_problems

agents_router = Router()
continuation_router = Router()

# Which HTTP status a refusal's code answers with; any other code is 422.
CONFLICTS = frozenset({"name_taken", "user_taken", "agreement_number_taken"})


def _refusal(refusal) -> Status:
    if refusal.code == "forbidden":
        return Status(403, refusal.as_dict())
    if refusal.code in CONFLICTS:
        return Status(409, refusal.as_dict())
    return Status(422, as_problems(refusal))


class AgentOut(Schema):
    id: int
    full_name: str
    code: str
    phone: str
    regency_code: str
    organisation_id: int | None
    organisation_name: str
    organisation_kind: str
    is_coordinator: bool
    username: str | None
    status: str
    status_changed_on: dt.date | None
    last_activity_on: dt.date | None
    villages: list[str]


class AgentIn(Schema):
    full_name: str
    regency_code: str
    organisation_id: int | None = None
    code: str = ""
    phone: str = ""
    username: str | None = None
    is_coordinator: bool = False
    villages: list[str] = []


class AgentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AgentOut]


def _agent_out(agent: Agent) -> dict:
    return {
        "id": agent.pk,
        "full_name": agent.full_name,
        "code": agent.code,
        "phone": agent.phone,
        "regency_code": agent.regency_id,
        "organisation_id": agent.organisation_id,
        "organisation_name": agent.organisation.name if agent.organisation_id else "",
        "organisation_kind": agent.organisation.kind if agent.organisation_id else "",
        "is_coordinator": agent.is_coordinator,
        "username": agent.user.username if agent.user_id else None,
        "status": agent.status,
        "status_changed_on": agent.status_changed_on,
        "last_activity_on": agent.last_activity_on,
        "villages": selectors.villages_of(agent),
    }


@agents_router.get("", response=AgentPage, summary="Agen Perisai di wilayah pengguna")
def list_agents(
    request,
    status: str = "",
    q: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=500),
):
    agents = selectors.agents_for(request.user, status=status[:10], q=q[:100])
    current = Paginator(agents, page_size).get_page(page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_agent_out(a) for a in current.object_list],
    }


@agents_router.post(
    "",
    response={201: AgentOut, 403: Refusal, 404: Refusal, 409: Refusal, 422: Problems},
    summary="Tambah agen Perisai (admin kabupaten)",
)
def create_agent(request, payload: AgentIn):
    data = payload.model_dump()
    organisation_id = data.pop("organisation_id")
    data["organisation"] = None
    if organisation_id is not None:
        try:
            data["organisation"] = selectors.organisations_for(request.user).get(pk=organisation_id)
        except (Organisation.DoesNotExist, OverflowError, ValueError):
            return Status(
                404, {"code": "organisation_not_found", "message": "Wadah tidak ditemukan."}
            )
    username = data.pop("username")
    data["user"] = None
    if username:
        data["user"] = (
            users_for(request.user).filter(username=username[:150].replace("\x00", "")).first()
        )
        if data["user"] is None:
            return Status(404, {"code": "user_not_found", "message": "Pengguna tidak ditemukan."})
    try:
        agent = services.create_agent(user=request.user, data=data, today=clock.today())
    except services.AgentRefused as refusal:
        return _refusal(refusal)
    agent = Agent.objects.select_related("organisation", "user").get(pk=agent.pk)
    return Status(201, _agent_out(agent))


@agents_router.get("/{agent_id}", response=AgentOut, summary="Satu agen Perisai")
def get_agent(request, agent_id: int):
    return _agent_out(selectors.get_agent(request.user, agent_id))


class WorkItemOut(Schema):
    enrollment_id: int
    section: str  # "ending" (sponsored coverage ending within 30 days) or "ended"
    nik: str
    full_name: str
    phone: str
    village_code: str
    village_name: str
    category: str
    program_id: int
    program_name: str
    state: str
    coverage_end: dt.date
    months_left: int
    continue_by: dt.date
    agent_id: int | None
    last_outcome: str | None
    last_contacted_on: dt.date | None


class WorkPage(Schema):
    """A page of the work list. Pages are read by keyset: ``next``, ``previous`` and
    ``last`` are opaque cursors; pass one as ``cursor`` with the same filters and
    ``as_of`` to read that page. ``count`` is the list's size when its first page was
    read (``counted_at``), carried by the cursors so the following pages need not count."""

    as_of: dt.date
    count: int
    counted_at: dt.datetime
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    last: str | None
    results: list[WorkItemOut]


def _work_out(enrollment, as_of: dt.date, user: User) -> dict:
    window = selectors.window(enrollment, as_of)
    person = enrollment.person
    return {
        "enrollment_id": enrollment.pk,
        "section": "ending" if window.ending else "ended",
        "nik": visibility.nik(user, person.nik),
        "full_name": person.full_name,
        "phone": person.phone,
        "village_code": enrollment.village_id,
        "village_name": enrollment.village.display_name,
        "category": person.category,
        "program_id": enrollment.program_id,
        "program_name": enrollment.program.name,
        "state": enrollment.state,
        "coverage_end": enrollment.coverage_end,
        "months_left": window.months_left,
        "continue_by": window.continue_by,
        "agent_id": enrollment.agent_id,
        "last_outcome": enrollment.last_outcome,
        "last_contacted_on": enrollment.last_contacted_on,
    }


CURSOR_HELP = (
    "Penanda halaman: nilai `next`, `previous` atau `last` dari jawaban sebelumnya, dengan "
    "saringan dan `as_of` yang sama. Kosong: halaman pertama. Cursor yang rusak, diubah, atau "
    "dibuat untuk saringan lain dijawab 422 (`cursor_invalid`, `cursor_mismatch`)."
)


@continuation_router.get(
    "",
    response={200: WorkPage, 422: Problems},
    summary="Daftar kerja lanjutan iuran mandiri",
)
def work_list(
    request,
    village: str = "",
    agent: int | None = None,
    program: int | None = None,
    as_of: IsoDate | None = None,
    cursor: str = Query("", max_length=2000, description=CURSOR_HELP),
    page: int = Query(
        1, ge=1, description="Hanya 1 (halaman pertama); halaman lain dibaca lewat `cursor`."
    ),
    page_size: int = Query(50, ge=1, le=500),
):
    if page != 1:
        return Status(422, as_problems(selectors.CursorRefused("page_by_cursor"), "page"))
    try:
        position = selectors.Cursor.decode(cursor) if cursor.strip() else None
        # Without as_of, a cursor keeps the date of the list it came from.
        as_of = as_of or (position.as_of if position else clock.today())
        current = selectors.work_page(
            request.user,
            as_of=as_of,
            agent=selectors.get_agent(request.user, agent) if agent is not None else None,
            program=get_program(request.user, program) if program is not None else None,
            village=village[:13],
            cursor=position,
            per_page=page_size,
        )
    except selectors.CursorRefused as refusal:
        return Status(422, as_problems(refusal, "cursor"))
    filters = {"village": village, "agent": agent, "program": program, "as_of": as_of}
    access.listed(request, [e.person_id for e in current.object_list], filters, current.count)
    return {
        "as_of": as_of,
        "count": current.count,
        "counted_at": dt.datetime.fromtimestamp(current.counted_at, tz=dt.UTC),
        "page": current.number,
        "pages": current.num_pages,
        "page_size": page_size,
        "next": current.next,
        "previous": current.previous,
        "last": current.last,
        "results": [_work_out(e, as_of, request.user) for e in current.object_list],
    }


class ContactIn(Schema):
    outcome: str
    contacted_on: dt.date | None = None
    reason: str = ""
    note: str = ""


class ContactOut(Schema):
    id: int
    enrollment_id: int
    agent_id: int | None
    outcome: str
    contacted_on: dt.date
    reason: str
    note: str


@continuation_router.post(
    "/{enrollment_id}/contacts",
    response={201: ContactOut, 403: Refusal, 422: Problems},
    summary="Catat kontak agen dengan pekerja",
)
def add_contact(request, enrollment_id: int, payload: ContactIn):
    enrollment = selectors.get_work_item(request.user, enrollment_id)
    today = clock.today()
    try:
        contact = services.record_contact(
            user=request.user,
            enrollment=enrollment,
            outcome=payload.outcome[:20],
            contacted_on=payload.contacted_on or today,
            today=today,
            reason=payload.reason,
            note=payload.note,
        )
    except services.ContactRefused as refusal:
        return Status(422, as_problems(refusal))
    return Status(
        201,
        {
            "id": contact.pk,
            "enrollment_id": enrollment.pk,
            "agent_id": contact.agent_id,
            "outcome": contact.outcome,
            "contacted_on": contact.contacted_on,
            "reason": contact.reason,
            "note": contact.note,
        },
    )
