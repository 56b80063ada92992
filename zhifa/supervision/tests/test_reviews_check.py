"""The live check behind "no decision without a passed review" (APL Art. 58): normal data give 0, data
forced past the engine are listed with the guard's own reasons.

Cases go through the real engine and review service (zhifa.cases.tests.review_helpers); the forced ones
are moved by a queryset update, the way an import or a hand edit outside Zhifa would."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.guards import review_passed
from zhifa.cases.models import Case, CaseState, LegalReview, Procedure, ReviewStatus, ReviewTier
from zhifa.cases.services.review import review_decide
from zhifa.cases.tests.factories import CaseWorld, build_case_world, open_case
from zhifa.cases.tests.review_helpers import all_passed, pending_review, review_case
from zhifa.org.models import RoleCode
from zhifa.supervision.selectors.reviews import decided_without_required_review, review_gate

pytestmark = pytest.mark.django_db

NOT_PASSED = "尚未通过法制审核（《行政处罚法》第五十八条）。"


@pytest.fixture
def world(county) -> CaseWorld:
    return build_case_world(county)


def justice(world: CaseWorld):
    return world.user(RoleCode.JUSTICE_BUREAU, "county")


def decide_review(world: CaseWorld, case: Case, answers=None, opinion: str = "同意") -> None:
    review_decide(
        actor=world.reviewer,
        review=pending_review(case),
        answers=answers or all_passed(),
        opinion=opinion,
        qualified=True,
    )


def decided_through_the_engine(world: CaseWorld) -> Case:
    """A case reviewed (township tier, passed) and decided: what the engine lets happen."""
    case = review_case(world)
    decide_review(world, case)
    case.refresh_from_db()
    payload = {"penalty_types": ["罚款"], "fine_amount": "6000"}
    return perform(actor=world.leader, case=case, action="decide_penalty", payload=payload)


def force_decided(case: Case, **changes) -> None:
    """Move a case to "decided" behind the engine's back (an import, an edit in the database)."""
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.DECIDED, decided_on=timezone.localdate(), outcome="penalty", **changes
    )


def test_the_rule_is_the_engines_own():
    """APL Art. 58: the check reads the decision transitions guarded by review_passed from the procedure
    definition (general procedure only: the simplified one, Art. 51-52, has no review)."""
    gate = review_gate()
    assert {t.name for t in gate.transitions} == {"decide_penalty", "decide_no_penalty"}
    assert all(review_passed in t.guards for t in gate.transitions)
    assert gate.procedures == {Procedure.GENERAL}
    assert gate.states == {CaseState.DECIDED}


def test_normal_data_give_zero(world):
    """APL Art. 58: through the engine every decided case has a passed review, so the count is 0; a
    review sent back or still pending is not a decision."""
    decided = decided_through_the_engine(world)
    assert decided.state == CaseState.DECIDED and decided.decided_on is not None
    returned = review_case(world)
    answers = all_passed(facts={"passed": False, "opinion": "证据不足。"})
    decide_review(world, returned, answers, opinion="退回补充调查。")
    review_case(world)  # pending
    found = decided_without_required_review(justice(world))
    assert (found.count, found.rows) == (0, [])


def test_the_check_is_live_on_a_decided_case(world):
    """The same decided case is flagged as soon as its latest review is no longer a passed one."""
    decided = decided_through_the_engine(world)
    LegalReview.objects.filter(case=decided).update(status=ReviewStatus.FAILED)
    found = decided_without_required_review(justice(world))
    assert found.count == 1 and found.rows[0].case == decided
    assert found.rows[0].reasons == [NOT_PASSED]


def test_a_case_forced_to_decided_without_a_review_is_listed(world):
    """APL Art. 58: a general-procedure case in "decided" with no review at all is listed, with the
    guard's reason."""
    case = open_case(world)
    force_decided(case)
    found = decided_without_required_review(justice(world))
    assert found.count == 1
    assert [r.case.code for r in found.rows] == [case.code]
    assert found.rows[0].reasons == [NOT_PASSED]


def test_state_alone_or_decision_date_alone_counts_as_decided(world):
    """A forced state without a decision date, or a decision date on a case already further on."""
    first, second = open_case(world), open_case(world)
    Case.objects.filter(pk=first.pk).update(state=CaseState.DECIDED)
    Case.objects.filter(pk=second.pk).update(state=CaseState.CLOSED, decided_on=timezone.localdate())
    found = decided_without_required_review(justice(world))
    assert found.count == 2
    assert {r.case.pk for r in found.rows} == {first.pk, second.pk}


def test_a_review_passed_below_the_cases_tier_is_listed(world):
    """Seed 000 and APL Art. 58: the review must pass at the tier the case needs; a township pass on a
    case of the panel tier is not enough."""
    case = review_case(world)
    decide_review(world, case)
    force_decided(case, review_tier=ReviewTier.PANEL)
    found = decided_without_required_review(justice(world))
    assert found.count == 1
    assert "司法局联合会审" in found.rows[0].reasons[0]


def test_a_simplified_procedure_decision_needs_no_review(world):
    """APL Art. 51-52: the on-the-spot decision has no legal review, so the engine's rule leaves it out."""
    case = open_case(world, procedure=Procedure.SIMPLIFIED)
    Case.objects.filter(pk=case.pk).update(state=CaseState.EXECUTED, decided_on=timezone.localdate())
    assert decided_without_required_review(justice(world)).count == 0


def test_scope_and_agency_filter(world, other_county):
    """Another county's forced case never counts; the agency filter narrows the check too."""
    other = build_case_world(other_county)
    force_decided(open_case(other))
    ours = open_case(world)
    force_decided(ours)
    assert decided_without_required_review(justice(world)).count == 1
    assert decided_without_required_review(justice(other)).count == 1
    t1 = world.county.township_agencies[1]
    assert decided_without_required_review(justice(world), agency_id=t1.pk).count == 0
    admin_t1 = world.user(RoleCode.ADMIN, "t1")
    assert decided_without_required_review(admin_t1).count == 0
