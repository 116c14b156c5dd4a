"""Property test: for random enrolments, pauses, contacts and status events the engine
(direct and stored) gives exactly what the plain reference in `reference.py` gives."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Contact, Enrolment, Pause
from outcomes.indicators.aggregates import aggregate
from outcomes.indicators.engine import compute_indicators
from outcomes.models import StatusEvent
from tests.factories import ContactFactory, EnrolmentFactory, UserFactory, intervention
from tests.outcomes import reference
from tests.outcomes.builders import compute_nightly, compute_stored

FIRST_DAY = dt.date(2025, 9, 1)  # the range spans both daylight-saving changes and ISO week 53 of 2026
LAST_DAY = dt.date(2027, 3, 31)
SPAN = (LAST_DAY - FIRST_DAY).days
UTC = dt.UTC
EDUCATION_VALUES = ["enrolled", "completed", "public_benefits", "skills_course", "leave"]
HOUSING_VALUES = ["own_tenancy", "supported_housing", "with_family", "shelter", "street", "other"]
END_REASONS = list(reference.PLANNED | reference.UNPLANNED | {"moved_away", "deceased"})
# Times of day (UTC) that sit on either side of local midnight in winter and in summer.
EDGE_MINUTES = [21 * 60 + 59, 22 * 60, 22 * 60 + 30, 22 * 60 + 59, 23 * 60, 23 * 60 + 30, 0, 60 + 30]


def days_from(start: dt.date) -> st.SearchStrategy[dt.date]:
    return st.integers(min_value=0, max_value=(LAST_DAY - start).days).map(lambda n: start + dt.timedelta(days=n))


@st.composite
def contacts(draw, start: dt.date, end: dt.date | None) -> list[reference.RefContact]:
    last = end or start + dt.timedelta(days=420)
    result = []
    for _ in range(draw(st.integers(0, 10))):
        offset = draw(st.integers(-10, (last - start).days + 10))
        minute = draw(st.one_of(st.sampled_from(EDGE_MINUTES), st.integers(0, 24 * 60 - 1)))
        moment = dt.datetime.combine(start + dt.timedelta(days=offset), dt.time(), tzinfo=UTC)
        result.append(
            reference.RefContact(
                occurred_at=moment + dt.timedelta(minutes=minute),
                minutes=draw(st.integers(5, 240)),
                channel=draw(st.sampled_from(Contact.Channel.values)),
                status=draw(st.sampled_from([*Contact.Status.values, "held", "held"])),
            )
        )
    return result


@st.composite
def pauses(draw, start: dt.date, end: dt.date | None) -> list[tuple[dt.date, dt.date | None]]:
    """Up to two pauses inside the enrolment that do not overlap; the last may be open."""
    last = end or start + dt.timedelta(days=400)
    cursor, result = start, []
    for _ in range(draw(st.integers(0, 2))):
        if cursor > last:
            break
        begin = cursor + dt.timedelta(days=draw(st.integers(0, max(0, (last - cursor).days))))
        if end is None and draw(st.booleans()):
            result.append((begin, None))
            break
        finish = min(last, begin + dt.timedelta(days=draw(st.integers(0, 40))))
        result.append((begin, finish))
        cursor = finish + dt.timedelta(days=1)
    return result


@st.composite
def events(draw, values: list[str]) -> list[tuple[dt.date, str]]:
    dates = draw(st.lists(days_from(FIRST_DAY - dt.timedelta(days=60)), max_size=4, unique=True))
    return [(d, draw(st.sampled_from(values))) for d in dates]


@st.composite
def enrolments(draw, index: int) -> reference.RefEnrolment:
    start = draw(days_from(FIRST_DAY))
    end = None
    if draw(st.booleans()):
        end = start + dt.timedelta(days=draw(st.one_of(st.integers(0, 120), st.integers(0, 500))))
    return reference.RefEnrolment(
        name=f"E{index}",
        intervention=draw(st.sampled_from(list(reference.NORMS))),
        worker=draw(st.sampled_from(["W1", "W2"])),
        team="T1",
        start=start,
        end=end,
        reason=draw(st.sampled_from(END_REASONS)) if end else "",
        pauses=draw(pauses(start, end)),
        contacts=draw(contacts(start, end)),
        education=draw(events(EDUCATION_VALUES)),
        housing=draw(events(HOUSING_VALUES)),
    )


@st.composite
def worlds(draw) -> tuple[list[reference.RefEnrolment], dt.date, int]:
    count = draw(st.integers(1, 4))
    world = [draw(enrolments(i)) for i in range(count)]
    # Often a date some months into the first enrolment, where most of its weeks are eligible.
    near_start = days_from(world[0].start).filter(lambda d: d <= world[0].start + dt.timedelta(days=500))
    as_of = draw(st.one_of(days_from(FIRST_DAY), near_start))
    return world, as_of, draw(st.one_of(st.integers(1, 16), st.integers(1, 60)))


def store(world: list[reference.RefEnrolment], workers: dict) -> None:
    for ref in world:
        enrolment = EnrolmentFactory(
            external_id=ref.name,
            intervention_type=intervention(ref.intervention),
            primary_worker=workers[ref.worker],
            start_date=ref.start,
            end_date=ref.end,
            end_reason=ref.reason,
        )
        Pause.objects.bulk_create(Pause(enrolment=enrolment, start_date=s, end_date=e) for s, e in ref.pauses)
        for c in ref.contacts:
            ContactFactory(
                enrolment=enrolment,
                occurred_at=c.occurred_at,
                duration_minutes=c.minutes,
                channel=c.channel,
                status=c.status,
            )
        for domain, history in (("education", ref.education), ("housing", ref.housing)):
            StatusEvent.objects.bulk_create(
                StatusEvent(young_person=enrolment.young_person, domain=domain, date=d, value=v) for d, v in history
            )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_engine_agrees_with_the_plain_reference(db, world):
    enrolment_refs, as_of, window = world
    with transaction.atomic():
        workers = {name: UserFactory(external_id=name) for name in ("W1", "W2")}
        store(enrolment_refs, workers)
        expected = {e.name: reference.indicators(e, as_of, window) for e in enrolment_refs if e.start <= as_of}
        expected_totals = reference.totals(enrolment_refs, as_of, window)
        for compute in (compute_indicators, compute_stored, compute_nightly):
            results = compute(as_of=as_of, window_weeks=window, enrolments=Enrolment.objects.all())
            actual = {r.enrolment: r.as_json() for r in results}
            assert set(actual) == set(expected)
            for name, row in expected.items():
                for key, value in row.items():
                    assert actual[name][key] == value, (compute.__name__, name, key)
            assert aggregate(results) == expected_totals, compute.__name__
        transaction.set_rollback(True)
