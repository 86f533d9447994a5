"""Column widths of a PDF table that never break a number.

A table's widths are chosen for its usual content; a large sum ("Rp 1.290.240.000") may
still not fit, and then fpdf2 wraps it inside its cell ("Rp 1.290.240.00" over "0") or a
fixed cell runs into its neighbour. Numbers are read across a row, so their columns are
widened to their widest cell and the room is taken from the text columns, which may wrap
(or, in a fixed-height row, be shortened) without losing their sense.
"""

from collections.abc import Sequence

PADDING = 2.5  # mm: fpdf2's cell margins on both sides, with a little air


def fit_widths(
    pdf,
    widths: Sequence[float],
    texts: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    *,
    total: float | None = None,
) -> list[float]:
    """Widths (in mm, summing to ``total`` or to the page's usable width) where every
    ``numeric`` column holds its widest cell of ``texts`` (rows of the table, headings
    excluded, in the current font) on one line.

    ``widths`` are relative weights, as fpdf2's ``col_widths`` takes them. When the numbers
    alone need more than the page, they share it in proportion to what they need."""
    total = total if total is not None else pdf.epw
    scale = total / (sum(widths) or 1)
    mm = [w * scale for w in widths]
    need = [0.0] * len(mm)
    for row in texts:
        for i, text in enumerate(row):
            if numeric[i]:
                need[i] = max(need[i], pdf.get_string_width(str(text)) + PADDING)
    short = sum(max(0.0, need[i] - mm[i]) for i in range(len(mm)) if numeric[i])
    if short <= 0:
        return mm
    spare = [mm[i] if not numeric[i] else 0.0 for i in range(len(mm))]
    # A text column keeps at least a third of its width.
    room = sum(w * 2 / 3 for w in spare)
    if room <= 0:
        return mm
    take = min(short, room)
    fitted = []
    for i, width in enumerate(mm):
        if numeric[i]:
            grow = max(0.0, need[i] - width) * take / short
            fitted.append(width + grow)
        else:
            fitted.append(width - (width * 2 / 3) * take / room)
    return fitted


def clip(pdf, text: str, width: float) -> str:
    """``text`` shortened with "..." to fit a fixed cell of ``width`` mm (text columns only)."""
    text = str(text)
    if pdf.get_string_width(text) + PADDING <= width:
        return text
    while text and pdf.get_string_width(text + "...") + PADDING > width:
        text = text[:-1]
    return text + "..."
