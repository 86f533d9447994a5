"""``GET /api/v1/programs/{id}/funnel``: the verification funnel, as a whole and per village
or district, each step's count and its drop-outs by reason code."""

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from lindung.programs import clock, selectors
from lindung.schemas import Problems

router = Router()


class ReasonOut(Schema):
    reason: str
    count: int


class DropOut(Schema):
    code: str
    label: str
    count: int
    reasons: list[ReasonOut]


class StepOut(Schema):
    step: str
    label: str
    count: int
    dropped: list[DropOut]


class FunnelOut(Schema):
    code: str
    name: str
    not_on_list: int
    steps: list[StepOut]


class FunnelReportOut(Schema):
    program_id: int
    round: int | None
    by: str
    total: FunnelOut
    groups: list[FunnelOut]


@router.get(
    "/{program_id}/funnel",
    response={200: FunnelReportOut, 422: Problems},
    summary="Corong verifikasi: jumlah per tahap dan yang gugur per kode alasan",
    description="Tahap: agreed (daftar musyawarah desa) → registered → eligible → proposed → "
    "verified (kabupaten) → accepted (BPJS) → active. `dropped` pada satu tahap: yang gugur "
    "sebelum tahap itu, per kode (not_registered, age_out_of_range, already_covered, "
    "outside_program_area, duplicate_in_list, quota_full, budget_exceeded, "
    "rejected_by_regency, refused_by_insurer, …) dengan alasan tertulisnya. `by`: program "
    "(bawaan), village atau district; `round`: nomor putaran (kosong: semua).",
)
def get_funnel(request, program_id: int, by: str = "program", round: int = 0):
    program = selectors.get_program(request.user, program_id)
    if by not in ("program", "village", "district"):
        return Status(
            422,
            {
                "errors": [
                    {
                        "field": "by",
                        "code": "by_invalid",
                        "message": _("Pengelompokan harus village, district atau program."),
                    }
                ]
            },
        )
    round_ = None
    if round:
        round_ = program.rounds.filter(number=round).first()
        if round_ is None:
            return Status(
                422,
                {
                    "errors": [
                        {
                            "field": "round",
                            "code": "round_unknown",
                            "message": _("Putaran ini tidak ada di program."),
                        }
                    ]
                },
            )
    report = selectors.funnel(request.user, program, round=round_, by=by, today=clock.today())
    return Status(
        200,
        {
            "program_id": program.pk,
            "round": round_.number if round_ else None,
            "by": report.by,
            "total": report.total.as_dict(),
            "groups": [g.as_dict() for g in report.groups],
        },
    )
