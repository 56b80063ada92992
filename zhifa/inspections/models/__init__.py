"""Inspections: subjects, inspection items, scenarios, random draws, joint plans and visits."""

from zhifa.inspections.models.catalogue import (
    FrequencyMode,
    FrequencyRule,
    Industry,
    InspectionItem,
    Scenario,
)
from zhifa.inspections.models.draws import DrawState, RandomDraw
from zhifa.inspections.models.plans import JointPlan, PlanState
from zhifa.inspections.models.subjects import InspectorConflict, RiskLevel, Subject, SubjectKind
from zhifa.inspections.models.visits import (
    CheckOutcome,
    Finding,
    FindingPhoto,
    Visit,
    VisitCheck,
    VisitInspector,
    VisitResult,
    VisitState,
)

__all__ = [
    "CheckOutcome",
    "DrawState",
    "Finding",
    "FindingPhoto",
    "FrequencyMode",
    "FrequencyRule",
    "Industry",
    "InspectionItem",
    "InspectorConflict",
    "JointPlan",
    "PlanState",
    "RandomDraw",
    "RiskLevel",
    "Scenario",
    "Subject",
    "SubjectKind",
    "Visit",
    "VisitCheck",
    "VisitInspector",
    "VisitResult",
    "VisitState",
]
