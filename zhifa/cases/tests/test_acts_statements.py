"""Statement and defence (APL Art. 44-45, 62), hearing request within 5 working days (Art. 64(1), 85),
hearing waiver, and the hearing's result with its transcript (Art. 64(2), 64(8), 65)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.cases import deadlines
from zhifa.cases.guards import GuardContext, hearing_settled, notice_period_over
from zhifa.cases.models import CaseDocument, DocType, HearingResult, StatementKind
from zhifa.cases.services.statements import (
    hearing_record,
    hearing_request,
    hearing_waiver,
    statement_record,
    statement_reexamine,
    statement_waive,
)
from zhifa.cases.tests.test_acts_support import filed_case, notified_case, scheduled_hearing, serve
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import RoleCode


def today():
    return timezone.localdate()


def test_statement_only_after_the_notice_was_served_art44(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        statement_record(actor=world.officer, case=case, content="我方已整改", received_on=today())
    assert exc.value.code == ErrorCode.INVALID_STATE and "第四十四条" in exc.value.message


def test_statement_and_its_reexamination_art45(world):
    served = today() - datetime.timedelta(days=2)
    case = notified_case(world, served_on=served)
    with pytest.raises(ServiceError) as exc:
        statement_record(actor=world.officer, case=case, content="", received_on=today())
    assert exc.value.field == "content"
    with pytest.raises(ServiceError) as exc:
        statement_record(
            actor=world.officer, case=case, content="已整改", received_on=served - datetime.timedelta(days=1)
        )
    assert exc.value.field == "received_on"
    statement = statement_record(
        actor=world.officer, case=case, content="已当场整改，请求从轻", received_on=today()
    )
    assert statement.kind == StatementKind.STATEMENT and statement.adopted is None
    with pytest.raises(ServiceError) as exc:
        statement_reexamine(
            actor=world.officer, statement=statement, reexamination="经复核属实", adopted=None
        )
    assert exc.value.field == "adopted"
    statement_reexamine(
        actor=world.officer, statement=statement, reexamination="经复核属实，予以采纳", adopted=True
    )
    statement.refresh_from_db()
    assert statement.adopted is True and statement.reexamination == "经复核属实，予以采纳"
    with pytest.raises(ServiceError) as exc:
        statement_reexamine(
            actor=world.officer, statement=statement, reexamination="改为不采纳", adopted=False
        )
    assert exc.value.code == ErrorCode.INVALID_STATE
    assert Event.objects.filter(action="case.statement_reexamine").count() == 1


def test_express_waivers_lift_the_notice_periods_art62_64(world):
    case = notified_case(world, served_on=today())
    ctx = GuardContext(case, world.officer, None, today())
    assert len(notice_period_over(ctx)) == 2
    with pytest.raises(ServiceError) as exc:
        statement_waive(actor=world.officer, case=case, content="", received_on=today())
    assert exc.value.field == "content"
    statement_waive(
        actor=world.officer, case=case, content="本人放弃陈述申辩权利。王某（签名）", received_on=today()
    )
    hearing_waiver(actor=world.officer, case=case, content="本人放弃听证。王某（签名）", received_on=today())
    assert notice_period_over(GuardContext(case, world.officer, None, today())) == []
    with pytest.raises(ServiceError) as exc:
        statement_waive(actor=world.officer, case=case, content="再次放弃", received_on=today())
    assert exc.value.code == ErrorCode.DUPLICATE


def test_hearing_request_on_the_last_day_is_accepted_art64(world):
    served = today() - datetime.timedelta(days=20)
    case = notified_case(world, served_on=served)
    due = deadlines.hearing_request_due(served).due
    request = hearing_request(actor=world.officer, case=case, received_on=due, content="要求听证")
    assert request.kind == StatementKind.HEARING_REQUEST
    with pytest.raises(ServiceError) as exc:
        hearing_waiver(actor=world.officer, case=case, content="放弃", received_on=due)
    assert exc.value.code == ErrorCode.DUPLICATE


def test_hearing_request_after_five_working_days_is_refused_art64_85(world):
    served = today() - datetime.timedelta(days=20)
    case = notified_case(world, served_on=served)
    due = deadlines.hearing_request_due(served).due
    assert (due - served).days >= 5  # working days, not calendar days
    with pytest.raises(ServiceError) as exc:
        hearing_request(actor=world.officer, case=case, received_on=due + datetime.timedelta(days=1))
    assert exc.value.field == "received_on"
    assert due.isoformat() in exc.value.message and "第六十四条" in exc.value.message
    assert not case.statements.filter(kind=StatementKind.HEARING_REQUEST).exists()


def test_hearing_request_only_where_a_hearing_was_offered_art63(world):
    case = notified_case(world, served_on=today(), hearing_offered=False)
    with pytest.raises(ServiceError) as exc:
        hearing_request(actor=world.officer, case=case, received_on=today())
    assert "第六十三条" in exc.value.message


def test_hearing_held_needs_notice_7_working_days_ahead_and_issues_the_transcript(world, media):
    case = notified_case(world, served_on=today() - datetime.timedelta(days=30))
    hearing = scheduled_hearing(world, case, on=today())
    held_at = timezone.now() - datetime.timedelta(minutes=30)
    with pytest.raises(ServiceError) as exc:
        hearing_record(actor=world.officer, hearing=hearing, result=HearingResult.HELD, held_at=held_at)
    assert exc.value.field == "transcript"
    with pytest.raises(ServiceError) as exc:
        hearing_record(
            actor=world.officer,
            hearing=hearing,
            result=HearingResult.HELD,
            transcript="记录",
            held_at=held_at,
        )
    assert "七个工作日" in exc.value.message  # no notice served at all
    late = serve(case, DocType.HEARING_NOTICE, today() - datetime.timedelta(days=1))
    with pytest.raises(ServiceError):
        hearing_record(
            actor=world.officer,
            hearing=hearing,
            result=HearingResult.HELD,
            transcript="记录",
            held_at=held_at,
        )
    late.delete()
    serve(case, DocType.HEARING_NOTICE, deadlines.working_days_before(today(), 7))
    ctx = GuardContext(case, world.officer, None, today())
    assert hearing_settled(ctx)
    hearing_record(
        actor=world.officer,
        hearing=hearing,
        result=HearingResult.HELD,
        transcript="当事人对事实无异议，请求从轻处罚。",
        held_at=held_at,
        agents="刘某（律师）",
    )
    hearing.refresh_from_db()
    assert hearing.result == HearingResult.HELD
    transcript = CaseDocument.objects.get(case=case, doc_type=DocType.HEARING_TRANSCRIPT)
    assert transcript.fields["transcript"] == "当事人对事实无异议，请求从轻处罚。"
    assert transcript.fields["agents"] == "刘某（律师）" and transcript.sha256
    assert hearing_settled(GuardContext(case, world.officer, None, today())) == []
    with pytest.raises(ServiceError) as exc:
        hearing_record(actor=world.officer, hearing=hearing, result=HearingResult.ABSENT, held_at=held_at)
    assert exc.value.code == ErrorCode.INVALID_STATE


def test_withdrawn_hearing_needs_no_transcript(world, media):
    case = notified_case(world, served_on=today() - datetime.timedelta(days=30))
    hearing = scheduled_hearing(world, case, on=today() + datetime.timedelta(days=15))
    hearing_record(
        actor=world.officer, hearing=hearing, result=HearingResult.WITHDRAWN, held_at=timezone.now()
    )
    hearing.refresh_from_db()
    assert hearing.result == HearingResult.WITHDRAWN
    assert not CaseDocument.objects.filter(case=case, doc_type=DocType.HEARING_TRANSCRIPT).exists()
    assert hearing_settled(GuardContext(case, world.officer, None, today())) == []


@pytest.mark.parametrize("place", ["t1", "dept"])
def test_outsiders_are_not_allowed(world, place):
    case = notified_case(world, served_on=today())
    with pytest.raises(ServiceError) as exc:
        hearing_request(actor=world.county.user(RoleCode.OFFICER, place), case=case, received_on=today())
    assert exc.value.code == ErrorCode.NOT_ALLOWED
