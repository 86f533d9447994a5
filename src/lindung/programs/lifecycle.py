"""The enrollment state machine: which state may follow which, and what each one means.

An enrollment moves only along :data:`ALLOWED`; every move is recorded (who, when, why) by
:func:`lindung.programs.services.transition`. ``expiring`` is not a state: it is a view of
``active`` enrollments whose sponsored period ends soon (see ``selectors.expiring``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan desa")
    VERIFIED = "verified", _("Terverifikasi kabupaten")
    SUBMITTED = "submitted", _("Diajukan ke BPJS")
    ACTIVE = "active", _("Aktif")
    ENDED = "ended", _("Masa sponsor selesai")
    CONTINUED = "continued", _("Lanjut iuran mandiri")
    RENEWED = "renewed", _("Diperpanjang program lain")
    LAPSED = "lapsed", _("Berhenti")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik")


ALLOWED: dict[str, frozenset[str]] = {
    State.PROPOSED: frozenset({State.VERIFIED, State.REJECTED, State.WITHDRAWN}),
    State.VERIFIED: frozenset({State.SUBMITTED, State.REJECTED, State.WITHDRAWN}),
    State.SUBMITTED: frozenset({State.ACTIVE, State.REJECTED, State.WITHDRAWN}),
    State.ACTIVE: frozenset({State.ENDED}),
    State.ENDED: frozenset({State.CONTINUED, State.RENEWED, State.LAPSED}),
    # A self-payer who stops paying lapses; one sponsored again by a later program is renewed.
    State.CONTINUED: frozenset({State.LAPSED, State.RENEWED}),
    State.RENEWED: frozenset(),
    State.LAPSED: frozenset(),
    State.REJECTED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# Before the insurer confirms: the person is waiting for coverage.
PENDING = frozenset({State.PROPOSED, State.VERIFIED, State.SUBMITTED})
# A person has at most one of these at a time, in all programs (a unique index holds it).
OPEN = PENDING | {State.ACTIVE}
# Leaving the program before coverage gives the place and the budget back.
RELEASING = frozenset({State.REJECTED, State.WITHDRAWN})
# These need a reason written by whoever makes the move.
REASON_REQUIRED = frozenset({State.REJECTED, State.WITHDRAWN})
# States that take a place of the village's quota and a share of the budget.
HOLDING = frozenset(State.values) - RELEASING


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED.get(from_state, frozenset())
