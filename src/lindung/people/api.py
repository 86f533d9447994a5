"""``/api/v1/workers``: the worker registry for scripts and other systems."""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema, Status

from lindung.people import selectors, services, visibility
from lindung.privacy import access
from lindung.schemas import Problems, Refusal

router = Router()


class WorkerOut(Schema):
    """A worker. For roles that get the masked NIK (agents, viewers) ``birth_date`` and
    ``sex`` are ``null`` and only ``birth_year`` is given: they would rebuild the NIK."""

    id: int
    nik: str = Field(description="16 angka; disamarkan (510401******0001) untuk agen dan pemantau")
    full_name: str
    sex: str | None
    birth_date: dt.date | None
    birth_year: int
    birth_place: str
    village_code: str
    village_name: str
    address: str
    phone: str
    occupation: str
    category: str
    declared_income: int
    segment: str
    agent_id: int | None
    agent_name: str
    created_at: dt.datetime
    updated_at: dt.datetime


class WorkerIn(Schema):
    """Values are taken as written (text or numbers) and checked by the shared rules."""

    nik: str | int | None = None
    full_name: str | None = None
    sex: str | None = None
    birth_date: str | dt.date | None = None
    birth_place: str | None = None
    mother_maiden_name: str | None = None
    village_code: str | None = None
    address: str | None = None
    phone: str | None = None
    occupation: str | None = None
    category: str | None = None
    declared_income: int | str | None = None
    segment: str | None = None
    data_source: str | None = None
    welfare_decile: int | str | None = None
    has_disability: bool | None = None


class WorkerPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[WorkerOut]


def _out(person, user) -> dict:
    return {
        "id": person.pk,
        "nik": visibility.nik(user, person.nik),
        "full_name": person.full_name,
        "sex": visibility.sex(user, person.sex),
        "birth_date": visibility.birth_date(user, person.birth_date),
        "birth_year": visibility.birth_year(person.birth_date),
        "birth_place": person.birth_place,
        "village_code": person.village_id,
        "village_name": person.village.display_name,
        "address": person.address,
        "phone": person.phone,
        "occupation": person.occupation_label,
        "category": person.category,
        "declared_income": person.declared_income,
        "segment": person.segment,
        "agent_id": person.agent_id,
        "agent_name": person.agent.full_name if person.agent_id else "",
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }


def _problems(error: services.WorkerInvalid) -> dict:
    return {"errors": [p.as_dict() for p in error.problems]}


@router.get("", response=WorkerPage, summary="Daftar pekerja di wilayah pengguna")
def list_workers(
    request,
    nik: str = "",
    village: str = "",
    q: str = "",
    category: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=500),
):
    workers = selectors.workers_for(
        request.user, nik=nik[:16], village=village[:13], q=q[:100], category=category[:20]
    )
    paginator = Paginator(workers, page_size)
    current = paginator.get_page(page)
    if nik:
        access.searched_nik(request, nik[:16], workers, count=paginator.count)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_out(p, request.user) for p in current.object_list],
    }


@router.post("", response={201: WorkerOut, 422: Problems, 403: Refusal})
def create_worker(request, payload: WorkerIn):
    try:
        person = services.register_worker(
            user=request.user, data=payload.model_dump(exclude_unset=True)
        )
    except services.WorkerInvalid as error:
        return Status(422, _problems(error))
    return Status(201, _out(person, request.user))


@router.get("/{worker_id}", response=WorkerOut)
def get_worker(request, worker_id: int):
    person = selectors.get_worker(request.user, worker_id)
    access.viewed(request, person)
    return _out(person, request.user)


@router.patch("/{worker_id}", response={200: WorkerOut, 422: Problems, 403: Refusal})
def update_worker(request, worker_id: int, payload: WorkerIn):
    person = selectors.get_worker(request.user, worker_id)
    try:
        services.update_worker(
            user=request.user, person=person, changes=payload.model_dump(exclude_unset=True)
        )
    except services.WorkerInvalid as error:
        return Status(422, _problems(error))
    return Status(200, _out(person, request.user))


@router.delete("/{worker_id}", response={204: None, 403: Refusal, 409: Refusal})
def delete_worker(request, worker_id: int):
    person = selectors.get_worker(request.user, worker_id)
    try:
        services.delete_worker(user=request.user, person=person)
    except services.WorkerKept as refusal:
        return Status(409, refusal.as_dict())
    return Status(204, None)
