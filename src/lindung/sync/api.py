"""``/api/v1/sync``: the phones' records sent after working offline, answered one by one."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from lindung.programs import clock
from lindung.schemas import Problem, Problems, Refusal
from lindung.sync import selectors, services

router = Router()

_RECORD_SCHEMA = {
    "type": "object",
    "properties": {
        "client_id": {"type": "string", "format": "uuid"},
        "kind": {
            "type": "string",
            "enum": ["worker.create", "worker.update", "contact.create", "collection.create"],
        },
        "base_version": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "payload": {"type": "object"},
    },
    "required": ["client_id", "kind", "payload"],
}

# Each record is checked on its own (a broken one is refused alone, with its answer), so
# the batch takes any objects; the document says what a record should be.
RecordIn = Annotated[Any, WithJsonSchema(_RECORD_SCHEMA)]


class BatchIn(Schema):
    """``device``: the id the phone made for itself (a UUID); ``records``: in the order they
    were made (a worker's registration before its collection)."""

    device: str = Field(max_length=40)
    device_label: str = Field("", max_length=200)
    records: list[RecordIn] = Field(max_length=20_000)


class RecordAnswer(Schema):
    client_id: str
    status: str = Field(description="accepted, warned, conflict, refused atau deferred")
    code: str
    message: str
    errors: list[Problem]
    warnings: list[Problem]
    object_id: int | None
    version: str | None = Field(description="versi pekerja untuk perubahan berikutnya")
    conflict_id: int | None
    replayed: bool = False


class BatchOut(Schema):
    limit: int
    answers: list[RecordAnswer]


@router.post(
    "",
    response={200: BatchOut, 403: Refusal, 422: Problems},
    summary="Kirim catatan luring (dijawab per catatan)",
)
def sync(request, payload: BatchIn):
    """Every record gets its own answer, in order. A record sent again (same ``client_id``)
    gets the first answer with ``replayed: true`` and is not applied twice. Records past the
    batch limit are answered ``deferred``: send them again."""
    try:
        answers = services.sync_batch(
            user=request.user,
            device_id=payload.device,
            label=payload.device_label,
            records=payload.records,
            today=clock.today(),
        )
    except services.SyncRefused as refusal:
        if refusal.code == "forbidden":
            return Status(403, refusal.as_dict())
        return Status(
            422, {"errors": [{"field": "device", "code": refusal.code, "message": refusal.message}]}
        )
    return {"limit": services.batch_limit(), "answers": answers}


class VillageOut(Schema):
    code: str
    name: str
    nik_prefixes: list[str] = Field(
        description="Awalan NIK (6 angka) yang sah untuk desa ini: kode kecamatannya tanpa "
        "titik dan kode lamanya (NIK memakai kode saat diterbitkan, mis. 910101 untuk 93.01.01)."
    )


class CategoryOut(Schema):
    code: str
    label: str


class WorkItemOut(Schema):
    enrollment_id: int
    full_name: str
    village_code: str
    coverage_end: dt.date | None


class SelfPayOut(Schema):
    """What prices the worker's self-paid months on the phone (``selfpay.services``)."""

    programs: list[str]
    income: int | None
    transport: bool
    covered_until: dt.date


class EditableWorkerOut(Schema):
    id: int
    full_name: str
    village_code: str
    address: str
    phone: str
    occupation: str
    version: str
    nik_masked: str = Field(description="NIK tersamar: mencocokkan iuran yang diketik per NIK")
    values: dict[str, Any] = Field(
        description="isian formulir ubah pekerja yang boleh dibaca peran ini (edit_fields)"
    )
    selfpay: SelfPayOut | None


class OfflineBpuRateOut(Schema):
    valid_from: dt.date
    valid_to: dt.date
    jkk_rate_bp: int
    jkk_min: int
    jkk_max: int
    jkm_amount: int
    jht_rate_bp: int
    income_floor: int
    income_step: int
    legal_basis: str


class OfflineReliefOut(Schema):
    code: str
    legal_basis: str
    programs: list[str]
    discount_bp: int
    first_month: dt.date
    last_month: dt.date
    participants: str


class OfflineRatesOut(Schema):
    """The BPU rate tables with their validity: a month past ``valid_until`` or outside
    every version is priced by the server at sync."""

    valid_until: dt.date
    bpu: list[OfflineBpuRateOut]
    relief: list[OfflineReliefOut]


class OfflineDataOut(Schema):
    user: int
    as_of: dt.date
    villages: list[VillageOut]
    villages_truncated: bool
    categories: list[CategoryOut]
    rates: OfflineRatesOut
    edit_fields: list[str]
    page_size: int
    work_items: list[WorkItemOut]
    work_items_total: int
    work_items_next: int | None = Field(description="kirim sebagai after ke /work-items")
    work_items_truncated: bool
    workers: list[EditableWorkerOut]
    workers_total: int
    workers_next: int | None = Field(description="kirim sebagai after ke /workers")
    workers_truncated: bool


class OfflineWorkItemPage(Schema):
    items: list[WorkItemOut]
    total: int | None
    next: int | None


class OfflineWorkerPage(Schema):
    items: list[EditableWorkerOut]
    total: int | None
    next: int | None


@router.get(
    "/offline-data",
    response={200: OfflineDataOut, 403: Refusal},
    summary="Data wilayah pengguna untuk kerja luring",
)
def offline_data(request):
    """What the phone downloads to work offline: only the user's own scope; the first page
    of the workers and of the work list, the rest page by page (``*_next``)."""
    return selectors.offline_data(request.user, today=clock.today())


@router.get(
    "/offline-data/workers",
    response={200: OfflineWorkerPage, 403: Refusal},
    summary="Halaman berikut pekerja untuk kerja luring",
)
def offline_workers(request, after: int = 0):
    """The workers after id ``after`` (``workers_next`` of the previous page)."""
    return selectors.offline_workers(request.user, after=after)


@router.get(
    "/offline-data/work-items",
    response={200: OfflineWorkItemPage, 403: Refusal},
    summary="Halaman berikut daftar kerja untuk kerja luring",
)
def offline_work_items(request, after: int = 0):
    """The work-list rows after enrollment id ``after`` (``work_items_next``)."""
    return selectors.offline_work_items(request.user, today=clock.today(), after=after)
