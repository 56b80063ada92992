"""The team's and the reporter's steps of the closed loop: sign for or send back, handle, feed back,
verify on site (a failed verification reopens), close, evaluate.

Seeds 002/003: 派遣 → 签收 → 处置 → 反馈 → 核查 → 结案 → 评价, each step recorded with its time limit
(late steps are marked). Each service: one transaction, one conditional state change, one step, one
record event (APL Art. 47).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.intake.codes import normalise_tracking
from zhifa.intake.models import Clue, ClueStatus, HandlingResult, StepKind
from zhifa.intake.policies import can_command, can_evaluate, can_handle, can_verify
from zhifa.intake.services.common import add_step, clean_note, not_allowed, require_status, transition
from zhifa.intake.services.photos import PhotoUpload, check_photos, store_photos


def clue_accept(*, actor: Any, clue: Clue, version: int | None = None) -> Clue:
    """签收: the assigned team takes the clue on; the handling limit starts."""
    if not can_handle(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.DISPATCHED)
    due = clue.step_due_at
    with transaction.atomic():
        now = transition(clue, version=version, allowed=(ClueStatus.DISPATCHED,), status=ClueStatus.HANDLING)
        add_step(clue, StepKind.ACCEPT, actor, now, due=due)
        record_event(actor=actor, action="clue.accept", obj=clue, after={"status": clue.status})
    return clue


def clue_send_back(*, actor: Any, clue: Clue, reason: str, version: int | None = None) -> Clue:
    """退回: the team says the clue is not theirs (with the reason); it returns to the dispatcher."""
    if not can_handle(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.DISPATCHED)
    reason = clean_note(reason, field="reason", required=True, label=_("退回理由"))
    due = clue.step_due_at
    with transaction.atomic():
        now = transition(
            clue,
            version=version,
            allowed=(ClueStatus.DISPATCHED,),
            status=ClueStatus.REPORTED,
            assigned_agency=None,
            assigned_team=None,
        )
        add_step(clue, StepKind.SEND_BACK, actor, now, note=reason, due=due)
        record_event(actor=actor, action="clue.send_back", obj=clue, after={"reason": reason})
    return clue


def clue_handle(
    *,
    actor: Any,
    clue: Clue,
    result: str,
    note: str,
    photos: list[PhotoUpload] | None = None,
    version: int | None = None,
) -> Clue:
    """处置: what was done (case filed, rectified on the spot, no violation, transferred), with photos."""
    if not can_handle(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.HANDLING)
    if result not in HandlingResult.values:
        raise ServiceError(ErrorCode.INVALID, _("请选择处置结果。"), field="result")
    note = clean_note(note, required=True, label=_("处置情况"))
    checked = check_photos(photos or [])
    due = clue.step_due_at
    with transaction.atomic():
        now = transition(
            clue, version=version, allowed=(ClueStatus.HANDLING,), status=ClueStatus.HANDLED, result=result
        )
        step = add_step(clue, StepKind.HANDLE, actor, now, note=note, due=due, data={"result": result})
        stored = store_photos(clue, checked, actor, step)
        record_event(
            actor=actor,
            action="clue.handle",
            obj=clue,
            after={"result": result, "note": note, "photos": [p.sha256 for p in stored]},
        )
    return clue


def clue_feedback(*, actor: Any, clue: Clue, note: str, version: int | None = None) -> Clue:
    """反馈: the team reports the outcome to the command centre and the reporter; verification follows."""
    if not can_handle(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.HANDLED)
    note = clean_note(note, required=True, label=_("反馈内容"))
    due = clue.step_due_at
    with transaction.atomic():
        now = transition(clue, version=version, allowed=(ClueStatus.HANDLED,), status=ClueStatus.FED_BACK)
        add_step(clue, StepKind.FEEDBACK, actor, now, note=note, due=due)
        record_event(actor=actor, action="clue.feedback", obj=clue, after={"note": note})
    return clue


def clue_verify(*, actor: Any, clue: Clue, passed: bool, note: str = "", version: int | None = None) -> Clue:
    """核查 on site by the reporter's grid or the dispatcher; a failed verification reopens handling."""
    if not can_verify(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.FED_BACK)
    note = clean_note(note, required=not passed, label=_("核查未通过的原因"))
    due = clue.step_due_at
    with transaction.atomic():
        if passed:
            now = transition(
                clue, version=version, allowed=(ClueStatus.FED_BACK,), status=ClueStatus.VERIFIED
            )
            add_step(clue, StepKind.VERIFY, actor, now, note=note, due=due)
        else:
            now = transition(
                clue, version=version, allowed=(ClueStatus.FED_BACK,), status=ClueStatus.HANDLING, result=""
            )
            add_step(clue, StepKind.REOPEN, actor, now, note=note, due=due)
        record_event(actor=actor, action="clue.verify", obj=clue, after={"passed": passed, "note": note})
    return clue


def clue_close(*, actor: Any, clue: Clue, note: str = "", version: int | None = None) -> Clue:
    """结案 by the command centre once verified."""
    if not can_command(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.VERIFIED)
    note = clean_note(note)
    due = clue.step_due_at
    with transaction.atomic():
        now = transition(
            clue,
            version=version,
            allowed=(ClueStatus.VERIFIED,),
            status=ClueStatus.CLOSED,
            closed_at=timezone.now(),
        )
        add_step(clue, StepKind.CLOSE, actor, now, note=note, due=due)
        record_event(actor=actor, action="clue.close", obj=clue, after={"status": clue.status})
    return clue


def _evaluate(actor: Any, clue: Clue, rating: int, comment: str, name: str) -> Clue:
    if clue.status != ClueStatus.CLOSED:
        raise ServiceError(ErrorCode.INVALID_STATE, _("线索结案后才能评价。"), field="rating")
    if clue.rating is not None:
        raise ServiceError(ErrorCode.INVALID_STATE, _("该线索已评价。"), field="rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ServiceError(ErrorCode.INVALID, _("评价须为1至5星。"), field="rating")
    comment = clean_note(comment, field="comment")[:300]
    with transaction.atomic():
        updated = Clue.objects.filter(pk=clue.pk, status=ClueStatus.CLOSED, rating__isnull=True).update(
            rating=rating, rating_comment=comment
        )
        if not updated:
            raise ServiceError(ErrorCode.CONFLICT, _("该线索已评价。"), field="rating")
        clue.refresh_from_db()
        add_step(
            clue,
            StepKind.EVALUATE,
            actor,
            timezone.now(),
            note=comment,
            data={"rating": rating},
            actor_name=name,
        )
        record_event(
            actor=actor, action="clue.evaluate", obj=clue, after={"rating": rating, "comment": comment}
        )
    return clue


def clue_evaluate(*, actor: Any, clue: Clue, rating: int, comment: str = "") -> Clue:
    """评价 by the staff member who reported it."""
    if not can_evaluate(actor, clue):
        raise not_allowed()
    return _evaluate(actor, clue, rating, comment, "")


def clue_evaluate_public(*, tracking: str, rating: int, comment: str = "") -> Clue:
    """评价 by a member of the public, who proves to be the reporter by the tracking code."""
    clue = Clue.objects.filter(tracking_code=normalise_tracking(tracking)).first()
    if clue is None or clue.reported_by_id is not None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("查询码不存在。"), field="tracking")
    return _evaluate(None, clue, rating, comment, clue.reporter_name or _("举报人"))
