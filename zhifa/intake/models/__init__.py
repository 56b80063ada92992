"""Intake models: clues, their categories, steps, photos, time limits, transfers and joint meetings."""

from zhifa.intake.models.clues import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Clue,
    ClueCategory,
    ClueSource,
    ClueStatus,
    HandlingResult,
    Priority,
)
from zhifa.intake.models.loop import (
    WAITING_STEP,
    CluePhoto,
    ClueStep,
    ClueTransfer,
    JointMeeting,
    JointMeetingStatus,
    StepKind,
    StepLimit,
)

__all__ = [
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "WAITING_STEP",
    "Clue",
    "ClueCategory",
    "CluePhoto",
    "ClueSource",
    "ClueStatus",
    "ClueStep",
    "ClueTransfer",
    "HandlingResult",
    "JointMeeting",
    "JointMeetingStatus",
    "Priority",
    "StepKind",
    "StepLimit",
]
