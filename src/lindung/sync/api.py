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


class EditableWorkerOut(Schema):
    id: int
    full_name: str
    village_code: str
    address: str
    phone: str
    occupation: str
    version: str


class OfflineDataOut(Schema):
    user: int
    as_of: dt.date
    villages: list[VillageOut]
    villages_truncated: bool
    categories: list[CategoryOut]
    work_items: list[WorkItemOut]
    work_items_truncated: bool
    workers: list[EditableWorkerOut]
    workers_truncated: bool


@router.get(
    "/offline-data",
    response={200: OfflineDataOut, 403: Refusal},
    summary="Data wilayah pengguna untuk kerja luring",
)
def offline_data(request):
    """What the phone downloads to work offline: only the user's own scope."""
    return selectors.offline_data(request.user, today=clock.today())
