"""Coercive measures (ACL Art. 18, 25, 28; APL Art. 56), extension of the decision period (APL Art. 60)
and reconsideration or litigation (APL Art. 73)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.cases import deadlines
from zhifa.cases.models import (
    Case,
    CaseDocument,
    Discussion,
    DocType,
    MeasureKind,
    ProcedureSetting,
    RemedyKind,
)
from zhifa.cases.services.acts import case_extend, remedy_end, remedy_start
from zhifa.cases.services.measures import measure_extend, measure_lift, measure_start
from zhifa.cases.tests.factories import open_case
from zhifa.cases.tests.test_acts_support import decided_case, filed_case, officer_ids
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import RoleCode


def today():
    return timezone.localdate()


def seal(world, case, **overrides):
    values = {
        "actor": world.leader,
        "case": case,
        "kind": MeasureKind.SEAL,
        "items": "灭火器2具；纸箱30个",
        "started_on": today(),
        "officer_ids": officer_ids(world),
    }
    values.update(overrides)
    return measure_start(**values)


def test_measure_needs_head_approval_acl18(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        seal(world, case, actor=world.officer)
    assert exc.value.code == ErrorCode.NOT_ALLOWED


def test_measure_needs_two_certified_officers_acl18(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        seal(world, case, officer_ids=[world.officer.person.pk])
    assert exc.value.field == "officer_ids"
    assert not case.measures.exists()


def test_measure_needs_an_inventory_acl24(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        seal(world, case, items=" ")
    assert exc.value.field == "items"


def test_seizure_30_plus_30_days_once_acl25(world):
    case = filed_case(world)
    started = today() - datetime.timedelta(days=3)
    measure = seal(world, case, started_on=started)
    assert measure.due_on == deadlines.seizure_due(started).due == started + datetime.timedelta(days=30)
    case.refresh_from_db()
    assert (case.next_due_on, case.next_due_key) == (measure.due_on, "seizure")
    with pytest.raises(ServiceError) as exc:
        measure_extend(actor=world.leader, measure=measure, days=31, reason="案情复杂需检测")
    assert "最多三十日" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        measure_extend(actor=world.officer, measure=measure, days=30, reason="案情复杂需检测")
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(ServiceError) as exc:
        measure_extend(actor=world.leader, measure=measure, days=30, reason="")
    assert exc.value.field == "reason"
    extended = measure_extend(actor=world.leader, measure=measure, days=30, reason="案情复杂需检测")
    assert extended.extended and extended.due_on == started + datetime.timedelta(days=60)
    assert extended.due_on == deadlines.seizure_due(started, extended=True).due
    with pytest.raises(ServiceError) as exc:
        measure_extend(actor=world.leader, measure=measure, days=1, reason="再延长")
    assert "只能延长一次" in exc.value.message
    case.refresh_from_db()
    assert case.next_due_on == extended.due_on


def test_expired_seizure_cannot_be_extended_acl25_28(world):
    case = filed_case(world)
    measure = seal(world, case, started_on=today() - datetime.timedelta(days=2))
    with pytest.raises(ServiceError) as exc:
        measure_extend(
            actor=world.leader,
            measure=measure,
            days=10,
            reason="复杂",
            on_date=measure.due_on + datetime.timedelta(days=1),
        )
    assert "届满" in exc.value.message


def test_preservation_7_working_days_and_no_extension_apl56(world):
    case = filed_case(world)
    measure = seal(world, case, kind=MeasureKind.PRESERVE)
    assert measure.due_on == deadlines.preservation_due(today()).due
    with pytest.raises(ServiceError) as exc:
        measure_extend(actor=world.leader, measure=measure, days=5, reason="需要更多时间")
    assert "第五十六条" in exc.value.message


def test_lift_once_and_the_time_limit_goes_acl28(world):
    case = filed_case(world)
    measure = seal(world, case)
    lifted = measure_lift(actor=world.leader, measure=measure, lifted_on=today(), reason="已作出处理决定")
    assert lifted.lifted_on == today()
    case.refresh_from_db()
    assert case.next_due_key == "decision"
    with pytest.raises(ServiceError) as exc:
        measure_lift(actor=world.leader, measure=measure, lifted_on=today(), reason="再解除")
    assert exc.value.code == ErrorCode.INVALID_STATE
    assert Event.objects.filter(action__startswith="case.measure_").count() == 2


def test_measure_refused_once_decided(world):
    case = decided_case(world)
    with pytest.raises(ServiceError) as exc:
        seal(world, case)
    assert exc.value.code == ErrorCode.INVALID_STATE


# --- extension (APL Art. 60) ------------------------------------------------------------------------


def test_leader_extends_within_the_setting_art60(world, media):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        case_extend(actor=world.officer, case=case, days=30, reason="需要检测")
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    extension = case_extend(
        actor=world.leader, case=case, days=30, reason="需要委托检测", version=case.version
    )
    fresh = Case.objects.get(pk=case.pk)
    expected = deadlines.decision_due(case.filed_on, extension_days=30).due
    assert extension.days == 30 and fresh.extension_days == 30
    assert fresh.decision_due_on == expected and fresh.version == case.version + 1
    assert fresh.next_due_on == expected and fresh.next_due_key == "decision"
    document = CaseDocument.objects.get(case=case, doc_type=DocType.EXTENSION_APPROVAL)
    assert document.fields["extension_days"] == 30 and document.sha256
    with pytest.raises(ServiceError) as exc:  # the page's version is now stale
        case_extend(actor=world.leader, case=case, days=5, reason="再延长", version=case.version)
    assert exc.value.code == ErrorCode.CONFLICT


def test_beyond_the_setting_only_by_collective_discussion_art57_60(world, media):
    case = filed_case(world)
    case_extend(actor=world.leader, case=case, days=20, reason="需要检测")
    with pytest.raises(ServiceError) as exc:
        case_extend(actor=world.leader, case=case, days=20, reason="检测未完成")
    assert exc.value.field == "by_discussion" and "集体讨论" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        case_extend(actor=world.leader, case=case, days=20, reason="检测未完成", by_discussion=True)
    assert exc.value.field == "discussion"
    Discussion.objects.create(
        case=case, held_on=today(), chair="镇长", attendees=["甲", "乙", "丙"], conclusion="同意延长20日"
    )
    case_extend(actor=world.leader, case=case, days=20, reason="检测未完成", by_discussion=True)
    case.refresh_from_db()
    assert case.extension_days == 40
    assert case.decision_due_on == deadlines.decision_due(case.filed_on, extension_days=40).due


def test_local_setting_limits_the_head_approval(world, media):
    case = filed_case(world)
    ProcedureSetting.objects.create(
        key="extension_days", agency=case.agency, value=15, source="某县行政处罚程序规定第二十条"
    )
    with pytest.raises(ServiceError) as exc:
        case_extend(actor=world.leader, case=case, days=20, reason="需要检测")
    assert "某县行政处罚程序规定第二十条" in exc.value.message


def test_no_extension_before_filing(world):
    case = open_case(world)
    with pytest.raises(ServiceError) as exc:
        case_extend(actor=world.leader, case=case, days=10, reason="需要检测")
    assert exc.value.code == ErrorCode.INVALID_STATE


# --- remedies (APL Art. 73) -----------------------------------------------------------------------------


def test_remedy_against_a_decision_one_at_a_time_art73(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        remedy_start(
            actor=world.officer, case=case, kind=RemedyKind.RECONSIDERATION, started_on=today(), body="县政府"
        )
    assert exc.value.code == ErrorCode.INVALID_STATE
    case = decided_case(world)
    remedy = remedy_start(
        actor=world.officer,
        case=case,
        kind=RemedyKind.RECONSIDERATION,
        started_on=today(),
        body="测试县人民政府",
    )
    with pytest.raises(ServiceError) as exc:
        remedy_start(
            actor=world.officer, case=case, kind=RemedyKind.LITIGATION, started_on=today(), body="法院"
        )
    assert exc.value.code == ErrorCode.DUPLICATE
    ended = remedy_end(actor=world.officer, remedy=remedy, ended_on=today(), result="维持原决定")
    assert ended.ended_on == today() and ended.result == "维持原决定"
    with pytest.raises(ServiceError) as exc:
        remedy_end(actor=world.officer, remedy=remedy, ended_on=today(), result="再次")
    assert exc.value.code == ErrorCode.INVALID_STATE


@pytest.mark.parametrize("place", ["t1", "dept"])
def test_outsiders_are_not_allowed(world, place):
    case = filed_case(world)
    leader = (
        world.county.user(RoleCode.TEAM_LEADER, place)
        if place == "t1"
        else world.county.user(RoleCode.OFFICER, place)
    )
    with pytest.raises(ServiceError) as exc:
        case_extend(actor=leader, case=case, days=10, reason="理由")
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(ServiceError) as exc:
        seal(world, case, actor=leader)
    assert exc.value.code == ErrorCode.NOT_ALLOWED
