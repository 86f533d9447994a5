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


class DuplicateRef(Schema):
    id: int = Field(description="Nomor data lain yang mungkin orang yang sama")
    reason: str = Field(
        description="name (nama mirip, tanggal lahir dan jenis kelamin sama) | phone"
    )
    label: str = Field(description="Nama, NIK tersamar, desa dan nomor data")


class WorkerCreated(WorkerOut):
    """The new worker, and the records it may duplicate: flagged for the regency, the
    worker is registered all the same."""

    possible_duplicates: list[DuplicateRef]


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


@router.post("", response={201: WorkerCreated, 422: Problems, 403: Refusal})
def create_worker(request, payload: WorkerIn):
    try:
        person = services.register_worker(
            user=request.user, data=payload.model_dump(exclude_unset=True)
        )
    except services.WorkerInvalid as error:
        return Status(422, _problems(error))
    created = {**_out(person, request.user), "possible_duplicates": person.possible_duplicates}
    return Status(201, created)


# ---- the same person twice --------------------------------------------------------------


class PairSide(Schema):
    id: int | None
    full_name: str
    nik: str = Field(description="Disamarkan untuk peran yang tidak melihat NIK lengkap")
    birth_date: dt.date | None
    birth_year: int | None
    sex: str | None
    village_code: str
    village_name: str
    phone: str


class DuplicateOut(Schema):
    id: int
    reason: str = Field(description="name | phone")
    score: float | None = Field(description="Kemiripan nama 0–1 (pg_trgm)")
    status: str = Field(description="open | merged | dismissed")
    created_at: dt.datetime
    person: PairSide
    other: PairSide | None
    other_label: str = Field(description="Data yang sudah digabung dan dihapus")
    found_via: str
    import_job_id: int | None
    import_row: int | None
    note: str


class DuplicatePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DuplicateOut]


class DecisionIn(Schema):
    keep: int | None = Field(None, description="Penggabungan: nomor data yang disimpan")
    note: str = ""


def _side(person, user) -> dict | None:
    if person is None:
        return None
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "nik": visibility.nik(user, person.nik),
        "birth_date": visibility.birth_date(user, person.birth_date),
        "birth_year": visibility.birth_year(person.birth_date),
        "sex": visibility.sex(user, person.sex),
        "village_code": person.village_id,
        "village_name": person.village.display_name,
        "phone": person.phone,
    }


def _pair_out(pair, user) -> dict:
    return {
        "id": pair.pk,
        "reason": pair.reason,
        "score": pair.score,
        "status": pair.status,
        "created_at": pair.created_at,
        "person": _side(pair.person, user),
        "other": _side(pair.other, user),
        "other_label": pair.other_label,
        "found_via": pair.found_via,
        "import_job_id": pair.import_job_id,
        "import_row": pair.import_row,
        "note": pair.note,
    }


def _logged(request, pairs, filters: dict, count: int) -> None:
    ids = sorted({pid for p in pairs for pid in (p.person_id, p.other_id) if pid})
    access.listed(request, ids, filters, count)


@router.get(
    "/duplicates",
    response={200: DuplicatePage, 403: Refusal},
    summary="Kemungkinan data ganda di wilayah pengguna (admin kabupaten)",
)
def list_duplicates(
    request,
    status: str = "open",
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=500),
):
    if not selectors.can_review_duplicates(request.user):
        return Status(403, {"code": "duplicate_not_reviewer", "message": _not_reviewer()})
    pairs = selectors.duplicates_for(request.user, status=status[:10])
    paginator = Paginator(pairs, page_size)
    current = paginator.get_page(page)
    _logged(request, current.object_list, {"status": status[:10]}, paginator.count)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": [_pair_out(p, request.user) for p in current.object_list],
    }


def _not_reviewer() -> str:
    return str(services.DuplicateRefused.messages["duplicate_not_reviewer"])


def _decide(request, pair_id: int, payload: DecisionIn, *, merge: bool):
    pair = selectors.get_duplicate(request.user, pair_id)
    if not selectors.can_review_duplicates(request.user):
        return Status(403, {"code": "duplicate_not_reviewer", "message": _not_reviewer()})
    try:
        if merge:
            services.merge_duplicate(
                user=request.user, pair=pair, keep=payload.keep or 0, note=payload.note
            )
        else:
            services.dismiss_duplicate(user=request.user, pair=pair, note=payload.note)
    except services.DuplicateRefused as refusal:
        return Status(409, refusal.as_dict())
    pair = selectors.get_duplicate(request.user, pair_id)
    _logged(request, [pair], {"duplicate": pair.pk}, 1)
    return Status(200, _pair_out(pair, request.user))


@router.post(
    "/duplicates/{pair_id}/merge",
    response={200: DuplicateOut, 403: Refusal, 409: Refusal},
    summary="Gabungkan dua data orang yang sama (simpan satu, pindahkan kepesertaannya)",
)
def merge_duplicate(request, pair_id: int, payload: DecisionIn):
    return _decide(request, pair_id, payload, merge=True)


@router.post(
    "/duplicates/{pair_id}/dismiss",
    response={200: DuplicateOut, 403: Refusal, 409: Refusal},
    summary="Tandai pasangan bukan orang yang sama",
)
def dismiss_duplicate(request, pair_id: int, payload: DecisionIn):
    return _decide(request, pair_id, payload, merge=False)


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
