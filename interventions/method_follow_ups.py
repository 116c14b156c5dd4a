"""Follow-ups of the methods that fall due, for the worker's list: mediation
follow-ups (3 and 12 months after the agreement), parent council follow-ups
(3 and 12 months after the first meeting) and the follow-up dates of the
parents' plan items. Scoped like the method pages; overdue ones first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import User
from interventions.mediation.selectors import mediation_cases_for
from interventions.models import MediationFollowUp, ParentCouncilFollowUp, ParentCouncilPlanItem
from interventions.parent_council.selectors import parent_councils_for


@dataclass(frozen=True)
class FollowUpDue:
    what: str
    due_on: dt.date
    overdue: bool
    url: str


def method_follow_ups_due(user: User, *, today: dt.date, within_days: int = 14) -> list[FollowUpDue]:
    """Not yet done, and due by `today + within_days`."""
    horizon = today + dt.timedelta(days=within_days)
    rows: list[FollowUpDue] = []
    mediation = MediationFollowUp.objects.filter(
        case__in=mediation_cases_for(user), held_on__isnull=True, due_on__lte=horizon
    ).select_related("case")
    for f in mediation:
        what = _("Mediation (%(type)s): %(months)s-month follow-up") % {
            "type": f.case.get_case_type_display().lower(),
            "months": f.months,
        }
        url = reverse("interventions:mediation_detail", args=[f.case_id]) + "#follow-ups"
        rows.append(FollowUpDue(what, f.due_on, f.due_on < today, url))
    councils = parent_councils_for(user)
    for f in ParentCouncilFollowUp.objects.filter(
        council__in=councils, held_on__isnull=True, due_on__lte=horizon
    ).select_related("council"):
        what = _("Parent council %(title)s: %(months)s-month follow-up") % {
            "title": f.council.title,
            "months": f.months,
        }
        url = reverse("interventions:council_detail", args=[f.council_id]) + "#follow-ups"
        rows.append(FollowUpDue(what, f.due_on, f.due_on < today, url))
    items = ParentCouncilPlanItem.objects.filter(
        council__in=councils.filter(closed_on__isnull=True), done_on__isnull=True, follow_up_on__lte=horizon
    ).select_related("council")
    for item in items:
        what = _("Parent council %(title)s: %(item)s") % {"title": item.council.title, "item": item.text}
        url = reverse("interventions:council_detail", args=[item.council_id]) + "#plan"
        rows.append(FollowUpDue(what, item.follow_up_on, item.follow_up_on < today, url))
    return sorted(rows, key=lambda row: (row.due_on, row.what))
