"""The number of SQL queries of a page does not grow with the data on it."""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import ContactFactory, EnrolmentFactory, PauseFactory, StatusEventFactory, intervention


def factory_dates() -> factory.Sequence:
    return factory.Sequence(lambda n: timezone.localdate() - dt.timedelta(days=100 - 20 * n))


pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow_caseload(world, n: int) -> None:
    for _ in range(n):
        enrolment = EnrolmentFactory(primary_worker=world.worker)
        ContactFactory.create_batch(2, enrolment=enrolment)
        PauseFactory(enrolment=enrolment)


def test_caseload_page_queries_do_not_grow_with_the_caseload(world):
    client = login(world.worker)
    url = reverse("cases:my_young_people")
    _grow_caseload(world, 2)
    small = _queries(client, url)
    _grow_caseload(world, 25)
    assert _queries(client, url) == small


def test_young_person_page_queries_do_not_grow_with_the_history(world):
    client = login(world.worker)
    url = reverse("cases:young_person_detail", args=[world.young_person.pk])
    # Two enrolments from the start: with one, the form hides the choice and
    # needs no query for it; the count is about growth, not that difference.
    EnrolmentFactory(
        young_person=world.young_person, primary_worker=world.worker, intervention_type=intervention("mentoring")
    )
    ContactFactory(enrolment=world.enrolment)
    small = _queries(client, url)
    ContactFactory.create_batch(30, enrolment=world.enrolment)
    PauseFactory.create_batch(2, enrolment=world.enrolment, start_date=factory_dates())
    StatusEventFactory.create_batch(3, young_person=world.young_person, date=factory_dates())
    third = EnrolmentFactory(
        young_person=world.young_person, primary_worker=world.colleague, intervention_type=intervention("mediation")
    )
    ContactFactory.create_batch(5, enrolment=third)
    assert _queries(client, url) == small
