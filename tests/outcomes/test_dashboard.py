"""The caseload dashboard: the spec's numbers as the engine stores them, the
heatmap, the work lists, the export, who sees what, and a fixed query count."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessLog, ActionPlan, Agreement, Enrolment, Handover, User
from cases.selectors import enrolments_for
from interventions.models import FollowUpFlag, Mentor, ScreeningStep
from outcomes.dashboard.data import Filters, build, calendar_quarter, trend_quarter_ends
from outcomes.dashboard.export import safe_cell, work_lists_csv
from outcomes.dashboard.scope import team_scope
from outcomes.freshness import everything_changed
from outcomes.indicators.store import indicators_recompute
from outcomes.indicators.weeks import quarter_bounds
from outcomes.selectors import indicator_totals_for
from tests.conftest import login
from tests.factories import ContactFactory, EnrolmentFactory, PauseFactory, TeamFactory, UserFactory, intervention

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the trend caches computed quarters; this test database's ids are reused between runs


def today() -> dt.date:
    return timezone.localdate()


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def weekly_contacts(enrolment: Enrolment, weeks: int, *, skip_last: int = 0) -> None:
    for week in range(skip_last, weeks):
        ContactFactory(enrolment=enrolment, occurred_at=ago(7 * week + 2))


def store_everything(*, quarter_ends: bool = True) -> None:
    """What the nightly job stores (today) and keeps (quarter ends)."""
    indicators_recompute(as_of=today(), enrolments=Enrolment.objects.all())
    if quarter_ends:
        for _year, _quarter, last in trend_quarter_ends(today()):
            indicators_recompute(as_of=last, enrolments=Enrolment.objects.all(), rewrite_facts=False)


def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def team_world(world):
    """The world's team with a week-by-week history, an enrolment that slipped, one
    ended early, a paused one, and the work lists' triggers."""
    regular = world.enrolment
    regular.start_date = today() - dt.timedelta(days=400)
    regular.save()
    weekly_contacts(regular, 20)
    slipped = EnrolmentFactory(primary_worker=world.colleague, start_date=today() - dt.timedelta(days=200))
    weekly_contacts(slipped, 20, skip_last=4)  # nothing for four weeks
    EnrolmentFactory(
        primary_worker=world.worker,
        start_date=today() - dt.timedelta(days=40),
        end_date=today() - dt.timedelta(days=1) if today().day > 1 else today(),
        end_reason="dropped_out",
    )
    paused = EnrolmentFactory(primary_worker=world.colleague, start_date=today() - dt.timedelta(days=300))
    weekly_contacts(paused, 30)
    PauseFactory(enrolment=paused, start_date=today() - dt.timedelta(days=30), end_date=None)
    new = EnrolmentFactory(primary_worker=world.worker, start_date=today() - dt.timedelta(days=30))
    cti = EnrolmentFactory(
        primary_worker=world.worker,
        start_date=today() - dt.timedelta(days=80),
        intervention_type=intervention("housing_first_cti"),
    )
    weekly_contacts(cti, 11)
    plan = ActionPlan.objects.create(
        young_person=world.young_person, coordinator=world.worker, created_on=today() - dt.timedelta(days=20)
    )
    Agreement.objects.create(
        plan=plan, text="Ring til jobcentret", owner="parents", due_date=today() - dt.timedelta(days=2)
    )
    FollowUpFlag.objects.create(enrolment=new, raised_by=world.colleague, reason="Virkede trist til fredagsklub")
    Handover.objects.create(
        enrolment=slipped,
        from_worker=world.worker,
        to_worker=world.colleague,
        introduced_on=today() - dt.timedelta(days=3),
        overlap_until=today() + dt.timedelta(days=10),
        recorded_by=world.leader,
    )
    mentor = Mentor.objects.create(team=world.team, name="Familien Jensen", status=Mentor.Status.ACTIVE)
    ScreeningStep.objects.create(
        mentor=mentor,
        step=ScreeningStep.Step.CHILD_PROTECTION,
        date=today() - dt.timedelta(days=700),
        expires_on=today() + dt.timedelta(days=10),
    )
    store_everything()
    return {"regular": regular, "slipped": slipped, "paused": paused, "new": new, "cti": cti}


def test_headline_is_what_the_stored_indicators_add_up_to(world, team_world):
    board = build(team_scope(world.leader, world.team.pk), Filters(), today=today())
    quarter = quarter_bounds(*calendar_quarter(today()))
    expected = indicator_totals_for(enrolments_for(world.leader), ended_between=quarter)
    assert board.totals == expected
    assert board.totals["active_enrolments"] == 6
    assert board.totals["at_least_weekly_share"]["denominator"] >= 3


def test_filters_narrow_every_figure_to_the_worker(world, team_world):
    board = build(team_scope(world.leader, world.team.pk), Filters(worker=world.colleague.pk), today=today())
    assert board.totals["active_enrolments"] == 3  # the colleague's own, the slipped and the paused one
    assert {r.worker_id for r in board.heatmap} == {world.colleague.pk}
    response = en(login(world.leader)).get(
        reverse("outcomes:dashboard_team", args=[world.team.pk]), {"worker": world.colleague.pk}
    )
    assert "Mikkel Ung" not in response.content.decode()
    assert "Freja Kollega" in response.content.decode()


def test_heatmap_shows_paused_ineligible_met_and_missed_weeks(world, team_world):
    board = build(team_scope(world.leader, world.team.pk), Filters(sort="name"), today=today())
    rows = {r.enrolment_id: r for r in board.heatmap}
    assert len(board.weeks) == 12
    assert [c.state for c in rows[team_world["regular"].pk].cells] == ["met"] * 12
    assert [c.state for c in rows[team_world["slipped"].pk].cells][-3:] == ["none"] * 3
    assert "paused" in [c.state for c in rows[team_world["paused"].pk].cells]
    assert rows[team_world["paused"].pk].paused_today
    assert [c.state for c in rows[team_world["new"].pk].cells][:6] == ["ineligible"] * 6
    names = [r.name for r in board.heatmap]
    assert names == sorted(names, key=str.casefold)


def test_the_page_tells_each_cell_in_text_not_colour_only(world, team_world):
    response = en(login(world.leader)).get(reverse("outcomes:dashboard_team", args=[world.team.pk]))
    page = response.content.decode()
    assert "1 contact, norm met" in page and "no contact, below the norm" in page and ">paused<" in page
    assert reverse("cases:young_person_detail", args=[world.young_person.pk]) in page


def test_work_lists_hold_each_trigger(world, team_world):
    with translation.override("en"):
        board = build(team_scope(world.leader, world.team.pk), Filters(), today=today())
    lists = board.work_lists
    no_contact = {i.young_person_id for i in lists["no_contact"]}
    # Freja (colleague) and the new enrolment were never contacted; the slipped one not for four weeks.
    assert no_contact == {
        team_world["slipped"].young_person_id,
        team_world["new"].young_person_id,
        world.colleagues_young_person.pk,
    }
    assert team_world["new"].young_person_id in [i.young_person_id for i in lists["early_risk"]]
    assert team_world["paused"].young_person_id not in [i.young_person_id for i in lists["no_contact"]]
    assert [(i.what, i.overdue) for i in lists["follow_ups"]] == [("Agreement: Ring til jobcentret", True)]
    assert [i.young_person_id for i in lists["group_flags"]] == [team_world["new"].young_person_id]
    assert [i.young_person_id for i in lists["handovers"]] == [team_world["slipped"].young_person_id]
    assert [i.date for i in lists["cti"]] == [team_world["cti"].start_date + dt.timedelta(days=91)]
    assert [i.who for i in lists["certificates"]] == ["Familien Jensen"]


def test_no_contact_limit_is_the_interventions_own(world, team_world):
    kind = intervention("relationship_work")
    kind.no_contact_alert_days = 40
    kind.save()
    board = build(team_scope(world.leader, world.team.pk), Filters(), today=today())
    assert team_world["slipped"].young_person_id not in {i.young_person_id for i in board.work_lists["no_contact"]}


def test_export_is_logged_and_safe_in_a_spreadsheet(world, team_world):
    person = team_world["slipped"].young_person
    person.name = '=HYPERLINK("http://x")'
    person.save()
    response = login(world.leader).get(reverse("outcomes:dashboard_export", args=[world.team.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert '\'=HYPERLINK("http://x")' in [row[1] for row in rows]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    exported = AccessLog.objects.filter(user=world.leader, action=AccessLog.Action.EXPORT)
    assert person.pk in set(exported.values_list("young_person_id", flat=True))
    assert set(exported.values_list("purpose", flat=True)) == {AccessLog.Purpose.SUPERVISION}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_prefixed(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("Anna") == "Anna"
    assert work_lists_csv([], worker_names={}).startswith("\ufeff")


def test_every_young_person_shown_is_in_the_access_log(world, team_world):
    login(world.leader).get(reverse("outcomes:dashboard_team", args=[world.team.pk]))
    logged = set(
        AccessLog.objects.filter(user=world.leader, action=AccessLog.Action.LIST).values_list(
            "young_person_id", flat=True
        )
    )
    assert {world.young_person.pk, team_world["slipped"].young_person_id} <= logged


def test_an_administrator_sees_any_team_as_its_leader_and_is_logged(world, team_world):
    response = en(login(world.admin)).get(reverse("outcomes:dashboard_team", args=[world.team.pk]))
    assert "Mikkel Ung" in response.content.decode()
    purposes = set(AccessLog.objects.filter(user=world.admin).values_list("purpose", flat=True))
    assert purposes == {AccessLog.Purpose.SUPERVISION}


def test_an_analyst_gets_aggregates_only(world, team_world):
    response = en(login(world.analyst)).get(reverse("outcomes:dashboard_team", args=[world.team.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("Mikkel Ung", "Freja Kollega", world.worker.name, world.colleague.name, "Familien Jensen"):
        assert name not in page
    assert 'data-figure="active">6<' in page  # six active: shown
    assert "&lt;5" in page  # the one early ending, among others, is a small count
    assert 'id="heatmap"' not in page and "work-lists.csv" not in page
    assert not AccessLog.objects.filter(user=world.analyst).exists()


def test_a_worker_sees_only_her_own_caseload(world, team_world):
    response = en(login(world.worker)).get(reverse("outcomes:dashboard"))
    page = response.content.decode()
    assert "Mikkel Ung" in page and "Freja Kollega" not in page
    assert "work-lists.csv" not in page


def test_a_worker_of_another_team_cannot_reach_the_team(world, team_world):
    client = login(world.outsider)
    assert client.get(reverse("outcomes:dashboard_team", args=[world.team.pk])).status_code == 404
    assert client.get(reverse("outcomes:dashboard_export", args=[world.team.pk])).status_code == 404
    assert "Mikkel" not in client.get(reverse("outcomes:dashboard")).content.decode()


def test_the_url_carries_ids_and_codes_only(world, team_world):
    url = reverse("outcomes:dashboard_team", args=[world.team.pk])
    page = login(world.leader).get(url, {"worker": world.worker.pk, "intervention": "relationship_work"}).content
    page = page.decode()
    assert f"work-lists.csv?worker={world.worker.pk}&amp;intervention=relationship_work" in page
    assert Filters(worker=3, intervention="mentoring", sort="name", page=2).params() == {
        "worker": "3",
        "intervention": "mentoring",
        "sort": "name",
        "page": "2",
    }


def test_trend_reads_quarter_ends_or_computes_the_same_through_the_engine(world, team_world):
    scope = team_scope(world.leader, world.team.pk)
    stored = build(scope, Filters(), today=today()).trend
    assert all(point.stored for point in stored)
    from outcomes.models import IndicatorSnapshot

    IndicatorSnapshot.objects.exclude(as_of=today()).delete()
    cache.clear()  # the page keeps its trend for a few minutes
    computed = build(scope, Filters(intervention="relationship_work"), today=today()).trend
    computed_all = build(scope, Filters(), today=today()).trend
    assert not any(point.stored for point in computed_all)
    assert [(p.active_enrolments, p.weekly_share) for p in computed_all] == [
        (p.active_enrolments, p.weekly_share) for p in stored
    ]
    assert len(computed) == 4


def _team_of(workers: int) -> User:
    team = TeamFactory(name=f"Team of {workers}")
    leader = UserFactory(role=User.Role.TEAM_LEADER, team=team)
    for _ in range(workers):
        worker = UserFactory(team=team)
        for days in (200, 40):
            enrolment = EnrolmentFactory(primary_worker=worker, start_date=today() - dt.timedelta(days=days))
            ContactFactory(enrolment=enrolment, occurred_at=ago(3))
            ContactFactory(enrolment=enrolment, occurred_at=ago(30))
            PauseFactory(
                enrolment=enrolment,
                start_date=today() - dt.timedelta(days=20),
                end_date=today() - dt.timedelta(days=15),
            )
            FollowUpFlag.objects.create(enrolment=enrolment, raised_by=worker, reason="Flag")
        plan = ActionPlan.objects.create(young_person=enrolment.young_person, coordinator=worker, created_on=today())
        Agreement.objects.create(plan=plan, text="A", owner="parents", due_date=today())
        Handover.objects.create(
            enrolment=enrolment,
            from_worker=worker,
            to_worker=leader,
            introduced_on=today(),
            overlap_until=today(),
            recorded_by=leader,
        )
        mentor = Mentor.objects.create(team=team, name=f"Mentor {worker.pk}", status=Mentor.Status.ACTIVE)
        ScreeningStep.objects.create(
            mentor=mentor, step="criminal_record", date=today() - dt.timedelta(days=300), expires_on=today()
        )
    return leader


def _queries(user: User, url: str) -> int:
    """Queries of a request that builds the page, after a first one has warmed the cache of
    quarters never stored (here: quarters before the teams' first enrolment) and the data's
    version has been renewed, as a write would; the count may not depend on the team."""
    client = login(user)
    client.get(url)
    everything_changed()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_team(db, world):
    small, large = _team_of(3), _team_of(60)
    store_everything()
    small_url = reverse("outcomes:dashboard_team", args=[small.team_id])
    large_url = reverse("outcomes:dashboard_team", args=[large.team_id])
    board = build(team_scope(large, large.team_id), Filters(), today=today())
    assert board.heatmap_total == 120 and len(board.heatmap) == 30 and len(board.lines) == 60
    assert len(board.work_lists["certificates"]) == 60 and len(board.work_lists["handovers"]) == 60
    assert _queries(small, small_url) == _queries(large, large_url)
    assert _queries(small, small_url + "?page=2&sort=days") == _queries(large, large_url + "?page=3&sort=days")
    assert _queries(small, small_url + "work-lists.csv") == _queries(large, large_url + "work-lists.csv")
    analyst = world.analyst
    assert _queries(analyst, small_url) == _queries(analyst, large_url)


def test_chart_coordinates_are_numbers_in_danish_too(world, team_world):
    page = login(world.leader).get(reverse("outcomes:dashboard_team", args=[world.team.pk])).content.decode()
    import re

    coordinates = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', page)
    assert len(coordinates) == 8  # four quarters, two charts
    for values in coordinates:
        assert all(float(v) >= 0 for v in values)
    assert "Aktive forløb ved udgangen af hvert kvartal" in page  # the page is Danish


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index('<main id="main"') : page.index("</main>")]


def _work_list(page: str, code: str) -> str:
    start = page.index(f'id="list-{code}"')
    end = page.find('id="list-', start + 1)
    return page[start : end if end != -1 else len(page)]


def test_a_repeated_request_is_served_from_the_cache_and_still_logged(world, team_world):
    client = login(world.leader)
    url = reverse("outcomes:dashboard_team", args=[world.team.pk])
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url)
    assert _main(second) == _main(first)  # the page around it carries a fresh CSRF token
    assert len(warm) < len(cold) / 2, (len(warm), len(cold))
    logged = AccessLog.objects.filter(user=world.leader, action=AccessLog.Action.LIST)
    shown = {world.young_person.pk, team_world["slipped"].young_person_id}
    for person in shown:
        assert logged.filter(young_person_id=person).count() == 2  # each request is logged, cached or not


def test_a_new_contact_shows_on_the_next_request(world, team_world):
    client = login(world.leader)
    url = reverse("outcomes:dashboard_team", args=[world.team.pk])
    slipped = team_world["slipped"]
    link = reverse("cases:young_person_detail", args=[slipped.young_person_id])
    assert link in _work_list(client.get(url).content.decode(), "no_contact")
    ContactFactory(enrolment=slipped, occurred_at=ago(0))
    indicators_recompute(as_of=today(), enrolments=Enrolment.objects.filter(pk=slipped.pk))  # as the task does
    assert link not in _work_list(client.get(url).content.decode(), "no_contact")


def test_a_new_agreement_shows_on_the_next_request(world, team_world):
    client = en(login(world.leader))
    url = reverse("outcomes:dashboard_team", args=[world.team.pk])
    assert "Book tandlæge" not in client.get(url).content.decode()
    plan = ActionPlan.objects.get(young_person=world.young_person)
    Agreement.objects.create(plan=plan, text="Book tandlæge", owner="municipality", due_date=today())
    assert "Book tandlæge" in _work_list(client.get(url).content.decode(), "follow_ups")


def test_the_cached_body_is_not_shared_across_roles_or_languages(world, team_world):
    url = reverse("outcomes:dashboard_team", args=[world.team.pk])
    leader_page = login(world.leader).get(url).content.decode()
    admin_page = en(login(world.admin)).get(url).content.decode()
    analyst_page = en(login(world.analyst)).get(url).content.decode()
    person_link = reverse("cases:young_person_detail", args=[world.young_person.pk])
    assert person_link in leader_page  # the leader opens records from the page
    assert person_link not in admin_page  # the administrator sees names, but has no case access
    assert "Mikkel Ung" not in analyst_page and "heatmap-heading" not in analyst_page
    assert '<html lang="da"' in leader_page and "Work lists" in admin_page and "Work lists" not in leader_page
    assert "csrfmiddlewaretoken" not in leader_page[leader_page.index('<main id="main"') : leader_page.index("</main>")]


def test_a_sign_in_leaves_the_cached_pages_alone_but_a_rename_does_not(world):
    from django.contrib.auth.models import update_last_login

    from outcomes.freshness import team_version

    before = team_version(world.team.pk)
    update_last_login(None, world.worker)  # what every sign-in does
    assert team_version(world.team.pk) == before
    world.worker.name = "Sara Nyt Navn"
    world.worker.save()
    assert team_version(world.team.pk) != before
