"""/api/v1/indicators/: scope per role, parameters, the access log, disclosure control for analysts,
and a query count that does not grow with the enrolments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import AccessLog, Enrolment
from outcomes.api.disclosed import disclosed_document
from outcomes.disclosure import HIDDEN, SMALL
from outcomes.indicators.engine import EnrolmentIndicators, compute_indicators
from outcomes.indicators.store import indicators_recompute
from tests.conftest import login
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory, intervention
from tests.outcomes.builders import contact

URL = "/api/v1/indicators/"
TODAY = timezone.localdate()


def _get(user, **params):
    return login(user).get(URL, params, HTTP_ACCEPT_LANGUAGE="en")


def _ids(response) -> set[int]:
    return {e["id"] for e in response.json()["enrolments"]}


def test_a_worker_sees_her_own_and_her_teams_enrolments_with_their_aggregates(world):
    contact(world.enrolment, f"{TODAY - dt.timedelta(days=3)} 12:00")
    response = _get(world.worker)
    assert response.status_code == 200
    body = response.json()
    team = set(Enrolment.objects.filter(team=world.team).values_list("pk", flat=True))
    assert _ids(response) == team and world.enrolment.pk in team
    assert body["as_of"] == TODAY.isoformat() and body["window_weeks"] == 12
    assert body["totals"]["active_enrolments"] == len(team)
    mine = next(e for e in body["enrolments"] if e["id"] == world.enrolment.pk)
    assert mine["days_since_last_contact"] == 3 and mine["qualifying_contacts_total"] == 1
    assert "cpr" not in str(body).lower() and "Mikkel" not in str(body)


def test_a_leader_sees_her_team_and_an_outsider_only_his_own(world):
    leader = _get(world.leader)
    assert _ids(leader) == set(Enrolment.objects.filter(team=world.team).values_list("pk", flat=True))
    outsider = _get(world.outsider)
    assert _ids(outsider) == set(Enrolment.objects.filter(team=world.other_team).values_list("pk", flat=True))
    assert world.enrolment.pk not in _ids(outsider)


@pytest.mark.parametrize(("role", "status"), [("admin", 403), ("analyst", 200)])
def test_administrators_are_refused_and_analysts_get_no_enrolment(world, role, status):
    response = _get(getattr(world, role))
    assert response.status_code == status
    if status == 200:
        assert "enrolments" not in response.json()
        assert set(response.json()) >= {"totals", "by_team", "by_intervention"}


def test_a_mentor_and_an_anonymous_caller_are_refused(world):
    mentor = UserFactory(username="mentor", role="mentor", team=None)
    assert _get(mentor).status_code == 403
    assert login(None).get(URL).status_code == 401


def test_every_enrolment_listed_is_in_the_access_log_with_the_purpose_of_the_role(world):
    _get(world.worker)
    logged = AccessLog.objects.filter(user=world.worker)
    assert {e.young_person_id for e in logged} == {world.young_person.pk, world.colleagues_young_person.pk}
    assert {e.purpose for e in logged} == {"case_work"} and {e.action for e in logged} == {"list"}
    _get(world.leader)
    assert set(AccessLog.objects.filter(user=world.leader).values_list("purpose", flat=True)) == {"supervision"}
    _get(world.analyst)
    assert not AccessLog.objects.filter(user=world.analyst).exists()


def test_filters_by_team_and_intervention(world):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(intervention_type=intervention("mentoring"))
    assert _ids(_get(world.worker, intervention="mentoring")) == {world.enrolment.pk}
    assert _ids(_get(world.worker, team=world.other_team.pk)) == set()
    assert _ids(_get(world.worker, team=world.team.pk)) == set(
        Enrolment.objects.filter(team=world.team).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"as_of": str(TODAY + dt.timedelta(days=1))}, "as_of"),
        ({"window_weeks": "0"}, "window_weeks"),
        ({"window_weeks": "105"}, "window_weeks"),
        ({"window_weeks": "twelve"}, "window_weeks"),
        ({"team": "999999"}, "team"),
        ({"intervention": "astrology"}, "intervention"),
    ],
)
def test_invalid_parameters_are_field_errors(world, params, field):
    response = _get(world.worker, **params)
    assert response.status_code == 400
    assert field in response.json()


def test_stored_snapshots_are_read_when_complete_and_the_engine_computes_otherwise(world):
    contact(world.enrolment, f"{TODAY - dt.timedelta(days=10)} 12:00")
    assert _get(world.worker).json()["source"] == "computed"
    indicators_recompute(as_of=TODAY, enrolments=Enrolment.objects.all())
    stored = _get(world.worker).json()
    assert stored["source"] == "snapshots"
    computed = _get(world.worker, window_weeks=8).json()
    assert computed["source"] == "computed" and computed["window_weeks"] == 8
    past = _get(world.worker, as_of=str(TODAY - dt.timedelta(days=30))).json()
    assert past["source"] == "computed"
    direct = compute_indicators(as_of=TODAY, enrolments=Enrolment.objects.filter(team=world.team))
    assert [e["weekly_contact_rate"] for e in stored["enrolments"]] == [
        r.as_json()["weekly_contact_rate"] for r in direct
    ]
    assert stored["totals"] == _get(world.leader).json()["totals"]


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert _get(user).status_code == 200
    return len(captured)


@pytest.mark.parametrize("stored", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_enrolments(world, stored):
    def recompute():
        if stored:
            indicators_recompute(as_of=TODAY, enrolments=Enrolment.objects.all())

    recompute()
    few = (_queries(world.leader), _queries(world.analyst))
    for _ in range(6):
        enrolment = EnrolmentFactory(team=world.team, primary_worker=world.colleague)
        contact(enrolment, f"{TODAY - dt.timedelta(days=2)} 12:00")
    recompute()
    assert (_queries(world.leader), _queries(world.analyst)) == few


# --- analysts: disclosure control ------------------------------------------------------------


def _result(team: str, intervention: str = "relationship_work", *, weekly: bool | None = True) -> EnrolmentIndicators:
    weeks = 0 if weekly is None else 4
    return EnrolmentIndicators(
        enrolment_id=0,
        enrolment="e",
        young_person="p",
        intervention=intervention,
        team=team,
        worker="w",
        start_date=dt.date(2026, 1, 1),
        end_date=None,
        active=True,
        weeks_eligible=weeks,
        weeks_with_contact=weeks if weekly else 0,
    )


def _people(**teams: tuple[int, int]) -> list[EnrolmentIndicators]:
    """Per team: (enrolments with at least weekly contact, enrolments without)."""
    return [
        _result(team, weekly=weekly)
        for team, (yes, no) in teams.items()
        for weekly, n in ((True, yes), (False, no))
        for _ in range(n)
    ]


def test_a_small_count_is_less_than_five_and_its_rate_is_not_shown():
    doc = disclosed_document(_people(a=(3, 20), b=(10, 10), c=(6, 9)))
    a = doc["by_team"]["a"]["at_least_weekly_share"]
    assert a == {"numerator": SMALL, "denominator": 23, "rate": None}
    # The next-smallest "yes" is withheld too, or a's 3 would be the total minus the others.
    c = doc["by_team"]["c"]["at_least_weekly_share"]
    assert c["numerator"] is None and c["rate"] is None
    assert doc["by_team"]["b"]["at_least_weekly_share"] == {"numerator": 10, "denominator": 20, "rate": 0.5}
    assert doc["totals"]["at_least_weekly_share"] == {"numerator": 19, "denominator": 58, "rate": 0.3276}


def test_no_withheld_count_can_be_worked_out_from_the_totals():
    doc = disclosed_document(_people(a=(3, 20), b=(10, 10), c=(6, 9), d=(12, 2)))
    shares = {k: v["at_least_weekly_share"] for k, v in doc["by_team"].items()}
    total = doc["totals"]["at_least_weekly_share"]
    shown_yes = [s["numerator"] for s in shares.values() if isinstance(s["numerator"], int)]
    hidden_yes = [k for k, s in shares.items() if not isinstance(s["numerator"], int)]
    assert len(hidden_yes) != 1, "a single withheld cell is the total minus the others"
    assert total["numerator"] == 31 and sum(shown_yes) < 31
    # d has 2 without weekly contact: its complement is small, so its numerator is withheld.
    assert shares["d"]["numerator"] in (None, SMALL) and shares["d"]["rate"] is None


def test_zero_is_shown_as_zero_and_large_counts_as_they_are():
    doc = disclosed_document(_people(a=(0, 12), b=(15, 0)))
    assert doc["by_team"]["a"]["at_least_weekly_share"] == {"numerator": 0, "denominator": 12, "rate": 0.0}
    assert doc["by_team"]["b"]["at_least_weekly_share"] == {"numerator": 15, "denominator": 15, "rate": 1.0}
    assert doc["totals"]["active_enrolments"] == 27


def test_the_median_needs_five_rates_and_small_groups_show_less_than_five():
    doc = disclosed_document([*_people(a=(2, 1)), *_people(b=(20, 5))])
    assert doc["by_team"]["a"]["median_weekly_contact_rate"] is None
    assert doc["by_team"]["a"]["active_enrolments"] == SMALL
    assert doc["by_team"]["b"]["active_enrolments"] is None  # withheld: 28 - 25 would give a's 3
    assert doc["by_team"]["b"]["median_weekly_contact_rate"] == 1.0
    assert "caseload" not in doc["totals"]


def test_a_filter_picks_rows_of_the_protected_table_and_never_reveals_a_withheld_cell():
    results = _people(a=(3, 20), b=(10, 10), c=(6, 9))
    whole = disclosed_document(results)
    only_c = disclosed_document(results, teams=["c"])
    assert list(only_c["by_team"]) == ["c"]
    assert only_c["by_team"]["c"] == whole["by_team"]["c"]
    assert only_c["by_team"]["c"]["at_least_weekly_share"]["numerator"] is None
    assert only_c["totals"] == whole["totals"]


def test_analysts_over_the_api_see_every_team_but_no_small_count(world):
    team = TeamFactory(name="Team Øst")
    for _ in range(6):
        EnrolmentFactory(team=team)
    body = _get(world.analyst).json()
    counts = {k: v["active_enrolments"] for k, v in body["by_team"].items()}
    assert counts[str(team.pk)] in (6, None)
    assert counts[str(world.team.pk)] == SMALL and counts[str(world.other_team.pk)] == SMALL
    assert body["totals"]["active_enrolments"] in (9, None)
    assert HIDDEN not in str(body)  # withheld counts are null in the API
    filtered = _get(world.analyst, team=team.pk).json()
    assert list(filtered["by_team"]) == [str(team.pk)] and filtered["totals"] == body["totals"]
