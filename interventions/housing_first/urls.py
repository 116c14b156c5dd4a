from __future__ import annotations

from django.urls import path

from interventions.housing_first import views

urlpatterns = [
    path("housing-first/", views.housing_first_list, name="housing_first_list"),
    path("housing-first/<int:pk>/", views.housing_first_detail, name="housing_first_detail"),
    path("housing-first/<int:pk>/housing/", views.housing_status_add, name="housing_status_add"),
    path("housing-first/<int:pk>/goals/", views.housing_goal_add, name="housing_goal_add"),
    path("housing-first/<int:pk>/network/", views.network_map_page, name="network_map"),
    path("housing-first/<int:pk>/network/print/", views.network_map_print, name="network_map_print"),
    path(
        "housing-first/<int:pk>/network/<int:relation_pk>/edit/",
        views.network_relation_edit,
        name="network_relation_edit",
    ),
    path("housing-first/<int:pk>/status/", views.cti_status, name="cti_status"),
    path("housing-first/goals/<int:pk>/met/", views.housing_goal_met, name="housing_goal_met"),
]
