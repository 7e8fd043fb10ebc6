"""Server-rendered SVG charts (HUB-5): no JavaScript, nothing from the internet.

Colours come from classes styled in static/css/app.css, so the SVG carries no inline style.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _lazy

from .selectors import MonthCounts

SERIES = (
    ("on_time", _lazy("Đúng hạn"), "bar-ontime"),
    ("late", _lazy("Quá hạn / nộp muộn"), "bar-late"),
    ("open", _lazy("Chưa đến hạn"), "bar-open"),
)


def _nice_max(value: int) -> int:
    """The smallest 4 × (1, 2 or 5 × 10^k) at or above `value`, so the four grid steps are
    round whole numbers."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value / 4))
    for m in (1, 2, 5, 10):
        if m * magnitude * 4 >= value:
            return int(m * magnitude * 4)
    return int(40 * magnitude)


@dataclass(frozen=True)
class Series:
    label: str
    css: str  # a class styled in app.css (bar-ontime, bar-late, bar-open, …)
    values: Sequence[int]


def stacked_month_bars(months: Sequence[MonthCounts], *, title: str) -> SafeString:
    """Obligations per month: on time, late, not yet due."""
    return stacked_bars(
        labels=[f"T{m.month.index}" if len(months) > 1 else str(m.month) for m in months],
        long_labels=[str(m.month) for m in months],
        series=[Series(str(label), css, [getattr(m, attr) for m in months])
                for attr, label, css in SERIES],
        title=title,
    )


def stacked_bars(*, labels: Sequence[str], series: Sequence[Series], title: str,
                 long_labels: Sequence[str] | None = None) -> SafeString:
    """Stacked bars, one per label, as inline SVG. Dashboards of other modules (targets,
    rankings, member counts) draw with this too."""
    width, height = 640, 236
    left, right, top, bottom = 40, 10, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = _nice_max(max(totals, default=0))
    slot = plot_w / n
    bar_w = min(36.0, slot * 0.64)
    names = long_labels or labels
    uid = f"chart-{abs(hash((title, tuple(labels)))) % 10**8}"
    parts: list[str] = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}">{escape(title)}</title>',
    ]
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" '
                     f'y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{value:.0f}</text>')
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar_w) / 2
        base = float(top + plot_h)
        for s in series:
            value = s.values[i]
            if not value:
                continue
            h = plot_h * value / peak
            base -= h
            parts.append(
                f'<rect class="{escape(s.css)}" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}"><title>{escape(names[i])}: {value} {escape(s.label.lower())}'
                f"</title></rect>"
            )
        if totals[i]:
            parts.append(f'<text class="value" x="{x + bar_w / 2:.1f}" y="{base - 3:.1f}" '
                         f'text-anchor="middle">{totals[i]}</text>')
        parts.append(f'<text class="axis" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    # The legend is HTML beside the drawing, not text inside it: the drawing scales down to half
    # its size on a phone, and its text with it; the legend stays readable and wraps.
    parts.append('<ul class="chart-legend">')
    for s in series:
        parts.append(f'<li><span class="swatch {escape(s.css)}" aria-hidden="true"></span>'
                     f"{escape(s.label)}</li>")
    parts.append("</ul>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
