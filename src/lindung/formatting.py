"""How the program writes money and dates, whatever the interface language.

Every app may use it (services, reports, files for the insurer, pages): it knows nothing
of requests or users.
"""

import datetime as dt

from django.utils import timezone


def rupiah(amount) -> str:
    """``Rp 16.800``; negative amounts as ``-Rp 16.800``. Money is integer rupiah."""
    if amount is None or amount == "":
        return "–"
    value = int(amount)
    digits = f"{abs(value):,}".replace(",", ".")
    return f"{'-' if value < 0 else ''}Rp {digits}"


def number(value) -> str:
    """``12.800``: thousands grouped with dots."""
    if value is None or value == "":
        return "–"
    return f"{int(value):,}".replace(",", ".")


def local(value: dt.datetime) -> dt.datetime:
    """A moment in the deployment's zone (``TIME_ZONE``, WITA by default). Stored times are
    UTC: a proposal made at 23:30 WITA is 15:30 UTC, and its date is the WITA one."""
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def tanggal(value) -> str:
    """``19/02/2024``; a moment's date is its date in the deployment's zone."""
    if not value:
        return "–"
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")


def waktu(value) -> str:
    """``05/12/2026 23:30 WITA``: a moment in the deployment's zone, with the zone's name
    (Indonesia has three: WIB, WITA, WIT). A plain date is written as :func:`tanggal`."""
    if not value:
        return "–"
    if not isinstance(value, dt.datetime):
        return tanggal(value)
    value = local(value)
    zone = value.tzname() if value.tzinfo else ""
    return f"{value:%d/%m/%Y %H:%M}{' ' + zone if zone else ''}"


def percent(bp: int | None) -> str:
    """``34,00%``: a rate kept in basis points (3400), written with a decimal comma."""
    if bp is None:
        return "–"
    return f"{bp // 100},{bp % 100:02d}%"
