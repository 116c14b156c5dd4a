"""Scores of an assessment, computed from its stored answers by its version's rules.

For each scale of the version:

1. Each answered item of the scale gives its item score: the answer value,
   or the value recoded by the item's `recode` map (reverse-scored items).
2. With fewer answered items than `min_answered`, the scale has no score.
3. Otherwise the method combines the item scores: `sum`; `mean`; or
   `prorated_sum`, the mean times the number of items of the scale (a sum
   that tolerates a missing answer).
4. The result is multiplied by the scale's multiplier (WHO-5: 4, giving 0-100)
   and placed in the first band whose range holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from outcomes.instruments.models import Answer, Assessment, Band, Item, Scale

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ScaleScore:
    scale: Scale
    score: Decimal | None
    band: Band | None
    answered: int


def item_score(item: Item, value: int) -> Decimal:
    recoded = item.recode.get(str(value), value) if item.recode else value
    return Decimal(recoded)


def band_for(bands: list[Band], score: Decimal) -> Band | None:
    for band in bands:
        if (band.min_score is None or score >= band.min_score) and (band.max_score is None or score <= band.max_score):
            return band
    return None


def scale_score(scale: Scale, answers: Mapping[int, int]) -> ScaleScore:
    """Score one scale from answers keyed by item id. Uses prefetched items and bands when present."""
    items = list(scale.items.all())
    scores = [item_score(item, answers[item.pk]) for item in items if item.pk in answers]
    if not scores or len(scores) < scale.min_answered:
        return ScaleScore(scale=scale, score=None, band=None, answered=len(scores))
    mean = sum(scores, Decimal(0)) / len(scores)
    combined = {
        Scale.Method.SUM: sum(scores, Decimal(0)),
        Scale.Method.MEAN: mean,
        Scale.Method.PRORATED_SUM: mean * len(items),
    }[scale.method]
    score = (combined * scale.multiplier).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return ScaleScore(scale=scale, score=score, band=band_for(list(scale.bands.all()), score), answered=len(scores))


def assessment_scores(assessment: Assessment) -> list[ScaleScore]:
    """Every scale of the assessment's version, in the version's order."""
    answers = dict(assessment.answers.values_list("item_id", "value"))
    scales = assessment.version.scales.prefetch_related("items", "bands")
    return [scale_score(scale, answers) for scale in scales]


@dataclass(frozen=True)
class HistoryPoint:
    assessment: Assessment
    score: Decimal | None
    band: Band | None


def score_history(assessments: list[Assessment], *, scale_code: str) -> list[HistoryPoint]:
    """One scale's score over time, oldest first (the chart on the young person's page).

    Pass the young person's assessments of one instrument, e.g.
    `Assessment.objects.filter(young_person=p, version__instrument__code="who5")`; each is
    scored by its own version's scale of that code."""
    ordered = sorted(assessments, key=lambda a: (a.answered_on, a.pk))
    scales = {
        scale.version_id: scale
        for scale in Scale.objects.filter(
            version__in={a.version_id for a in ordered}, code=scale_code
        ).prefetch_related("items", "bands")
    }
    answers: dict[int, dict[int, int]] = {}
    for assessment_id, item_id, value in Answer.objects.filter(assessment__in=ordered).values_list(
        "assessment_id", "item_id", "value"
    ):
        answers.setdefault(assessment_id, {})[item_id] = value
    points = []
    for assessment in ordered:
        scale = scales.get(assessment.version_id)
        scored = scale_score(scale, answers.get(assessment.pk, {})) if scale else None
        points.append(
            HistoryPoint(
                assessment=assessment, score=scored.score if scored else None, band=scored.band if scored else None
            )
        )
    return points
