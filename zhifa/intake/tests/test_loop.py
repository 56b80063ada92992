"""Routing by competence and the closed loop: dispatch, sign for, handle, feed back, verify, close."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.core.errors import ServiceError
from zhifa.core.models import Event
from zhifa.intake.models import ClueStatus, ClueTransfer, JointMeeting, StepLimit
from zhifa.intake.selectors.clues import (
    clues_visible,
    duplicate_candidates,
    overdue_warnings,
    public_status,
    team_queue,
)
from zhifa.intake.services import dispatch, loop
from zhifa.intake.services.report import clue_report, clue_report_public
from zhifa.intake.tests.helpers import INSIDE_T0, INSIDE_T0_NEIGHBOUR, clue_input
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def reported(world, point=INSIDE_T0, **overrides):
    return clue_report(
        actor=world.user(RoleCode.GRID_WORKER, "t0"), data=clue_input(world, point, **overrides)
    )


def classified(world, items, **overrides):
    clue = reported(world, **overrides)
    return dispatch.clue_classify(actor=world.user(RoleCode.DISPATCHER, "county"), clue=clue, items=items)


def test_township_competent_for_every_item_goes_to_its_team(world):
    """APL Art. 24: an item granted to and claimed by the township is the township's."""
    clue = classified(world, [world.claimed])
    clue = dispatch.clue_dispatch(actor=world.user(RoleCode.DISPATCHER, "county"), clue=clue)
    assert clue.status == ClueStatus.DISPATCHED
    assert clue.assigned_agency == world.county.township_agencies[0]
    assert clue.assigned_team == world.county.teams[0]
    assert clue in team_queue(world.user(RoleCode.OFFICER, "t0"))
    assert clue not in team_queue(world.user(RoleCode.OFFICER, "t1"))


def test_item_not_granted_is_transferred_to_the_department_with_the_reason(world):
    """APL Art. 22-24: what is not granted and claimed stays with the county department (线索移送)."""
    clue = classified(world, [world.ungranted])
    clue = dispatch.clue_dispatch(actor=world.user(RoleCode.DISPATCHER, "county"), clue=clue)
    assert clue.status == ClueStatus.TRANSFERRED and clue.assigned_agency == world.county.department_agency
    transfer = ClueTransfer.objects.get(clue=clue)
    assert world.ungranted.name in transfer.reason and "原实施部门" in transfer.reason
    # The department now sees it; the township does not.
    assert clue in clues_visible(world.user(RoleCode.OFFICER, "dept"))


def test_items_of_different_agencies_go_to_the_joint_meeting(world):
    clue = classified(world, [world.claimed, world.ungranted])
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    clue = dispatch.clue_dispatch(actor=dispatcher, clue=clue)
    assert clue.status == ClueStatus.JOINT
    meeting = JointMeeting.objects.get(clue=clue)
    assert set(meeting.agencies.all()) == {world.county.township_agencies[0], world.county.department_agency}
    with pytest.raises(ServiceError) as exc:
        dispatch.joint_meeting_decide(
            actor=dispatcher, clue=clue, lead_agency=world.county.justice_agency, decision="由司法局牵头"
        )
    assert exc.value.field == "lead_agency"
    clue = dispatch.joint_meeting_decide(
        actor=dispatcher,
        clue=clue,
        lead_agency=world.county.township_agencies[0],
        decision="乡镇牵头，部门配合",
    )
    assert clue.status == ClueStatus.DISPATCHED and clue.assigned_team == world.county.teams[0]


def test_the_whole_loop_with_a_failed_verification(world, media):
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    officer = world.user(RoleCode.OFFICER, "t0")
    worker = world.user(RoleCode.GRID_WORKER, "t0")
    clue = dispatch.clue_dispatch(actor=dispatcher, clue=classified(world, [world.claimed]))
    clue = loop.clue_accept(actor=officer, clue=clue)
    assert clue.status == ClueStatus.HANDLING
    clue = loop.clue_handle(actor=officer, clue=clue, result="rectified", note="已责令当场整改，摊位撤离")
    clue = loop.clue_feedback(actor=officer, clue=clue, note="已整改完毕")
    with pytest.raises(ServiceError) as exc:
        loop.clue_verify(actor=worker, clue=clue, passed=False)
    assert exc.value.field == "note"  # a failed verification must say why
    clue = loop.clue_verify(actor=worker, clue=clue, passed=False, note="次日复查摊位仍在")
    assert clue.status == ClueStatus.HANDLING and clue.result == ""
    clue = loop.clue_handle(actor=officer, clue=clue, result="case_filed", note="已立案调查")
    clue = loop.clue_feedback(actor=officer, clue=clue, note="已立案")
    clue = loop.clue_verify(actor=worker, clue=clue, passed=True)
    clue = loop.clue_close(actor=dispatcher, clue=clue)
    clue = loop.clue_evaluate(actor=worker, clue=clue, rating=5, comment="处理及时")
    assert clue.status == ClueStatus.CLOSED and clue.rating == 5 and clue.closed_at is not None
    kinds = list(clue.steps.values_list("kind", flat=True))
    assert kinds == ["report", "classify", "dispatch", "accept", "handle", "feedback", "reopen", "handle",
                     "feedback", "verify", "close", "evaluate"]  # fmt: skip
    actions = Event.objects.filter(object_id=str(clue.pk), object_type="intake.clue")
    assert actions.count() == len(kinds)  # one event per step
    with pytest.raises(ServiceError):
        loop.clue_evaluate(actor=worker, clue=clue, rating=4)


def test_send_back_returns_it_to_the_dispatcher_with_the_reason(world):
    clue = dispatch.clue_dispatch(
        actor=world.user(RoleCode.DISPATCHER, "county"), clue=classified(world, [world.claimed])
    )
    with pytest.raises(ServiceError):
        loop.clue_send_back(actor=world.user(RoleCode.OFFICER, "t0"), clue=clue, reason=" ")
    clue = loop.clue_send_back(actor=world.user(RoleCode.OFFICER, "t0"), clue=clue, reason="不属于本乡镇辖区")
    assert clue.status == ClueStatus.REPORTED and clue.assigned_agency is None


def test_only_the_assigned_team_and_the_command_centre_act(world):
    clue = classified(world, [world.claimed])
    for user in (world.user(RoleCode.OFFICER, "t0"), world.user(RoleCode.DISPATCHER, "county").__class__()):
        with pytest.raises(ServiceError) as exc:
            dispatch.clue_dispatch(actor=user, clue=clue)
        assert exc.value.code == "not_allowed"
    clue = dispatch.clue_dispatch(actor=world.user(RoleCode.DISPATCHER, "county"), clue=clue)
    for user in (world.user(RoleCode.OFFICER, "t1"), world.user(RoleCode.OFFICER, "dept")):
        with pytest.raises(ServiceError) as exc:
            loop.clue_accept(actor=user, clue=clue)
        assert exc.value.code == "not_allowed"


def test_two_dispatchers_at_once_one_wins(world):
    clue = classified(world, [world.claimed])
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    stale = type(clue).objects.get(pk=clue.pk)
    dispatch.clue_dispatch(actor=dispatcher, clue=clue, version=clue.version)
    with pytest.raises(ServiceError) as exc:
        dispatch.clue_dismiss(actor=dispatcher, clue=stale, reason="重复", version=stale.version)
    assert exc.value.code in ("conflict", "invalid_state")


def test_overdue_steps_are_warnings_and_late_steps_are_marked(world):
    StepLimit.objects.create(category=world.category, priority="", step="dispatch", minutes=10)
    clue = classified(world, [world.claimed])
    assert clue.step_due_at - clue.step_started_at == datetime.timedelta(minutes=10)
    type(clue).objects.filter(pk=clue.pk).update(step_due_at=timezone.now() - datetime.timedelta(minutes=1))
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    assert clue in overdue_warnings(dispatcher)
    clue.refresh_from_db()
    clue = dispatch.clue_dispatch(actor=dispatcher, clue=clue)
    assert clue.steps.get(kind="dispatch").late
    assert clue not in overdue_warnings(dispatcher)


def test_duplicates_nearby_are_offered_and_merged(world):
    first = reported(world)
    second = reported(world, INSIDE_T0_NEIGHBOUR, text="菜市场门口商贩占道经营，通道被堵")
    unrelated = reported(world, text="河道里有人电鱼，请尽快处理")
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    found = duplicate_candidates(second, dispatcher)
    assert [d.clue for d in found] == [first] and not found[0].same_cell
    assert unrelated not in [d.clue for d in duplicate_candidates(first, dispatcher)]
    dispatch.clue_merge(actor=dispatcher, clue=second, into=first)
    second.refresh_from_db()
    assert second.status == ClueStatus.MERGED and second.merged_into == first


def test_the_public_follows_its_clue_by_tracking_code_and_sees_no_personal_data(world):
    clue = clue_report_public(
        data=clue_input(world, source="public", reporter_name="王五", reporter_phone="13900000000")
    )
    status = public_status(clue.tracking_code.lower())
    assert status.status == ClueStatus.REPORTED and [s.kind for s in status.steps] == ["report"]
    assert "王五" not in repr(status) and "13900000000" not in repr(status)
    assert public_status("NOSUCHCODE") is None


def test_clues_handled_by_the_township_count_in_the_capacity_assessment(world):
    """APL Art. 24 (periodic evaluation): clues routed to the township count as exercising the item."""
    from zhifa.powers.exercise import CLUES, exercise_counts

    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    dispatch.clue_dispatch(actor=dispatcher, clue=classified(world, [world.claimed]))
    dispatch.clue_dispatch(actor=dispatcher, clue=classified(world, [world.ungranted]))  # transferred
    dismissed = classified(world, [world.claimed])
    dispatch.clue_dismiss(actor=dispatcher, clue=dismissed, reason="民事纠纷")
    today = timezone.localdate()
    township = world.county.townships[0]
    counts = exercise_counts([township.pk], [world.claimed.pk, world.ungranted.pk], today, today)
    assert counts.count(CLUES, township.pk, world.claimed.pk) == 1
    assert counts.count(CLUES, township.pk, world.ungranted.pk) == 0


def test_one_limit_per_category_priority_and_step_on_both_databases(world):
    from django.db import IntegrityError, transaction

    StepLimit.objects.create(category=None, priority="", step="dispatch", minutes=20)
    StepLimit.objects.create(category=world.category, priority="", step="dispatch", minutes=10)
    for category in (None, world.category):
        with pytest.raises(IntegrityError), transaction.atomic():
            StepLimit.objects.create(category=category, priority="", step="dispatch", minutes=5)
