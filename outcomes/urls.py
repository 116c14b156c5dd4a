"""URLs of outcomes/: the indicators API, dashboards, assessments and reports.
Each sub-domain has its own urls module and is included here."""

from __future__ import annotations

from django.urls import include, path

app_name = "outcomes"

urlpatterns: list = [
    path("", include("outcomes.assessments.urls")),
    path("", include("outcomes.dashboard.urls")),
    path("", include("outcomes.reports.urls")),
]
