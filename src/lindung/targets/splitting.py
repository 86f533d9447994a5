"""A regency's target split down to its districts or villages, and the check that the
children's targets add up to the parent's.

A count (12,800 sponsored workers) is split in whole workers that add up exactly (largest
remainder): equally, in proportion to the children's workforce, or in proportion to the
quota places of the year's programs (Gianyar: 64 desa × 2 rounds × 100 = 12,800). A rate
(40%) applies as it is to every child. Children edited by hand afterwards are checked:
counts must add up to the parent's; rates, weighted by the children's workforce, must
average to the parent's rate.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from lindung.formatting import number
from lindung.programs import permissions
from lindung.programs.models import VillageQuota
from lindung.refusals import Refusal
from lindung.regions.models import Region
from lindung.targets.models import Metric, Segment, Target
from lindung.targets.selectors import workforce_for

METHODS = {
    "equal": _("rata"),
    "workforce": _("menurut angkatan kerja"),
    "quota": _("menurut kuota program tahun itu"),
}
LEVEL_NAMES = {2: _("kabupaten/kota"), 3: _("kecamatan"), 4: _("desa/kelurahan")}

MESSAGES = {
    "level_invalid": _("Target hanya dapat dibagi ke kecamatan atau desa di bawah wilayahnya."),
    "method_invalid": _("Cara membagi harus: rata, menurut angkatan kerja, atau menurut kuota."),
    "no_children": _("Tidak ada wilayah di bawahnya untuk menerima bagian target."),
    "workforce_missing": _(
        "Angka angkatan kerja belum ada untuk %(count)s wilayah (mis. %(example)s): isi dulu, "
        "atau bagi rata atau menurut kuota."
    ),
    "quota_missing": _(
        "Belum ada kuota program tahun %(year)s di wilayah ini: bagi rata atau menurut "
        "angkatan kerja."
    ),
}


class SplitRefused(Refusal):
    messages = MESSAGES


def apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Whole shares of ``total`` in proportion to ``weights`` that add up to it exactly.

    Everyone gets the floor of their share; the units left go to the largest remainders
    (ties by key, so the result does not depend on dictionary order).
    """
    whole = sum(weights.values())
    if whole <= 0:
        raise ValueError("weights must add up to more than zero")
    shares = {key: total * weight // whole for key, weight in weights.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(weights, key=lambda key: (-(total * weights[key] % whole), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def children_regions(code: str, level: int, include_kelurahan: bool = False) -> list[Region]:
    regions = Region.objects.filter(level=level, code__startswith=f"{code}.")
    if level == Region.Level.VILLAGE and not include_kelurahan:
        regions = regions.filter(kind=Region.Kind.DESA)
    return list(regions.order_by("code"))


def _quota_weights(codes: list[str], year: int, level: int) -> dict[str, int]:
    column = {3: "district_code", 4: "village_id"}[level]
    rows = (
        VillageQuota.objects.filter(program__year=year, **{f"{column}__in": codes})
        .values_list(column)
        .annotate(n=Sum("quota"))
    )
    found = dict(rows)
    return {code: found.get(code, 0) for code in codes}


@transaction.atomic
def split_target(
    *, user, target: Target, level: int, method: str = "equal", include_kelurahan: bool = False
) -> list[Target]:
    """Write the children's targets (replacing earlier ones of the same key)."""
    if not permissions.can_manage(user, target.region_id):
        raise PermissionDenied
    parent_level = target.region_id.count(".") + 1
    if level not in (3, 4) or level <= parent_level:
        raise SplitRefused("level_invalid")
    if method not in METHODS:
        raise SplitRefused("method_invalid")
    children = children_regions(target.region_id, level, include_kelurahan)
    if not children:
        raise SplitRefused("no_children")
    codes = [c.code for c in children]
    if target.metric == Metric.RATE:
        values = {code: target.value for code in codes}
    else:
        if method == "equal":
            weights = {code: 1 for code in codes}
        elif method == "workforce":
            figures = workforce_for(codes, target.year)
            weights = {}
            missing = []
            for code in codes:
                chosen = figures[code][target.segment][0]
                if chosen is None:
                    missing.append(code)
                else:
                    weights[code] = chosen.count
            if missing:
                raise SplitRefused("workforce_missing", count=len(missing), example=missing[0])
        else:
            weights = _quota_weights(codes, target.year, level)
            if not any(weights.values()):
                raise SplitRefused("quota_missing", year=target.year)
        values = apportion(target.value, weights)
    note = str(_("bagian dari target %(region)s (%(method)s)")) % {
        "region": target.region_id,
        "method": METHODS[method] if target.metric != Metric.RATE else _("persen yang sama"),
    }
    actor = user if user is not None and user.pk else None
    written = []
    for child in children:
        row, _created = Target.objects.update_or_create(
            region=child,
            year=target.year,
            segment=target.segment,
            metric=target.metric,
            defaults={
                "value": values[child.code],
                "parent": target,
                "note": note[:255],
                "updated_by": actor,
            },
        )
        written.append(row)
    return written


@dataclass
class SplitWarning:
    target: Target
    level: int
    children: int
    parent_value: int
    children_value: int  # the sum (counts) or the workforce-weighted mean (rates, bp)
    unchecked: list[str] = field(default_factory=list)  # children without a workforce figure

    @property
    def level_label(self) -> str:
        return str(LEVEL_NAMES[self.level])

    @property
    def message(self) -> str:
        metric = str(Metric(self.target.metric).label).lower()
        segment = str(Segment(self.target.segment).label).lower()
        params = {
            "level": self.level_label,
            "metric": metric,
            "segment": segment,
            "year": self.target.year,
            "count": len(self.unchecked),
        }
        if self.unchecked:
            return str(
                _(
                    "Target %(metric)s (%(segment)s) %(year)s di tingkat %(level)s belum dapat "
                    "diperiksa: %(count)s wilayah belum punya angka angkatan kerja."
                )
                % params
            )
        if self.target.metric == Metric.RATE:
            params["children"] = f"{self.children_value / 100:.2f}".replace(".", ",")
            params["parent"] = f"{self.parent_value / 100:.2f}".replace(".", ",")
            return str(
                _(
                    "Rata-rata target %(metric)s (%(segment)s) %(year)s di tingkat %(level)s, "
                    "ditimbang angkatan kerja, %(children)s%%; target wilayah ini %(parent)s%%."
                )
                % params
            )
        params["children"] = number(self.children_value)
        params["parent"] = number(self.parent_value)
        params["difference"] = number(abs(self.children_value - self.parent_value))
        return str(
            _(
                "Target %(metric)s (%(segment)s) %(year)s di tingkat %(level)s berjumlah "
                "%(children)s, target wilayah ini %(parent)s: selisih %(difference)s."
            )
            % params
        )


def warnings_for(code: str, year: int) -> list[SplitWarning]:
    """Where the children's targets of ``code`` do not add up to its own, per level below."""
    own = list(Target.objects.filter(region_id=code, year=year))
    if not own:
        return []
    parent_level = code.count(".") + 1
    below = Target.objects.filter(region__code__startswith=f"{code}.", year=year).values_list(
        "region_id", "segment", "metric", "value"
    )
    found: dict[tuple, list[tuple[str, int]]] = {}
    for region_id, segment, metric, value in below:
        key = (segment, metric, region_id.count(".") + 1)
        found.setdefault(key, []).append((region_id, value))
    warnings = []
    for target in own:
        for level in range(parent_level + 1, 5):
            children = found.get((target.segment, target.metric, level), [])
            if not children:
                continue
            if target.metric != Metric.RATE:
                total = sum(value for _region, value in children)
                if total != target.value:
                    warnings.append(SplitWarning(target, level, len(children), target.value, total))
                continue
            # Rates: every region of the level counts, those without a target at the
            # parent's rate (they inherit it).
            regions = children_regions(code, level, include_kelurahan=True)
            rates = dict(children)
            figures = workforce_for([r.code for r in regions], year)
            weighted = weight = 0
            unchecked = []
            for region in regions:
                chosen = figures[region.code][target.segment][0]
                if chosen is None:
                    if region.code in rates:
                        unchecked.append(region.code)
                    continue
                weighted += rates.get(region.code, target.value) * chosen.count
                weight += chosen.count
            if unchecked:
                warnings.append(
                    SplitWarning(target, level, len(children), target.value, 0, unchecked)
                )
                continue
            mean = (weighted * 2 + weight) // (2 * weight) if weight else target.value
            if abs(mean - target.value) > 1:
                warnings.append(SplitWarning(target, level, len(children), target.value, mean))
    return warnings
