"""Who must give a second factor, and the TOTP device's life (ASVS 2.7, 2.8).

Analysts and administrators (and anyone with access to the Django admin) sign in with
a password and a six-digit code from an authenticator app. Relationship workers, team
leaders and mentors sign in with a password only.
"""

from __future__ import annotations

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import User

DEVICE_NAME = "authenticator app"


def needs_second_factor(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (user.role in (User.Role.ANALYST, User.Role.ADMINISTRATOR) or user.is_staff or user.is_superuser)
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed device the enrolment page shows; the same one on a reload, so the
    code the user has just scanned stays valid."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as inline SVG markup (no script, no style attribute)."""
    return segno.make(device.config_url, error="m", micro=False).svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="otp-qr", lineclass=None, omitsize=True
    )


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode  # noqa: PLC0415

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def second_factor_verify(*, request: HttpRequest, device: TOTPDevice, token: str, confirm: bool) -> bool:
    """Check the code against the device; on success mark the session as verified with a new
    session key (privilege changes, so the old key must not carry over) and, at enrolment,
    confirm the device. The device throttles repeated failures and refuses a reused code."""
    if not device.verify_token(token.replace(" ", "")):
        return False
    if confirm and not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    request.session.cycle_key()
    otp_login(request, device)
    return True
