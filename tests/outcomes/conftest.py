"""`compute` runs every indicator test three times: straight through the engine;
written to the fact and snapshot tables and read back; and written as the nightly
job writes snapshots (straight from the contacts) and read back."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cases.models import Enrolment
from outcomes.indicators.engine import EnrolmentIndicators, compute_indicators
from tests.outcomes.builders import compute_nightly, compute_stored, day

Compute = Callable[..., list[EnrolmentIndicators]]


@pytest.fixture(params=["engine", "stored", "nightly"])
def compute(request, db) -> Compute:
    """Every path must give every number of the spec."""
    return {"engine": compute_indicators, "stored": compute_stored, "nightly": compute_nightly}[request.param]


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
