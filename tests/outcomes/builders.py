"""Building blocks for the indicator tests: dated enrolments, contacts at exact
instants, pauses and status events."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from cases.models import Contact, Enrolment, Pause, User, YoungPerson
from outcomes.indicators.engine import EnrolmentIndicators
from outcomes.indicators.store import indicators_recompute, results_from_snapshots
from outcomes.models import IndicatorSnapshot, StatusEvent
from tests.factories import ContactFactory, EnrolmentFactory, intervention

LOCAL = ZoneInfo("Europe/Copenhagen")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def local(text: str) -> dt.datetime:
    """A wall-clock time in Copenhagen, e.g. "2026-03-10 10:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL)


def instant(text: str) -> dt.datetime:
    """An ISO 8601 timestamp with its UTC offset, e.g. "2026-01-11T23:30:00+00:00"."""
    value = dt.datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def enrol(
    *,
    start: str,
    end: str | None = None,
    reason: str = "",
    code: str = "relationship_work",
    external_id: str | None = None,
    young_person: YoungPerson | None = None,
    worker: User | None = None,
) -> Enrolment:
    kwargs = {"primary_worker": worker} if worker else {}
    if young_person is not None:
        kwargs["young_person"] = young_person
    return EnrolmentFactory(
        start_date=day(start),
        end_date=day(end) if end else None,
        end_reason=reason,
        intervention_type=intervention(code),
        external_id=external_id,
        **kwargs,
    )


def contact(
    enrolment: Enrolment,
    at: dt.datetime | str,
    *,
    minutes: int = 60,
    channel: str = Contact.Channel.IN_PERSON,
    status: str = Contact.Status.HELD,
) -> Contact:
    occurred_at = local(at) if isinstance(at, str) else at
    return ContactFactory(
        enrolment=enrolment, occurred_at=occurred_at, duration_minutes=minutes, channel=channel, status=status
    )


def pause(enrolment: Enrolment, start: str, end: str | None) -> Pause:
    return Pause.objects.create(enrolment=enrolment, start_date=day(start), end_date=day(end) if end else None)


def status(young_person: YoungPerson, domain: str, date: str, value: str) -> StatusEvent:
    return StatusEvent.objects.create(young_person=young_person, domain=domain, date=day(date), value=value)


def compute_stored(
    *, as_of: dt.date, window_weeks: int = 12, enrolments=None, rewrite_facts: bool = True
) -> list[EnrolmentIndicators]:
    """Write the snapshots (through the facts, or from the contacts as the nightly job does), read them back."""
    scope = Enrolment.objects.all() if enrolments is None else enrolments
    indicators_recompute(as_of=as_of, window_weeks=window_weeks, enrolments=scope, rewrite_facts=rewrite_facts)
    snapshots = IndicatorSnapshot.objects.filter(enrolment__in=scope, as_of=as_of, window_weeks=window_weeks)
    return results_from_snapshots(snapshots)


def compute_nightly(**kwargs) -> list[EnrolmentIndicators]:
    return compute_stored(rewrite_facts=False, **kwargs)
