"""Deciding a legal review: the GO118 (十三) checklist answered in full, who may decide which tier
(seed 000), the panel, the first reviewer's qualification (APL Art. 58 para 2), the time limit
(GO118 (十四)), and no decision without a passed review (APL Art. 58)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import Case, CaseState, DocType, ReviewStatus, ReviewTier
from zhifa.cases.review_checklist import CHECK_KEYS
from zhifa.cases.services.review import (
    QUALIFICATION_KEY,
    review_decide,
    review_extend,
    review_first_opinion,
)
from zhifa.cases.tests.review_helpers import (
    all_passed,
    department_reviewer,
    pending_review,
    review_case,
    urban_department,
)
from zhifa.core.calendar import add_working_days
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db

PANEL = [
    {"name": "张法治", "role": "official"},
    {"name": "李顾问", "role": "government_counsel"},
    {"name": "王律师", "role": "public_lawyer"},
]


def decide(world, case, answers=None, **kwargs):
    kwargs.setdefault("actor", world.reviewer)
    kwargs.setdefault("opinion", "同意")
    kwargs.setdefault("qualified", True)
    return review_decide(review=pending_review(case), answers=answers or all_passed(), **kwargs)


def test_missing_answers_are_refused_naming_each(world, media):
    case = review_case(world)
    answers = all_passed()
    del answers["discretion"], answers["crime"]
    with pytest.raises(ValidationErrors) as refused:
        decide(world, case, answers)
    assert sorted(e.field for e in refused.value.errors) == ["crime", "discretion"]
    assert "裁量基准运用是否适当" in refused.value.message
    assert pending_review(case).status == ReviewStatus.PENDING


def test_a_failed_check_needs_its_opinion(world, media):
    case = review_case(world)
    with pytest.raises(ValidationErrors) as refused:
        decide(world, case, all_passed(facts={"passed": False, "opinion": " "}))
    assert [e.field for e in refused.value.errors] == ["facts"]


def test_a_passed_review_moves_the_case_on_with_its_opinion(world, media):
    case = review_case(world)
    review = decide(world, case, opinion="同意，事实清楚，证据充分。")
    case.refresh_from_db()
    assert case.state == CaseState.DECIDING  # township tier, not complex: no discussion (Art. 57)
    assert (review.status, review.reviewer, review.opinion) == (
        ReviewStatus.PASSED,
        world.reviewer.person,
        "同意，事实清楚，证据充分。",
    )
    assert set(CHECK_KEYS) <= set(review.answers)
    document = case.documents.get(doc_type=DocType.LEGAL_REVIEW_OPINION)
    assert document.fields["review_id"] == review.pk and document.sha256
    assert case.steps.filter(action="review_pass").exists()
    events = Event.objects.filter(action__startswith="case.review")
    assert [e.action for e in events] == ["case.review"]  # one event, with the transition
    after = json.loads(events.get().data)["after"]
    assert (after["transition"], after["passed"], after["state"]) == ("review_pass", True, "deciding")


def test_a_failed_review_sends_the_case_back_with_the_opinion(world, media):
    """GO118 (十三): the problems are written down, fixed and the case resubmitted."""
    case = review_case(world)
    answers = all_passed(facts={"passed": False, "opinion": "缺少当事人询问笔录。"})
    review = decide(world, case, answers, opinion="证据不足，退回补充调查。")
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert review.status == ReviewStatus.FAILED
    assert review.answers["facts"] == {"passed": False, "opinion": "缺少当事人询问笔录。"}
    step = case.steps.get(action="review_fail")
    assert step.note == "证据不足，退回补充调查。"
    assert case.documents.filter(doc_type=DocType.LEGAL_REVIEW_OPINION).count() == 1


def test_no_decision_without_a_passed_review(world, media):
    """APL Art. 58: even a case that reached the deciding state some other way cannot be decided."""
    case = review_case(world)
    with pytest.raises(ValidationErrors) as bare:
        perform(actor=world.reviewer, case=case, action="review_pass")
    assert [e.field for e in bare.value.errors] == ["review_recorded_passed"]
    Case.objects.filter(pk=case.pk).update(state=CaseState.DECIDING)
    case.refresh_from_db()
    payload = {"penalty_types": ["罚款"], "fine_amount": "6000"}
    with pytest.raises(ValidationErrors) as refused:
        perform(actor=world.leader, case=case, action="decide_penalty", payload=payload)
    messages = [e.message for e in refused.value.errors]
    assert "尚未通过法制审核（《行政处罚法》第五十八条）。" in messages


def test_a_township_reviewer_cannot_decide_a_panel_review(world, media):
    case = review_case(world, tier=ReviewTier.PANEL)
    with pytest.raises(ServiceError) as refused:
        decide(world, case, panel=PANEL)
    assert refused.value.code == ErrorCode.NOT_ALLOWED
    assert pending_review(case).status == ReviewStatus.PENDING


def test_the_justice_bureau_decides_a_panel_review_with_its_panel(world, media):
    case = review_case(world, tier=ReviewTier.PANEL)
    bureau = world.user(RoleCode.JUSTICE_BUREAU, "county")
    review = decide(world, case, actor=bureau, panel=PANEL)
    case.refresh_from_db()
    assert review.status == ReviewStatus.PASSED
    assert [m["role"] for m in review.panel] == ["官员", "政府法律顾问", "公职律师"]
    assert case.state == CaseState.DISCUSSION  # panel-tier cases are major: Art. 57 para 2


@pytest.mark.parametrize(
    "panel",
    [
        PANEL[:2],
        [
            {"name": "甲", "role": "official"},
            {"name": "乙", "role": "official"},
            {"name": "丙", "role": "social_lawyer"},
        ],
        [*PANEL[:2], {"name": "王律师", "role": "unknown"}],
    ],
)
def test_the_panel_needs_three_members_with_a_counsel_or_public_lawyer(world, media, panel):
    case = review_case(world, tier=ReviewTier.PANEL)
    with pytest.raises(ServiceError) as refused:
        decide(world, case, actor=world.user(RoleCode.JUSTICE_BUREAU, "county"), panel=panel)
    assert refused.value.field == "panel"


def test_a_first_time_reviewer_confirms_the_legal_qualification(world, media):
    """APL Art. 58 para 2: the first review a person decides needs their confirmation; later ones not."""
    case = review_case(world)
    with pytest.raises(ServiceError) as refused:
        decide(world, case, qualified=False)
    assert (refused.value.code, refused.value.field) == (ErrorCode.REQUIRED, "qualified")
    review = decide(world, case, qualified=True)
    assert review.answers[QUALIFICATION_KEY]["confirmed"] is True
    second = review_case(world)
    assert QUALIFICATION_KEY not in decide(world, second, qualified=False).answers


def test_the_departments_reviewer_decides_a_department_review(world, media):
    """Seed 000: the department's legal section co-reviews; it reads the case through review_agency,
    and the township's own reviewer may only add the first opinion."""
    agency = urban_department(world)
    dept_user = department_reviewer(world, agency).user
    case = review_case(world, tier=ReviewTier.DEPARTMENT)
    with pytest.raises(ServiceError) as refused:
        decide(world, case)
    assert refused.value.code == ErrorCode.NOT_ALLOWED
    review_first_opinion(actor=world.reviewer, review=pending_review(case), opinion="初审：同意。")
    assert case.steps.get(action="review_first_opinion").note == "初审：同意。"
    with pytest.raises(ServiceError):
        review_first_opinion(actor=dept_user, review=pending_review(case), opinion="协审机关不提初审")
    decide(world, case, actor=dept_user)
    case.refresh_from_db()
    assert case.state == CaseState.DECIDING


def test_a_stale_page_is_refused(world, media):
    case = review_case(world)
    with pytest.raises(ServiceError) as refused:
        decide(world, case, version=case.version - 1)
    assert refused.value.code == ErrorCode.CONFLICT
    review = decide(world, case, version=case.version)
    with pytest.raises(ServiceError) as again:
        review_decide(actor=world.reviewer, review=review, answers=all_passed(), opinion="同意")
    assert again.value.code == ErrorCode.CONFLICT


def test_the_review_period_is_extended_once(world, media):
    """GO118 (十四): 7 working days, +3 on approval (local defaults), once, with the reason."""
    case = review_case(world)
    review = pending_review(case)
    due = review.due_on
    with pytest.raises(ServiceError) as outsider:
        review_extend(actor=world.officer, review=review, reason="案情复杂")
    assert outsider.value.code == ErrorCode.NOT_ALLOWED
    extended = review_extend(actor=world.reviewer, review=review, reason="案情复杂")
    assert extended.due_on == add_working_days(due, 3)
    with pytest.raises(ServiceError) as twice:
        review_extend(actor=world.leader, review=review, reason="再次延长")
    assert twice.value.code == ErrorCode.INVALID_STATE
    assert pending_review(case).due_on == extended.due_on > timezone.localdate()
