"""The review tier (seed 000: 乡镇主审 + 部门协审 + 司法局联合会审): proposed from the case, raised and never
lowered, through the submit_review input and through review_raise_tier (APL Art. 58)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import CaseState, CoerciveMeasure, Hearing, HearingResult, MeasureKind, ReviewTier
from zhifa.cases.review_rules import proposed_tier
from zhifa.cases.services.review import review_raise_tier
from zhifa.cases.tests.review_helpers import notified_case, pending_review, review_case, urban_department
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def test_general_case_goes_to_the_township(world, media):
    case = review_case(world)
    review = pending_review(case)
    assert (case.state, case.review_tier, review.tier, review.round) == (
        CaseState.REVIEW,
        ReviewTier.TOWNSHIP,
        ReviewTier.TOWNSHIP,
        1,
    )
    assert case.review_agency_id is None
    assert review.due_on > timezone.localdate()  # GO118 (十四): 7 working days by default


def test_fine_with_hearing_right_goes_to_the_departments_legal_section(world, media):
    """APL Art. 63: a fine of 10,000 on a natural person carries the hearing right (local default), so
    the case is a "larger" one co-reviewed by the department competent for the item's domain."""
    department = urban_department(world)
    case = review_case(world, person=True, fine="20000")
    assert case.hearing_offered
    assert (case.review_tier, case.review_agency_id) == (ReviewTier.DEPARTMENT, department.pk)


@pytest.mark.parametrize("kind", ["complex", "coercive", "heard"])
def test_major_coercive_or_heard_cases_go_to_the_panel(world, media, kind):
    case = notified_case(world, complex_case=kind == "complex")
    assert proposed_tier(case) == (ReviewTier.PANEL if kind == "complex" else ReviewTier.TOWNSHIP)
    now = timezone.now()
    if kind == "coercive":
        CoerciveMeasure.objects.create(
            case=case, kind=MeasureKind.SEAL, items="仓库", started_on=now.date(), due_on=now.date()
        )
    if kind == "heard":
        Hearing.objects.create(
            case=case,
            requested_on=now.date(),
            scheduled_at=now,
            place="镇政府会议室",
            chair=world.county.person(RoleCode.TEAM_LEADER, "t0"),
            result=HearingResult.HELD,
            held_at=now,
        )
    case = perform(actor=world.officer, case=case, action="submit_review", payload={})
    assert case.review_tier == ReviewTier.PANEL
    assert case.review_agency_id == world.county.justice_agency.pk


def test_the_officer_may_raise_the_tier_when_submitting(world, media):
    case = review_case(world, tier=ReviewTier.PANEL)
    assert pending_review(case).tier == ReviewTier.PANEL


def test_the_submit_review_input_cannot_lower_the_tier(world, media):
    """Seed 000: raised, never lowered. A hearing-right case asks for at least the department."""
    urban_department(world)
    case = notified_case(world, person=True, fine="20000")
    with pytest.raises(ValidationErrors) as refused:
        perform(actor=world.officer, case=case, action="submit_review", payload={"tier": ReviewTier.TOWNSHIP})
    assert [e.field for e in refused.value.errors] == ["officer_declared_tier"]
    case.refresh_from_db()
    assert case.state == CaseState.NOTIFIED and not case.reviews.exists()


def test_raising_a_pending_review_retargets_it(world, media):
    department = urban_department(world)
    case = review_case(world)
    review = review_raise_tier(
        actor=world.reviewer, case=case, tier=ReviewTier.DEPARTMENT, reason="罚款数额较大，请部门协审"
    )
    case.refresh_from_db()
    assert (review.tier, review.round, review.status) == (ReviewTier.DEPARTMENT, 1, "pending")
    assert (case.review_tier, case.review_agency_id) == (ReviewTier.DEPARTMENT, department.pk)
    assert case.steps.filter(action="review_raise_tier").get().note == "罚款数额较大，请部门协审"
    event = Event.objects.filter(action="case.review_raise_tier").get()
    assert json.loads(event.data)["after"]["to"] == ReviewTier.DEPARTMENT


@pytest.mark.parametrize("tier", [ReviewTier.TOWNSHIP, ReviewTier.DEPARTMENT])
def test_the_tier_is_never_lowered_or_kept(world, media, tier):
    case = review_case(world, tier=ReviewTier.DEPARTMENT)
    with pytest.raises(ServiceError) as refused:
        review_raise_tier(actor=world.officer, case=case, tier=tier, reason="试图降低")
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "tier")
    assert pending_review(case).tier == ReviewTier.DEPARTMENT


def test_raising_needs_a_reason_and_a_pending_review(world, media):
    case = review_case(world)
    with pytest.raises(ServiceError) as refused:
        review_raise_tier(actor=world.officer, case=case, tier=ReviewTier.PANEL, reason=" ")
    assert refused.value.field == "reason"
    other = notified_case(world)
    with pytest.raises(ServiceError) as none:
        review_raise_tier(actor=world.officer, case=other, tier=ReviewTier.PANEL, reason="提级")
    assert none.value.code == ErrorCode.INVALID_STATE


def test_outsiders_cannot_raise_the_tier(world, media):
    case = review_case(world)
    with pytest.raises(ServiceError) as refused:
        review_raise_tier(
            actor=world.user(RoleCode.LEGAL_REVIEWER, "t1"), case=case, tier=ReviewTier.PANEL, reason="提级"
        )
    assert refused.value.code == ErrorCode.NOT_ALLOWED
