"""What the methods' case pages share: one small form posted, one service called."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from interventions.method_forms import MethodForm

# A service call's outcome as shown to the worker: a message, or a level and a message.
Saved = str | tuple[int, str]


def post_form(
    request: HttpRequest,
    form: MethodForm,
    save: Callable[..., Saved],
    *,
    done: Callable[[], HttpResponse],
    redisplay: Callable[[], HttpResponse],
) -> HttpResponse:
    """Validate `form` and call `save(**cleaned_data)`; on success show its message and
    return `done()`, else (invalid input or the service's refusal, shown beside the
    field it names) return `redisplay()`, the page with the form's errors."""
    if form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            level, text = saved if isinstance(saved, tuple) else (messages.SUCCESS, saved)
            messages.add_message(request, level, text)
            return done()
    return redisplay()
