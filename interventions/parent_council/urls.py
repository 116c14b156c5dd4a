from __future__ import annotations

from django.urls import path

from interventions.parent_council import views

urlpatterns = [
    path("parent-councils/", views.council_list, name="council_list"),
    path("parent-councils/new/", views.council_create, name="council_create"),
    path("parent-councils/<int:pk>/", views.council_detail, name="council_detail"),
    path("parent-councils/<int:pk>/edit/", views.council_edit, name="council_edit"),
    path("parent-councils/<int:pk>/families/", views.council_family_add, name="council_family_add"),
    path("parent-councils/<int:pk>/parents/", views.council_parent_add, name="council_parent_add"),
    path("parent-councils/<int:pk>/participants/", views.council_participant_add, name="council_participant_add"),
    path("parent-councils/<int:pk>/invitation/", views.council_invitation, name="council_invitation"),
    path("parent-councils/<int:pk>/coordinator/", views.council_coordinator, name="council_coordinator"),
    path("parent-councils/<int:pk>/meetings/", views.council_meeting_add, name="council_meeting_add"),
    path("parent-councils/<int:pk>/plan/", views.council_plan_item_add, name="council_plan_item_add"),
    path("parent-councils/<int:pk>/plan/approve/", views.council_plan_approve, name="council_plan_approve"),
    path("parent-councils/<int:pk>/plan/print/", views.council_plan_print, name="council_plan_print"),
    path("parent-councils/<int:pk>/plan.pdf", views.council_plan_pdf, name="council_plan_pdf"),
    path("parent-councils/<int:pk>/close/", views.council_close, name="council_close"),
    path("parent-councils/families/<int:pk>/step/", views.council_family_step, name="council_family_step"),
    path("parent-councils/plan-items/<int:pk>/done/", views.council_plan_item_done, name="council_plan_item_done"),
    path("parent-councils/follow-ups/<int:pk>/", views.council_follow_up, name="council_follow_up"),
]
