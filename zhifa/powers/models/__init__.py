"""Power items, the provincial guidance list, versioned county grant lists, steps, claims and the
capacity assessment."""

from zhifa.powers.models.capacity import (
    AssessmentStatus,
    CapacityAssessment,
    CapacityRating,
    Judgement,
    Proposal,
    SelfRating,
)
from zhifa.powers.models.grants import Claim, GrantEntry, GrantList, GrantListStatus, GrantStep, GrantStepKind
from zhifa.powers.models.items import GuidanceList, PowerItem, PowerType

__all__ = [
    "AssessmentStatus",
    "CapacityAssessment",
    "CapacityRating",
    "Claim",
    "GrantEntry",
    "GrantList",
    "GrantListStatus",
    "GrantStep",
    "GrantStepKind",
    "GuidanceList",
    "Judgement",
    "PowerItem",
    "PowerType",
    "Proposal",
    "SelfRating",
]
