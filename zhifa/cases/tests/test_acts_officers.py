"""Officers of a case (APL Art. 42) and recusal (APL Art. 43)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.cases.guards import GuardContext, recusal_settled, two_certified_officers
from zhifa.cases.models import CaseOfficer, CaseStep, EvidenceKind, OfficerRole, RecusalDecision
from zhifa.cases.services.evidence import evidence_add
from zhifa.cases.services.officers import (
    case_officer_assign,
    case_officer_declare,
    case_officer_withdraw,
    recusal_apply,
    recusal_decide,
)
from zhifa.cases.tests.factories import certify, open_case
from zhifa.cases.tests.test_acts_support import filed_case, officer_ids
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode, Secondment
from zhifa.org.testing import make_person


def third_officer(world, *, certified: bool = True, agency=None):
    county = world.county
    person = make_person(
        username=f"officer3-{agency.pk if agency else 't0'}",
        name="东湖执法员三",
        region=county.townships[0],
        roles=[RoleCode.OFFICER],
        agency=agency or county.township_agencies[0],
        team=county.teams[0],
    )
    if certified:
        certify(person, county, f"T0-{person.pk:05d}")
    return person


def test_leader_assigns_a_certified_officer_of_the_agency(world):
    case = filed_case(world)
    person = third_officer(world)
    officer = case_officer_assign(actor=world.leader, case=case, person=person, role=OfficerRole.ASSIST)
    assert officer.active and officer.role == OfficerRole.ASSIST and not officer.no_conflict_declared
    assert CaseStep.objects.filter(case=case, action="officer_assign").count() == 1
    assert Event.objects.filter(action="case.officer_assign").count() == 1


def test_person_without_certificate_is_refused_with_the_reason_art42(world):
    case = filed_case(world)
    person = third_officer(world, certified=False)
    with pytest.raises(ValidationErrors) as exc:
        case_officer_assign(actor=world.leader, case=case, person=person)
    assert exc.value.errors[0].field == "person"
    assert "未持有“城市管理”领域的行政执法证" in exc.value.message
    assert "第四十二条" in exc.value.message
    assert not CaseOfficer.objects.filter(case=case, person=person).exists()


def test_person_with_an_expired_certificate_is_refused(world):
    case = filed_case(world)
    person = third_officer(world)
    person.certificates.update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationErrors) as exc:
        case_officer_assign(actor=world.leader, case=case, person=person)
    assert "不在有效期内" in exc.value.message


def test_person_of_another_agency_is_refused_unless_seconded(world):
    case = filed_case(world)
    county = world.county
    other = county.person(RoleCode.OFFICER, "t1")  # certified for urban management, but of t1
    with pytest.raises(ValidationErrors) as exc:
        case_officer_assign(actor=world.leader, case=case, person=other)
    assert "不属于" in exc.value.message
    Secondment.objects.create(
        person=other,
        from_agency=county.township_agencies[1],
        to_agency=county.township_agencies[0],
        start_date=timezone.localdate() - datetime.timedelta(days=5),
    )
    officer = case_officer_assign(actor=world.leader, case=case, person=other)
    assert officer.active


def test_only_leader_or_lead_officer_assigns(world):
    case = filed_case(world)
    person = third_officer(world)
    second = world.second_officer.user  # assisting officer on the case
    with pytest.raises(ServiceError) as exc:
        case_officer_assign(actor=second, case=case, person=person)
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    officer = case_officer_assign(actor=world.officer, case=case, person=person, role=OfficerRole.LEAD)
    assert officer.role == OfficerRole.LEAD
    # the former lead is now assisting: one lead per case
    leads = CaseOfficer.objects.filter(case=case, role=OfficerRole.LEAD, withdrawn_on__isnull=True)
    assert list(leads) == [officer]


@pytest.mark.parametrize("place", ["t1", "dept"])
def test_outsiders_are_not_allowed(world, place):
    case = filed_case(world)
    outsider = world.county.user(RoleCode.OFFICER, place)
    with pytest.raises(ServiceError) as exc:
        case_officer_assign(actor=outsider, case=case, person=third_officer(world))
    assert exc.value.code == ErrorCode.NOT_ALLOWED


def test_assigning_twice_is_refused(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        case_officer_assign(actor=world.leader, case=case, person=world.second_officer)
    assert exc.value.code == ErrorCode.DUPLICATE


def test_officer_declares_no_conflict_himself_only_once(world):
    case = open_case(world)
    staffed = case_officer_assign(actor=world.leader, case=case, person=world.second_officer)
    ctx = GuardContext(case, world.leader, None, timezone.localdate())
    assert any("东湖执法员二尚未声明" in p for p in recusal_settled(ctx))
    with pytest.raises(ServiceError) as exc:
        case_officer_declare(actor=world.officer, officer=staffed)
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    declared = case_officer_declare(actor=world.second_officer.user, officer=staffed)
    assert declared.no_conflict_declared
    assert not any(
        "东湖执法员二" in p for p in recusal_settled(GuardContext(case, None, None, timezone.localdate()))
    )
    with pytest.raises(ServiceError) as exc:
        case_officer_declare(actor=world.second_officer.user, officer=staffed)
    assert exc.value.code == ErrorCode.INVALID_STATE


def test_withdraw_needs_a_reason_and_leaves_fewer_than_two_art42(world):
    case = filed_case(world)
    officer = case.officers.get(person=world.second_officer)
    with pytest.raises(ServiceError) as exc:
        case_officer_withdraw(actor=world.leader, officer=officer, reason=" ")
    assert exc.value.field == "reason"
    case_officer_withdraw(actor=world.leader, officer=officer, reason="调往其他岗位")
    officer.refresh_from_db()
    assert officer.withdrawn_on == timezone.localdate() and officer.withdrawn_reason == "调往其他岗位"
    problems = two_certified_officers(GuardContext(case, None, None, timezone.localdate()))
    assert problems and "两名以上" in problems[0]


def test_recusal_flow_art43(world, media):
    case = filed_case(world)
    second = world.second_officer
    recusal = recusal_apply(
        actor=world.officer,
        case=case,
        person=second,
        reason="当事人称该执法人员系其近亲属",
        raised_by_party=True,
    )
    assert recusal.decision == RecusalDecision.PENDING
    ctx = GuardContext(case, world.officer, None, timezone.localdate())
    assert any("回避申请尚未决定" in p for p in recusal_settled(ctx))
    # the investigation goes on meanwhile (Art. 43)
    evidence_add(
        actor=world.officer,
        case=case,
        kind=EvidenceKind.DOCUMENTARY,
        title="营业执照复印件",
        collected_at=timezone.now(),
        place="东湖镇工业园1号",
        collector_ids=officer_ids(world),
    )
    with pytest.raises(ServiceError) as exc:
        recusal_apply(actor=world.officer, case=case, person=second, reason="再次申请")
    assert exc.value.code == ErrorCode.DUPLICATE
    with pytest.raises(ServiceError) as exc:
        recusal_decide(actor=world.officer, recusal=recusal, granted=True)
    assert exc.value.code == ErrorCode.NOT_ALLOWED  # only the head decides
    with pytest.raises(ServiceError) as exc:
        recusal_decide(actor=world.leader, recusal=recusal, granted=False, note="")
    assert exc.value.field == "note"  # a refusal gives its reason
    recusal_decide(actor=world.leader, recusal=recusal, granted=True, note="确系近亲属")
    recusal.refresh_from_db()
    officer = case.officers.get(person=second)
    assert recusal.decision == RecusalDecision.GRANTED and recusal.decided_by == world.leader
    assert officer.withdrawn_on == timezone.localdate() and "准予回避" in officer.withdrawn_reason
    with pytest.raises(ServiceError) as exc:
        recusal_decide(actor=world.leader, recusal=recusal, granted=False, note="改变主意")
    assert exc.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ServiceError) as exc:
        case_officer_assign(actor=world.leader, case=case, person=second)
    assert "已准予回避" in exc.value.message
    assert Event.objects.filter(action="case.recusal_decide").count() == 1


def test_recusal_only_of_the_case_officers(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        recusal_apply(actor=world.officer, case=case, person=third_officer(world), reason="理由")
    assert exc.value.field == "person"


def test_refused_recusal_keeps_the_officer(world):
    case = filed_case(world)
    recusal = recusal_apply(
        actor=world.officer, case=case, person=world.second_officer, reason="曾有纠纷", raised_by_party=True
    )
    recusal_decide(actor=world.leader, recusal=recusal, granted=False, note="无证据证明存在利害关系")
    assert case.officers.get(person=world.second_officer).active
    assert recusal_settled(GuardContext(case, None, None, timezone.localdate())) == []
