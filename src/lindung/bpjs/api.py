"""The insurer exchange in the API: make a submission batch, as the page and the command do."""

import datetime as dt

from ninja import Router, Schema, Status

from lindung.bpjs import services
from lindung.programs import selectors
from lindung.schemas import Refusal

router = Router()


class BatchIn(Schema):
    """Leave ``round`` and ``village`` out to take every verified enrollment of your region."""

    round: int | None = None
    village: str = ""
    note: str = ""


class BatchOut(Schema):
    program_id: int
    number: int
    label: str
    region_code: str
    created_at: dt.datetime
    note: str
    entries: int


@router.post(
    "/{program_id}/batches",
    response={201: BatchOut, 409: Refusal, 403: Refusal},
    summary="Buat batch pengajuan ke BPJS dari pekerja terverifikasi",
    description="409 dengan `code` nothing_to_submit bila tidak ada pekerja terverifikasi "
    "yang belum diajukan di wilayah Anda (dan putaran/desa yang dipilih).",
)
def create_batch(request, program_id: int, payload: BatchIn):
    program = selectors.get_program(request.user, program_id)
    try:
        batch = services.create_batch(
            user=request.user,
            program=program,
            round_number=payload.round,
            village=payload.village.strip()[:13],
            note=payload.note,
        )
    except services.NothingToSubmit as refusal:
        return Status(409, {"code": "nothing_to_submit", "message": refusal.message})
    return Status(
        201,
        {
            "program_id": program.pk,
            "number": batch.number,
            "label": batch.label,
            "region_code": batch.region_code,
            "created_at": batch.created_at,
            "note": batch.note,
            "entries": batch.entries.count(),
        },
    )
