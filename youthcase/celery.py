"""The Celery application.

Tasks are acknowledged only after they finish and are put back when a worker
dies under them, so a killed worker loses no work; every task is written to
be idempotent, so a redelivery cannot duplicate it either.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthcase.settings")

app = Celery("youthcase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)
app.autodiscover_tasks()
