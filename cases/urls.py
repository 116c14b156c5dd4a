from __future__ import annotations

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("young-people/", views.my_young_people, name="my_young_people"),
    path("young-people/search/", views.young_people_search, name="young_people_search"),
    path("young-people/<int:pk>/", views.young_person_detail, name="young_person_detail"),
    path("young-people/<int:pk>/contacts/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/cancel/", views.contact_cancel, name="contact_cancel"),
]
