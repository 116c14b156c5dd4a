"""`manage.py indicators`: the JSON contract of spec/import-and-commands.md."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from outcomes.models import IndicatorSnapshot, WeeklyContactFact
from tests.factories import TeamFactory, UserFactory, YoungPersonFactory
from tests.outcomes.builders import contact, enrol

ENROLMENT_KEYS = [
    "enrolment",
    "young_person",
    "intervention",
    "team",
    "worker",
    "active",
    "weeks_eligible",
    "weeks_with_contact",
    "qualifying_contacts",
    "contact_minutes",
    "weekly_contact_rate",
    "at_least_weekly",
    "contacts_per_week",
    "expected_contacts",
    "norm_attainment",
    "days_since_last_contact",
    "qualifying_contacts_total",
    "duration_days",
    "retained_91",
    "retained_182",
    "retained_365",
    "early_unplanned_ending",
    "education_retained_182",
    "education_retained_365",
    "move_in_date",
    "housed_at_365",
    "returned_to_homelessness_365",
]
AGGREGATE_KEYS = [
    "active_enrolments",
    "at_least_weekly_share",
    "median_weekly_contact_rate",
    "retention_91",
    "retention_182",
    "retention_365",
    "early_unplanned_endings",
    "education_retention_182",
    "education_retention_365",
    "housing_retention_365",
    "return_to_homelessness_365",
    "caseload",
    "data_quality",
]
SHARES = [k for k in AGGREGATE_KEYS if k.startswith(("at_least", "retention", "education", "housing", "return"))]


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("indicators", *args, stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


@pytest.fixture
def example(db):
    """The contract's example: a mentoring enrolment of 200 days as of 2026-06-30,
    seen in 9 of the last 12 weeks with 11 contacts."""
    team = TeamFactory(name="Nord", external_id="T1")
    worker = UserFactory(external_id="W1", team=team)
    person = YoungPersonFactory(external_id="Y1")
    enrolment = enrol(start="2025-12-12", code="mentoring", external_id="E1", worker=worker, young_person=person)
    mondays = [dt.date(2026, 4, 6) + dt.timedelta(weeks=w) for w in range(12)]
    for monday in mondays[3:11]:
        contact(enrolment, f"{monday} 15:00", minutes=60)
    contact(enrolment, "2026-06-27 10:00", minutes=60)  # Saturday of the newest week, 3 days before D
    contact(enrolment, f"{mondays[3]} 17:00", minutes=30)
    contact(enrolment, f"{mondays[4]} 17:00", minutes=30)
    for n in range(29):  # before the window: only in the total
        contact(enrolment, f"{dt.date(2025, 12, 15) + dt.timedelta(days=3 * n)} 12:00")
    return enrolment


def test_json_is_one_document_with_exactly_the_contract_keys(example):
    document = json.loads(run("--as-of", "2026-06-30", "--format", "json"))
    assert list(document) == ["as_of", "window_weeks", "enrolments", "totals", "by_intervention", "by_team"]
    assert (document["as_of"], document["window_weeks"]) == ("2026-06-30", 12)
    [row] = document["enrolments"]
    assert list(row) == ENROLMENT_KEYS
    assert list(document["totals"]) == AGGREGATE_KEYS
    for key in SHARES:
        assert list(document["totals"][key]) == ["numerator", "denominator", "rate"]
    assert list(document["by_intervention"]) == ["mentoring"]
    assert list(document["by_team"]) == ["T1"]
    assert list(document["by_intervention"]["mentoring"]) == AGGREGATE_KEYS
    assert list(document["by_team"]["T1"]) == AGGREGATE_KEYS


def test_json_values_of_the_contract_example(example):
    document = json.loads(run("--as-of", "2026-06-30", "--window-weeks", "12", "--format", "json"))
    [row] = document["enrolments"]
    assert row == {
        "enrolment": "E1",
        "young_person": "Y1",
        "intervention": "mentoring",
        "team": "T1",
        "worker": "W1",
        "active": True,
        "weeks_eligible": 12,
        "weeks_with_contact": 9,
        "qualifying_contacts": 11,
        "contact_minutes": 600,
        "weekly_contact_rate": 0.75,
        "at_least_weekly": True,
        "contacts_per_week": 0.9167,
        "expected_contacts": 12.0,
        "norm_attainment": 0.9167,
        "days_since_last_contact": 3,
        "qualifying_contacts_total": 40,
        "duration_days": 200,
        "retained_91": True,
        "retained_182": True,
        "retained_365": None,
        "early_unplanned_ending": False,
        "education_retained_182": None,
        "education_retained_365": None,
        "move_in_date": None,
        "housed_at_365": None,
        "returned_to_homelessness_365": None,
    }
    totals = document["totals"]
    assert totals["active_enrolments"] == 1
    assert totals["at_least_weekly_share"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert totals["median_weekly_contact_rate"] == 0.75
    assert totals["retention_365"] == {"numerator": 0, "denominator": 0, "rate": None}
    assert totals["caseload"] == {"W1": 1}
    assert totals["data_quality"] == {"contacts_outside_enrolment": 0}


def test_records_without_an_external_id_are_named_by_their_primary_key(db):
    enrolment = enrol(start="2026-01-05")
    document = json.loads(run("--as-of", "2026-06-30", "--format", "json"))
    [row] = document["enrolments"]
    assert row["enrolment"] == str(enrolment.pk)
    assert row["young_person"] == str(enrolment.young_person_id)
    assert row["team"] == str(enrolment.team_id)
    assert row["worker"] == str(enrolment.primary_worker_id)


def test_the_as_of_date_defaults_to_today_and_the_command_writes_nothing(example):
    document = json.loads(run("--format", "json"))
    assert document["as_of"] == timezone.localdate().isoformat()
    assert not IndicatorSnapshot.objects.exists()
    assert not WeeklyContactFact.objects.exists()


def test_table_format_lists_each_enrolment_and_the_totals(example):
    text = run("--as-of", "2026-06-30")
    assert "E1" in text
    assert "mentoring" in text
    assert "active_enrolments: 1" in text


@pytest.mark.parametrize("args", [["--as-of", "30-06-2026"], ["--window-weeks", "0"], ["--format", "csv"]])
def test_bad_arguments_are_refused(db, args):
    with pytest.raises((CommandError, SystemExit)):
        call_command("indicators", *args, stdout=io.StringIO(), stderr=io.StringIO())
