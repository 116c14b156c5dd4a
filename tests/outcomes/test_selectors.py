"""Pages read stored snapshots through outcomes.selectors, scoped by the caller's enrolments."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Enrolment
from cases.selectors import enrolments_for
from outcomes.indicators.store import indicators_recompute
from outcomes.indicators.weeks import monday_of
from outcomes.selectors import indicator_totals_for, latest_snapshot_date, snapshots_for, weekly_facts_for
from tests.outcomes.builders import contact

# The personas' enrolments started 120 days ago.
TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def at_noon(days_ago: int) -> str:
    return f"{TODAY - dt.timedelta(days=days_ago)} 12:00"


def test_pages_read_the_newest_snapshots_of_the_enrolments_the_user_may_see(world):
    contact(world.enrolment, at_noon(20))
    for as_of in [YESTERDAY, TODAY]:
        indicators_recompute(as_of=as_of, enrolments=Enrolment.objects.all())
    assert latest_snapshot_date() == TODAY
    theirs = snapshots_for(enrolments_for(world.outsider))
    assert [s.enrolment for s in theirs] == list(enrolments_for(world.outsider))
    assert {s.as_of for s in theirs} == {TODAY}
    assert snapshots_for(enrolments_for(world.analyst)).count() == 0
    team = indicator_totals_for(enrolments_for(world.leader))
    assert team["caseload"] == {str(world.worker.pk): 1, str(world.colleague.pk): 1}
    everyone = indicator_totals_for(Enrolment.objects.all(), as_of=YESTERDAY)
    assert everyone["active_enrolments"] == 3


def test_a_date_only_one_enrolment_was_recomputed_for_is_not_the_latest(world):
    """The nightly job has not reached today yet, but a contact logged this morning
    recomputed its enrolment for today: pages keep showing yesterday's full picture."""
    indicators_recompute(as_of=YESTERDAY, enrolments=Enrolment.objects.all())
    indicators_recompute(as_of=TODAY, enrolments=Enrolment.objects.filter(pk=world.enrolment.pk))
    assert latest_snapshot_date() == YESTERDAY
    assert snapshots_for(Enrolment.objects.all()).count() == 3
    indicators_recompute(as_of=TODAY, enrolments=Enrolment.objects.all())
    assert latest_snapshot_date() == TODAY


def test_weekly_facts_of_an_enrolment_oldest_first(world):
    contact(world.enrolment, at_noon(10))
    contact(world.enrolment, at_noon(30))
    indicators_recompute(as_of=TODAY, enrolments=Enrolment.objects.all())
    weeks = [f.week_start for f in weekly_facts_for(world.enrolment)]
    expected = [monday_of(TODAY - dt.timedelta(days=30)), monday_of(TODAY - dt.timedelta(days=10))]
    assert weeks == expected
    assert [f.week_start for f in weekly_facts_for(world.enrolment, since=expected[1])] == expected[1:]
