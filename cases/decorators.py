from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def case_worker_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages with personal data are for workers and team leaders only; analysts
    and administrators get 403 here (their data is aggregates and configuration)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.works_cases:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
