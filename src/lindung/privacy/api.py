"""``/api/v1/access-log`` and ``/api/v1/workers/{id}/history``."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema

from lindung.people.selectors import get_worker
from lindung.privacy import access, selectors
from lindung.schemas import IsoDate, Refusal

router = Router()


class AccessFilters(Schema):
    worker: int | None = Field(None, description="id pekerja")
    user: str = Field("", description="nama pengguna")
    since: IsoDate | None = Field(None, alias="from", description="tanggal awal, 2026-12-01")
    until: IsoDate | None = Field(None, alias="to", description="tanggal akhir (termasuk)")
    page: int = Field(1, ge=1)
    page_size: int = Field(100, ge=1, le=1000)


class AccessEntryOut(Schema):
    id: int
    at: dt.datetime
    username: str
    kind: str
    operation: str
    address: str | None
    region_code: str
    worker: int | None
    workers: list[int]
    query: dict | None
    count: int | None


class AccessPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AccessEntryOut]


class ChangeOut(Schema):
    field: str
    old: str
    new: str


class HistoryOut(Schema):
    at: dt.datetime
    type: str
    user: str
    via: str
    via_detail: str
    changes: list[ChangeOut]


@router.get(
    "/access-log",
    response={200: AccessPage, 403: Refusal},
    summary="Log akses data pribadi (admin kabupaten: wilayahnya; admin sistem: semua)",
)
def access_log(request, filters: Query[AccessFilters]):
    if not selectors.can_read_access_log(request.user):
        raise PermissionDenied
    entries = selectors.access_entries(
        request.user,
        worker=filters.worker,
        username=filters.user[:150],
        since=filters.since,
        until=filters.until,
    )
    current = Paginator(entries, filters.page_size).get_page(filters.page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "page_size": filters.page_size,
        "results": [
            {
                "id": e.pk,
                "at": e.at,
                "username": e.username,
                "kind": e.kind,
                "operation": e.operation,
                "address": e.address,
                "region_code": e.region_code,
                "worker": e.person_id,
                "workers": e.ids,
                "query": e.query,
                "count": e.count,
            }
            for e in current.object_list
        ],
    }


@router.get(
    "/workers/{worker_id}/history",
    response={200: list[HistoryOut], 404: Refusal},
    summary="Riwayat perubahan data pekerja (terbaru dulu); di luar wilayah: 404",
)
def worker_history(request, worker_id: int):
    person = get_worker(request.user, worker_id)
    access.viewed(request, person)
    return [
        {
            "at": row.at,
            "type": row.type,
            "user": row.user,
            "via": row.via,
            "via_detail": row.via_detail,
            "changes": [vars(c) for c in row.changes],
        }
        for row in selectors.history_of(person, request.user)
    ]
