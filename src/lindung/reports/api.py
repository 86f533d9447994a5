"""``/api/v1/reports/inpres``: the six-monthly Inpres 2/2021 report (JSON, XLSX or PDF)."""

import datetime as dt

from ninja import Router, Schema, Status

from lindung.reports import documents, inpres
from lindung.reports.views import build, download
from lindung.schemas import Problems

router = Router()


class FigureOut(Schema):
    label: str
    value: int | None
    kind: str
    text: str
    source: str
    missing: str | None


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]
    header: list[str]
    rows: list[list[str | int | None]]
    note: str


class ReportOut(Schema):
    """``value`` null with ``missing`` set: the source data is missing (not a zero)."""

    kind: str
    region: str
    region_name: str
    half: str
    period_start: dt.date
    period_end: dt.date
    as_of: dt.date
    title: str
    sections: list[SectionOut]


@router.get(
    "/inpres",
    response={200: ReportOut, 422: Problems},
    summary="Laporan semesteran Inpres 2/2021 (format=xlsx|pdf untuk berkas; kind=award)",
)
def inpres_report(request, region: str, half: str = "", format: str = "", kind: str = ""):
    """``region``: a province or regency code; ``half``: ``YYYY-1`` or ``YYYY-2`` (empty:
    the half in progress); ``kind=award`` arranges the facts as the award dossier. 404 for
    a region outside the user's scope."""
    try:
        report = build(request.user, "award" if kind == "award" else "inpres", region, half)
    except inpres.ReportRefused as refusal:
        field = "half" if refusal.code.startswith("half") else "region"
        return Status(422, {"errors": [{"field": field, "code": refusal.code,
                                        "message": refusal.message}]})  # fmt: skip
    if format in ("xlsx", "pdf"):
        return download(report, format, documents.Letterhead.from_query(request.GET))
    body = report.as_dict()
    body["period_start"], body["period_end"] = body.pop("start"), body.pop("end")
    return body
