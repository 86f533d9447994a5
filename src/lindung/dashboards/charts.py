"""Charts drawn on the server as SVG: no JavaScript, no chart library, nothing from a CDN.

The drawings are 360 units wide and scale to the width of their box, so on a 360-pixel
phone one unit is a little under one pixel and the 15-unit text stays readable; labels sit
above their bars rather than beside them for the same reason. Every chart has a title for
screen readers, and its numbers are in the table under it.
"""

import itertools
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
FONT = 15
SMALL = 13
INK, MUTED, LINE = "#1c2430", "#5b6675", "#d7dde5"
BRAND = "#0b6e4f"
SERIES_COLOURS = ["#0b6e4f", "#2f6db5", "#b54708", "#7a4fb5"]
STATUS_COLOURS = {"green": "#067647", "amber": "#b54708", "red": "#b42318", "none": "#8a94a3"}
_ids = itertools.count(1)


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as written (12.800, 34,00%)
    target: float | None = None
    target_text: str = ""
    status: str = ""


def _svg(height: float, title: str, body: list[str]) -> SafeString:
    ident = f"chart-{next(_ids)}"
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{ident}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{ident}">{escape(title)}</title>{"".join(body)}</svg>'
    )


def _text(x, y, text, *, anchor="start", size=FONT, colour=INK, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{colour}" font-weight="{weight}">{escape(str(text))}</text>'
    )


def _fit(text: str, room: float, size: int = FONT) -> str:
    """``text`` cut to about ``room`` units at ``size`` (an average glyph is ~0.55 em)."""
    most = max(int(room / (size * 0.55)), 4)
    return text if len(text) <= most else text[: most - 1] + "…"


def hbars(bars: list[Bar], title: str, *, empty: str = "") -> SafeString:
    """Horizontal bars, one per row: the label above the bar (and the target at the right
    end of that line), the value after the bar; a target is a dark tick across the bar."""
    if not bars:
        return _svg(30, title, [_text(0, 18, empty, colour=MUTED)])
    row = 44
    height = row * len(bars) + 4
    top = max([b.value for b in bars] + [b.target or 0 for b in bars]) or 1
    # Room after the longest bar for the longest value (bold digits are ~0.62 em wide).
    usable = WIDTH - max(len(b.text) for b in bars) * (SMALL + 1) * 0.62 - 8
    body = []
    for i, bar in enumerate(bars):
        y = i * row
        target_note = f"target {bar.target_text}" if bar.target_text else ""
        room = WIDTH - (len(target_note) * SMALL * 0.55 + 8 if target_note else 0)
        body.append(_text(0, y + 15, _fit(bar.label, room)))
        if target_note:
            body.append(_text(WIDTH, y + 15, target_note, anchor="end", size=SMALL, colour=MUTED))
        width = max(usable * bar.value / top, 0)
        colour = STATUS_COLOURS.get(bar.status, BRAND)
        body.append(
            f'<rect x="0" y="{y + 21}" width="{width:.1f}" height="16" rx="2" fill="{colour}"/>'
        )
        body.append(_text(width + 5, y + 34, bar.text, size=SMALL + 1, weight="600"))
        if bar.target:
            x = usable * bar.target / top
            body.append(
                f'<line x1="{x:.1f}" y1="{y + 18}" x2="{x:.1f}" y2="{y + 40}" '
                f'stroke="{INK}" stroke-width="2.5"/>'
            )
    return _svg(height, title, body)


def _ticks(top: float, count: int = 4) -> list[float]:
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(count + 2) if step * (i - 1) < top]


def lines(
    labels: list[str],
    series: list[tuple[str, list[float]]],
    title: str,
    *,
    fmt=lambda v: f"{v:,.0f}".replace(",", "."),
    target: tuple[str, float] | None = None,
) -> SafeString:
    """Lines over months, with a horizontal dashed line for a target if given."""
    if not labels:
        return _svg(30, title, [_text(0, 18, "–", colour=MUTED)])
    left, right, top_pad, plot_h = 56, 10, 10, 150
    legend_h = 20 * (len(series) + (1 if target else 0))
    height = top_pad + plot_h + 30 + legend_h
    values = [v for _name, data in series for v in data]
    top = max(values + [target[1] if target else 0]) or 1
    ticks = _ticks(top)
    scale_top = ticks[-1] or 1
    plot_w = WIDTH - left - right
    step = plot_w / max(len(labels) - 1, 1)

    def y_of(v: float) -> float:
        return top_pad + plot_h - plot_h * v / scale_top

    body = []
    for tick in ticks:
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{LINE}"/>'
        )
        body.append(_text(left - 4, y + 4, fmt(tick), anchor="end", size=SMALL, colour=MUTED))
    every = max(1, -(-len(labels) // 4))
    last = len(labels) - 1
    shown = {i for i in range(0, len(labels), every) if last - i >= every * 0.75} | {last}
    for i in sorted(shown):
        anchor = "end" if i == last and i else ("start" if i == 0 else "middle")
        body.append(
            _text(
                left + i * step,
                top_pad + plot_h + 18,
                labels[i],
                anchor=anchor,
                size=SMALL,
                colour=MUTED,
            )
        )
    if target:
        y = y_of(target[1])
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{INK}" '
            f'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
    for index, (_name, data) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        points = " ".join(f"{left + i * step:.1f},{y_of(v):.1f}" for i, v in enumerate(data))
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
        if data:
            body.append(
                f'<circle cx="{left + (len(data) - 1) * step:.1f}" cy="{y_of(data[-1]):.1f}" '
                f'r="3.5" fill="{colour}"/>'
            )
    legend = [
        (name, SERIES_COLOURS[i % len(SERIES_COLOURS)], False)
        for i, (name, _d) in enumerate(series)
    ]
    if target:
        legend.append((target[0], INK, True))
    for i, (name, colour, dashed) in enumerate(legend):
        x = 0
        y = top_pad + plot_h + 28 + i * 20
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        body.append(
            f'<line x1="{x:.1f}" y1="{y + 6}" x2="{x + 18:.1f}" y2="{y + 6}" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
        )
        body.append(_text(x + 24, y + 11, name, size=SMALL + 1))
    return _svg(height, title, body)
