"""Analysts and administrators sign in with a password and a TOTP code (ASVS 2.7, 2.8);
workers with a password only. The codes here are computed from the device's key, as the
phone's authenticator app computes them."""

from __future__ import annotations

import re
import time
from base64 import b32encode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import code_for, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_enrolled(world):
    """The analyst and the administrator before their first sign-in: no app enrolled yet."""
    TOTPDevice.objects.filter(user__in=[world.analyst, world.admin]).delete()
    return world


def _device(world) -> TOTPDevice:
    return TOTPDevice.objects.get(user=world.analyst, confirmed=True)


SETUP = "/account/second-factor/setup/"
VERIFY = "/account/second-factor/"


def test_a_worker_signs_in_with_her_password_only(world):
    client = Client()
    assert sign_in(client, "worker")["Location"] == reverse("cases:home")
    assert client.get(reverse("cases:my_young_people")).status_code == 200
    assert client.get(reverse("cases:young_person_detail", args=[world.young_person.pk])).status_code == 200
    assert not TOTPDevice.objects.filter(user=world.worker).exists()


@pytest.mark.parametrize("role", ["leader", "outsider"])
def test_other_case_roles_need_no_second_factor_either(world, role):
    client = Client()
    sign_in(client, getattr(world, role).username)
    assert client.get(reverse("cases:my_young_people")).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_before_the_second_factor_every_page_leads_to_enrolment(not_enrolled, role):
    world = not_enrolled
    client = Client()
    response = sign_in(client, getattr(world, role).username, next_url="/dashboard/")
    assert response.status_code == 302  # the password was right
    for url in ["/dashboard/", "/reports/", "/admin/", "/admin/cases/user/", reverse("cases:home")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP + "?next="), url
    # The session-authenticated API is closed too, with a plain refusal.
    assert client.get("/api/v1/young-people/").status_code == 403
    # Logging out and changing language still work.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302


def test_an_htmx_request_before_the_second_factor_navigates_the_whole_page(not_enrolled):
    client = Client()
    sign_in(client, "analyst")
    response = client.get("/dashboard/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == SETUP


def test_enrolment_shows_a_qr_code_and_the_key_and_is_confirmed_by_the_apps_code(not_enrolled):
    world = not_enrolled
    client = Client()
    sign_in(client, "analyst")
    page = client.get(SETUP + "?next=/reports/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=world.analyst)
    assert not device.confirmed
    html = page.content.decode()
    qr = re.search(r"<svg[^>]*>", html).group(0)  # the QR code, inline SVG markup
    assert 'class="otp-qr"' in qr and "viewBox=" in qr  # scaled by the stylesheet, not cropped
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html  # and the key, for typing
    # A reload shows the same key: the one already scanned stays valid.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=world.analyst).count() == 1

    wrong = client.post(SETUP, {"token": "000000" if code_for(device) != "000000" else "111111", "next": "/reports/"})
    assert wrong.status_code == 200 and "ikke godtaget" in wrong.content.decode()
    assert client.get("/reports/").status_code == 302  # still not through
    time.sleep(1.1)  # a wrong code holds the device back for a second (django-otp's throttle)

    right = client.post(SETUP, {"token": code_for(device, steps_ahead=1), "next": "/reports/"})
    assert right.status_code == 302 and right["Location"] == "/reports/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/reports/").status_code == 200


def test_with_a_device_every_sign_in_asks_for_a_code_and_the_password_alone_cannot_add_a_device(world):
    device = _device(world)
    client = Client()
    sign_in(client, "analyst")
    response = client.get("/dashboard/")
    assert response["Location"] == VERIFY + "?next=%2Fdashboard%2F"
    # The enrolment page only leads on to the code page; no second device is made.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=world.analyst).count() == 1

    assert client.post(VERIFY, {"token": "12345", "next": "/dashboard/"}).status_code == 200  # not six digits
    response = client.post(VERIFY, {"token": code_for(device), "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_a_code_is_accepted_once_only(world):
    device = _device(world)
    first = Client()
    sign_in(first, "analyst")
    code = code_for(device)
    assert first.post(VERIFY, {"token": code})["Location"] == reverse("cases:home")
    # Someone who saw the code (and knows the password) cannot reuse it.
    second = Client()
    sign_in(second, "analyst")
    assert second.post(VERIFY, {"token": code}).status_code == 200
    assert second.get("/dashboard/").status_code == 302


def test_a_wrong_code_throttles_the_next_try(world):
    device = _device(world)
    client = Client()
    sign_in(client, "analyst")
    client.post(VERIFY, {"token": "000000" if code_for(device) != "000000" else "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Even the right code waits out the back-off (django-otp doubles it after each failure),
    # so guessing a million codes is out of reach.
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_the_code_page_refuses_to_redirect_off_the_site(world):
    device = _device(world)
    client = Client()
    sign_in(client, "analyst")
    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("cases:home")


def test_the_second_factor_gives_the_session_a_new_key(world):
    device = _device(world)
    client = Client()
    sign_in(client, "analyst")
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"token": code_for(device)})
    assert client.cookies["sessionid"].value != before
    assert client.get("/dashboard/").status_code == 200


def test_workers_have_no_second_factor_pages(world):
    client = Client()
    sign_in(client, "worker")
    assert client.get(SETUP).status_code == 403
    assert client.get(VERIFY).status_code == 403
