"""Outcome measures on the young person's page, loaded here so the page's view
(cases.views.young_person) does not need to know about them."""

from __future__ import annotations

from typing import Any

from django import template

from cases.models import YoungPerson
from outcomes.assessments.charts import outcome_charts

register = template.Library()


@register.inclusion_tag("outcomes/assessments/outcome_measures.html")
def young_person_outcomes(young_person: YoungPerson) -> dict[str, Any]:
    """The caller's view has already checked that the user may see `young_person`
    and logged the read; the number of queries is fixed (see outcome_charts)."""
    return {"young_person": young_person, "charts": outcome_charts(young_person)}
