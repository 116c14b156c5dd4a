"""The outcome-instrument section of the quarterly report: aggregates of WHO-5, risk lifestyle
and any other configured instrument, scored by the instrument framework.

`instrument_figures(quarter=, people=)` works in these steps:

1. Per instrument, the *report scale*: of its newest answerable version, the
   first scale (in the version's order) that has bands, else the first scale -
   the scale charted on the young person's page (WHO-5: the 0-100 wellbeing
   score; risk lifestyle: the 3-9 total). Older versions' assessments are
   scored by their own scale of the same code, as on the page.
2. Load the assessments of the young people in scope dated on or before the
   quarter's last day, their answers and the scales, in a fixed number of
   queries, and score each (`scoring.scale_score`). An assessment without a
   score (too few answers) is left out.
3. **Distribution**: per young person, the latest scored assessment dated in
   the quarter, counted by its band (the band codes of the newest version, in
   the order of their scores; a score in no band counts as "Outside every band").
4. **Change**: of those young people, the ones with an earlier scored
   assessment of the instrument (any date before the latest): first -> latest
   in points, and the mean and median change. Improved / worsened when the
   change in the scale's better direction / against it is at least the report
   scale's minimal relevant change (`Scale.minimal_change`, data of the
   instrument: WHO-5 10 points, risk lifestyle 1); a smaller change is
   unchanged. A scale without one counts any change.

Counts only leave this module through `content`, which protects them (spec §11).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean, median
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from outcomes.assessments.selectors import scoring_scales
from outcomes.instruments.models import Answer, Assessment, Band, InstrumentVersion, Scale
from outcomes.instruments.scoring import scale_score
from outcomes.reports.quarters import Quarter

OUTSIDE_BANDS = "outside_bands"
CHANGES = ("improved", "unchanged", "worsened")


@dataclass
class InstrumentFigures:
    code: str
    name: str
    scale_name: str
    higher_is_better: bool
    bands: list[tuple[str, str]]  # (code, label) in the order of their scores
    minimal_change: Decimal | None = None  # None: any change counts
    latest: Counter = field(default_factory=Counter)  # band code -> young people
    changes: list[Decimal] = field(default_factory=list)  # latest - first, one per young person

    def direction(self, change: Decimal) -> str:
        """improved, unchanged or worsened: a change smaller than the minimal relevant change is none."""
        if change == 0 or (self.minimal_change is not None and abs(change) < self.minimal_change):
            return "unchanged"
        better = change > 0 if self.higher_is_better else change < 0
        return "improved" if better else "worsened"

    @property
    def directions(self) -> Counter:
        return Counter(self.direction(change) for change in self.changes)

    @property
    def mean_change(self) -> float | None:
        return round(float(mean(self.changes)), 2) if self.changes else None

    @property
    def median_change(self) -> float | None:
        return round(float(median(self.changes)), 2) if self.changes else None


def report_scale(scales: list[Scale]) -> Scale | None:
    ordered = sorted(scales, key=lambda s: (s.order, s.code))
    banded = [s for s in ordered if list(s.bands.all())]
    return (banded or ordered or [None])[0]


def _ordered_bands(scale: Scale) -> list[Band]:
    def lower(band: Band) -> Decimal:
        return band.min_score if band.min_score is not None else Decimal("-Infinity")

    return sorted(scale.bands.all(), key=lambda b: (lower(b), b.order))


def answers_of(assessments: QuerySet) -> dict[int, dict[int, int]]:
    """The answers of these assessments by assessment and item, in one joined query."""
    answers: dict[int, dict[int, int]] = defaultdict(dict)
    rows = Answer.objects.filter(assessment__in=assessments.values("pk")).values_list(
        "assessment_id", "item_id", "value"
    )
    for assessment_id, item_id, value in rows.iterator(chunk_size=10_000):
        answers[assessment_id][item_id] = value
    return answers


def _scorer() -> Callable[[Scale, dict[int, int]], tuple[Decimal, str] | None]:
    """`scale_score`, the one scoring rule, remembered per scale and set of answers: a form has
    few possible answer sets (WHO-5: 6^5), so a quarter's thousands of forms score in a few."""
    known: dict[tuple, tuple[Decimal, str] | None] = {}

    def score(scale: Scale, answers: dict[int, int]) -> tuple[Decimal, str] | None:
        key = (scale.pk, tuple(sorted(answers.items())))
        if key not in known:
            scored = scale_score(scale, answers)
            band = scored.band.code if scored.band else OUTSIDE_BANDS
            known[key] = None if scored.score is None else (scored.score, band)
        return known[key]

    return score


def instrument_figures(*, quarter: Quarter, people: QuerySet) -> list[InstrumentFigures]:
    """Steps 1-4 for every instrument with an answerable version (`people`: a query of the
    young people in scope). A fixed number of queries, however many assessments."""
    answerable = (InstrumentVersion.Status.PUBLISHED, InstrumentVersion.Status.RETIRED)
    versions = list(
        InstrumentVersion.objects.filter(status__in=answerable).select_related("instrument").order_by("-number")
    )
    # Only young people assessed in the quarter count (step 3), with their whole history up to
    # its end (step 4's first assessment).
    in_scope = Assessment.objects.filter(
        Q(young_person__in=people), version__status__in=answerable, answered_on__lte=quarter.last_day
    ).filter(
        young_person__in=Assessment.objects.filter(
            answered_on__gte=quarter.first_day, answered_on__lte=quarter.last_day
        ).values("young_person_id")
    )
    assessments = list(
        in_scope.order_by("answered_on", "pk").values_list("pk", "young_person_id", "version_id", "answered_on")
    )
    scales_by_version: dict[int, list[Scale]] = defaultdict(list)
    for scale in scoring_scales({v.pk for v in versions}):
        scales_by_version[scale.version_id].append(scale)
    answers = answers_of(in_scope)
    newest: dict[int, InstrumentVersion] = {}
    for version in versions:
        newest.setdefault(version.instrument_id, version)
    figures: dict[int, InstrumentFigures] = {}
    scale_code: dict[int, str] = {}
    instrument_of = {v.pk: v.instrument_id for v in versions}
    for instrument_id, version in newest.items():
        scale = report_scale(scales_by_version.get(version.pk, []))
        if scale is None:
            continue
        scale_code[instrument_id] = scale.code
        figures[instrument_id] = InstrumentFigures(
            code=version.instrument.code,
            name=version.instrument.name,
            scale_name=scale.name,
            higher_is_better=scale.higher_is_better,
            bands=[(b.code, b.label) for b in _ordered_bands(scale)],
            minimal_change=scale.minimal_change,
        )
    own_scale = {
        (version_id, scale.code): scale for version_id, scales in scales_by_version.items() for scale in scales
    }
    # Step 2: scores in date order per (instrument, young person)
    score_of = _scorer()
    history: dict[tuple[int, int], list[tuple[dt.date, Decimal, str]]] = defaultdict(list)
    for pk, person, version_id, answered_on in assessments:
        instrument_id = instrument_of.get(version_id)
        scale = own_scale.get((version_id, scale_code.get(instrument_id, "")))
        if scale is None:
            continue
        scored = score_of(scale, answers.get(pk, {}))
        if scored is None:
            continue
        history[(instrument_id, person)].append((answered_on, *scored))
    # Steps 3 and 4
    for (instrument_id, _person), scores in history.items():
        in_quarter = [s for s in scores if quarter.first_day <= s[0] <= quarter.last_day]
        if not in_quarter:
            continue
        latest = in_quarter[-1]
        entry = figures[instrument_id]
        entry.latest[latest[2]] += 1
        if len(scores) >= 2:  # the latest is the last of them: nothing later is loaded
            entry.changes.append(latest[1] - scores[0][1])
    for entry in figures.values():
        if entry.latest[OUTSIDE_BANDS]:
            entry.bands.append((OUTSIDE_BANDS, _("Outside every band")))
    shipped_first = {"who5": 0, "risk_lifestyle": 1}
    return sorted(figures.values(), key=lambda f: (shipped_first.get(f.code, 2), f.name))


def instrument_label(code: str, name: str) -> str:
    """The shipped instruments' names in the report's language; others as configured."""
    return {"who5": _("WHO-5 Well-Being Index"), "risk_lifestyle": _("Risk lifestyle (CFBU)")}.get(code, name)


def band_label(instrument: str, band: str, label: str) -> str:
    """The shipped bands in the report's language, with their ranges; others as configured."""
    labels: dict[tuple[str, str], Any] = {
        ("who5", "poor"): _("Poor wellbeing (50 or below)"),
        ("who5", "adequate"): _("Wellbeing above 50"),
        ("risk_lifestyle", "low"): _("Low risk lifestyle (3-4)"),
        ("risk_lifestyle", "moderate"): _("Moderate risk lifestyle (5-6)"),
        ("risk_lifestyle", "high"): _("High risk lifestyle (7-9)"),
    }
    return str(labels.get((instrument, band), label))


def change_note(figures: list[InstrumentFigures]) -> str:
    """The note under the change table, with each instrument's minimal relevant change from its data."""
    parts = []
    for entry in figures:
        name = instrument_label(entry.code, entry.name)
        if entry.minimal_change is None:
            parts.append(_("%(instrument)s: any change") % {"instrument": name})
        else:
            threshold = entry.minimal_change
            points = int(threshold) if threshold == threshold.to_integral_value() else threshold
            parts.append(_("%(instrument)s: %(points)s points") % {"instrument": name, "points": number_format(points)})
    return _(
        "Young people whose latest assessment lies in the quarter and who had been assessed before: their first "
        "assessment against the latest. Improved means a better score, whichever way the scale runs (WHO-5: "
        "higher; risk lifestyle: lower), by at least the instrument's minimal relevant change "
        "(%(thresholds)s); a smaller change counts as unchanged. Mean and median are not shown for fewer "
        "than five young people."
    ) % {"thresholds": "; ".join(parts) or "-"}
