"""Who may reach the caseload dashboard (outcomes/dashboard)."""

from __future__ import annotations

from tests.conftest import World
from tests.url_access import LOGIN, Row, no_args, roles


def own_team(world: World) -> dict:
    return {"team_id": world.team.pk}


ROWS = {
    # A worker (also one of another team) gets her own small dashboard; a leader is sent on to her team's.
    "outcomes:dashboard": Row("get", no_args, roles(LOGIN, 200, 302, 200, 200, 200)),
    # The team's dashboard: its leader and administrators in full, analysts as aggregates; a worker of
    # the team is refused (the page is for the leader), a worker of another team does not find it.
    "outcomes:dashboard_team": Row("get", own_team, roles(LOGIN, 403, 200, 404, 200, 200)),
    "outcomes:dashboard_export": Row("get", own_team, roles(LOGIN, 403, 200, 404, 403, 200)),
}
