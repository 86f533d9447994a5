"""How the program writes money and dates, whatever the interface language.

Every app may use it (services, reports, files for the insurer, pages): it knows nothing
of requests or users.
"""

import datetime as dt


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


def tanggal(value) -> str:
    """``19/02/2024``."""
    if not value:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y")


def percent(bp: int | None) -> str:
    """``34,00%``: a rate kept in basis points (3400), written with a decimal comma."""
    if bp is None:
        return "–"
    return f"{bp // 100},{bp % 100:02d}%"
