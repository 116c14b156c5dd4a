from __future__ import annotations

from django.urls import path

from outcomes.assessments import api, views

urlpatterns = [
    path("young-people/<int:pk>/assessments/new/", views.assessment_choose, name="assessment_choose"),
    path(
        "young-people/<int:pk>/assessments/new/<int:version_pk>/",
        views.assessment_new,
        name="assessment_new",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("young-people/<int:pk>/status/new/", views.status_change_record, name="status_change_record"),
    # Here rather than in outcomes/api/urls.py (another part's router): the same /api/v1/ prefix.
    path(
        "api/v1/assessments/",
        api.AssessmentViewSet.as_view({"get": "list", "post": "create"}),
        name="assessment_api",
    ),
]
