"""Amounts in Indonesian words ("terbilang"), as finance documents write them under a total."""

_UNITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
          "sepuluh", "sebelas"]  # fmt: skip
_SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"), (1, "")]


def _below_thousand(n: int) -> list[str]:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus")
    if rest >= 20:
        tens, units = divmod(rest, 10)
        words.append(f"{_UNITS[tens]} puluh")
        if units:
            words.append(_UNITS[units])
    elif rest >= 12:
        words.append(f"{_UNITS[rest - 10]} belas")
    elif rest:
        words.append(_UNITS[rest])
    return words


def terbilang(amount: int) -> str:
    """``1290240000`` → ``satu miliar dua ratus sembilan puluh juta dua ratus empat puluh ribu``."""
    amount = int(amount)
    if amount == 0:
        return "nol"
    if amount < 0:
        return f"minus {terbilang(-amount)}"
    words = []
    for scale, name in _SCALES:
        group = amount // scale % 1000 if scale < 10**12 else amount // scale
        if not group:
            continue
        if name == "ribu" and group == 1:
            words.append("seribu")
        else:
            words += (_below_thousand(group) if group < 1000 else [terbilang(group)]) + [name]
    return " ".join(w for w in words if w)


def rupiah_words(amount: int) -> str:
    """``Satu miliar … ribu rupiah`` for the line under a total."""
    text = f"{terbilang(amount)} rupiah"
    return text[0].upper() + text[1:]
