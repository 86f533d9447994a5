"""Which of a worker's identifying fields each role sees: one table, read by every place.

A NIK is ``PPKKCC DDMMYY SSSS``: its middle six digits are the birth date, the day plus 40
for women. Masking those digits protects nothing while the same answer shows the birth
date and the sex: the NIK is rebuilt from them. So the mask is not a property of the NIK
alone but of three fields together, and a role that may not read the NIK gets neither the
hidden digits nor what rebuilds them: the birth year (enough for ages, eligibility and
reports) instead of the date, and no sex (the dashboards count by sex in aggregates).

Every page, API answer, export, PDF and error message that shows a worker asks this module;
:data:`POLICY` is the table ``docs/permissions.md`` prints and the tests read. The same rule
holds in every place (:data:`PLACES`): one place that shows the date is enough to undo it.

The same fields are write-only for those roles: changing them would be an oracle (the
NIK/birth-date cross-check says "does not match" until the guess is right), so
:func:`refused_changes` names them and the services refuse them.
"""

import datetime as dt
from enum import StrEnum

from lindung.accounts.models import Role
from lindung.people.nik import mask_nik


class Shown(StrEnum):
    FULL = "full"  # as stored
    MASKED = "masked"  # NIK: region and serial, the birth-date digits starred
    YEAR = "year"  # birth date: the year only
    HIDDEN = "hidden"  # not shown at all


FIELDS = ("nik", "birth_date", "sex")
PLACES = ("page", "api", "export", "pdf")

_EVERYTHING = {"nik": Shown.FULL, "birth_date": Shown.FULL, "sex": Shown.FULL}
_MASKED = {"nik": Shown.MASKED, "birth_date": Shown.YEAR, "sex": Shown.HIDDEN}

# Who needs the whole NIK: those who register people or send them to the insurer.
POLICY: dict[str, dict[str, Shown]] = {
    Role.SYSTEM_ADMIN: _EVERYTHING,
    Role.REGENCY_ADMIN: _EVERYTHING,
    Role.VILLAGE_OPERATOR: _EVERYTHING,
    Role.AGENT: _MASKED,
    Role.VIEWER: _MASKED,
}


def shown(user, field: str) -> Shown:
    """How ``field`` is shown to ``user``; ``None`` is the command line (everything)."""
    if user is None:
        return Shown.FULL
    return POLICY.get(getattr(user, "role", None), _MASKED)[field]


def sees_full(user, field: str) -> bool:
    return shown(user, field) == Shown.FULL


def nik(user, value: str) -> str:
    return value if sees_full(user, "nik") else mask_nik(value)


def birth_date(user, value: dt.date | None) -> dt.date | None:
    """The date, or ``None`` for a role that gets the year only (see :func:`birth_year`)."""
    return value if sees_full(user, "birth_date") else None


def birth_year(value: dt.date | None) -> int | None:
    return value.year if value else None


def sex(user, value: str) -> str | None:
    return value if sees_full(user, "sex") else None


def refused_changes(user, fields) -> list[str]:
    """The fields of ``fields`` this user may not set on an existing worker."""
    return [name for name in FIELDS if name in fields and not sees_full(user, name)]


def nik_search(user, text: str) -> str:
    """The part of a NIK search this user may use.

    A prefix search by a role with the masked NIK is an oracle for the hidden digits
    (``51040119`` is there, ``51040120`` is not…), so those roles search by the region part
    (six digits) or by a whole NIK, as written on the card in their hand; anything between
    is cut to the region part.
    """
    if sees_full(user, "nik") or len(text) <= 6 or len(text) >= 16:
        return text
    return text[:6]
