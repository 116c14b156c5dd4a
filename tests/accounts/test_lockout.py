"""Lock-out after repeated failed sign-ins (ASVS 2.2.1), per user name and, separately,
per address (django-axes: 5 failures, 15 minutes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from tests.accounts.helpers import sign_in

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


def _signed_in(response) -> bool:
    return response.status_code == 302


def test_five_failures_lock_the_user_name_from_every_address(world):
    for n in range(4):
        assert sign_in(Client(), "worker", password=WRONG, address=f"10.0.0.{n}").status_code == 200
    locked = sign_in(Client(), "worker", password=WRONG, address="10.0.0.4")
    assert locked.status_code == 429
    assert "Log-in er spærret" in locked.content.decode()
    # Now even the right password, from an address never seen, is refused.
    assert sign_in(Client(), "worker", address="10.0.0.99").status_code == 429
    # Other users, also from the addresses that failed once, are not affected.
    assert _signed_in(sign_in(Client(), "leader", address="10.0.0.1"))


def test_five_failures_from_one_address_lock_that_address_for_every_user_name(world):
    for name in ["anna", "bo", "carl", "dorte", "erik"]:
        sign_in(Client(), name, password=WRONG, address="192.0.2.7")
    assert sign_in(Client(), "leader", address="192.0.2.7").status_code == 429
    assert _signed_in(sign_in(Client(), "leader", address="192.0.2.8"))


def test_the_lock_lifts_after_the_cool_off(world):
    for _ in range(5):
        sign_in(Client(), "worker", password=WRONG, address="192.0.2.9")
    assert sign_in(Client(), "worker", address="192.0.2.10").status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    assert _signed_in(sign_in(Client(), "worker", address="192.0.2.10"))


def test_an_administrator_lifts_the_lock_with_a_command(world):
    for _ in range(5):
        sign_in(Client(), "worker", password=WRONG, address="192.0.2.11")
    assert sign_in(Client(), "worker", address="192.0.2.12").status_code == 429
    call_command("axes_reset_username", "worker")
    assert _signed_in(sign_in(Client(), "worker", address="192.0.2.12"))


def test_a_successful_sign_in_clears_the_count(world):
    for _ in range(4):
        sign_in(Client(), "worker", password=WRONG, address="192.0.2.13")
    assert _signed_in(sign_in(Client(), "worker", address="192.0.2.13"))
    for _ in range(4):
        sign_in(Client(), "worker", password=WRONG, address="192.0.2.13")
    assert _signed_in(sign_in(Client(), "worker", address="192.0.2.13"))


def test_the_admin_login_page_is_guarded_too(world):
    for _ in range(5):
        Client().post("/admin/login/", {"username": "admin", "password": WRONG}, REMOTE_ADDR="192.0.2.14")
    assert sign_in(Client(), "admin", address="192.0.2.15").status_code == 429


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(world, settings):
    settings.LOGIN_TRUSTED_PROXIES = 1
    proxy = "10.1.1.1"
    # The attacker adds addresses of her own in front; only the proxy's entry counts.
    for n in range(5):
        Client().post(
            "/login/",
            {"username": f"guess{n}", "password": WRONG},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",
        )
    assert (
        Client()
        .post(
            "/login/",
            {"username": "leader", "password": "test-password-123"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
        .status_code
        == 429
    )
    # A colleague in another office, through the same proxy, signs in.
    assert (
        Client()
        .post(
            "/login/",
            {"username": "leader", "password": "test-password-123"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.77",
        )
        .status_code
        == 302
    )
