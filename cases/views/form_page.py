"""One small form, one service call: the pattern of every lifecycle action
(pause, hand over, close, record a consent, add an agreement...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.models import YoungPerson


def form_page(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    title: str,
    young_person: YoungPerson,
    save: Callable[[dict[str, Any]], object],
    done_message: str,
    back_url: str,
    form_kwargs: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
    intro: str = "",
) -> HttpResponse:
    """GET shows the form; a valid POST calls `save` with the cleaned data and
    goes back, and the service's own refusals appear beside their fields."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, done_message)
                return redirect(back_url)
    else:
        form = form_class(initial=initial, **form_kwargs)
    context = {"form": form, "title": title, "young_person": young_person, "back_url": back_url, "intro": intro}
    return render(request, "cases/form_page.html", context)
