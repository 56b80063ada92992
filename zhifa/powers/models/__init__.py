"""Power items, the provincial guidance list, versioned county grant lists, steps and claims."""

from zhifa.powers.models.grants import Claim, GrantEntry, GrantList, GrantListStatus, GrantStep, GrantStepKind
from zhifa.powers.models.items import GuidanceList, PowerItem, PowerType

__all__ = [
    "Claim",
    "GrantEntry",
    "GrantList",
    "GrantListStatus",
    "GrantStep",
    "GrantStepKind",
    "GuidanceList",
    "PowerItem",
    "PowerType",
]
