"""The trend as server-side SVG (no CDN, no script): one bar chart per measure,
each bar labelled with its value, so the chart needs neither colour nor hover."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320
HEIGHT = 180
TOP = 24
BOTTOM = 30
LEFT = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the quarter
    value_text: str  # the number over the bar
    text_x: float
    value_y: float
    label_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]


def bar_chart(points: list[tuple[str, float | None, str]], *, maximum: float | None = None) -> BarChart:
    """`points` are (label, value or None when not shown, the text over the bar)."""
    values = [v for _label, v, _text in points if v is not None]
    top = maximum if maximum is not None else max(values, default=0) or 1
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - 2 * LEFT) / max(len(points), 1)
    bars = []
    for index, (label, value, text) in enumerate(points):
        height = 0.0 if value is None else plot * min(value, top) / top
        x = LEFT + index * slot + slot * 0.2
        y = TOP + plot - height
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(y, 1),
                width=round(slot * 0.6, 1),
                height=round(height, 1),
                label=label,
                value_text=text,
                text_x=round(x + slot * 0.3, 1),
                value_y=round(y - 6, 1),
                label_y=HEIGHT - 10,
            )
        )
    return BarChart(width=WIDTH, height=HEIGHT, baseline=TOP + plot, bars=bars)
