"""The guards of the procedure: each answers "why may this not be done now?" with reasons in Chinese.

A guard is a plain function `(ctx) -> list[str]`; an empty list means it holds. The engine runs the
guards of a transition before it acts, inside the same transaction, for pages and API alike, so no
path can bypass them. Each guard cites the article it enforces.
"""

from zhifa.cases.guards.context import GuardContext, parse_decimal, parse_id
from zhifa.cases.guards.decision import (
    casefile_complete,
    decided_penalty_valid,
    decision_served,
    discussion_held_if_required,
    execution_time_allowed,
    filed,
    fully_paid,
    intended_penalty_valid,
    not_filed,
    officer_declared_tier,
    payment_overdue_and_reminded,
    penalty_problems,
    reason_given,
    rectification_evidence,
    review_passed,
    review_recorded_failed,
    review_recorded_passed,
    simplified_limits,
    within_decision_period,
)
from zhifa.cases.guards.filing import (
    competent,
    facts_recorded,
    has_evidence,
    has_party,
    recusal_settled,
    two_certified_officers,
    within_limitation,
)
from zhifa.cases.guards.notice import (
    hearing_offered_if_qualifies,
    hearing_settled,
    intended_qualifies,
    notice_period_over,
    notice_served_on,
)

__all__ = [
    "GuardContext",
    "casefile_complete",
    "competent",
    "decided_penalty_valid",
    "decision_served",
    "discussion_held_if_required",
    "execution_time_allowed",
    "facts_recorded",
    "filed",
    "fully_paid",
    "has_evidence",
    "has_party",
    "hearing_offered_if_qualifies",
    "hearing_settled",
    "intended_penalty_valid",
    "intended_qualifies",
    "not_filed",
    "notice_period_over",
    "notice_served_on",
    "officer_declared_tier",
    "parse_decimal",
    "parse_id",
    "payment_overdue_and_reminded",
    "penalty_problems",
    "reason_given",
    "rectification_evidence",
    "recusal_settled",
    "review_passed",
    "review_recorded_failed",
    "review_recorded_passed",
    "simplified_limits",
    "two_certified_officers",
    "within_decision_period",
    "within_limitation",
]
