"""Who may open which dashboard, and what it shows them.

- A team leader sees her own team's dashboard in full (names, heatmap, work
  lists, export); another team's answers 404, as any record of another team.
- An administrator may pick any team and sees it as its leader would (the
  issue: "an administrator can pick any team"). This is the one place an
  administrator sees case data; every name shown is written to the access log
  with the purpose "team supervision", as for the leader.
- A worker gets a small dashboard of her own caseload. The team dashboard is
  for the leader: her own team's answers 403 (the page exists, not for her
  role), another team's 404.
- An analyst may pick any team and sees aggregates only, small counts
  suppressed (spec §11).
- Anyone else (mentors) gets 403.

The enrolments come from `cases.selectors.enrolments_for` for leaders and
workers. Administrators see no enrolment there by design, so their scope is
the team's enrolments, taken here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cases.audit import Purpose
from cases.models import Enrolment, Team, User
from cases.selectors import enrolments_for


class Mode(StrEnum):
    TEAM = "team"  # the leader's full dashboard (and the administrator's)
    WORKER = "worker"  # the worker's own caseload
    AGGREGATE = "aggregate"  # analysts: counts and rates only


@dataclass(frozen=True)
class Scope:
    user: User
    mode: Mode
    team: Team | None
    enrolments: QuerySet[Enrolment]

    @property
    def shows_names(self) -> bool:
        return self.mode != Mode.AGGREGATE

    @property
    def can_export(self) -> bool:
        return self.mode == Mode.TEAM

    @property
    def can_open_records(self) -> bool:
        """Links to the young person's page only for those whose scope there includes her."""
        return self.user.works_cases

    @property
    def purpose(self) -> str:
        return Purpose.CASE_WORK if self.mode == Mode.WORKER else Purpose.SUPERVISION


def picks_any_team(user: User) -> bool:
    return user.role in (User.Role.ADMINISTRATOR, User.Role.ANALYST)


def worker_scope(user: User) -> Scope:
    if user.role != User.Role.WORKER:
        raise PermissionDenied
    return Scope(
        user=user, mode=Mode.WORKER, team=user.team, enrolments=enrolments_for(user).filter(primary_worker=user)
    )


def team_scope(user: User, team_id: int) -> Scope:
    """The dashboard of team `team_id` as `user` may see it; 404 or 403 otherwise."""
    if user.role == User.Role.TEAM_LEADER:
        if user.team_id != team_id:
            raise Http404
        return Scope(user=user, mode=Mode.TEAM, team=user.team, enrolments=enrolments_for(user))
    if user.role == User.Role.WORKER:
        if user.team_id != team_id:
            raise Http404
        raise PermissionDenied
    if not picks_any_team(user):
        raise PermissionDenied
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Http404
    mode = Mode.TEAM if user.role == User.Role.ADMINISTRATOR else Mode.AGGREGATE
    return Scope(user=user, mode=mode, team=team, enrolments=Enrolment.objects.filter(team_id=team.pk))
