"""Every guard tried through the API ("Bad input and reliability"): officers and certificates, recusal,
competence, limitation, party and evidence, required input and documents without required fields.

Each refusal is a 400 naming the guard (or the input field) with a reason citing its article, and
leaves the case exactly as it was: state, version, steps, documents and record events.
The decision's guards are in test_api_guards_decision.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.cases.models import CaseState, Recusal, RecusalDecision
from zhifa.cases.tests.api_builders import act, deciding_case, filed_case, refusal, snapshot
from zhifa.cases.tests.factories import open_case, ready_case, staff
from zhifa.core.api_testing import token_client
from zhifa.org.models import Certificate, RoleCode
from zhifa.org.services.certificates import certificate_suspend
from zhifa.powers.models import PowerItem

pytestmark = pytest.mark.django_db


def refused(client, case, name, payload=None) -> dict[str, str]:
    """The step is refused and the case is left exactly as it was; returns {field: message}."""
    before = snapshot(case)
    reasons = refusal(act(client, case, name, payload))
    assert snapshot(case) == before
    return reasons


def ok(client, case, name, payload=None) -> dict:
    response = act(client, case, name, payload)
    assert response.status_code == 200, response.content
    return response.json()


# --- APL Art. 42: two officers holding valid certificates for the item's domain --------------------


def test_filing_needs_two_certified_officers_withdrawing_one(world):
    """APL Art. 42: with one of the two officers withdrawn, filing is refused."""
    case = ready_case(world)
    case.officers.filter(person=world.second_officer).update(withdrawn_on=timezone.localdate())
    reasons = refused(token_client(world.officer), case, "propose_filing")
    assert (
        "第四十二条" in reasons["two_certified_officers"] and "现有1名" in reasons["two_certified_officers"]
    )


def test_an_expired_certificate_does_not_count(world):
    """APL Art. 42: a certificate past its validity period does not qualify its holder."""
    case = ready_case(world)
    today = timezone.localdate()
    Certificate.objects.filter(holder=world.second_officer).update(
        valid_from=today - datetime.timedelta(days=5 * 365), valid_to=today - datetime.timedelta(days=1)
    )
    reasons = refused(token_client(world.officer), case, "propose_filing")
    assert "第四十二条" in reasons["two_certified_officers"]
    assert "不在有效期内" in reasons["two_certified_officers"]


def test_a_suspended_certificate_does_not_count_on_the_decision(world, media):
    """APL Art. 42: the decision too needs two qualified officers; a suspended (暂扣) certificate fails."""
    case = deciding_case(world)
    certificate = Certificate.objects.get(holder=world.second_officer)
    certificate_suspend(
        actor=world.user(RoleCode.JUSTICE_BUREAU, "county"),
        certificate=certificate,
        reason="涉嫌违纪",
        date=timezone.localdate(),
    )
    leader = token_client(world.leader)
    decision = {"penalty_types": ["罚款"], "fine_amount": "10000"}
    reasons = refused(leader, case, "decide_penalty", decision)
    assert set(reasons) == {"two_certified_officers"}
    assert "暂扣" in reasons["two_certified_officers"] and "第四十二条" in reasons["two_certified_officers"]


def test_investigative_act_checks_the_officers_named_for_it(world, media):
    """APL Art. 42, 55: the officers present at an act are named; one, or someone not on the case, is
    refused."""
    case = filed_case(world)
    client = token_client(world.officer)
    notice = {"intended_types": ["罚款"], "intended_fine": "8000"}
    reasons = refused(client, case, "notify", {**notice, "officer_ids": [world.officer.person.pk]})
    assert "第四十二条" in reasons["two_certified_officers"]
    outsider = world.user(RoleCode.OFFICER, "t1").person.pk
    reasons = refused(client, case, "notify", {**notice, "officer_ids": [world.officer.person.pk, outsider]})
    assert reasons["two_certified_officers"] == "所列执法人员不是本案承办人员或已回避。"
    both = [world.officer.person.pk, world.second_officer.pk]
    assert ok(client, case, "notify", {**notice, "officer_ids": both})["state"] == CaseState.NOTIFIED


# --- APL Art. 43: recusal ------------------------------------------------------------------------


def test_recusal_not_declared_is_refused(world):
    """APL Art. 43: each officer states that no ground for recusal applies."""
    case = ready_case(world)
    case.officers.filter(person=world.second_officer).update(no_conflict_declared=False)
    reasons = refused(token_client(world.officer), case, "propose_filing")
    assert (
        world.second_officer.name in reasons["recusal_settled"] and "第四十三条" in reasons["recusal_settled"]
    )


def test_pending_recusal_blocks_filing_until_decided(world):
    """APL Art. 43: the agency head decides a recusal raised by the party before the case goes on."""
    case = ready_case(world)
    recusal = Recusal.objects.create(case=case, person=world.second_officer, reason="与当事人系亲属")
    client = token_client(world.officer)
    reasons = refused(client, case, "propose_filing")
    assert reasons["recusal_settled"] == "有回避申请尚未决定（《行政处罚法》第四十三条）。"
    Recusal.objects.filter(pk=recusal.pk).update(decision=RecusalDecision.REFUSED, decision_note="理由不成立")
    assert ok(client, case, "propose_filing")["state"] == CaseState.FILING


def test_approval_rechecks_officers_and_recusal(world):
    """APL Art. 42-43, 54: what held at the proposal is checked again at the approval."""
    case = ready_case(world)
    ok(token_client(world.officer), case, "propose_filing")
    Recusal.objects.create(case=case, person=world.second_officer, reason="利害关系")
    assert "recusal_settled" in refused(token_client(world.leader), case, "approve_filing")


# --- APL Art. 22-24: competence; Art. 36: limitation ------------------------------------------------


def test_not_competent_names_the_competent_department(world):
    """APL Art. 22-24: the grant-list resolver names the market department for the ungranted item."""
    case = ready_case(world, item=world.ungranted)
    reasons = refused(token_client(world.officer), case, "propose_filing")
    assert "第二十二条至第二十五条" in reasons["competent"]
    assert world.county.department_agency.name in reasons["competent"]


def test_limitation_two_years_and_five_with_harm(world):
    """APL Art. 36: not discovered within two years: no penalty; five years where life, health or
    financial safety is involved and harm occurred."""
    today = timezone.localdate()
    old = {"act_on": today - datetime.timedelta(days=3 * 365), "discovered_on": today}
    client = token_client(world.officer)
    reasons = refused(client, ready_case(world, **old), "propose_filing")
    assert "第三十六条" in reasons["within_limitation"]
    harmed = ready_case(world, art36_harm=True, **old)
    assert ok(client, harmed, "propose_filing")["state"] == CaseState.FILING
    older = {"act_on": today - datetime.timedelta(days=6 * 365), "discovered_on": today}
    assert "within_limitation" in refused(
        client, ready_case(world, art36_harm=True, **older), "propose_filing"
    )


def test_on_the_spot_decision_checks_competence_and_limitation(world, media):
    """APL Art. 22-24, 36, 51: the simplified procedure has no filing step, so its decision checks them."""
    today = timezone.localdate()
    case = ready_case(
        world,
        procedure="simplified",
        item=world.ungranted,
        act_on=today - datetime.timedelta(days=3 * 365),
        discovered_on=today,
    )
    reasons = refused(token_client(world.officer), case, "decide_on_the_spot", {"penalty_types": ["警告"]})
    assert {"competent", "within_limitation"} <= reasons.keys()


# --- party, evidence (APL Art. 40, 59) -----------------------------------------------------------


def test_no_party_no_filing(world):
    case = open_case(world)
    staff(case, world)
    assert refused(token_client(world.officer), case, "propose_filing")["has_party"] == "请先登记当事人。"


def test_no_evidence_no_notice(world, media):
    """APL Art. 40: without evidence no penalty may be notified."""
    case = filed_case(world)
    case.evidence.all().delete()
    reasons = refused(
        token_client(world.officer), case, "notify", {"intended_types": ["罚款"], "intended_fine": "8000"}
    )
    assert "第四十条" in reasons["has_evidence"]


# --- required input, named ------------------------------------------------------------------------


def test_missing_input_fields_are_named(world, media):
    case = ready_case(world)
    officer, leader = token_client(world.officer), token_client(world.leader)
    assert refused(leader, case, "decline") == {"reason_given": "请填写理由。"}
    assert refused(officer, case, "order_rectification", {"rectify_by": "2099-01-01"}) == {
        "requirement": "请填写整改要求。"
    }
    reasons = refused(
        officer, case, "order_rectification", {"requirement": "恢复消防器材", "rectify_by": "明天"}
    )
    assert reasons == {"rectify_by": "请填写正确的整改期限。"}
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    reasons = refused(officer, case, "order_rectification", {"requirement": "恢复", "rectify_by": yesterday})
    assert reasons == {"rectify_by": "整改期限应晚于今天。"}
    assert refused(leader, case, "transfer", {"reason": "无管辖权"}) == {"to_agency_id": "请选择移交机关。"}
    own = world.county.township_agencies[0].pk
    assert refused(leader, case, "transfer", {"reason": "无管辖权", "to_agency_id": own}) == {
        "to_agency_id": "不能移交给本机关。"
    }
    assert refused(officer, case, "send_reminder", {"content": " "}) == {"content": "请填写提示内容。"}


def test_notice_without_penalty_type_is_refused(world, media):
    """APL Art. 44: the notice states the intended penalty."""
    case = filed_case(world)
    reasons = refused(token_client(world.officer), case, "notify", {})
    assert reasons["intended_penalty_valid"] == "请选择处罚种类。"
    reasons = refused(token_client(world.officer), case, "notify", {"intended_types": ["罚款"]})
    assert reasons["intended_penalty_valid"] == "选择了罚款，请填写罚款金额。"
    bad = refused(
        token_client(world.officer), case, "notify", {"intended_types": ["罚款"], "intended_fine": "五千"}
    )
    assert "罚款金额格式不正确。" in bad["intended_penalty_valid"].splitlines()


def test_facts_are_required_before_filing(world):
    """APL Art. 40, 54: filing states the facts; a case registered without them is refused."""
    case = ready_case(world, facts="")
    reasons = refused(token_client(world.officer), case, "propose_filing")
    assert set(reasons) == {"facts_recorded"} and "第四十条" in reasons["facts_recorded"]


def test_document_without_required_fields_is_refused_and_nothing_numbered(world, media):
    """APL Art. 54 (filing approval): the approval form states the legal basis; an item without one
    cannot be approved. The refusal names the document's empty field and takes no number, so the next
    approval gets the first number."""
    case = ready_case(world)
    ok(token_client(world.officer), case, "propose_filing")
    basis = world.item.basis_text
    PowerItem.objects.filter(pk=world.item.pk).update(basis_text="")
    reasons = refused(token_client(world.leader), case, "approve_filing")
    assert reasons == {"basis_text": "「法律依据」不能为空。"}
    assert not list(media.rglob("*.pdf"))
    PowerItem.objects.filter(pk=world.item.pk).update(basis_text=basis)
    body = ok(token_client(world.leader), case, "approve_filing")
    assert body["filing_number"].endswith("第1号")
