"""`compute` runs every indicator test twice: once straight through the engine,
once written to the fact and snapshot tables and read back."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cases.models import Enrolment
from outcomes.indicators.engine import EnrolmentIndicators, compute_indicators
from tests.outcomes.builders import compute_stored, day

Compute = Callable[..., list[EnrolmentIndicators]]


@pytest.fixture(params=["engine", "stored"])
def compute(request, db) -> Compute:
    """Both paths must give every number of the spec."""
    return compute_indicators if request.param == "engine" else compute_stored


@pytest.fixture
def one(compute) -> Callable[..., EnrolmentIndicators]:
    """The indicators of one enrolment."""

    def _one(enrolment: Enrolment, *, as_of: str, window_weeks: int = 12) -> EnrolmentIndicators:
        results = compute(
            as_of=day(as_of), window_weeks=window_weeks, enrolments=Enrolment.objects.filter(pk=enrolment.pk)
        )
        assert len(results) == 1
        return results[0]

    return _one
