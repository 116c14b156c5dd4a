"""Trend charts drawn on the server as SVG (vector in the PDF, no JavaScript, no CDN).

Each chart is also printed as a table next to it; the chart carries a title
and a description for screen readers, and series differ by marker shape and
dash pattern as well as colour, so colour never carries meaning alone. A
hidden value (None, "<5", "x") leaves a gap in the line or no bar.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 44
COLOURS = ["#1f4e79", "#b35c00"]
DASHES = ["", "6 4"]
MARKERS = ["circle", "square"]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def chart_svg(chart: dict[str, Any], *, chart_id: str) -> str:
    labels: list[str] = chart["labels"]
    series: list[dict[str, Any]] = chart["series"]
    is_rate = chart["kind"] == "line"
    values = [_number(v) for s in series for v in s["values"]]
    known = [v for v in values if v is not None]
    top = 1.0 if is_rate else max([*known, 1.0]) * 1.15
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels), 1)

    def x(i: int) -> float:
        return LEFT + step * (i + 0.5)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    title = escape(chart["title"])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{title}</title>',
    ]
    for tick in range(5):
        value = top * tick / 4
        label = f"{round(value * 100)} %" if is_rate else f"{round(value)}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ccc" '
            'stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="10" text-anchor="end" fill="#333">{label}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" text-anchor="middle" '
            f'fill="#333">{escape(label)}</text>'
        )
    for n, s in enumerate(series):
        colour, dash, marker = COLOURS[n % 2], DASHES[n % 2], MARKERS[n % 2]
        points = [(i, _number(v)) for i, v in enumerate(s["values"])]
        if is_rate:
            segment: list[str] = []
            for i, v in [*points, (len(points), None)]:
                if v is None:
                    if len(segment) > 1:
                        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                        parts.append(
                            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                            f'stroke-width="2"{dash_attr}/>'
                        )
                    segment = []
                else:
                    segment.append(f"{x(i):.1f},{y(v):.1f}")
            for i, v in points:
                if v is None:
                    continue
                if marker == "circle":
                    parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}"/>')
                else:
                    parts.append(f'<rect x="{x(i) - 4:.1f}" y="{y(v) - 4:.1f}" width="8" height="8" fill="{colour}"/>')
        else:
            bar = step * 0.5
            for i, v in points:
                if v is None:
                    continue
                parts.append(
                    f'<rect x="{x(i) - bar / 2:.1f}" y="{y(v):.1f}" width="{bar:.1f}" '
                    f'height="{TOP + plot_h - y(v):.1f}" '
                    f'fill="{colour}"/>'
                )
                parts.append(
                    f'<text x="{x(i):.1f}" y="{y(v) - 4:.1f}" font-size="10" text-anchor="middle">{round(v)}</text>'
                )
        legend_x = LEFT + n * 220
        legend_y = HEIGHT - 10
        if marker == "circle":
            parts.append(f'<circle cx="{legend_x + 5}" cy="{legend_y - 4}" r="4" fill="{colour}"/>')
        else:
            parts.append(f'<rect x="{legend_x + 1}" y="{legend_y - 8}" width="8" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{legend_y}" font-size="10" fill="#333">{escape(s["name"])}</text>')
    parts.append("</svg>")
    return "".join(parts)
