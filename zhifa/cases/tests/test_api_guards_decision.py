"""The guards between the notice and the decision, tried through the API: the notice period and waiver,
the hearing, legal review, collective discussion, the 90-day period, the fine within the item's range,
no heavier penalty than notified, the simplified procedure's limits and closing with a complete file.

Each refusal is a 400 naming the guard with a reason citing its article and leaves the case as it was;
each test also shows the step going through once the rule is met, so that the refusal is the rule's.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import (
    Case,
    CaseState,
    Discussion,
    DocType,
    Hearing,
    HearingResult,
    LegalReview,
    ReviewStatus,
    ReviewTier,
    Statement,
    StatementKind,
)
from zhifa.cases.services.acts import case_extend
from zhifa.cases.services.service import service_record
from zhifa.cases.tests.api_builders import (
    act,
    deciding_case,
    filed_case,
    notified_case,
    refusal,
    serve_notice,
    snapshot,
)
from zhifa.cases.tests.factories import add_party, ready_case
from zhifa.core.api_testing import token_client

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def refused(client, case, name, payload=None) -> dict[str, str]:
    before = snapshot(case)
    reasons = refusal(act(client, case, name, payload))
    assert snapshot(case) == before
    return reasons


def ok(client, case, name, payload=None) -> dict:
    response = act(client, case, name, payload)
    assert response.status_code == 200, response.content
    return response.json()


def decision(fine: str = "10000", types: list[str] | None = None) -> dict:
    return {"penalty_types": types or ["罚款"], "fine_amount": fine}


def with_person_party(case: Case) -> Case:
    """Replace the organisation with a natural person (whose hearing threshold is CNY 10,000)."""
    case.parties.all().delete()
    add_party(case, organisation=False)
    return case


# --- APL Art. 44-45, 62: notice, statement period, waiver -------------------------------------------


def test_no_review_before_the_notice_is_served_and_the_period_ran(world, media):
    """APL Art. 44, 62: not before the notice reached the party; Art. 45: not before the statement
    period ran, unless the party expressly waived it."""
    case = notified_case(world, served=False)
    officer = token_client(world.officer)
    reasons = refused(officer, case, "submit_review")
    assert "尚未送达" in reasons["notice_period_over"] and "第四十四条" in reasons["notice_period_over"]
    serve_notice(case, waiver=False)
    reasons = refused(officer, case, "submit_review")
    assert "陈述申辩期至" in reasons["notice_period_over"] and "第四十五条" in reasons["notice_period_over"]
    Statement.objects.create(case=case, kind=StatementKind.WAIVER, received_on=TODAY())
    assert ok(officer, case, "submit_review")["state"] == CaseState.REVIEW


def test_decision_rechecks_the_notice_period(world, media):
    """APL Art. 62: the decision itself is refused while the period runs and no waiver is on file."""
    case = deciding_case(world)
    case.statements.filter(kind=StatementKind.WAIVER).delete()
    reasons = refused(token_client(world.leader), case, "decide_penalty", decision())
    assert "第六十二条" in reasons["notice_period_over"]


# --- APL Art. 63-64: the hearing ---------------------------------------------------------------------


def test_hearing_right_cannot_be_switched_off_for_a_qualifying_fine(world, media):
    """APL Art. 63: a fine of CNY 20,000 for a natural person (local threshold 10,000) carries the
    right to a hearing; the input may not leave it out. For an organisation (100,000) it does not."""
    case = with_person_party(filed_case(world))
    officer = token_client(world.officer)
    notice = {"intended_types": ["罚款"], "intended_fine": "20000"}
    reasons = refused(officer, case, "notify", {**notice, "hearing_offered": False})
    assert "第六十三条" in reasons["hearing_offered_if_qualifies"]
    assert ok(officer, case, "notify", notice)["hearing_offered"] is True
    organisation = filed_case(world)
    body = ok(officer, organisation, "notify", {**notice, "hearing_offered": False})
    assert body["hearing_offered"] is False


def test_a_requested_hearing_must_be_held(world, media):
    """APL Art. 63-65: the party asked for a hearing in time: no review (and no decision) before it."""
    case = with_person_party(filed_case(world))
    case = perform(
        actor=world.officer,
        case=case,
        action="notify",
        payload={"intended_types": ["罚款"], "intended_fine": "20000"},
    )
    assert case.hearing_offered
    serve_notice(case, waiver=True)
    officer = token_client(world.officer)
    reasons = refused(officer, case, "submit_review")
    assert "听证申请期至" in reasons["notice_period_over"]  # Art. 64(1): 5 working days to ask
    Statement.objects.create(case=case, kind=StatementKind.HEARING_REQUEST, received_on=TODAY())
    reasons = refused(officer, case, "submit_review")
    assert "第六十三条至第六十五条" in reasons["hearing_settled"]
    Hearing.objects.create(
        case=case,
        requested_on=TODAY(),
        scheduled_at=timezone.now(),
        place="镇政府会议室",
        chair=world.reviewer.person,
        result=HearingResult.HELD,
        held_at=timezone.now(),
    )
    assert ok(officer, case, "submit_review")["state"] == CaseState.REVIEW


# --- APL Art. 58: legal review; Art. 57: collective discussion ------------------------------------------


def test_review_passes_only_with_the_recorded_answer(world, media):
    """GO118 (十三), APL Art. 58: the bare transition cannot pass a review."""
    case = notified_case(world)
    case = perform(actor=world.officer, case=case, action="submit_review")
    reasons = refused(token_client(world.reviewer), case, "review_pass")
    assert "国办发〔2018〕118号" in reasons["review_recorded_passed"]


def test_no_decision_without_a_passed_review(world, media):
    """APL Art. 58: a new review round pending (or failed) blocks the decision."""
    case = deciding_case(world)
    LegalReview.objects.create(
        case=case, tier=ReviewTier.TOWNSHIP, round=2, submitted_at=timezone.now(), due_on=TODAY()
    )
    leader = token_client(world.leader)
    reasons = refused(leader, case, "decide_penalty", decision())
    assert reasons["review_passed"] == "尚未通过法制审核（《行政处罚法》第五十八条）。"
    LegalReview.objects.filter(case=case, round=2).update(status=ReviewStatus.PASSED)
    assert ok(leader, case, "decide_penalty", decision())["state"] == CaseState.DECIDED


def test_complex_case_needs_collective_discussion(world, media):
    """APL Art. 57 para 2: a complex case is decided by the heads' collective discussion."""
    case = deciding_case(world)
    Case.objects.filter(pk=case.pk).update(complex_case=True, review_tier=ReviewTier.PANEL)
    LegalReview.objects.filter(case=case).update(tier=ReviewTier.PANEL)
    leader = token_client(world.leader)
    reasons = refused(leader, case, "decide_penalty", decision())
    assert set(reasons) == {"discussion_held_if_required"}
    assert "第五十七条第二款" in reasons["discussion_held_if_required"]
    Discussion.objects.create(
        case=case, held_on=TODAY(), chair="镇长", attendees=["甲", "乙", "丙"], conclusion="同意", agreed=True
    )
    assert ok(leader, case, "decide_penalty", decision())["state"] == CaseState.DECIDED


# --- APL Art. 60: 90 days from filing ---------------------------------------------------------------


def test_no_decision_after_ninety_days_without_extension(world, media):
    """APL Art. 60: the decision is refused once the period ran out, and allowed after an approved
    extension (local rule: +30 days with the head's approval)."""
    case = deciding_case(world)
    filed = TODAY() - datetime.timedelta(days=100)
    Case.objects.filter(pk=case.pk).update(
        filed_on=filed, decision_due_on=filed + datetime.timedelta(days=90)
    )
    leader = token_client(world.leader)
    reasons = refused(leader, case, "decide_penalty", decision())
    assert "第六十条" in reasons["within_decision_period"]
    case.refresh_from_db()
    case_extend(actor=world.leader, case=case, days=30, reason="案情复杂，需进一步调查", version=case.version)
    assert ok(leader, case, "decide_penalty", decision())["state"] == CaseState.DECIDED


# --- APL Art. 4, 9, 32: the penalty within the item's basis; Art. 45: no heavier than notified ---------


def test_intended_fine_within_the_items_range_and_types(world, media):
    """The item allows 警告/罚款 with a fine of CNY 5,000-50,000; below the floor only with a mitigation
    ground (APL Art. 32)."""
    case = filed_case(world)
    officer = token_client(world.officer)
    low = refused(officer, case, "notify", {"intended_types": ["罚款"], "intended_fine": "4000"})
    assert "低于该事项法定下限5000" in low["intended_penalty_valid"]
    high = refused(officer, case, "notify", {"intended_types": ["罚款"], "intended_fine": "60000"})
    assert "超过该事项法定上限50000" in high["intended_penalty_valid"]
    negative = refused(officer, case, "notify", {"intended_types": ["罚款"], "intended_fine": "-1"})
    assert "罚款金额不能为负数。" in negative["intended_penalty_valid"]
    types = refused(officer, case, "notify", {"intended_types": ["吊销许可证件"]})
    assert "不包括“吊销许可证件”" in types["intended_penalty_valid"]
    stray = refused(officer, case, "notify", {"intended_types": ["警告"], "intended_fine": "6000"})
    assert "未选择罚款，不能填写罚款金额。" in stray["intended_penalty_valid"]
    mitigated = {"intended_types": ["罚款"], "intended_fine": "4000", "mitigation_ground": "主动消除危害后果"}
    assert ok(officer, case, "notify", mitigated)["intended_fine"] == "4000.00"


def test_decision_no_heavier_than_notified_and_within_range(world, media):
    """APL Art. 45: the defence may not make the penalty heavier; Art. 44: a type not notified needs a
    new notice. The item's range applies to the decision as well."""
    case = deciding_case(world, fine="10000")
    leader = token_client(world.leader)
    heavier = refused(leader, case, "decide_penalty", decision("12000"))
    assert "第四十五条" in heavier["decided_penalty_valid"]
    extra = refused(leader, case, "decide_penalty", decision("10000", ["罚款", "警告"]))
    assert "未经事先告知" in extra["decided_penalty_valid"]
    above = refused(leader, case, "decide_penalty", decision("60000"))
    assert "超过该事项法定上限" in above["decided_penalty_valid"]
    body = ok(leader, case, "decide_penalty", decision("8000"))
    assert body["state"] == CaseState.DECIDED and body["fine_amount"] == "8000.00" and body["decision_number"]
    assert any(d["doc_type"] == DocType.PENALTY_DECISION for d in body["documents"])


# --- APL Art. 51: the simplified procedure ------------------------------------------------------------


def test_simplified_procedure_limits(world, media):
    """APL Art. 51: on the spot only a warning or a fine up to CNY 200 (citizen) / 3,000 (organisation)."""
    officer = token_client(world.officer)
    organisation = ready_case(world, procedure="simplified")
    reasons = refused(officer, organisation, "decide_on_the_spot", decision("3500"))
    assert "不得超过3000元" in reasons["simplified_limits"] and "第五十一条" in reasons["simplified_limits"]
    reasons = refused(officer, organisation, "decide_on_the_spot", {"penalty_types": ["责令停产停业"]})
    assert "简易程序只能给予警告或罚款" in reasons["simplified_limits"]
    person = with_person_party(ready_case(world, procedure="simplified"))
    reasons = refused(officer, person, "decide_on_the_spot", decision("300"))
    assert "不得超过200元" in reasons["simplified_limits"]
    body = ok(officer, person, "decide_on_the_spot", {"penalty_types": ["警告"]})
    assert body["state"] == CaseState.EXECUTED
    assert [d["doc_type"] for d in body["documents"]] == [DocType.ON_THE_SPOT_DECISION]
    general = ready_case(world)
    wrong = refusal(act(officer, general, "decide_on_the_spot", {"penalty_types": ["警告"]}))
    assert set(wrong) == {"state"}  # the general procedure has no on-the-spot decision


# --- APL Art. 47: closing needs the complete case file --------------------------------------------------


def test_closing_needs_a_complete_case_file(world, media):
    """APL Art. 28, 47, 61: a rectification case closes only with the order's proof of service."""
    case = ready_case(world)
    officer, leader = token_client(world.officer), token_client(world.leader)
    rectify_by = (TODAY() + datetime.timedelta(days=10)).isoformat()
    ok(officer, case, "order_rectification", {"requirement": "恢复消防器材原位", "rectify_by": rectify_by})
    ok(officer, case, "confirm_rectified", {"note": "复查已整改"})
    reasons = refused(leader, case, "close")
    assert "卷宗缺少送达回证" in reasons["casefile_complete"] and "第六十一条" in reasons["casefile_complete"]
    order = case.documents.get(doc_type=DocType.RECTIFICATION_ORDER)
    service_record(
        actor=world.officer,
        document=order,
        party=case.parties.first(),
        method="direct",
        recipient="王某",
        served_at=timezone.now(),
        proof=case.evidence.first(),
    )
    assert ok(leader, case, "close", {"note": "结案"})["state"] == CaseState.CLOSED
