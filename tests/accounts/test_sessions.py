"""Sessions (ASVS 3.2.1, 3.3.1, 3.3.2): a new key at sign-in, 30 minutes idle, 12 hours
from sign-in whatever the activity. Time is moved by rewriting the session's own
timestamps, as the clock would."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.accounts.helpers import sign_in
from tests.conftest import login

pytestmark = pytest.mark.django_db

MINUTE, HOUR = 60, 60 * 60


def _shift(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_signing_in_gives_a_new_session_key_and_the_old_one_is_gone(world):
    client = Client()
    session = client.session  # an anonymous session, as a visitor's language choice makes one
    session["planted"] = "by someone else"
    session.save()
    before = client.cookies["sessionid"].value
    sign_in(client, "worker")
    after = client.cookies["sessionid"].value
    assert after != before
    assert not SessionStore(session_key=before).exists(before)
    assert client.get(reverse("cases:my_young_people")).status_code == 200


def test_a_session_stays_while_used_and_ends_after_30_idle_minutes(world):
    client = login(world.worker)
    page = reverse("cases:my_young_people")
    _shift(client, last_seen_at=29 * MINUTE)
    assert client.get(page).status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 5  # the request counted as activity

    _shift(client, last_seen_at=31 * MINUTE)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page}"
    assert "30 minutter" in client.get(response["Location"]).content.decode()
    # The session is gone, not just this answer: the next request is anonymous too.
    assert client.get(page).status_code == 302
    assert SIGNED_IN_AT not in client.session


def test_twelve_hours_after_sign_in_the_session_ends_even_if_busy(world):
    client = login(world.worker)
    page = reverse("cases:my_young_people")
    _shift(client, signed_in_at=11 * HOUR + 59 * MINUTE, last_seen_at=10)
    assert client.get(page).status_code == 200
    _shift(client, signed_in_at=12 * HOUR + 1, last_seen_at=10)
    response = client.get(page)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "12 timer" in client.get(response["Location"]).content.decode()


def test_the_analysts_verified_session_ends_the_same_way(world):
    client = login(world.analyst)
    assert client.get("/dashboard/").status_code == 200
    _shift(client, last_seen_at=31 * MINUTE)
    assert client.get("/dashboard/")["Location"].startswith(reverse("login"))


def test_an_htmx_request_after_the_idle_limit_reloads_the_whole_page_to_sign_in(world):
    client = login(world.worker)
    _shift(client, last_seen_at=31 * MINUTE)
    response = client.get(reverse("cases:my_young_people"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("login")


def test_the_api_with_an_idle_session_answers_as_to_a_stranger(world):
    client = login(world.worker)
    _shift(client, last_seen_at=31 * MINUTE)
    assert client.get("/api/v1/young-people/").status_code in (401, 403)


def test_activity_is_written_at_most_once_a_minute(world):
    client = login(world.worker)
    _shift(client, last_seen_at=20)
    stamped = client.session[LAST_SEEN_AT]
    client.get(reverse("cases:my_young_people"))
    assert client.session[LAST_SEEN_AT] == stamped


def test_the_stored_session_itself_expires_after_30_minutes(world):
    response = sign_in(Client(), "worker")
    cookie = response.cookies["sessionid"]
    row = Session.objects.get(session_key=cookie.value)
    remaining = (row.expire_date - timezone.now()).total_seconds()
    assert 29 * MINUTE < remaining <= 30 * MINUTE
    # And the cookie is a browser-session cookie: the browser keeps it on no disk, with no date.
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] is True
