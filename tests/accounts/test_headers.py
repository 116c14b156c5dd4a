"""Browser security headers (ASVS 14.4, 8.2.1, 3.4), open redirects (ASVS 5.1.5) and the
production settings behind them."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from interventions.models import MediationAgreement
from tests.accounts.helpers import sign_in
from tests.conftest import login
from tests.interventions.factories_methods import days_ago
from tests.interventions.test_mediation_views import _case_of
from tests.youthcase.test_deployment import PRODUCTION_ENV, _manage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


def _assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


@pytest.mark.parametrize("role", ["anonymous", "worker", "analyst"])
def test_every_page_has_a_strict_content_security_policy(world, role):
    client = login(None if role == "anonymous" else getattr(world, role))
    for url in ["/login/", "/", "/dashboard/", f"/young-people/{world.young_person.pk}/", "/no-such-page/"]:
        response = client.get(url)
        _assert_strict(_policy(response))


def test_no_template_has_an_inline_script_or_style():
    """What the policy would block: <script> without src, <style>, style="", on…="" handlers.
    The quarterly report's PDF template is rendered by WeasyPrint only, never served."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if path.is_relative_to(ROOT / "templates" / "outcomes" / "pdf"):
            continue
        text = path.read_text()
        for pattern in (inline_script, re.compile(r"<style\b"), re.compile(r"\sstyle="), re.compile(r"\son[a-z]+=")):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern.pattern}")
    assert offenders == []


def test_htmx_adds_no_inline_styles():
    base = (ROOT / "templates" / "base.html").read_text()
    config = json.loads(re.search(r'name="htmx-config" content=\'([^\']+)\'', base).group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_swagger_docs_start_from_a_script_file_under_the_strict_policy(world):
    client = Client()
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    _assert_strict(_policy(page))
    script_url = re.search(r'<script src="([^"]+script=[^"]*)"', page.content.decode()).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_redoc_alone_may_use_inline_styles_but_never_inline_scripts(world):
    page = Client().get("/api/v1/redoc/")
    assert page.status_code == 200
    policy = _policy(page)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "fonts.googleapis.com" not in page.content.decode()  # no CDN


@pytest.mark.parametrize("role", ["worker", "leader", "analyst", "admin"])
def test_pages_for_a_signed_in_user_are_never_stored(world, role):
    client = login(getattr(world, role))
    for url in ["/", "/dashboard/", "/account/password/", f"/young-people/{world.young_person.pk}/"]:
        response = client.get(url, follow=False)
        if response.status_code == 200:
            assert "no-store" in response["Cache-Control"], url
            assert response["Pragma"] == "no-cache", url


def test_the_api_answers_are_never_stored_either(world):
    token = Token.objects.create(user=world.worker)
    response = Client().get("/api/v1/young-people/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(world):
    static = login(world.worker).get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example"]
)
def test_login_refuses_to_redirect_off_the_site(world, target):
    response = sign_in(Client(), "worker", next_url=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:home")


def test_login_follows_a_path_on_the_site(world):
    assert sign_in(Client(), "worker", next_url="/dashboard/")["Location"] == "/dashboard/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_the_language_switch_refuses_to_redirect_off_the_site(world, target):
    response = login(world.worker).post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"]


def _production_settings() -> dict:
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "from django.conf import settings; import json; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_http_only_and_https_is_strict(world):
    production = _production_settings()
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"]
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    production["SECURE_PROXY_SSL_HEADER"] = tuple(production["SECURE_PROXY_SSL_HEADER"])
    # The same values in this process, with the real middleware: a sign-in over HTTPS.
    with override_settings(**production):
        client = Client()
        plain = client.get("/login/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        response = sign_in_secure(client)
        cookie = response.cookies["sessionid"]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert client.get("/", secure=True)["Cache-Control"].count("no-store") == 1


def sign_in_secure(client: Client):
    return client.post(reverse("login"), {"username": "worker", "password": "test-password-123"}, secure=True)


def test_print_views_link_their_stylesheet_and_the_pdf_still_gets_it(world):
    """The print views' styles moved from an inline block to static/css/print.css: the browser
    loads it by URL, WeasyPrint from the static folder (its page counter proves it applied)."""
    case = _case_of(world.young_person, team=world.team, mediators=[world.worker])
    MediationAgreement.objects.create(case=case, text="Vi lader hinanden være.", approved_on=days_ago(1))
    client = login(world.worker)
    page = client.get(reverse("interventions:mediation_agreement_print", args=[case.pk]))
    assert '<link rel="stylesheet" href="/static/css/print.css">' in page.content.decode()
    pdf = client.get(reverse("interventions:mediation_agreement_pdf", args=[case.pk])).content
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    assert re.search(r"^\s{40,}1/1\s*$", text.decode(), re.MULTILINE)  # @bottom-right counter from print.css
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "(A4)" in info
