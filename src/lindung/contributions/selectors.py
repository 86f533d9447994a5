"""Reads of the rate tables for other apps (the premium engine itself is ``premiums``)."""

import datetime as dt

from lindung.contributions.models import BpuRateVersion, ReliefRule, Segment
from lindung.contributions.premiums import _relief_excludes


def bpu_tables(*, valid_until: dt.date, payer: str) -> dict:
    """The BPU rate versions and the relief rules that apply to ``payer``, as plain values,
    each version with its validity dates: from its ``effective_from`` to the day before the
    next version's, the last one to ``valid_until``. A month outside every version's
    validity is one this copy cannot price (a phone that downloaded it leaves that month to
    the server). Rules that exclude ``payer`` are left out: they never change its amount
    (see :meth:`lindung.contributions.premiums.RateBook._relief`)."""
    versions = list(
        BpuRateVersion.objects.filter(effective_from__lte=valid_until).order_by("effective_from")
    )
    bpu = []
    for index, version in enumerate(versions):
        following = versions[index + 1] if index + 1 < len(versions) else None
        valid_to = following.effective_from - dt.timedelta(days=1) if following else valid_until
        bpu.append(
            {
                "valid_from": version.effective_from,
                "valid_to": valid_to,
                "jkk_rate_bp": version.jkk_rate_bp,
                "jkk_min": version.jkk_min,
                "jkk_max": version.jkk_max,
                "jkm_amount": version.jkm_amount,
                "jht_rate_bp": version.jht_rate_bp,
                "income_floor": version.income_floor,
                "income_step": version.income_step,
                "legal_basis": version.legal_basis,
            }
        )
    relief = [
        {
            "code": rule.code,
            "legal_basis": rule.legal_basis,
            "programs": list(rule.programs),
            "discount_bp": rule.discount_bp,
            "first_month": rule.first_month,
            "last_month": rule.last_month,
            "participants": rule.participants,
        }
        for rule in ReliefRule.objects.filter(segment__in=["", Segment.BPU]).order_by("code")
        if not _relief_excludes(rule, payer)
    ]
    return {"valid_until": valid_until, "bpu": bpu, "relief": relief}
