"""Which legal review a case needs (three tiers, seed 000) and when collective discussion is required.

- APL Art. 58 and GO118 (十二): review before the decision in major, hearing and complex cases; every
  general-procedure decision is reviewed here (seed 000: general cases in the township).
- Seed 000 tiers: general cases by the township's reviewer (主审); larger cases, where the intended
  penalty carries a hearing right (large fines, APL Art. 63), co-reviewed by the department's legal
  section (协审); major, difficult and coercive cases by the justice bureau's panel of officials,
  government counsel and public lawyers (联合会审).
- The tier is proposed from the case and may be raised, never lowered.
- APL Art. 57 para 2: complex or major cases are decided by the heads' collective discussion.
"""

from __future__ import annotations

from zhifa.cases import rules
from zhifa.cases.models import TIER_ORDER, Case, HearingResult, MeasureKind, ReviewTier

MAJOR_TYPES = frozenset({rules.REVOKE_PERMIT, rules.SUSPEND_BUSINESS, rules.CLOSE, rules.RESTRICT_PRACTICE})


def proposed_tier(case: Case) -> ReviewTier:
    """The tier the case's facts call for (see the module docstring)."""
    types = set(case.intended_types or []) | set(case.penalty_types or [])
    coercive = case.measures.filter(kind__in=(MeasureKind.SEAL, MeasureKind.DETAIN)).exists()
    heard = case.hearings.filter(result=HearingResult.HELD).exists()
    if case.complex_case or coercive or heard or types & MAJOR_TYPES:
        return ReviewTier.PANEL
    if case.hearing_offered:
        return ReviewTier.DEPARTMENT
    return ReviewTier.TOWNSHIP


def required_tier(case: Case) -> ReviewTier:
    """The tier that must pass: the higher of the proposed tier and the one already set (never lower)."""
    proposed = proposed_tier(case)
    current = ReviewTier(case.review_tier) if case.review_tier else ReviewTier.TOWNSHIP
    return proposed if TIER_ORDER[proposed] >= TIER_ORDER[current] else current


def tier_at_least(tier: str, required: str) -> bool:
    return TIER_ORDER[ReviewTier(tier)] >= TIER_ORDER[ReviewTier(required)]


def discussion_required(case: Case) -> bool:
    """APL Art. 57 para 2: complex or major cases (the panel tier, or a case marked complex)."""
    return case.complex_case or required_tier(case) == ReviewTier.PANEL
