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


SEGMENTS = 6  # colour classes sur-seg-0 … sur-seg-5 in app.css, cycled


def stacked(rows: Sequence[tuple[str, Sequence[int]]], options: Sequence[str], *,
            title: str) -> SafeString:
    """Horizontal stacked bars: one bar per group (label above it), one segment per option
    sized by its share of the group's answers, a legend under the bars. Every bar is the full
    width (shares of the group), so groups of different sizes compare; the count of the group
    is written after its label. Reads at 360 px (the SVG scales to its box)."""
    legend_rows = -(-len(options) // 2)
    height = len(rows) * ROW * 2 + legend_rows * ROW + 8
    parts = [f'<svg class="sur-chart sur-stacked" viewBox="0 0 400 {height}" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
             f"<title>{escape(title)}</title>"]
    width = 396
    for i, (label, counts) in enumerate(rows):
        y = i * ROW * 2 + 2
        total = sum(counts)
        short = label if len(label) <= 40 else label[:39] + "…"
        parts.append(f'<text class="sur-chart-label" x="0" y="{y + 16}">{escape(short)} '
                     f"({total})<title>{escape(label)}</title></text>")
        x = 0.0
        for j, n in enumerate(counts):
            if not n or not total:
                continue
            w = width * n / total
            parts.append(f'<rect class="sur-seg-{j % SEGMENTS}" x="{x:.1f}" y="{y + ROW}" '
                         f'width="{w:.1f}" height="{ROW - 8}"><title>{escape(options[j])}: '
                         f"{n}</title></rect>")
            x += w
    top = len(rows) * ROW * 2 + 4
    for j, option in enumerate(options):
        lx, ly = (j % 2) * 200, top + (j // 2) * ROW
        short = option if len(option) <= 22 else option[:21] + "…"
        parts.append(f'<rect class="sur-seg-{j % SEGMENTS}" x="{lx}" y="{ly + 4}" width="14" '
                     f'height="14"></rect><text class="sur-chart-legend" x="{lx + 20}" '
                     f'y="{ly + 16}">{escape(short)}<title>{escape(option)}</title></text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
