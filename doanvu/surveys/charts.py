"""Inline SVG bar charts of a tabulation: no JavaScript, nothing from the internet; colours come
from classes of static/css/app.css (the SVG carries no inline style)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW, BAR_W = 26, 300


def bars(items: Sequence[tuple[str, int, str]], *, title: str) -> SafeString:
    """Horizontal bars, one per (label, value, text shown after the bar). Labels sit above their
    bar so the chart reads at 360 px; the SVG scales to its box (viewBox)."""
    top = max((v for _, v, _t in items), default=0) or 1
    height = len(items) * ROW * 2 + 4
    parts = [f'<svg class="sur-chart" viewBox="0 0 400 {height}" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value, text) in enumerate(items):
        y = i * ROW * 2 + 2
        width = round(BAR_W * value / top) if value else 0
        short = label if len(label) <= 48 else label[:47] + "…"
        parts.append(f'<text class="sur-chart-label" x="0" y="{y + 16}">{escape(short)}'
                     f"<title>{escape(label)}</title></text>")
        parts.append(f'<rect class="sur-chart-bar" x="0" y="{y + ROW}" width="{max(width, 1)}" '
                     f'height="{ROW - 8}"></rect>')
        parts.append(f'<text class="sur-chart-value" x="{width + 6}" y="{y + ROW + 14}">'
                     f"{escape(text)}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
