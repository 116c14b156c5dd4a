"""Password rules (ASVS 2.1) through the page a user changes her password on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import sign_in
from tests.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/account/password/"


def _change(client: Client, new: str):
    return client.post(PAGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(
    ("new", "rule"),
    [
        ("kort-kode1", "mindst 12 tegn"),  # too short
        ("qwertyqwerty", "for almindelig"),  # on the list of common passwords
        ("839274619283", "udelukkende numerisk"),  # digits only
        ("saraworker12", "minder for meget om"),  # like her name, Sara Worker
    ],
)
def test_a_weak_new_password_is_refused_with_the_reason(world, new, rule):
    client = login(world.worker)
    response = _change(client, new)
    assert response.status_code == 200
    assert rule in response.content.decode()
    world.worker.refresh_from_db()
    assert world.worker.check_password(PASSWORD)


def test_a_good_new_password_replaces_the_old_one_and_keeps_this_session(world):
    client = login(world.worker)
    assert client.get(PAGE).status_code == 200
    response = _change(client, "Blå hest på cykel 42")
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(reverse("cases:my_young_people")).status_code == 200
    assert sign_in(Client(), "worker").status_code == 200  # the old password no longer works
    assert sign_in(Client(), "worker", password="Blå hest på cykel 42").status_code == 302


def test_other_sessions_of_the_user_end_when_the_password_changes(world):
    elsewhere = login(world.worker)
    _change(login(world.worker), "Blå hest på cykel 42")
    assert elsewhere.get(reverse("cases:my_young_people")).status_code == 302


def test_the_old_password_must_be_given(world):
    client = login(world.worker)
    response = client.post(
        PAGE, {"old_password": "wrong-wrong-wrong", "new_password1": "Blå hest 42!", "new_password2": "Blå hest 42!"}
    )
    assert response.status_code == 200
    world.worker.refresh_from_db()
    assert world.worker.check_password(PASSWORD)
