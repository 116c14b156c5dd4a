"""Recording assessments and status changes from the young person's page, and
the chart of scores over time: scoring through the page, validation, scope per
role, the access log and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog
from outcomes.assessments.charts import outcome_charts, scale_range
from outcomes.instruments.services import assessment_record
from outcomes.models import Assessment, Instrument, InstrumentVersion, StatusEvent
from tests.conftest import login

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def version_of(code: str) -> InstrumentVersion:
    return Instrument.objects.get(code=code).current_version()


def who5_post(*values: int | str, respondent: str = "young_person", on: dt.date | None = None) -> dict:
    data = {"respondent": respondent, "answered_on": (on or timezone.localdate()).isoformat()}
    data.update({f"item_who5_{n}": str(value) for n, value in enumerate(values, start=1) if value != ""})
    return data


def record_who5(person, *values: int, on: dt.date, by=None) -> Assessment:
    return assessment_record(
        young_person=person,
        version=version_of("who5"),
        respondent=Assessment.Respondent.YOUNG_PERSON,
        answered_on=on,
        answers={f"who5_{n}": value for n, value in enumerate(values, start=1)},
        by=by,
    )


def record_risk(person, friends: int, settings_: int, substances: int, *, on: dt.date) -> Assessment:
    return assessment_record(
        young_person=person,
        version=version_of("risk_lifestyle"),
        respondent=Assessment.Respondent.WORKER,
        answered_on=on,
        answers={"friends": friends, "high_risk_settings": settings_, "substance_use": substances},
        by=None,
    )


def new_url(world, code: str = "who5") -> str:
    return reverse("outcomes:assessment_new", args=[world.young_person.pk, version_of(code).pk])


def page(client, world) -> str:
    response = client.get(reverse("cases:young_person_detail", args=[world.young_person.pk]), **ENGLISH)
    assert response.status_code == 200
    return response.content.decode()


# --- Recording an assessment ------------------------------------------------------


def test_the_choice_lists_every_published_instrument(world):
    response = login(world.worker).get(reverse("outcomes:assessment_choose", args=[world.young_person.pk]), **ENGLISH)
    body = response.content.decode()
    assert "WHO-5 Trivselsindeks" in body and "Risikolivsstil (CFBU)" in body
    assert new_url(world) in body


def test_the_form_has_one_radio_group_per_item_with_its_answer_scale(world):
    body = login(world.worker).get(new_url(world), **ENGLISH).content.decode()
    assert body.count("<fieldset") == 6  # who answered + five items
    assert body.count("<legend") == 6
    assert body.count('name="item_who5_1"') == 6  # the six steps 5..0
    assert "I de sidste to uger har jeg været glad og i godt humør" in body
    assert 'type="date"' in body


def test_the_date_fields_are_filled_with_today_as_an_iso_date_in_danish_too(world):
    client = login(world.worker)
    today = f'value="{timezone.localdate().isoformat()}"'
    assert today in client.get(new_url(world), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    status_url = reverse("outcomes:status_change_record", args=[world.young_person.pk])
    assert today in client.get(status_url, HTTP_ACCEPT_LANGUAGE="da").content.decode()


def test_a_worker_records_who5_and_the_score_is_computed_from_the_answers(world):
    client = login(world.worker)
    response = client.post(new_url(world), who5_post(3, 3, 3, 2, 2, respondent="parent"), **ENGLISH)
    assert response.status_code == 302
    assert response.url.startswith(reverse("cases:young_person_detail", args=[world.young_person.pk]))
    assessment = Assessment.objects.get()
    assert (assessment.young_person, assessment.respondent, assessment.recorded_by) == (
        world.young_person,
        "parent",
        world.worker,
    )
    assert dict(assessment.answers.values_list("item__code", "value")) == {
        "who5_1": 3,
        "who5_2": 3,
        "who5_3": 3,
        "who5_4": 2,
        "who5_5": 2,
    }
    body = client.get(response.url, **ENGLISH).content.decode()
    assert "The assessment is recorded: Råscore (0-25) 13; Trivselsscore (0-100) 52 (Trivsel over 50)." in body


def test_a_score_field_cannot_be_typed_in(world):
    login(world.worker).post(new_url(world), {**who5_post(0, 0, 0, 0, 0), "score": "100", "wellbeing": "100"})
    (chart,) = outcome_charts(world.young_person)
    assert chart.rows[0].score == 0


def test_missing_answers_are_shown_beside_their_questions_and_nothing_is_saved(world):
    response = login(world.worker).post(new_url(world), who5_post(3, "", 3, "", 3), **ENGLISH)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("Choose an answer to this question.") == 2
    assert 'id="id_item_who5_2-error"' in body and 'id="id_item_who5_4-error"' in body
    assert 'aria-describedby="id_item_who5_2-error"' in body
    assert 'value="3" checked' in body  # the given answers are kept
    assert Assessment.objects.count() == 0


def test_an_answer_outside_the_items_scale_is_refused(world):
    response = login(world.worker).post(new_url(world), who5_post(3, 3, 6, 3, 3), **ENGLISH)
    assert "Choose one of the answers shown." in response.content.decode()
    risk = login(world.worker).post(
        new_url(world, "risk_lifestyle"),
        {
            "respondent": "worker",
            "answered_on": "2026-01-05",
            "item_friends": "0",
            "item_high_risk_settings": "1",
            "item_substance_use": "1",
        },
        **ENGLISH,
    )
    assert "Choose one of the answers shown." in risk.content.decode()
    assert Assessment.objects.count() == 0


def test_who_answered_and_a_date_not_in_the_future_are_required(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = who5_post(3, 3, 3, 3, 3, on=tomorrow)
    del data["respondent"]
    body = login(world.worker).post(new_url(world), data, **ENGLISH).content.decode()
    assert "An assessment cannot be dated in the future." in body
    assert "This field is required." in body
    assert Assessment.objects.count() == 0


def test_only_a_published_version_can_be_answered(world):
    who5 = version_of("who5")
    draft = InstrumentVersion.objects.create(instrument=who5.instrument, number=2)
    client = login(world.worker)
    assert client.get(reverse("outcomes:assessment_new", args=[world.young_person.pk, draft.pk])).status_code == 404
    who5.status = InstrumentVersion.Status.RETIRED
    who5.save()
    assert client.post(new_url_for(world, who5), who5_post(3, 3, 3, 3, 3)).status_code == 404
    assert Assessment.objects.count() == 0


def new_url_for(world, version: InstrumentVersion) -> str:
    return reverse("outcomes:assessment_new", args=[world.young_person.pk, version.pk])


def test_recording_and_reading_are_in_the_access_log(world):
    client = login(world.worker)
    client.get(new_url(world))
    client.post(new_url(world), who5_post(3, 3, 3, 3, 3))
    assessment = Assessment.objects.get()
    client.get(reverse("outcomes:assessment_detail", args=[assessment.pk]))
    rows = list(
        AccessLog.objects.filter(user=world.worker, young_person=world.young_person).values_list(
            "action", "object_type"
        )
    )
    assert ("read", "youngperson") in rows
    assert ("create", "assessment") in rows
    assert ("read", "assessment") in rows


def test_the_detail_page_shows_answers_and_every_scale(world):
    assessment = record_who5(world.young_person, 5, 4, 3, 2, 1, on=dt.date(2026, 3, 2))
    body = login(world.leader).get(reverse("outcomes:assessment_detail", args=[assessment.pk]), **ENGLISH)
    text = body.content.decode()
    assert "Det meste af tiden" in text and "Lidt af tiden" in text
    assert re.search(r"Råscore \(0-25\)</th><td class=\"text-end\">15</td>", text)
    assert re.search(r"Trivselsscore \(0-100\)</th><td class=\"text-end\">60</td><td>Trivsel over 50", text)


# --- Scope per role ---------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), [("colleague", 302), ("leader", 302), ("outsider", 404)])
def test_recording_follows_the_access_rule(world, role, expected):
    response = login(getattr(world, role)).post(new_url(world), who5_post(3, 3, 3, 3, 3))
    assert response.status_code == expected
    assert Assessment.objects.count() == (1 if expected == 302 else 0)


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_administrators_get_403_and_write_nothing(world, role):
    client = login(getattr(world, role))
    assert client.post(new_url(world), who5_post(3, 3, 3, 3, 3)).status_code == 403
    status_url = reverse("outcomes:status_change_record", args=[world.young_person.pk])
    assert client.post(status_url, {"status": "education:enrolled", "date": "2026-01-05"}).status_code == 403
    assert Assessment.objects.count() == 0 and StatusEvent.objects.count() == 0


def test_another_teams_assessment_is_404(world):
    theirs = record_who5(world.outsiders_young_person, 3, 3, 3, 3, 3, on=dt.date(2026, 1, 5))
    client = login(world.worker)
    assert client.get(reverse("outcomes:assessment_detail", args=[theirs.pk])).status_code == 404
    choose = reverse("outcomes:assessment_choose", args=[world.outsiders_young_person.pk])
    assert client.get(choose).status_code == 404
    status_url = reverse("outcomes:status_change_record", args=[world.outsiders_young_person.pk])
    assert client.post(status_url, {"status": "education:enrolled", "date": "2026-01-05"}).status_code == 404
    assert StatusEvent.objects.count() == 0


# --- Status changes -----------------------------------------------------------------


def test_a_status_change_is_recorded_through_the_service_and_shown_in_the_history(world):
    client = login(world.worker)
    url = reverse("outcomes:status_change_record", args=[world.young_person.pk])
    form = client.get(url, **ENGLISH).content.decode()
    assert '<optgroup label="Education">' in form and '<optgroup label="Housing">' in form
    response = client.post(url, {"status": "housing:supported_housing", "date": "2026-02-03"})
    assert response.status_code == 302
    event = StatusEvent.objects.get()
    assert (event.domain, event.value, event.date, event.recorded_by) == (
        "housing",
        "supported_housing",
        dt.date(2026, 2, 3),
        world.worker,
    )
    assert AccessLog.objects.filter(user=world.worker, action="create", object_type="statusevent").count() == 1
    body = page(client, world)
    assert "<td>Housing</td><td>Supported housing</td>" in body
    assert body.count("Status history") == 1  # the page's own table, not a second one


def test_a_second_status_in_the_same_domain_on_the_same_day_is_refused_beside_the_date(world):
    client = login(world.worker)
    url = reverse("outcomes:status_change_record", args=[world.young_person.pk])
    client.post(url, {"status": "education:enrolled", "date": "2026-02-03"})
    response = client.post(url, {"status": "education:leave", "date": "2026-02-03"}, **ENGLISH)
    assert response.status_code == 200
    assert "already has a status in this domain on this day" in response.content.decode()
    invalid = client.post(url, {"status": "education:street", "date": "2026-02-04"}, **ENGLISH)
    assert "Select a valid choice" in invalid.content.decode()
    assert StatusEvent.objects.count() == 1


# --- The chart and its table ------------------------------------------------------


def test_the_page_shows_a_chart_and_a_table_per_instrument(world):
    person = world.young_person
    record_who5(person, 1, 1, 1, 1, 1, on=dt.date(2026, 1, 5))  # 20, poor
    record_who5(person, 4, 4, 3, 3, 3, on=dt.date(2026, 3, 2))  # 68, adequate
    record_who5(person, 3, 3, 3, 3, 3, on=dt.date(2026, 2, 2))  # 60
    record_risk(person, 3, 2, 2, on=dt.date(2026, 2, 10))  # 7, high
    body = page(login(world.worker), world)
    assert body.count("<svg") == 2
    assert '<title id="outcome-chart-who5-title">WHO-5 Trivselsindeks: Trivselsscore (0-100) over time</title>' in body
    assert "3 scored assessments from 5. jan 2026 to 2. mar 2026; the latest score is 68 (Trivsel over 50)." in body
    assert "Bands: Lav trivsel (50 eller derunder); Trivsel over 50." in body
    who5_table = body.split('id="outcome-chart-who5-table"')[1].split("</table>")[0]
    scores = re.findall(r'<td class="text-end">([^<]+)</td>', who5_table)
    assert [s.strip() for s in scores] == ["68", "60", "20"]  # newest first
    assert "Lav trivsel (50 eller derunder)" in who5_table
    assert 'id="outcome-chart-risk_lifestyle-table"' in body and "Høj risikolivsstil" in body
    assert reverse("outcomes:assessment_choose", args=[person.pk]) in body
    assert reverse("outcomes:status_change_record", args=[person.pk]) in body


def test_the_chart_puts_the_who5_threshold_between_50_and_51_and_labels_every_point(world):
    person = world.young_person
    record_who5(person, 2, 2, 2, 2, 2, on=dt.date(2026, 1, 5))  # 40
    record_who5(person, 4, 4, 4, 4, 4, on=dt.date(2026, 2, 5))  # 80
    (chart,) = outcome_charts(person)
    assert chart.scale.code == "wellbeing"
    top, bottom = chart.plot_top, chart.plot_bottom
    (threshold,) = chart.thresholds
    assert float(threshold) == pytest.approx(bottom - 50.5 / 100 * (bottom - top), abs=0.1)
    assert [t.text for t in chart.ticks] == ["0", "50", "100"]
    assert [p.label for p in chart.points] == ["40", "80"]
    assert all(p.show_label for p in chart.points)
    assert float(chart.points[0].y) > float(threshold) > float(chart.points[1].y)  # 40 below the line, 80 above
    assert [r.label for r in chart.regions] == ["Lav trivsel (50 eller derunder)", "Trivsel over 50"]


def test_the_risk_chart_runs_from_3_to_9_with_two_boundaries(world):
    record_risk(world.young_person, 1, 1, 1, on=dt.date(2026, 1, 5))
    (chart,) = outcome_charts(world.young_person)
    assert scale_range(chart.scale) == (3, 9)
    assert [t.text for t in chart.ticks] == ["3", "4", "6", "9"]
    assert len(chart.thresholds) == 2
    assert [r.label for r in chart.regions] == ["Lav risikolivsstil", "Moderat risikolivsstil", "Høj risikolivsstil"]


def test_an_incomplete_assessment_is_in_the_table_without_a_point(world):
    assessment_record(
        young_person=world.young_person,
        version=version_of("who5"),
        respondent="worker",
        answered_on=dt.date(2026, 1, 5),
        answers={"who5_1": 3},
        by=None,
    )
    (chart,) = outcome_charts(world.young_person)
    assert [r.score for r in chart.rows] == [None]
    assert chart.points == []
    assert "No assessment has a score yet." in chart.description


def test_no_assessments_no_chart(world):
    body = page(login(world.worker), world)
    assert "<svg" not in body
    assert "No assessments recorded." in body


def test_the_page_queries_do_not_grow_with_the_assessments(world):
    client = login(world.worker)
    url = reverse("cases:young_person_detail", args=[world.young_person.pk])
    record_who5(world.young_person, 3, 3, 3, 3, 3, on=dt.date(2026, 1, 5))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    for month in range(2, 12):
        record_who5(world.young_person, 4, 3, 3, 2, month % 6, on=dt.date(2025, month, 5))
    record_risk(world.young_person, 2, 2, 1, on=dt.date(2026, 1, 6))
    record_risk(world.young_person, 1, 1, 1, on=dt.date(2026, 2, 6))
    assert count() == small


# --- The API ----------------------------------------------------------------------

API = "/api/v1/assessments/"


def test_the_api_lists_the_callers_scope_with_scores_computed_from_the_answers(world):
    record_who5(world.young_person, 3, 3, 3, 2, 2, on=dt.date(2026, 1, 5))
    record_who5(world.colleagues_young_person, 5, 5, 5, 5, 5, on=dt.date(2026, 1, 6))
    record_who5(world.outsiders_young_person, 0, 0, 0, 0, 0, on=dt.date(2026, 1, 7))
    response = login(world.worker).get(API)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["young_person"] for r in results] == [world.colleagues_young_person.pk, world.young_person.pk]
    own = results[1]
    assert own["instrument"] == "who5" and own["version"] == 1 and own["answers"]["who5_4"] == 2
    assert own["scores"] == [
        {"scale": "raw", "score": "13.00", "band": None},
        {"scale": "wellbeing", "score": "52.00", "band": "adequate"},
    ]
    assert AccessLog.objects.filter(user=world.worker, action="list", detail="api assessments").count() == 2
    outsider = login(world.outsider).get(API).json()["results"]
    assert [r["young_person"] for r in outsider] == [world.outsiders_young_person.pk]


def test_the_api_records_an_assessment_and_ignores_a_typed_score(world):
    client = login(world.worker)
    body = {
        "young_person": world.young_person.pk,
        "instrument": "risk_lifestyle",
        "respondent": "worker",
        "answered_on": "2026-02-01",
        "answers": {"friends": 2, "high_risk_settings": 2, "substance_use": 1},
        "scores": [{"scale": "total", "score": "9", "band": "high"}],
    }
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["scores"] == [{"scale": "total", "score": "5.00", "band": "moderate"}]
    assert Assessment.objects.get().recorded_by == world.worker


def test_the_api_refuses_answers_off_the_scale_and_young_people_out_of_scope(world):
    client = login(world.worker)
    body = {
        "young_person": world.young_person.pk,
        "instrument": "who5",
        "respondent": "young_person",
        "answered_on": "2026-02-01",
        "answers": {"who5_1": 9},
    }
    response = client.post(API, body, content_type="application/json", **ENGLISH)
    assert response.status_code == 400
    assert "9 is not an answer to who5_1." in response.json()["answers"]
    theirs = {**body, "young_person": world.outsiders_young_person.pk, "answers": {"who5_1": 1}}
    assert "young_person" in client.post(API, theirs, content_type="application/json").json()
    assert Assessment.objects.count() == 0


def test_the_api_list_queries_do_not_grow(world):
    client = login(world.worker)
    record_who5(world.young_person, 3, 3, 3, 3, 3, on=dt.date(2026, 1, 5))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API).status_code == 200
        return len(captured)

    small = count()
    for day in range(1, 9):
        record_who5(world.colleagues_young_person, 4, 3, 3, 2, 1, on=dt.date(2025, 3, day))
    record_risk(world.young_person, 2, 2, 1, on=dt.date(2026, 1, 6))
    assert count() == small


def test_the_charts_take_seven_queries_with_assessments_and_one_without(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert outcome_charts(world.young_person) == []
    record_who5(world.young_person, 3, 3, 3, 3, 3, on=dt.date(2026, 1, 5))
    record_risk(world.young_person, 2, 2, 1, on=dt.date(2026, 1, 6))
    with django_assert_num_queries(7):
        assert len(outcome_charts(world.young_person)) == 2
