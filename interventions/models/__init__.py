"""Intervention models, one module per sub-domain (CONVENTIONS: split by
sub-domain, not by layer). Each module's models are re-exported here so that
Django finds them and `from interventions.models import X` keeps working."""

from interventions.models.group_work import Bridging, FollowUpFlag, GroupActivity, GroupAttendance
from interventions.models.housing_first import HousingGoal, NetworkRelation, RelationType
from interventions.models.mediation import (
    MediationAgreement,
    MediationCase,
    MediationFollowUp,
    MediationParent,
    MediationParty,
    MediationPreparation,
    MediationStep,
    MediationStepNumber,
    MediationType,
    Relationship,
)
from interventions.models.mentoring import (
    Match,
    MenteeProfile,
    Mentor,
    MentorContact,
    MentorSession,
    MentorSessionAttendance,
    ScreeningStep,
)
from interventions.models.parent_council import (
    ParentCouncil,
    ParentCouncilFamily,
    ParentCouncilFollowUp,
    ParentCouncilMeeting,
    ParentCouncilParent,
    ParentCouncilParticipant,
    ParentCouncilPlanItem,
)
from interventions.models.types import ContactNorm, InterventionType

__all__ = [
    "ContactNorm",
    "InterventionType",
    # Housing First with CTI
    "HousingGoal",
    "NetworkRelation",
    "RelationType",
    # Mediation
    "MediationAgreement",
    "MediationCase",
    "MediationFollowUp",
    "MediationParent",
    "MediationParty",
    "MediationPreparation",
    "MediationStep",
    "MediationStepNumber",
    "MediationType",
    "Relationship",
    # Parent councils
    "ParentCouncil",
    "ParentCouncilFamily",
    "ParentCouncilFollowUp",
    "ParentCouncilMeeting",
    "ParentCouncilParent",
    "ParentCouncilParticipant",
    "ParentCouncilPlanItem",
    # Mentoring
    "Match",
    "MenteeProfile",
    "Mentor",
    "MentorContact",
    "MentorSession",
    "MentorSessionAttendance",
    "ScreeningStep",
    # Relationship work: group activities, follow-up flags, bridging
    "Bridging",
    "FollowUpFlag",
    "GroupActivity",
    "GroupAttendance",
]
