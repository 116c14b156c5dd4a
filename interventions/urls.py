"""URLs of the intervention methods; each sub-domain has its own module under
interventions/urls/ or interventions/<sub-domain>/ and is included here."""

from __future__ import annotations

from django.urls import include, path

app_name = "interventions"

urlpatterns: list = [
    path("", include("interventions.mediation.urls")),
    path("", include("interventions.parent_council.urls")),
    path("", include("interventions.housing_first.urls")),
    path("", include("interventions.mentoring.urls")),
    path("", include("interventions.group_work.urls")),
]
