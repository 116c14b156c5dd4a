"""Versions of the data behind cached pages: a cached page is keyed by the version it was
built from, and every write that could change it gives its team (or everyone) a new version.

Two tokens make a team's version: one for all teams, one for the team. Writes that concern
one team's enrolments (the indicator store after a contact, a pause, a handover) renew the
team's token; writes that may touch any team (a rename, a norm, a plan, a mentor, a full
recompute) renew the global one. A token is a fresh nanosecond time, so a token lost from
the cache simply reads as new, and the page is rebuilt: never stale, at worst uncached.

Tokens are renewed twice: at once, for readers inside the writing transaction, and again
after it commits, so that a reader that rebuilt the page from the old data between the
write and the commit has stored it under a version nobody asks for any more.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

GLOBAL_KEY = "outcomes-freshness:all"
TEAM_KEY = "outcomes-freshness:team:{}"
# A team with more enrolments written at once than this renews everyone's token (a full recompute).
MANY = 200


def _token() -> int:
    return time.time_ns()


def team_version(team_id: int | None) -> str:
    """The version of the data a page of `team_id` is built from (one cache round trip)."""
    keys = [GLOBAL_KEY, TEAM_KEY.format(team_id or 0)]
    found = cache.get_many(keys)
    missing = {key: _token() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return f"{found[GLOBAL_KEY]}.{found[keys[1]]}"


def teams_changed(team_ids: Iterable[int | None]) -> None:
    """Data of these teams changed: their pages are rebuilt after the commit."""
    keys = {TEAM_KEY.format(team_id or 0) for team_id in team_ids}
    if keys:
        _renew_now_and_on_commit(Renewal(keys))


def everything_changed() -> None:
    """Data of any team may have changed: every page is rebuilt after the commit."""
    _renew_now_and_on_commit(Renewal({GLOBAL_KEY}))


class Renewal:
    """Gives `keys` a new token; a callable of its own type, so that tests counting the
    jobs a transaction queues on commit can tell these apart."""

    def __init__(self, keys: set[str]) -> None:
        self.keys = keys

    def __call__(self) -> None:
        cache.set_many(dict.fromkeys(self.keys, _token()), timeout=None)


def _renew_now_and_on_commit(renew: Renewal) -> None:
    renew()
    if transaction.get_connection().in_atomic_block:  # outside one, the write has already committed
        transaction.on_commit(renew)


def enrolments_changed(enrolment_ids: list[int]) -> None:
    """The indicator store rewrote these enrolments' rows."""
    from cases.models import Enrolment

    if len(enrolment_ids) > MANY:
        everything_changed()
        return
    teams_changed(Enrolment.objects.filter(pk__in=enrolment_ids).values_list("team_id", flat=True).distinct())
