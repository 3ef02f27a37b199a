"""End-of-support timeline: assets per year their support ends, as a server-side SVG chart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape

_WIDTH, _HEIGHT, _PAD_LEFT, _PAD_BOTTOM, _PAD_TOP = 760, 220, 40, 28, 16


@dataclass(frozen=True, slots=True)
class TimelineBar:
    """Assets whose decisive end of support falls in ``year``."""

    year: int
    count: int
    past: bool


def timeline_bars(ends: Iterable[date], *, today: date) -> list[TimelineBar]:
    """One bar per year from the earliest to the latest end of support (empty years kept)."""
    by_year = Counter(d.year for d in ends)
    if not by_year:
        return []
    first, last = min(by_year), max(max(by_year), today.year)
    return [
        TimelineBar(year, by_year.get(year, 0), year < today.year)
        for year in range(first, last + 1)
    ]


def timeline_svg(bars: list[TimelineBar], *, today: date, title: str) -> str:
    """An accessible SVG bar chart (no scripts, no external resources)."""
    label = escape(title)
    if not bars:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
            f'width="{_WIDTH}" height="40"><text x="0" y="24">No end-of-support dates '
            "recorded yet.</text></svg>"
        )
    top = max(b.count for b in bars) or 1
    plot_w = _WIDTH - _PAD_LEFT - 10
    plot_h = _HEIGHT - _PAD_BOTTOM - _PAD_TOP
    step = plot_w / len(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" width="100%" class="timeline">',
        f"<title>{label}</title>",
        f'<line x1="{_PAD_LEFT}" y1="{_PAD_TOP + plot_h}" x2="{_WIDTH - 10}" '
        f'y2="{_PAD_TOP + plot_h}" stroke="#8a93a6"/>',
        f'<text x="4" y="{_PAD_TOP + 10}" font-size="11">{top}</text>',
    ]
    for i, bar in enumerate(bars):
        height = round(plot_h * bar.count / top, 1)
        x = round(_PAD_LEFT + i * step + step * 0.15, 1)
        y = round(_PAD_TOP + plot_h - height, 1)
        colour = "#a12a22" if bar.past else ("#d08a00" if bar.year == today.year else "#2f5aa8")
        parts.append(
            f'<rect x="{x}" y="{y}" width="{round(step * 0.7, 1)}" height="{height}" '
            f'fill="{colour}"><title>{bar.year}: {bar.count} asset(s)</title></rect>'
        )
        if len(bars) <= 20 or i % 2 == 0:
            parts.append(
                f'<text x="{round(x + step * 0.35, 1)}" y="{_HEIGHT - 10}" font-size="10" '
                f'text-anchor="middle">{bar.year}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
