"""The application's URLs plus one view that fails after reading a young person, for
tests/security/test_error_pages.py (a 500 page with DEBUG off)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cases.models import YoungPerson
from youthcase.urls import urlpatterns as application


def fails_holding_a_young_person(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = YoungPerson.objects.get(pk=pk)  # her name and CPR number are in memory when it fails
    raise RuntimeError(f"deliberate failure while holding young person {young_person.pk}")


urlpatterns = [*application, path("fails/<int:pk>/", fails_holding_a_young_person)]
