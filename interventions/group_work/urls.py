from __future__ import annotations

from django.urls import path

from interventions.group_work import views

urlpatterns = [
    path("group-work/activities/", views.activity_list, name="activity_list"),
    path("group-work/activities/new/", views.activity_create, name="activity_create"),
    path("group-work/activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("group-work/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("group-work/activities/<int:pk>/attendance/", views.attendance_save, name="attendance_save"),
    path("group-work/follow-up/", views.flag_list, name="flag_list"),
    path("group-work/follow-up/new/<int:enrolment_pk>/", views.flag_create, name="flag_create"),
    path("group-work/follow-up/<int:pk>/take/", views.flag_take, name="flag_take"),
    path("group-work/enrolments/<int:enrolment_pk>/bridging/", views.bridging, name="bridging"),
]
