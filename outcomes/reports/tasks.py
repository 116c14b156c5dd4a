"""Celery tasks of the quarterly report: thin, ids and strings in, one service each."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import User
from outcomes.reports.quarters import Quarter
from outcomes.reports.services import report_run_render, report_run_request

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": True, "max_retries": 5}


@shared_task(name="outcomes.reports.render_report_run", **RETRY)
def render_report_run(run_id: int) -> bool:
    """Render one report run; a second delivery of the same run does nothing (`_claim`)."""
    return report_run_render(run_id=run_id)


@shared_task(name="outcomes.reports.request_last_quarter")
def request_last_quarter(today: str | None = None) -> int:
    """Celery beat, on the first day of each quarter: request last quarter's municipality
    report and e-mail the analysts a link to the report page. Returns the run's id."""
    day = timezone.localdate() if today is None else Quarter.parse_day(today)
    quarter = Quarter.containing(day).previous()
    run, _queued = report_run_request(quarter=quarter, team=None, language="da")
    analysts = list(
        User.objects.filter(role=User.Role.ANALYST, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if analysts:
        # SITE_URL (the address analysts use) makes the link absolute; without it, a path.
        link = getattr(settings, "SITE_URL", "").rstrip("/") + reverse("outcomes:reports")
        with translation.override("da"):
            send_mail(
                _("Quarterly report %(quarter)s") % {"quarter": quarter},
                _(
                    "The quarterly report for %(quarter)s for the whole municipality is being prepared. "
                    "Download it here when it is ready: %(link)s"
                )
                % {"quarter": quarter, "link": link},
                None,
                analysts,
            )
    logger.info("quarterly report %s requested (run %s), %s analysts notified", quarter, run.pk, len(analysts))
    return run.pk
