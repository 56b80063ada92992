"""Reading legal reviews: who reviews at each tier, the reviewer's queue, a review's page, the workspace.

Who reviews (seed 000: "乡镇主审 + 部门协审 + 律师帮审"; APL Art. 58; GO118 (十三)):
- tier "township": a legal reviewer (法制审核员) of the case's own agency (a department's case: its own
  legal reviewers);
- tier "department": a legal reviewer of `case.review_agency`, the department whose legal section
  co-reviews (it reads the case through Case.scope_rule's extra on review_agency); where no department
  was found for the item's domain, the justice bureau (our reading: the county's legal oversight steps
  in rather than leaving the review with no one). The case's own reviewer may add a first opinion;
- tier "panel": the county justice bureau records the panel's review (区级法治骨干、政府法律顾问和公职律师
  联合会审); the case's own reviewer may add a first opinion.

One rule answers both "may this user decide this review" and "which reviews are in their queue"
(`decidable_q`), so the queue never shows what the service would refuse.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.cases.deadlines import warning_level
from zhifa.cases.models import (
    Case,
    CaseState,
    CaseStep,
    Discussion,
    DocType,
    LegalReview,
    ReviewStatus,
    ReviewTier,
)
from zhifa.cases.review_checklist import CHECKS
from zhifa.org.models import AgencyKind, RoleCode
from zhifa.org.scoping import own_scope, person_of, role_codes, visible

QUEUE_LIMIT = 200
FIRST_OPINION = "review_first_opinion"  # CaseStep.action of a first opinion (初审意见)


def _own_agencies(user: Any) -> set[int]:
    """The agencies the user works for: their own and any they are seconded to (own scope)."""
    person = person_of(user)
    agencies = set(own_scope(user).agency_ids)
    if person is not None and person.agency_id is not None:
        agencies.add(person.agency_id)
    return agencies


def decidable_q(user: Any) -> Q | None:
    """Reviews `user` may decide, as a filter on LegalReview (None: every review, for a superuser).

    Applied on top of `visible`, so the justice bureau's rule is bounded by its county."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    roles = role_codes(user)
    condition = Q(pk__in=[])
    if RoleCode.LEGAL_REVIEWER in roles:
        agencies = sorted(_own_agencies(user))
        if agencies:
            condition |= Q(tier=ReviewTier.TOWNSHIP, case__agency_id__in=agencies)
            condition |= Q(tier=ReviewTier.DEPARTMENT, case__review_agency_id__in=agencies)
            # A department's own case with no other department to co-review: its own legal section.
            condition |= Q(
                tier=ReviewTier.DEPARTMENT,
                case__review_agency__isnull=True,
                case__agency_id__in=agencies,
                case__agency__kind=AgencyKind.DEPARTMENT,
            )
    if RoleCode.JUSTICE_BUREAU in roles:
        condition |= Q(tier=ReviewTier.PANEL)
        condition |= Q(
            tier=ReviewTier.DEPARTMENT,
            case__review_agency__isnull=True,
            case__agency__kind=AgencyKind.TOWNSHIP_GOVERNMENT,
        )
    return condition


def first_opinion_q(user: Any) -> Q:
    """Reviews at a higher tier on which the case's own reviewer may add a first opinion (seed 000)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.is_superuser:
        return Q(pk__in=[])
    if RoleCode.LEGAL_REVIEWER not in role_codes(user):
        return Q(pk__in=[])
    agencies = sorted(_own_agencies(user))
    return Q(tier__in=(ReviewTier.DEPARTMENT, ReviewTier.PANEL), case__agency_id__in=agencies)


def _filtered(queryset: QuerySet, condition: Q | None) -> QuerySet:
    return queryset if condition is None else queryset.filter(condition)


def may_decide(user: Any, review: LegalReview) -> bool:
    """Whether `user` may decide `review` at its tier (whatever its status)."""
    rows = visible(LegalReview.objects.filter(pk=review.pk), user)
    return _filtered(rows, decidable_q(user)).exists()


def may_add_first_opinion(user: Any, review: LegalReview) -> bool:
    rows = visible(LegalReview.objects.filter(pk=review.pk), user)
    return rows.filter(first_opinion_q(user)).exclude(_exclude_none(decidable_q(user))).exists()


def _exclude_none(condition: Q | None) -> Q:
    return Q(pk__in=[]) if condition is None else condition


@dataclass(frozen=True)
class QueueRow:
    review: LegalReview
    level: str  # deadlines.warning_level of the review's time limit
    can_decide: bool  # False: the user may only add a first opinion


def _pending(user: Any) -> QuerySet:
    return (
        visible(LegalReview.objects.all(), user)
        .filter(status=ReviewStatus.PENDING, case__state=CaseState.REVIEW)
        .select_related("case__agency", "case__item", "case__review_agency", "submitted_by")
        .order_by("due_on", "id")
    )


def review_queue(user: Any, *, today: datetime.date | None = None) -> list[QueueRow]:
    """The reviewer's queue: pending reviews of cases in review that the user may decide (or add a first
    opinion to), nearest time limit first, each with its colour level. Two queries whatever the length."""
    day = today or timezone.localdate()
    decide = decidable_q(user)
    first = first_opinion_q(user)
    either = first if decide is None else (decide | first)
    if decide is None:
        rows = list(_pending(user)[:QUEUE_LIMIT])
        return [QueueRow(r, warning_level(r.due_on, day), True) for r in rows]
    rows = list(_pending(user).filter(either)[:QUEUE_LIMIT])
    deciding = set(
        _pending(user).filter(decide).filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
    )
    return [QueueRow(r, warning_level(r.due_on, day), r.pk in deciding) for r in rows]


def review_detail(user: Any, pk: int) -> LegalReview:
    """One review the user may read (through its case), else 404."""
    from zhifa.org.scoping import get_visible_or_404

    queryset = LegalReview.objects.select_related(
        "case__agency",
        "case__item__domain",
        "case__region",
        "case__review_agency",
        "reviewer",
        "submitted_by",
    )
    return get_visible_or_404(queryset, user, pk=pk)


def first_opinions(review: LegalReview) -> list[CaseStep]:
    """The first opinions added to `review` (CaseStep rows of action FIRST_OPINION)."""
    steps = CaseStep.objects.filter(case_id=review.case_id, action=FIRST_OPINION).order_by("at", "id")
    return [s for s in steps if (s.data or {}).get("review") == review.pk]


def opinion_documents(case: Case) -> dict[int, Any]:
    """The legal review opinions of `case` by the review they record (fields["review_id"])."""
    documents = case.documents.filter(doc_type=DocType.LEGAL_REVIEW_OPINION).order_by("id")
    found: dict[int, Any] = {}
    for document in documents:
        review_id = (document.fields or {}).get("review_id")
        if isinstance(review_id, int):
            found[review_id] = document
    return found


def answer_rows(review: LegalReview) -> list[dict[str, Any]]:
    """The review's answers in checklist order, with the labels of each check."""
    rows = []
    for check in CHECKS:
        answer = (review.answers or {}).get(check.key)
        if not isinstance(answer, dict):
            continue
        passed = answer.get("passed")
        rows.append(
            {
                "key": check.key,
                "label": check.label,
                "passed": passed,
                "result": check.pass_label if passed else check.fail_label,
                "opinion": answer.get("opinion") or "",
            }
        )
    return rows


def reviews_context(user: Any, case: Case) -> dict[str, Any]:
    """The workspace's legal review and collective discussion section (cases/ws_reviews.html).

    Keys are prefixed "review_" / "discussion_" so they sit beside the other sections' contexts."""
    from zhifa.cases.review_rules import proposed_tier

    today = timezone.localdate()
    reviews = list(case.reviews.select_related("reviewer").order_by("round", "id"))
    documents = opinion_documents(case)
    rounds = []
    for review in reviews:
        pending = review.status == ReviewStatus.PENDING
        rounds.append(
            {
                "review": review,
                "level": warning_level(review.due_on, today) if pending else "",
                "document": documents.get(review.pk),
                "answers": answer_rows(review),
                "failed_checks": [r for r in answer_rows(review) if not r["passed"]],
            }
        )
    current = reviews[-1] if reviews else None
    in_review = (
        current is not None and current.status == ReviewStatus.PENDING and case.state == CaseState.REVIEW
    )
    return {
        "review_rounds": rounds,
        "review_current": current,
        "review_in_review": in_review,
        "review_can_decide": in_review and may_decide(user, current),
        "review_can_first_opinion": in_review and may_add_first_opinion(user, current),
        "review_proposed_tier": proposed_tier(case) if case.filed_on else None,
        **_discussion_context(user, case, bool(reviews)),
    }


def _discussion_context(user: Any, case: Case, reviewed: bool) -> dict[str, Any]:
    """The heads' collective discussions (APL Art. 57 para 2) with their minutes, and the form when the
    case waits for one and the user may hold it (the engine's "discuss" permission)."""
    from zhifa.cases.engine import permission_problems
    from zhifa.cases.forms import DiscussionForm
    from zhifa.cases.procedure import BY_NAME
    from zhifa.cases.review_rules import discussion_required

    discussions = list(Discussion.objects.filter(case=case).order_by("held_on", "id"))
    # Each "discuss" writes one Discussion and its minutes in one transaction: they pair in order.
    minutes = list(case.documents.filter(doc_type=DocType.DISCUSSION_MINUTES).order_by("id"))
    minutes += [None] * max(len(discussions) - len(minutes), 0)
    form = None
    if case.state == CaseState.DISCUSSION and not permission_problems(user, case, BY_NAME["discuss"]):
        form = DiscussionForm(case=case, transition=BY_NAME["discuss"], prefix="discussion")
    return {
        "discussion_required": reviewed and discussion_required(case),
        "discussion_rows": list(zip(discussions, minutes[: len(discussions)], strict=True)),
        "discussion_form": form,
    }
