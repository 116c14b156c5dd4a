"""Case data, one module per sub-domain; everything is re-exported here so that
Django finds the models and `from cases.models import X` works."""

from cases.models.access_log import AccessLog
from cases.models.contacts import Contact
from cases.models.enrolments import (
    END_REASON_CLASS,
    EndReason,
    EndReasonClass,
    Enrolment,
    Pause,
    PrimaryWorkerPeriod,
)
from cases.models.people import ProblemArea, Team, User, YoungPerson

__all__ = [
    "END_REASON_CLASS",
    "AccessLog",
    "Contact",
    "EndReason",
    "EndReasonClass",
    "Enrolment",
    "Pause",
    "PrimaryWorkerPeriod",
    "ProblemArea",
    "Team",
    "User",
    "YoungPerson",
]
