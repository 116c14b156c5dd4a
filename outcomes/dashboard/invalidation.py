"""What renews the dashboard's cached pages (outcomes.freshness), besides the indicator store.

The page shows, beside the stored indicators, rows of these models: a save or delete of
any of them renews every team's version after the commit. They change far less often than
contacts (whose path, the indicator store, renews only its own team), so a global renewal
costs little. Signals are the one place that sees every write of these models, the admin's
and the importer's included; the receivers do nothing but renew a token.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from outcomes.freshness import everything_changed

# app_label.ModelName of every model whose rows the dashboard reads, other than the
# indicator rows (renewed by outcomes.indicators.store).
SHOWN_MODELS = (
    "cases.Team",
    "cases.User",
    "cases.YoungPerson",
    "cases.Enrolment",
    "cases.PrimaryWorkerPeriod",
    "cases.Pause",
    "cases.Handover",
    "cases.ActionPlan",
    "cases.Goal",
    "cases.Agreement",
    "cases.PlanMeeting",
    "interventions.InterventionType",
    "interventions.ContactNorm",
    "interventions.FollowUpFlag",
    "interventions.Mentor",
    "interventions.ScreeningStep",
)


# Saves of only these fields change nothing the page shows (a sign-in writes last_login).
UNSHOWN_FIELDS = frozenset({"last_login", "password"})


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= UNSHOWN_FIELDS:
        return
    everything_changed()


def connect() -> None:
    for label in SHOWN_MODELS:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboard-fresh-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboard-fresh-delete-{label}")
