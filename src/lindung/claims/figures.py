"""Claims and benefits paid, and benefits per rupiah of premium, for the dashboards.

The budget committee's question is whether the premiums buy protection that reaches
families: so a region's dashboard shows, for the year of its date, the claims reported and
paid and the benefits paid per program, per funder and per village, and for each program
the rupiah of benefits paid per rupiah of premium billed.

Definitions (the dashboard at date D, region R; ``docs/claims.md``):

- the claims counted are those of R's villages whose event falls between 1 January of D's
  year and D and that were reported by D; *paid* are those paid on or before D (amount and
  date of payment from the register);
- the premium of a program is what its bills of the months of D's year up to D's month
  charged for R's villages (``BillVillageTotal``: the sums of the bill lines per bill and
  village, kept by billing), for bills made by D;
- *benefits per Rp of premium* is benefits paid ÷ premium billed.

Two reads, both grouped in the database over small tables (the register and the per-village
bill totals), never over the bill lines or the enrollments: so the section costs the same
at 10 million workers as at 10 thousand (``bench/claims_dashboard.py``).

A figure without data says so instead of 0: a region whose register has no claim at all
says that the register is empty (nothing reported, not "no deaths"); a program without
bills in the period has no ratio, not a ratio of 0.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.claims.models import Claim, Status
from lindung.programs.models import Funder, Program
from lindung.regions.codes import level_of
from lindung.regions.models import Region

NO_PROGRAM = ""  # the key of claims whose membership is not a Lindung program's enrollment


@dataclass
class ClaimRow:
    """Claims and benefits of one program, funder or village (or of the whole region)."""

    key: str
    name: str
    funder: str = ""
    reported: int = 0
    paid: int = 0
    benefits: int = 0
    premium: int | None = None  # None: no bill of the period (or no billing module)

    @property
    def funder_label(self) -> str:
        return str(Funder(self.funder).label) if self.funder in Funder.values else ""

    @property
    def ratio_bp(self) -> int | None:
        """Benefits paid per rupiah of premium, in basis points (1 Rp per Rp = 10000)."""
        if not self.premium or self.premium <= 0:
            return None
        return self.benefits * 10000 // self.premium

    @property
    def ratio_text(self) -> str:
        """``Rp 0,37`` per rupiah of premium; why not, when there is no premium to divide."""
        bp = self.ratio_bp
        if bp is None:
            return _("tidak tersedia: belum ada tagihan premi")
        return "Rp " + f"{bp / 10000:.2f}".replace(".", ",")

    def add(self, other: "ClaimRow") -> None:
        self.reported += other.reported
        self.paid += other.paid
        self.benefits += other.benefits
        if other.premium is not None:
            self.premium = (self.premium or 0) + other.premium

    def as_dict(self) -> dict:
        bp = self.ratio_bp
        return {
            "key": self.key,
            "name": self.name,
            "funder": self.funder or None,
            "claims_reported": self.reported,
            "claims_paid": self.paid,
            "benefits_paid": self.benefits,
            "premium_billed": self.premium,
            "benefits_per_premium": None if bp is None else round(bp / 10000, 4),
        }


@dataclass
class ClaimsFigures:
    code: str
    date: dt.date
    start: dt.date
    has_register: bool  # the region's register holds at least one claim, of any date
    billing_available: bool
    total: ClaimRow
    programs: list[ClaimRow] = field(default_factory=list)
    funders: list[ClaimRow] = field(default_factory=list)
    villages: list[ClaimRow] = field(default_factory=list)

    @property
    def missing(self) -> str:
        """Why the claims figures cannot be given (empty when they can)."""
        if not self.has_register:
            return _("belum ada klaim tercatat di register klaim wilayah ini")
        return ""

    def as_dict(self) -> dict:
        return {
            "from": self.start,
            "to": self.date,
            "missing": self.missing or None,
            "total": None if self.missing else self.total.as_dict(),
            "by_program": [r.as_dict() for r in self.programs] if not self.missing else [],
            "by_funder": [r.as_dict() for r in self.funders] if not self.missing else [],
            "by_village": [r.as_dict() for r in self.villages] if not self.missing else [],
        }


def _in_region(code: str) -> Q:
    """The rows (claims, per-village bill totals) placed in the region ``code``."""
    if not code:
        return Q()
    field = {1: "province_code", 2: "regency_code", 3: "district_code"}.get(
        level_of(code), "village_id"
    )
    return Q(**{field: code})


def _premiums(code: str, start: dt.date, day: dt.date) -> dict[int, int] | None:
    """Premium billed per program for the region's villages, bill months of the period."""
    if not apps.is_installed("lindung.billing"):
        return None
    from lindung.billing.models import BillVillageTotal

    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    return dict(
        BillVillageTotal.objects.filter(
            _in_region(code),
            bill__month__gte=start,
            bill__month__lte=day.replace(day=1),
            bill__created_at__lt=end,
        )
        .values_list("bill__program_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )


def claims_figures(code: str, day: dt.date) -> ClaimsFigures:
    """The claims section of the dashboard of region ``code`` ("" = the country) at ``day``.

    The caller checks that the user may see the region (the dashboards' scope check): the
    figures are counts and sums, no personal data.
    """
    start = day.replace(month=1, day=1)
    region = Claim.objects.filter(_in_region(code))
    premiums = _premiums(code, start, day)
    figures = ClaimsFigures(
        code=code,
        date=day,
        start=start,
        has_register=region.exists(),
        billing_available=premiums is not None,
        total=ClaimRow("total", _("Jumlah")),
    )
    paid = Q(status=Status.PAID, paid_on__lte=day)
    grouped = (
        region.filter(event_date__range=(start, day), reported_on__lte=day)
        .values_list("enrollment__program_id", "village_id")
        .annotate(
            n=Count("id"),
            n_paid=Count("id", filter=paid),
            amount=Sum("amount_paid", filter=paid),
        )
        .order_by()
    )
    by_program: dict[int | None, ClaimRow] = {}
    by_village: dict[str, ClaimRow] = {}
    for program_id, village_id, n, n_paid, amount in grouped:
        part = ClaimRow("", "", reported=n, paid=n_paid, benefits=amount or 0)
        by_program.setdefault(program_id, ClaimRow(str(program_id or NO_PROGRAM), "")).add(part)
        by_village.setdefault(village_id, ClaimRow(village_id, "")).add(part)
    for program_id in premiums or {}:
        by_program.setdefault(program_id, ClaimRow(str(program_id), ""))
    programs = Program.objects.in_bulk([pk for pk in by_program if pk is not None])
    for program_id, row in by_program.items():
        program = programs.get(program_id)
        if program is None:
            row.name = _("Di luar program Lindung (iuran mandiri atau tanpa kepesertaan)")
            continue
        row.name, row.funder = program.name, program.funder
        if premiums is not None:
            row.premium = premiums.get(program_id)
    figures.programs = sorted(by_program.values(), key=lambda r: (not r.funder, r.name))
    funders: dict[str, ClaimRow] = {}
    for row in figures.programs:
        label = row.funder_label or row.name
        funders.setdefault(row.funder, ClaimRow(row.funder or NO_PROGRAM, label, row.funder))
        funders[row.funder].add(row)
        figures.total.add(row)
    figures.funders = [funders[f] for f in [*Funder.values, ""] if f in funders]
    names = Region.objects.in_bulk(list(by_village))
    for village_id, row in by_village.items():
        found = names.get(village_id)
        row.name = found.display_name if found else village_id
    figures.villages = sorted(by_village.values(), key=lambda r: (-r.benefits, -r.reported, r.name))
    return figures
