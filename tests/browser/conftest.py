"""Browser tests: Playwright driving the system Chromium (Debian's package;
`playwright install` cannot download browsers here), with axe-core from the
npm registry checking every page visited for WCAG 2.1 AA problems."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from the test body are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# Every page reports a Content Security Policy violation to the console, where the
# context's listener collects it: the securitypolicyviolation event (added before any
# page script runs, by the DevTools protocol, which the policy does not govern) and
# Chromium's own "Refused to ..." message.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


def csp_messages(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


class CSPViolations(list):
    """The CSP violations a browser context saw, each as '<url>: <message>'."""


def _context(browser: Browser, **options: object) -> BrowserContext:
    # The pages' Content Security Policy is enforced (no bypass_csp): axe-core is run
    # through page.evaluate, which the policy does not govern.
    context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen", **options)
    context.set_default_timeout(10_000)
    violations = CSPViolations()
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.on(
        "console",
        lambda message: (
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")
            if csp_messages(message.text)
            else None
        ),
    )
    context.csp_violations = violations  # type: ignore[attr-defined]
    return context


def _close_without_csp_violations(context: BrowserContext) -> None:
    violations = list(context.csp_violations)  # type: ignore[attr-defined]
    context.close()
    assert violations == [], "Content Security Policy violations: " + "; ".join(dict.fromkeys(violations))


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = _context(browser, **PHONE)
    yield context.new_page()
    _close_without_csp_violations(context)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = _context(browser, **DESKTOP)
    yield context.new_page()
    _close_without_csp_violations(context)


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) and fail on serious or critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: " + "; ".join(serious)


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the login page; an analyst or administrator then gives her second
    factor as a person would: at the first sign-in she reads the key the enrolment page
    shows into her 'app' (here: RFC 6238 computed from that key), later she types the
    code for the device she enrolled."""
    page.goto(f"{base_url}/login/")
    assert_accessible(page)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    if "/account/second-factor/setup/" in page.url:
        assert_accessible(page)
        secret = page.locator("#otp-secret").inner_text()
        page.get_by_label("Sekscifret kode fra appen").fill(totp_code(secret))
        page.get_by_role("button", name="Bekræft").click()
        page.wait_for_load_state()
    elif "/account/second-factor/" in page.url:
        from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        secret = base64.b32encode(device.bin_key).decode()
        page.get_by_label("Sekscifret kode fra appen").fill(totp_code(secret, after=device.last_t))
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state()
    assert "/account/second-factor/" not in page.url, f"second factor not accepted for {username}"


def totp_code(secret: str, *, after: int = -1) -> str:
    """What an authenticator app shows for this base32 key now (30-second steps, six digits);
    if the current step's code was used already, the next step's, which the server also accepts."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    step = int(time.time()) // 30
    if step <= after:
        step = after + 1
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"
