"""Reads of the claims app, always through the region scope of the user."""

from lindung.accounts.scope import scoped
from lindung.people import nik as nik_rules
from lindung.people.models import Person


def worker_by_nik(user, nik) -> Person | None:
    """The worker with this NIK inside the user's region; ``None`` outside it or unknown
    (the two are not told apart, so that a NIK outside the region stays unknown)."""
    wanted = nik_rules.normalize(nik)
    if not wanted:
        return None
    return scoped(user, Person.objects.filter(nik=wanted)).first()
