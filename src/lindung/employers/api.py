"""``/api/v1/employers``: the employer registry, its outreach actions and the work list.

The same scope and the same refusals as the pages: an employer outside the token's region
is 404; a role that may not write gets 403; bad fields get 422 with one problem per field
(the codes of ``employers.services.MESSAGES``). A letter's PDF is uploaded on the page.
"""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Query, Router, Schema, Status

from lindung.employers import selectors, services
from lindung.employers.models import Action, Employer
from lindung.programs import clock
from lindung.schemas import Problems, Refusal

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
