"""``/api/v1/imports/members`` and ``/api/v1/imports/welfare``: the insurer's member list
and the social office's welfare file by API, like the page and ``lindung import members`` /
``lindung import welfare``: applied at once, answered with the row report. Thin: the
work is ``imports.updates``."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from lindung.imports import selectors, updates
from lindung.imports.models import UpdateImport
from lindung.people import visibility
from lindung.people.validation import parse_date
from lindung.schemas import DateTextQuery, Problems, Refusal

router = Router()


class RowProblemOut(Schema):
    row: int
    nik: str
    code: str
    message: str


class UpdateImportOut(Schema):
    id: int
    kind: str
    file_name: str
    uploaded_at: dt.datetime
    as_of: dt.date | None
    rows: int
    updated: int
    unchanged: int
    refused: int
    problems: list[RowProblemOut]


class UpdateIn(Schema):
    """``as_of``: the date of the file's data (``19/02/2027`` or ``2027-02-19``), for rows
    without their own date; empty: today."""

    as_of: DateTextQuery = ""


def _nik(user, value: str) -> str:
    """A NIK of the report as the role may see it; a malformed one as the file wrote it."""
    return visibility.nik(user, value) if len(value) == 16 else value


def _out(user, record: UpdateImport) -> dict:
    return {
        "id": record.pk,
        "kind": record.kind,
        "file_name": record.file_name,
        "uploaded_at": record.uploaded_at,
        "as_of": record.as_of,
        "rows": record.rows,
        "updated": record.updated,
        "unchanged": record.unchanged,
        "refused": record.refused,
        "problems": [
            {
                "row": p.get("row", 0),
                "nik": visibility.nik(user, p.get("nik", ""))
                if len(p.get("nik", "")) == 16
                else "",
                "code": p.get("code", ""),
                "message": p.get("message", ""),
            }
            for p in record.report
        ],
    }


def _forbidden() -> Status:
    message = _("Hanya admin kabupaten yang dapat menerapkan berkas ini.")
    return Status(403, {"code": "forbidden", "message": message})


def _apply(request, apply, payload: UpdateIn, file):
    from lindung.programs import permissions

    if not permissions.is_manager(request.user):
        return _forbidden()
    as_of = None
    if payload.as_of.strip():
        as_of = parse_date(payload.as_of)
        if as_of is None:
            message = _("Tanggal data tidak terbaca: tulis 19/02/2027 atau 2027-02-19.")
            return Status(
                422, {"errors": [{"field": "as_of", "code": "as_of_invalid", "message": message}]}
            )
    if file is None:
        refusal = updates.UpdateRefused("file_empty")
        return Status(422, {"errors": [{"field": "file", **refusal.as_dict()}]})
    try:
        record = apply(
            user=request.user, content=file.read(), file_name=file.name or "berkas", as_of=as_of
        )
    except PermissionDenied:
        return _forbidden()
    except updates.UpdateRefused as refusal:
        return Status(422, {"errors": [{"field": "file", **refusal.as_dict()}]})
    return Status(201, _out(request.user, record))


RESPONSES = {201: UpdateImportOut, 422: Problems, 403: Refusal}


@router.post(
    "/members",
    response=RESPONSES,
    summary="Terapkan daftar peserta BPJS (KPJ dan status) per NIK",
    description="Multipart: berkas `file` (CSV/XLSX: NIK, NO_KPJ, STATUS, TANGGAL) dan "
    "`as_of`. 201 dengan laporan baris (`kpj_taken`, `not_registered`, …); menerapkan berkas "
    "yang sama lagi tidak mengubah apa pun.",
)
def import_members(request, payload: Form[UpdateIn], file: File[UploadedFile] = None):
    return _apply(request, updates.import_member_list, payload, file)


@router.post(
    "/welfare",
    response=RESPONSES,
    summary="Terapkan data kesejahteraan DTSEN (desil, sumber, disabilitas) per NIK",
    description="Multipart: berkas `file` (CSV/XLSX: NIK, DESIL, SUMBER, DISABILITAS, "
    "TANGGAL) dan `as_of`. 201 dengan laporan baris (`decile_invalid`, …); idempoten.",
)
def import_welfare(request, payload: Form[UpdateIn], file: File[UploadedFile] = None):
    return _apply(request, updates.import_welfare, payload, file)


@router.get(
    "/updates/{update_id}",
    response={200: UpdateImportOut, 403: Refusal},
    summary="Satu berkas pembaruan yang sudah diterapkan, dengan laporan barisnya",
)
def get_update(request, update_id: int):
    from lindung.programs import permissions

    if not permissions.is_manager(request.user):
        message = _("Hanya admin kabupaten yang dapat melihat laporan ini.")
        return Status(403, {"code": "forbidden", "message": message})
    return Status(200, _out(request.user, selectors.get_update_import(request.user, update_id)))
