"""The change over time of each instrument a young person has answered, drawn
as a small SVG line chart (no JavaScript, no library) and given as a table.

1. The young person's assessments, the scales of their versions and their
   answers are loaded in a fixed number of queries (the page's query count
   must not grow with the number of assessments).
2. Per instrument, the charted scale is the first scale (in the version's
   order) that has bands, else the first scale, of the newest version the
   young person answered; every assessment is scored by its own version's
   scale of that code (`scoring.scale_score`), so old assessments keep their
   rules.
3. The y axis runs over the scale's possible range (from the items' answer
   options, recoded, combined and multiplied as the scale says), widened to
   any score outside it. The bands are drawn as labelled regions with a
   dashed line between two bands, half-way between the one band's upper end
   and the next band's lower end (between 50 and 51 for WHO-5). Points are
   spaced evenly in date order, each labelled with its score; the x axis
   gives the dates.

Coordinates are strings with a decimal point, so the template needs no
`localize off`; scores are formatted for the current language.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import YoungPerson
from outcomes.assessments import selectors
from outcomes.instruments.models import Assessment, Band, Instrument, Item, Scale
from outcomes.instruments.scoring import item_score, scale_score

# Small enough that its text stays legible when the chart is scaled to a phone's width.
WIDTH = 440
HEIGHT = 250
LEFT, RIGHT, TOP, BOTTOM = 44, 112, 14, 44  # the right margin holds the band labels
MAX_X_LABELS = 4
BAND_LABEL_WIDTH = 16  # characters per line
BAND_LINE_HEIGHT = 13
MAX_POINT_LABELS = 16
REGION_FILLS = ("#eef2f7", "#ffffff")


def format_score(score: Decimal | None) -> str:
    if score is None:
        return "–"
    if score == score.to_integral_value():
        return str(int(score))
    return formats.number_format(score.normalize(), use_l10n=True)


def _num(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Row:
    """One assessment in the table (and, when scored, a point of the chart)."""

    assessment: Assessment
    score: Decimal | None
    band: Band | None

    @property
    def score_text(self) -> str:
        return format_score(self.score)


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    label: str
    label_y: str
    show_label: bool
    title: str


@dataclass(frozen=True)
class Tick:
    y: str
    text: str


@dataclass(frozen=True)
class XLabel:
    x: str
    date: object


@dataclass(frozen=True)
class Region:
    y: str
    height: str
    fill: str
    label_lines: list[str]
    label_y: str  # of the first line, so the lines are centred in the region
    bracket_top: str
    bracket_bottom: str

    @property
    def label(self) -> str:
        return " ".join(self.label_lines)


@dataclass
class Chart:
    instrument: Instrument
    scale: Scale
    rows: list[Row]  # oldest first
    title: str = ""
    description: str = ""
    points: list[Point] = field(default_factory=list)
    polyline: str = ""
    ticks: list[Tick] = field(default_factory=list)
    thresholds: list[str] = field(default_factory=list)  # y of each dashed band boundary
    regions: list[Region] = field(default_factory=list)
    x_labels: list[XLabel] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def plot_middle(self) -> int:
        return (self.plot_top + self.plot_bottom) // 2

    @property
    def plot_centre(self) -> int:
        return (self.plot_left + self.plot_right) // 2

    @property
    def dom_id(self) -> str:
        return f"outcome-chart-{self.instrument.code}"

    @property
    def rows_newest_first(self) -> list[Row]:
        return list(reversed(self.rows))


def _item_range(item: Item) -> tuple[Decimal, Decimal] | None:
    scores = [item_score(item, option.value) for option in item.answer_scale.options.all()]
    return (min(scores), max(scores)) if scores else None


def scale_range(scale: Scale) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest score the scale can give."""
    ranges = [r for r in (_item_range(item) for item in scale.items.all()) if r is not None]
    if not ranges:
        return None
    low, high = sum((r[0] for r in ranges), Decimal(0)), sum((r[1] for r in ranges), Decimal(0))
    if scale.method == Scale.Method.MEAN:
        low, high = low / len(ranges), high / len(ranges)
    ends = sorted((low * scale.multiplier, high * scale.multiplier))
    return ends[0], ends[1]


def _chart_scale(scales: Sequence[Scale]) -> Scale | None:
    ordered = sorted(scales, key=lambda s: (s.order, s.code))
    banded = [s for s in ordered if list(s.bands.all())]
    return (banded or ordered or [None])[0]


def _sorted_bands(scale: Scale) -> list[Band]:
    def lower(band: Band) -> Decimal:
        return band.min_score if band.min_score is not None else Decimal("-Infinity")

    return sorted(scale.bands.all(), key=lambda b: (lower(b), b.order))


def _draw(chart: Chart) -> None:
    scored = [row for row in chart.rows if row.score is not None]
    bands = _sorted_bands(chart.scale)
    bounds = scale_range(chart.scale) or (Decimal(0), Decimal(1))
    values = [row.score for row in scored] + [bounds[0], bounds[1]]
    low, high = float(min(values)), float(max(values))
    if high == low:
        high = low + 1
    top, bottom, left, right = TOP, HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    # Band regions and the boundaries between them.
    edges = [low]
    for below, above in zip(bands, bands[1:], strict=False):
        if below.max_score is not None and above.min_score is not None:
            boundary = (float(below.max_score) + float(above.min_score)) / 2
        else:
            boundary = float(below.max_score if below.max_score is not None else above.min_score or low)
        edges.append(min(max(boundary, low), high))
    edges.append(high)
    for index, band in enumerate(bands):
        y_top, y_bottom = y_of(edges[index + 1]), y_of(edges[index])
        lines = textwrap.wrap(band.label, BAND_LABEL_WIDTH) or [band.label]
        first_line = (y_top + y_bottom) / 2 - (len(lines) - 1) * BAND_LINE_HEIGHT / 2
        chart.regions.append(
            Region(
                y=_num(y_top),
                height=_num(max(y_bottom - y_top, 0)),
                fill=REGION_FILLS[index % 2],
                label_lines=lines,
                label_y=_num(first_line),
                bracket_top=_num(y_top + 2),
                bracket_bottom=_num(max(y_bottom - 2, y_top + 2)),
            )
        )
    chart.thresholds = [_num(y_of(edge)) for edge in edges[1:-1]]

    # Y ticks: the ends of the axis and the upper end of every band but the top one.
    tick_values = {Decimal(str(low)), Decimal(str(high))}
    tick_values.update(b.max_score for b in bands[:-1] if b.max_score is not None and low <= b.max_score <= high)
    chart.ticks = [Tick(y=_num(y_of(float(v))), text=format_score(v)) for v in sorted(tick_values)]

    # Points, evenly spaced in date order.
    count = len(scored)
    step = (right - left) / count if count else 0
    every = max(1, math.ceil(count / MAX_X_LABELS))
    coordinates = []
    for index, row in enumerate(scored):
        x = left + step * (index + 0.5)
        y = y_of(float(row.score))
        coordinates.append(f"{_num(x)},{_num(y)}")
        label_y = y - 9 if y - 9 > top + 10 else y + 18
        band = f" ({row.band.label})" if row.band else ""
        chart.points.append(
            Point(
                x=_num(x),
                y=_num(y),
                label=row.score_text,
                label_y=_num(label_y),
                show_label=count <= MAX_POINT_LABELS or index in (0, count - 1),
                title=f"{formats.date_format(row.assessment.answered_on, 'j. b Y')}: {row.score_text}{band}",
            )
        )
        if index % every == 0 or index == count - 1:
            chart.x_labels.append(XLabel(x=_num(x), date=row.assessment.answered_on))
    # The last label is always shown; drop the one before it when they would touch.
    if len(chart.x_labels) > 1 and float(chart.x_labels[-1].x) - float(chart.x_labels[-2].x) < 64:
        del chart.x_labels[-2]
    chart.polyline = " ".join(coordinates)

    chart.title = _("%(instrument)s: %(scale)s over time") % {
        "instrument": chart.instrument.name,
        "scale": chart.scale.name,
    }
    parts = []
    if scored:
        latest = scored[-1]
        parts.append(
            ngettext(
                "%(count)d scored assessment from %(first)s to %(last)s; the latest score is %(score)s.",
                "%(count)d scored assessments from %(first)s to %(last)s; the latest score is %(score)s.",
                count,
            )
            % {
                "count": count,
                "first": formats.date_format(scored[0].assessment.answered_on, "j. b Y"),
                "last": formats.date_format(latest.assessment.answered_on, "j. b Y"),
                "score": latest.score_text + (f" ({latest.band.label})" if latest.band else ""),
            }
        )
    else:
        parts.append(_("No assessment has a score yet."))
    parts.append(
        _("The score can run from %(low)s to %(high)s.")
        % {"low": format_score(Decimal(str(low))), "high": format_score(Decimal(str(high)))}
    )
    if bands:
        parts.append(_("Bands: %(bands)s.") % {"bands": "; ".join(band.label for band in bands)})
    chart.description = " ".join(parts)


def outcome_charts(young_person: YoungPerson) -> list[Chart]:
    """One chart per instrument the young person has answered, ordered by instrument name.
    Six queries with assessments, one without, however many there are."""
    assessments = selectors.young_person_assessments(young_person)
    if not assessments:
        return []
    scales_by_version: dict[int, list[Scale]] = {}
    for scale in selectors.scoring_scales({a.version_id for a in assessments}):
        scales_by_version.setdefault(scale.version_id, []).append(scale)
    answers = selectors.answers_by_assessment([a.pk for a in assessments])
    by_instrument: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_instrument.setdefault(assessment.version.instrument_id, []).append(assessment)
    charts = []
    for group in by_instrument.values():
        newest = max(group, key=lambda a: a.version.number)
        scale = _chart_scale(scales_by_version.get(newest.version_id, []))
        if scale is None:
            continue
        rows = []
        for assessment in group:
            own = next((s for s in scales_by_version.get(assessment.version_id, []) if s.code == scale.code), None)
            scored = scale_score(own, answers.get(assessment.pk, {})) if own else None
            rows.append(
                Row(
                    assessment=assessment,
                    score=scored.score if scored else None,
                    band=scored.band if scored else None,
                )
            )
        chart = Chart(instrument=newest.version.instrument, scale=scale, rows=rows)
        _draw(chart)
        charts.append(chart)
    return sorted(charts, key=lambda c: c.instrument.name)
