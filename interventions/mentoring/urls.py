from __future__ import annotations

from django.urls import path

from interventions.mentoring import views

urlpatterns = [
    path("mentoring/mentors/", views.mentor_list, name="mentor_list"),
    path("mentoring/mentors/new/", views.mentor_create, name="mentor_create"),
    path("mentoring/mentors/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path("mentoring/mentors/<int:pk>/edit/", views.mentor_edit, name="mentor_edit"),
    path("mentoring/mentors/<int:pk>/screening/", views.screening_step_create, name="screening_step_create"),
    path("mentoring/mentors/<int:pk>/status/", views.mentor_status, name="mentor_status"),
    path("mentoring/matches/", views.match_list, name="match_list"),
    path("mentoring/matches/new/<int:young_person_pk>/", views.match_new, name="match_new"),
    path("mentoring/young-people/<int:young_person_pk>/profile/", views.mentee_profile, name="mentee_profile"),
    path("mentoring/enrolments/<int:pk>/match/", views.enrolment_match, name="enrolment_match"),
    path("mentoring/matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("mentoring/matches/<int:pk>/start/", views.match_start, name="match_start"),
    path("mentoring/matches/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("mentoring/matches/<int:pk>/end/", views.match_end, name="match_end"),
    path("mentoring/matches/<int:pk>/meetings/", views.match_meeting_create, name="match_meeting_create"),
    path("mentoring/sessions/", views.session_list, name="session_list"),
    path("mentoring/sessions/new/", views.session_create, name="session_create"),
    path("mentoring/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("mentoring/sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("my-mentee/", views.mentor_home, name="mentor_home"),
    path("my-mentee/<int:pk>/meetings/", views.mentor_meeting_log, name="mentor_meeting_log"),
]
