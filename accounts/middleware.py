"""Middleware for sessions, the second factor and caching of personal data."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts.second_factor import confirmed_device, needs_second_factor
from accounts.sessions import session_expiry, session_touch

API_PREFIX = "/api/"

# What a signed-in analyst or administrator may reach before giving the second factor.
BEFORE_SECOND_FACTOR = {"accounts:otp_setup", "accounts:otp_verify", "login", "logout", "set_language"}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _go_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for an htmx request a whole-page navigation (HX-Redirect), so the login or
    code page does not land inside a fragment of the old page."""
    if _is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class NoStoreMiddleware:
    """Nothing shown to a signed-in user is kept by the browser or a proxy (ASVS 8.2.1):
    Cache-Control: no-store (with Pragma for HTTP/1.0 caches). Static files never get
    here: WhiteNoise answers them before this middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # after the view: DRF's token user is set here too
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response


class SessionLimitsMiddleware:
    """Ends a session 30 minutes after its last request or 12 hours after sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            reason = session_expiry(request.session, now=now)
            if reason is not None:
                logout(request)
                if request.path_info.startswith(API_PREFIX):
                    return self.get_response(request)  # the API answers the anonymous caller itself
                messages.info(request, reason)
                next_url = request.get_full_path() if request.method == "GET" and not _is_htmx(request) else None
                login = redirect_to_login(next_url) if next_url else HttpResponseRedirect(resolve_url("login"))
                return _go_to(request, login["Location"])
            session_touch(request.session, now=now)
        return self.get_response(request)


class SecondFactorMiddleware:
    """An analyst or administrator whose session has not given the second factor reaches
    nothing but the enrolment and code pages (and logout): every page and the admin site
    send her there, the session-authenticated API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict):
        user = request.user
        if not needs_second_factor(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in BEFORE_SECOND_FACTOR:
            return None
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": _("Sign in with your second factor first.")}, status=403)
        target = "accounts:otp_verify" if confirmed_device(user) else "accounts:otp_setup"
        url = reverse(target)
        if request.method == "GET" and not _is_htmx(request):
            url += "?" + urlencode({"next": request.get_full_path()})
        return _go_to(request, url)
