"""Sign-in, the second factor and password change. Django's own views where they fit."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.forms import TokenForm
from accounts.second_factor import (
    confirmed_device,
    needs_second_factor,
    qr_svg,
    second_factor_verify,
    secret_text,
    totp_device_for_enrolment,
)


class SignInView(auth_views.LoginView):
    """Django's LoginView: a new session key at sign-in, `next` only to this site.
    django-axes counts the failures (AxesStandaloneBackend) and answers a locked-out
    username or address with accounts/locked_out.html."""

    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


def _next_url(request: HttpRequest) -> str:
    """`next` if it is a path on this site, else the start page: never an open redirect."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _for_second_factor_users(request: HttpRequest) -> None:
    if not needs_second_factor(request.user):
        raise PermissionDenied


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of an analyst or administrator: scan the QR code, type the first code.
    Once she has a confirmed device this page only leads on: a password alone must never
    be enough to add another device."""
    _for_second_factor_users(request)
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if confirmed_device(request.user) is not None:
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': next_url})}")
    device = totp_device_for_enrolment(user=request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if second_factor_verify(request=request, device=device, token=form.cleaned_data["token"], confirm=True):
            messages.success(request, _("The authenticator app is set up. Use it every time you sign in."))
            return redirect(next_url)
        form.add_error(
            "token", _("That code was not accepted. Check that the phone's clock is right and type the newest code.")
        )
    context = {"form": form, "qr_svg": qr_svg(device), "secret": secret_text(device), "next": next_url}
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Every sign-in of an analyst or administrator: the code from her app."""
    _for_second_factor_users(request)
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if second_factor_verify(request=request, device=device, token=form.cleaned_data["token"], confirm=False):
            return redirect(next_url)
        form.add_error(
            "token", _("That code was not accepted. Check that the phone's clock is right and type the newest code.")
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})
