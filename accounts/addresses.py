"""The client's address as django-axes counts failed sign-ins by it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind LOGIN_TRUSTED_PROXIES proxies the X-Forwarded-For entry the
    outermost trusted proxy appended. Entries left of it are the client's own claims and are
    never trusted: a client could otherwise pick a fresh address for every guess."""
    trusted = settings.LOGIN_TRUSTED_PROXIES
    if trusted:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR")
