"""Reads of the claims app, always through the region scope of the user."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lindung.accounts.scope import scoped
from lindung.people import nik as nik_rules
from lindung.people.models import Person
from lindung.programs.models import add_months


def worker_by_nik(user, nik) -> Person | None:
    """The worker with this NIK inside the user's region; ``None`` outside it or unknown
    (the two are not told apart, so that a NIK outside the region stays unknown)."""
    wanted = nik_rules.normalize(nik)
    if not wanted:
        return None
    return scoped(user, Person.objects.filter(nik=wanted)).first()


def claims_for(user):
    from lindung.claims.models import Claim

    return scoped(user, Claim.objects.select_related("person", "enrollment__program"))


def get_claim(user, pk):
    """One claim, or 404 when it does not exist or lies outside the user's region."""
    from lindung.accounts.scope import get_scoped_or_404
    from lindung.claims.models import Claim

    return get_scoped_or_404(
        user, Claim.objects.select_related("person", "enrollment__program", "reported_by"), pk=pk
    )


def moves_of(claim):
    return claim.moves.select_related("by").order_by("at", "id")


@dataclass
class BilledAfterDeath:
    """A month billed to the sponsor after the month of death: to refund or correct."""

    month: dt.date
    amount: int
    bill_number: str
    bill_paid: bool
    corrected: bool  # a reversal line already cancels it

    @property
    def action(self) -> str:
        if self.corrected:
            return str(_("sudah dikoreksi di tagihan"))
        if self.bill_paid:
            return str(_("minta pengembalian (refund) ke BPJS"))
        return str(_("koreksi pada tagihan berikutnya"))


def billed_after_death(claim) -> list[BilledAfterDeath]:
    """The sponsor's charge lines of the dead worker for months after the month of death.

    A line with a reversal is already corrected; a live one on a paid bill asks for a
    refund, on an unpaid bill for a correction line (the next billing run makes it).
    """
    from lindung.billing.models import BillLine

    if not claim.is_death:
        return []
    first = add_months(claim.event_date.replace(day=1), 1)
    lines = (
        BillLine.objects.filter(
            enrollment__person_id=claim.person_id,
            covered_month__gte=first,
            kind__in=[BillLine.Kind.PREMIUM, BillLine.Kind.LATE],
        )
        .select_related("bill")
        .order_by("covered_month", "id")
    )
    reversed_ids = set(
        BillLine.objects.filter(reverses_id__in=[line.pk for line in lines]).values_list(
            "reverses_id", flat=True
        )
    )
    return [
        BilledAfterDeath(
            month=line.covered_month,
            amount=line.amount,
            bill_number=line.bill.number,
            bill_paid=line.bill.paid > 0,
            corrected=line.pk in reversed_ids,
        )
        for line in lines
    ]
