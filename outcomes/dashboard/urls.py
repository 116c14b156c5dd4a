from __future__ import annotations

from django.urls import path

from outcomes.dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/teams/<int:team_id>/", views.team_dashboard, name="dashboard_team"),
    path("dashboard/teams/<int:team_id>/work-lists.csv", views.work_lists_export, name="dashboard_export"),
]
