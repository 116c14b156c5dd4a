from __future__ import annotations

from django.urls import path

from outcomes.reports import views

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/request/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
]
