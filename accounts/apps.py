from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Sign-in and sessions")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from accounts.sessions import session_start  # noqa: PLC0415

        # Every way into a session (the login page, the admin's login, the test client's
        # login and force_login) goes through django.contrib.auth.login, which sends this
        # signal: the one place that sees them all to stamp the session's start.
        user_logged_in.connect(session_start, dispatch_uid="accounts.session_start")
