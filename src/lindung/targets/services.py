"""Every write of workforce figures, targets and reported coverage.

Only a regency admin (in their region) or a system admin writes these. Each function
checks the values, says what is wrong with a stable code and an Indonesian message, and
saves one row keyed by its natural key (saving the same figure twice updates it).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindung.people.validation import parse_date
from lindung.programs import permissions
from lindung.refusals import Invalid
from lindung.regions.models import Region
from lindung.targets.models import (
    Definition,
    Metric,
    ReportedCoverage,
    Segment,
    Target,
    WorkforceFigure,
)

MAX_COUNT = 10**10  # more than the population of the country, far below bigint

MESSAGES = {
    "region_unknown": _(
        "Kode wilayah tidak dikenal: tulis kode Kemendagri, mis. 51.04 (kabupaten), "
        "51.04.01 (kecamatan) atau 51.04.01.2001 (desa)."
    ),
    "region_out_of_scope": _("Wilayah ini di luar wilayah kerja Anda."),
    "year_invalid": _("Tahun harus empat angka antara 2000 dan 2100, mis. 2024."),
    "segment_invalid": _("Segmen harus 'total', 'formal' atau 'informal'."),
    "segment_total_reported": _(
        "Peserta di luar registri dicatat per segmen: tulis 'formal' atau 'informal'."
    ),
    "definition_invalid": _(
        "Definisi harus salah satu: penduduk bekerja (BPS Sakernas), angkatan kerja (BPS), "
        "total tenaga kerja (data daerah), lainnya."
    ),
    "count_invalid": _("Jumlah harus bilangan bulat lebih dari 0, mis. 172000 atau 172.000."),
    "source_missing": _(
        "Tulis sumber angka ini (mis. BPS, Sakernas Agustus 2023): angka cakupan selalu "
        "ditampilkan bersama sumbernya."
    ),
    "metric_invalid": _(
        "Ukuran target harus 'dibiayai' (pekerja dibiayai dalam tahun), 'tercakup' (pekerja "
        "terlindungi) atau 'persen' (tingkat cakupan)."
    ),
    "value_invalid": _(
        "Nilai target: jumlah bulat lebih dari 0, atau persen 0 sampai 100 dengan paling "
        "banyak dua desimal (mis. 40 atau 40,5)."
    ),
    "date_invalid": _("Tanggal tidak dikenali: tulis seperti 31/12/2024."),
}


@dataclass(frozen=True)
class Problem:
    field: str
    code: str

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


class FiguresInvalid(Invalid):
    """A record refused field by field (see ``lindung.refusals.Invalid``)."""


# ---- parsing (shared with the spreadsheet import) ------------------------------------------

SEGMENT_ALIASES = {
    "total": Segment.TOTAL,
    "semua": Segment.TOTAL,
    "seluruh": Segment.TOTAL,
    "jumlah": Segment.TOTAL,
    "formal": Segment.FORMAL,
    "pu": Segment.FORMAL,
    "penerima upah": Segment.FORMAL,
    "informal": Segment.INFORMAL,
    "bpu": Segment.INFORMAL,
    "bukan penerima upah": Segment.INFORMAL,
}
DEFINITION_ALIASES = {
    "penduduk bekerja": Definition.EMPLOYED,
    "bekerja": Definition.EMPLOYED,
    "sakernas": Definition.EMPLOYED,
    "bps": Definition.EMPLOYED,
    "angkatan kerja": Definition.LABOUR_FORCE,
    "total tenaga kerja": Definition.LOCAL_TOTAL,
    "tenaga kerja": Definition.LOCAL_TOTAL,
    "data daerah": Definition.LOCAL_TOTAL,
    "lainnya": Definition.OTHER,
    "lain": Definition.OTHER,
}
METRIC_ALIASES = {
    "dibiayai": Metric.SPONSORED,
    "jumlah dibiayai": Metric.SPONSORED,
    "pekerja dibiayai": Metric.SPONSORED,
    "sponsored": Metric.SPONSORED,
    "tercakup": Metric.COVERED,
    "terlindungi": Metric.COVERED,
    "jumlah tercakup": Metric.COVERED,
    "covered": Metric.COVERED,
    "persen": Metric.RATE,
    "%": Metric.RATE,
    "cakupan": Metric.RATE,
    "tingkat cakupan": Metric.RATE,
    "rate": Metric.RATE,
}


def _key(value) -> str:
    return " ".join(str(value or "").replace("_", " ").replace("-", " ").lower().split())


def _blank(value) -> bool:
    return value is None or not str(value).strip()


def parse_choice(value, choices, aliases: dict) -> str | None:
    key = _key(value)
    for code in choices.values:
        if key == _key(code):
            return code
    for code, label in choices.choices:
        if key == _key(label):
            return code
    found = aliases.get(key)
    return found.value if found is not None else None


def parse_year(value) -> int | None:
    text = str(value or "").strip().removesuffix(".0")
    if re.fullmatch(r"\d{4}", text) and 2000 <= int(text) <= 2100:
        return int(text)
    return None


def parse_count(value) -> int | None:
    """A positive whole number from ``172000``, ``172.000``, ``172,000`` or a spreadsheet's
    ``172000.0``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        number = int(value)
    else:
        text = str(value).strip().replace(" ", "")
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):  # 172.000 (Indonesian) or 172,000
            text = re.sub(r"[.,]", "", text)
        elif re.fullmatch(r"\d+\.0", text):  # a spreadsheet's number as text: 172000.0
            text = text.split(".")[0]
        if not text.isdecimal():
            return None
        number = int(text)
    return number if 0 < number <= MAX_COUNT else None


def parse_rate_bp(value) -> int | None:
    """Basis points from ``40``, ``40%``, ``40,5`` or ``40.25`` (0–100, two decimals at most)."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip().removesuffix("%").strip().replace(",", ".")
    match = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,2}))?0*", text)
    if not match:
        return None
    whole, decimals = match.group(1), (match.group(2) or "").ljust(2, "0")
    bp = int(whole) * 100 + int(decimals)
    return bp if 0 <= bp <= 10000 else None


def _region_lookup(user):
    """A function (code, problems) → the region to write, or ``None`` with the problem."""

    def lookup(code, problems: list) -> Region | None:
        code = str(code or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if region is None:
            problems.append(Problem("region_code", "region_unknown"))
            return None
        if not permissions.can_manage(user, region.code):
            problems.append(Problem("region_code", "region_out_of_scope"))
            return None
        return region

    return lookup


def _require_manager(user) -> None:
    if not permissions.is_manager(user):
        raise PermissionDenied


def _actor(user):
    return user if user is not None and user.pk else None


# ---- workforce figures ---------------------------------------------------------------------


def check_workforce(data: dict, *, user, regions=None) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    values = {"region": (regions or _region_lookup(user))(data.get("region_code"), problems)}
    values["year"] = parse_year(data.get("year"))
    if values["year"] is None:
        problems.append(Problem("year", "year_invalid"))
    values["segment"] = parse_choice(data.get("segment") or "total", Segment, SEGMENT_ALIASES)
    if values["segment"] is None:
        problems.append(Problem("segment", "segment_invalid"))
    values["definition"] = parse_choice(
        data.get("definition") or Definition.EMPLOYED, Definition, DEFINITION_ALIASES
    )
    if values["definition"] is None:
        problems.append(Problem("definition", "definition_invalid"))
    values["count"] = parse_count(data.get("count"))
    if values["count"] is None:
        problems.append(Problem("count", "count_invalid"))
    values["source"] = " ".join(str(data.get("source") or "").split())[:255]
    if not values["source"]:
        problems.append(Problem("source", "source_missing"))
    values["note"] = str(data.get("note") or "").strip()[:2000]
    return values, problems


def _save_workforce(values: dict, user) -> WorkforceFigure:
    figure, _created = WorkforceFigure.objects.update_or_create(
        region=values["region"],
        year=values["year"],
        segment=values["segment"],
        definition=values["definition"],
        defaults={
            "count": values["count"],
            "source": values["source"],
            "note": values["note"],
            "updated_by": _actor(user),
        },
    )
    return figure


@transaction.atomic
def save_workforce(*, user, data: dict) -> WorkforceFigure:
    """Record (or correct) a region's workforce for a year, segment and definition."""
    _require_manager(user)
    values, problems = check_workforce(data, user=user)
    if problems:
        raise FiguresInvalid(problems)
    return _save_workforce(values, user)


@transaction.atomic
def delete_workforce(*, user, figure: WorkforceFigure) -> None:
    if not permissions.can_manage(user, figure.region_id):
        raise PermissionDenied
    figure.delete()


# ---- targets -------------------------------------------------------------------------------


def check_target(data: dict, *, user, regions=None) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    values = {"region": (regions or _region_lookup(user))(data.get("region_code"), problems)}
    values["year"] = parse_year(data.get("year"))
    if values["year"] is None:
        problems.append(Problem("year", "year_invalid"))
    values["segment"] = parse_choice(data.get("segment") or "total", Segment, SEGMENT_ALIASES)
    if values["segment"] is None:
        problems.append(Problem("segment", "segment_invalid"))
    values["metric"] = parse_choice(data.get("metric"), Metric, METRIC_ALIASES)
    if values["metric"] is None:
        problems.append(Problem("metric", "metric_invalid"))
        values["value"] = None
    elif values["metric"] == Metric.RATE:
        values["value"] = parse_rate_bp(data.get("value"))
    else:
        values["value"] = parse_count(data.get("value"))
    if values["metric"] is not None and values["value"] is None:
        problems.append(Problem("value", "value_invalid"))
    values["note"] = " ".join(str(data.get("note") or "").split())[:255]
    return values, problems


def _save_target(values: dict, user, parent: Target | None = None) -> Target:
    defaults = {"value": values["value"], "note": values["note"], "updated_by": _actor(user)}
    if parent is not None:
        defaults["parent"] = parent
    target, _created = Target.objects.update_or_create(
        region=values["region"],
        year=values["year"],
        segment=values["segment"],
        metric=values["metric"],
        defaults=defaults,
    )
    return target


@transaction.atomic
def save_target(*, user, data: dict) -> Target:
    """Record (or change) a region's target for a year, segment and metric."""
    _require_manager(user)
    values, problems = check_target(data, user=user)
    if problems:
        raise FiguresInvalid(problems)
    return _save_target(values, user)


@transaction.atomic
def delete_target(*, user, target: Target) -> None:
    if not permissions.can_manage(user, target.region_id):
        raise PermissionDenied
    target.delete()


# ---- participants the insurer reports outside the registry --------------------------------


def check_reported(data: dict, *, user, regions=None) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    values = {"region": (regions or _region_lookup(user))(data.get("region_code"), problems)}
    segment = parse_choice(data.get("segment"), Segment, SEGMENT_ALIASES)
    if segment == Segment.TOTAL:
        problems.append(Problem("segment", "segment_total_reported"))
    elif segment is None:
        problems.append(Problem("segment", "segment_invalid"))
    values["segment"] = segment
    values["as_of"] = None if _blank(data.get("as_of")) else parse_date(data.get("as_of"))
    if values["as_of"] is None:
        problems.append(Problem("as_of", "date_invalid"))
    values["count"] = parse_count(data.get("count"))
    if values["count"] is None and str(data.get("count") or "").strip() not in ("0",):
        problems.append(Problem("count", "count_invalid"))
    values["count"] = values["count"] or 0
    values["source"] = " ".join(str(data.get("source") or "").split())[:255]
    if not values["source"]:
        problems.append(Problem("source", "source_missing"))
    values["note"] = str(data.get("note") or "").strip()[:2000]
    return values, problems


def _save_reported(values: dict, user) -> ReportedCoverage:
    row, _created = ReportedCoverage.objects.update_or_create(
        region=values["region"],
        segment=values["segment"],
        as_of=values["as_of"],
        defaults={
            "count": values["count"],
            "source": values["source"],
            "note": values["note"],
            "updated_by": _actor(user),
        },
    )
    return row


@transaction.atomic
def save_reported(*, user, data: dict) -> ReportedCoverage:
    """Record the insurer's count of active participants outside Lindung's registry."""
    _require_manager(user)
    values, problems = check_reported(data, user=user)
    if problems:
        raise FiguresInvalid(problems)
    return _save_reported(values, user)


@transaction.atomic
def delete_reported(*, user, row: ReportedCoverage) -> None:
    if not permissions.can_manage(user, row.region_id):
        raise PermissionDenied
    row.delete()
