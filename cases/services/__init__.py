"""Every write to case data goes through these functions.

Views, API views, the importer, the demo data and tasks all call them; they
validate, write atomically, record the write in the access log when a person
made it, and return the object. Errors are `ValidationError`s keyed by field,
so forms and serializers can show them beside the field.

The functions live in one module per sub-domain and are re-exported here.
"""

from cases.services.consent import consent_record, consent_require, consent_withdraw
from cases.services.contacts import CONTACT_FIELDS, FUTURE_TOLERANCE, contact_cancel, contact_log, contact_update
from cases.services.enrolments import (
    enrolment_close,
    enrolment_hand_over,
    enrolment_open,
    enrolment_reopen,
    enrolment_update,
    pause_end,
    pause_save,
)
from cases.services.people import (
    team_create,
    team_update,
    user_create,
    user_update,
    young_person_create,
    young_person_update,
)
from cases.services.plans import (
    agreement_add,
    agreement_done,
    goal_achieve,
    goal_add,
    plan_create,
    plan_meeting_record,
)

__all__ = [
    "agreement_add",
    "agreement_done",
    "consent_record",
    "consent_require",
    "consent_withdraw",
    "enrolment_reopen",
    "goal_achieve",
    "goal_add",
    "pause_end",
    "plan_create",
    "plan_meeting_record",
    "CONTACT_FIELDS",
    "FUTURE_TOLERANCE",
    "contact_cancel",
    "contact_log",
    "contact_update",
    "enrolment_close",
    "enrolment_hand_over",
    "enrolment_open",
    "enrolment_update",
    "pause_save",
    "team_create",
    "team_update",
    "user_create",
    "user_update",
    "young_person_create",
    "young_person_update",
]
