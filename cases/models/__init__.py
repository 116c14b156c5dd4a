"""Case data, one module per sub-domain; everything is re-exported here so that
Django finds the models and `from cases.models import X` works."""

from cases.models.access_log import AccessLog
from cases.models.consent import REQUIRED_CONSENT, Consent, ConsentPurpose
from cases.models.contacts import Contact
from cases.models.enrolments import (
    END_REASON_CLASS,
    EndReason,
    EndReasonClass,
    Enrolment,
    EnrolmentCorrection,
    Handover,
    Pause,
    PrimaryWorkerPeriod,
)
from cases.models.people import ProblemArea, Team, User, YoungPerson
from cases.models.plans import ActionPlan, Agreement, Goal, PlanMeeting

__all__ = [
    "END_REASON_CLASS",
    "REQUIRED_CONSENT",
    "AccessLog",
    "ActionPlan",
    "Agreement",
    "Consent",
    "ConsentPurpose",
    "Contact",
    "EndReason",
    "EndReasonClass",
    "Enrolment",
    "EnrolmentCorrection",
    "Goal",
    "Handover",
    "Pause",
    "PlanMeeting",
    "PrimaryWorkerPeriod",
    "ProblemArea",
    "Team",
    "User",
    "YoungPerson",
]
