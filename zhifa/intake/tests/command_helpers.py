"""Clues in any status of the loop, made through the real services, for the page tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhifa.intake.models import Clue, ClueStatus, HandlingResult
from zhifa.intake.services import dispatch, loop
from zhifa.intake.services.report import clue_report
from zhifa.intake.tests.helpers import INSIDE_T0, IntakeWorld, clue_input
from zhifa.org.models import RoleCode

# The path round the loop to each status (the clue is classified with the township's claimed item).
PATH = (
    ClueStatus.REPORTED,
    ClueStatus.DISPATCHED,
    ClueStatus.HANDLING,
    ClueStatus.HANDLED,
    ClueStatus.FED_BACK,
    ClueStatus.VERIFIED,
    ClueStatus.CLOSED,
)


def reported(
    world: IntakeWorld, point=INSIDE_T0, reporter: tuple[str, str] | None = None, **overrides
) -> Clue:
    actor = world.user(*(reporter or (RoleCode.GRID_WORKER, "t0")))
    return clue_report(actor=actor, data=clue_input(world, point, **overrides))


def classified(world: IntakeWorld, items=None, **kwargs) -> Clue:
    clue = reported(world, **kwargs)
    return dispatch.clue_classify(
        actor=world.user(RoleCode.DISPATCHER, "county"), clue=clue, items=items or [world.claimed]
    )


def in_status(world: IntakeWorld, status: str, **kwargs) -> Clue:
    """A clue of t0 taken through the services up to `status` (one of PATH, or JOINT / TRANSFERRED)."""
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    officer = world.user(RoleCode.OFFICER, "t0")
    if status == ClueStatus.JOINT:
        clue = classified(world, [world.claimed, world.ungranted], **kwargs)
        return dispatch.clue_dispatch(actor=dispatcher, clue=clue)
    if status == ClueStatus.TRANSFERRED:
        clue = classified(world, [world.ungranted], **kwargs)
        return dispatch.clue_dispatch(actor=dispatcher, clue=clue)
    clue = reported(world, **kwargs)
    steps = [
        lambda c: dispatch.clue_dispatch(
            actor=dispatcher,
            clue=dispatch.clue_classify(actor=dispatcher, clue=c, items=[world.claimed]),
        ),
        lambda c: loop.clue_accept(actor=officer, clue=c),
        lambda c: loop.clue_handle(actor=officer, clue=c, result=HandlingResult.RECTIFIED, note="已劝离"),
        lambda c: loop.clue_feedback(actor=officer, clue=c, note="已整改到位"),
        lambda c: loop.clue_verify(actor=dispatcher, clue=c, passed=True),
        lambda c: loop.clue_close(actor=dispatcher, clue=c),
    ]
    for step in steps[: PATH.index(status)]:
        clue = step(clue)
    assert clue.status == status
    return clue


def make_overdue(clue: Clue, minutes: int) -> Clue:
    """Move the running step's limit `minutes` into the past (as if the clue had waited that long)."""
    due = timezone.now() - datetime.timedelta(minutes=minutes, seconds=30)
    Clue.objects.filter(pk=clue.pk).update(step_due_at=due)
    clue.refresh_from_db()
    return clue
