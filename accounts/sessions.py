"""Session limits: 30 minutes idle, 12 hours from sign-in (ASVS 3.3.1, 3.3.2).

The session holds two timestamps (seconds since the epoch): when the user signed in,
stamped once at login, and when she was last seen, refreshed by the middleware at most
once a SESSION_TOUCH_SECONDS so that an ordinary page view does not write the session row.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"

IDLE = _("You were signed out after 30 minutes without activity. Please sign in again.")
ABSOLUTE = _("You were signed out because you signed in more than 12 hours ago. Please sign in again.")


def session_start(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Receiver of user_logged_in: the session's clock starts now."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_expiry(session: SessionBase, *, now: float) -> str | None:
    """Why this signed-in session has ended (a message for the user), or None while it is valid.
    A session without the stamps predates them and is ended too."""
    signed_in, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    if signed_in is None or last_seen is None:
        return str(IDLE)
    if now - signed_in > settings.SESSION_ABSOLUTE_SECONDS:
        return str(ABSOLUTE)
    if now - last_seen > settings.SESSION_IDLE_SECONDS:
        return str(IDLE)
    return None


def session_touch(session: SessionBase, *, now: float) -> None:
    if now - session[LAST_SEEN_AT] >= settings.SESSION_TOUCH_SECONDS:
        session[LAST_SEEN_AT] = now
