"""Rows of the role-by-view table for sign-in, the second factor and password change.

The personas of tests/conftest.py sign in as the login page leaves them: analysts and
administrators with their second factor given, so the second-factor pages only lead on
(302); other roles never have a second factor and get 403 there."""

from __future__ import annotations

from tests.url_access import LOGIN, Row, no_args, roles

SECOND_FACTOR_PAGE = roles(LOGIN, 403, 403, 403, 302, 302)
SIGNED_IN = roles(LOGIN, 200, 200, 200, 200, 200)

ROWS = {
    "accounts:otp_setup": Row("get", no_args, SECOND_FACTOR_PAGE),
    "accounts:otp_verify": Row("get", no_args, SECOND_FACTOR_PAGE),
    "accounts:password_change": Row("get", no_args, SIGNED_IN),
    "accounts:password_change_done": Row("get", no_args, SIGNED_IN),
}
