"""Who may reach each mentoring and group-work URL (pages and API).

Records of the worker's team answer 404 to a worker of another team. The
mentor's own page is for the mentor role only, so every role of the table
gets 403 there (tests/interventions/test_mentoring_views.py covers mentors).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.conftest import World
from tests.interventions.factories_mentoring import (
    activity,
    approved_mentor,
    mentoring_enrolment,
    running_match,
)
from tests.url_access import (
    API_LIST,
    API_PERSONAL,
    CASE_PAGE,
    LOGIN,
    PERSONAL,
    PERSONAL_WRITE,
    Row,
    no_args,
    roles,
)

FORM_AGAIN = roles(LOGIN, 200, 200, 404, 403, 403)  # an empty POST shows the form again with its errors
MENTOR_ONLY = roles(LOGIN, 403, 403, 403, 403, 403)
API_WRITE_INVALID = roles(401, 400, 400, 404, 403, 403)


def team_mentor(world: World) -> dict:
    return {"pk": approved_mentor(world.team).pk}


def own_match(world: World) -> dict:
    return {"pk": running_match(world.worker, young_person=world.young_person).pk}


def own_mentoring_enrolment(world: World) -> dict:
    return {"pk": mentoring_enrolment(world.worker, young_person=world.young_person).pk}


def past_session(world: World) -> dict:
    from interventions.models import MentorSession

    session = MentorSession.objects.create(
        team=world.team, kind="supervision", starts_at=timezone.now() - dt.timedelta(days=3)
    )
    return {"pk": session.pk}


def young_person_arg(world: World) -> dict:
    return {"young_person_pk": world.young_person.pk}


def team_activity(world: World) -> dict:
    return {"pk": activity(world.team, [world.worker]).pk}


def rw_enrolment_arg(world: World) -> dict:
    return {"enrolment_pk": world.enrolment.pk}


def open_flag(world: World) -> dict:
    from interventions.models import FollowUpFlag

    return {"pk": FollowUpFlag.objects.create(enrolment=world.enrolment, raised_by=world.worker, reason="Worried").pk}


ROWS: dict[str, Row] = {
    # Mentors and screening
    "interventions:mentor_list": Row("get", no_args, CASE_PAGE),
    "interventions:mentor_create": Row("get", no_args, CASE_PAGE),
    "interventions:mentor_detail": Row("get", team_mentor, PERSONAL),
    "interventions:mentor_edit": Row("get", team_mentor, PERSONAL),
    "interventions:screening_step_create": Row("post", team_mentor, FORM_AGAIN),
    "interventions:mentor_status": Row("post", team_mentor, FORM_AGAIN),
    # Matches
    "interventions:match_list": Row("get", no_args, CASE_PAGE),
    "interventions:match_new": Row("get", young_person_arg, PERSONAL),
    "interventions:mentee_profile": Row("post", young_person_arg, PERSONAL_WRITE),
    "interventions:enrolment_match": Row("get", own_mentoring_enrolment, PERSONAL_WRITE),
    "interventions:match_detail": Row("get", own_match, PERSONAL),
    "interventions:match_start": Row("post", own_match, FORM_AGAIN),
    "interventions:match_decline": Row("post", own_match, FORM_AGAIN),
    "interventions:match_end": Row("post", own_match, FORM_AGAIN),
    "interventions:match_meeting_create": Row("post", own_match, FORM_AGAIN),
    # Group sessions
    "interventions:session_list": Row("get", no_args, CASE_PAGE),
    "interventions:session_create": Row("get", no_args, CASE_PAGE),
    "interventions:session_detail": Row("get", past_session, PERSONAL),
    "interventions:session_attendance": Row("post", past_session, PERSONAL_WRITE),
    # The mentor's own page
    "interventions:mentor_home": Row("get", no_args, MENTOR_ONLY),
    "interventions:mentor_meeting_log": Row("post", own_match, MENTOR_ONLY),
    # Group work
    "interventions:activity_list": Row("get", no_args, CASE_PAGE),
    "interventions:activity_create": Row("get", no_args, CASE_PAGE),
    "interventions:activity_detail": Row("get", team_activity, PERSONAL),
    "interventions:activity_edit": Row("get", team_activity, PERSONAL),
    "interventions:attendance_save": Row("post", team_activity, PERSONAL_WRITE),
    "interventions:flag_list": Row("get", no_args, CASE_PAGE),
    "interventions:flag_create": Row("get", rw_enrolment_arg, PERSONAL),
    "interventions:flag_take": Row("post", open_flag, PERSONAL_WRITE),
    "interventions:bridging": Row("get", rw_enrolment_arg, PERSONAL),
    # API
    "mentor-list": Row("get", no_args, API_LIST),
    "mentor-detail": Row("get", team_mentor, API_PERSONAL),
    "mentor-match-list": Row("get", no_args, API_LIST),
    "mentor-match-detail": Row("get", own_match, API_PERSONAL),
    "mentor-match-start": Row("post", own_match, API_WRITE_INVALID),
    "mentor-match-decline": Row("post", own_match, API_WRITE_INVALID),
    "mentor-match-end": Row("post", own_match, API_WRITE_INVALID),
    "group-activity-list": Row("get", no_args, API_LIST),
    "group-activity-detail": Row("get", team_activity, API_PERSONAL),
    "group-activity-attendance": Row("get", team_activity, API_PERSONAL),
    "follow-up-flag-list": Row("get", no_args, API_LIST),
    "follow-up-flag-detail": Row("get", open_flag, API_PERSONAL),
    "follow-up-flag-take": Row("post", open_flag, roles(401, 200, 200, 404, 403, 403)),
}
