from __future__ import annotations

from django.urls import path

from interventions.mediation import views

urlpatterns = [
    path("mediation/", views.mediation_list, name="mediation_list"),
    path("mediation/new/", views.mediation_create, name="mediation_create"),
    path("mediation/<int:pk>/", views.mediation_detail, name="mediation_detail"),
    path("mediation/<int:pk>/edit/", views.mediation_edit, name="mediation_edit"),
    path("mediation/<int:pk>/parties/", views.mediation_party_add, name="mediation_party_add"),
    path("mediation/<int:pk>/parents/", views.mediation_parent_add, name="mediation_parent_add"),
    path("mediation/<int:pk>/clearance/", views.mediation_clearance, name="mediation_clearance"),
    path("mediation/<int:pk>/preparation/", views.mediation_preparation_add, name="mediation_preparation_add"),
    path("mediation/<int:pk>/steps/", views.mediation_step_record, name="mediation_step_record"),
    path("mediation/<int:pk>/agreement/", views.mediation_agreement, name="mediation_agreement"),
    path("mediation/<int:pk>/agreement/print/", views.mediation_agreement_print, name="mediation_agreement_print"),
    path("mediation/<int:pk>/agreement.pdf", views.mediation_agreement_pdf, name="mediation_agreement_pdf"),
    path("mediation/<int:pk>/close/", views.mediation_close, name="mediation_close"),
    path("mediation/follow-ups/<int:pk>/", views.mediation_follow_up, name="mediation_follow_up"),
]
