"""Working a visit: start, check points, record findings, turn a finding into a clue, finish, rating.

Who: policies.can_work_visit (the inspectors on the visit, APL Art. 42 and 55, and the organiser's
team leaders). Each write runs in one transaction and writes one record event; services taking
`version` refuse a stale one (CONFLICT) and bump it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.calendar import add_working_days
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.inspections import policies
from zhifa.inspections.models import (
    CheckOutcome,
    Finding,
    InspectionItem,
    Visit,
    VisitCheck,
    VisitResult,
    VisitState,
)

FINDING_MIN, FINDING_MAX = 4, 2000
# GO118 (六): inspection results are made public within 20 working days.
PUBLISH_WORKING_DAYS = 20


def _allowed(actor: Any, visit: Visit) -> None:
    if not policies.can_work_visit(actor, visit):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权办理该检查。"))


def _state(visit: Visit, *allowed: str) -> None:
    if visit.state not in allowed:
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("检查当前状态为“%(state)s”，不能办理此操作。") % {"state": visit.get_state_display()},
            field="state",
        )


def _bump(visit: Visit, version: int, **changes: Any) -> None:
    """Conditional UPDATE on (id, version): a stale version matches no row (CONFLICT)."""
    rows = Visit.objects.filter(pk=visit.pk, version=version).update(version=F("version") + 1, **changes)
    if rows != 1:
        raise ServiceError(
            ErrorCode.CONFLICT,
            _("检查 %(code)s 已被他人修改，请刷新后重试。") % {"code": visit.code},
            field="version",
        )
    visit.refresh_from_db()


def _item_on_visit(visit: Visit, item: InspectionItem | int) -> InspectionItem:
    item_id = item.pk if isinstance(item, InspectionItem) else item
    found = visit.items.filter(pk=item_id).first()
    if found is None:
        raise ServiceError(ErrorCode.INVALID, _("该检查事项不在本次检查中。"), field="item")
    return found


def visit_start(*, actor: Any, visit: Visit, version: int) -> Visit:
    """planned -> in_progress (the team shows its certificates on arrival, APL Art. 55)."""
    _allowed(actor, visit)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        _state(visit, VisitState.PLANNED)
        _bump(visit, version, state=VisitState.IN_PROGRESS, started_at=timezone.now())
        record_event(
            actor=actor,
            action="inspections.visit.start",
            obj=visit,
            before={"state": VisitState.PLANNED},
            after={"state": visit.state},
        )
    return visit


def visit_check(
    *, actor: Any, visit: Visit, item: InspectionItem | int, point: int, outcome: str, note: str = ""
) -> VisitCheck:
    """Record (or change) the outcome of one checklist point of one item; only while in progress."""
    _allowed(actor, visit)
    found = _item_on_visit(visit, item)
    if not isinstance(point, int) or point < 0 or point >= len(found.checklist or []):
        raise ServiceError(ErrorCode.INVALID, _("检查要点序号无效。"), field="point")
    if outcome not in CheckOutcome.values:
        raise ServiceError(ErrorCode.INVALID, _("检查结论无效。"), field="outcome")
    if len(note or "") > 500:
        raise ServiceError(ErrorCode.INVALID, _("说明最多500字。"), field="note")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        _state(visit, VisitState.IN_PROGRESS)
        old = VisitCheck.objects.filter(visit=visit, item=found, point=point).first()
        before = {"outcome": old.outcome, "note": old.note} if old else None
        check, _created = VisitCheck.objects.update_or_create(
            visit=visit, item=found, point=point, defaults={"outcome": outcome, "note": note or ""}
        )
        record_event(
            actor=actor,
            action="inspections.visit.check",
            obj=visit,
            before=before,
            after={"item": found.pk, "point": point, "outcome": outcome, "note": note or ""},
        )
    return check


def finding_add(*, actor: Any, visit: Visit, item: InspectionItem | int, text: str) -> Finding:
    """A problem found on the visit (it may later become a clue or a case)."""
    _allowed(actor, visit)
    found = _item_on_visit(visit, item)
    text = (text or "").strip()
    if len(text) < FINDING_MIN:
        raise ServiceError(ErrorCode.REQUIRED, _("请描述发现的问题（至少4个字）。"), field="text")
    if len(text) > FINDING_MAX:
        raise ServiceError(ErrorCode.INVALID, _("发现的问题最多2000字。"), field="text")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        _state(visit, VisitState.IN_PROGRESS)
        finding = Finding.objects.create(
            visit=visit, item=found, text=text, created_by=actor if actor.is_authenticated else None
        )
        record_event(
            actor=actor, action="inspections.finding.add", obj=finding, after={"item": found.pk, "text": text}
        )
    return finding


def finding_to_clue(*, actor: Any, finding: Finding, category: Any) -> Finding:
    """Report the finding as a clue (source: inspection) and link it, in one step.

    The clue category is required by intake (check_clue), so the caller passes one. clue_report writes
    its own event; both run in one outer transaction, plus one event "inspections.finding.to_clue".
    """
    from zhifa.intake.models import ClueSource
    from zhifa.intake.services.report import ClueInput, clue_report

    visit = finding.visit
    _allowed(actor, visit)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().select_related("visit__subject").get(pk=finding.pk)
        if finding.clue_id is not None:
            raise ServiceError(ErrorCode.DUPLICATE, _("该问题已转为线索。"), field="finding")
        subject = finding.visit.subject
        text = f"{finding.text}（检查对象：{subject.name}，{subject.address}）"[:2000]
        clue = clue_report(
            actor=actor,
            data=ClueInput(
                source=ClueSource.INSPECTION,
                category=category,
                text=text,
                lng=subject.lng,
                lat=subject.lat,
                address=subject.address[:200],
                region=subject.township,
            ),
        )
        finding.clue = clue
        finding.save(update_fields=["clue"])
        record_event(
            actor=actor,
            action="inspections.finding.to_clue",
            obj=finding,
            before=None,
            after={"clue": clue.pk},
        )
    return finding


def visit_finish(
    *,
    actor: Any,
    visit: Visit,
    result: str,
    rectify_by: datetime.date | None = None,
    note: str = "",
    version: int,
) -> Visit:
    """in_progress -> done with a result; results are public within 20 working days (GO118 (六))."""
    _allowed(actor, visit)
    today = timezone.localdate()
    if result not in VisitResult.values:
        raise ServiceError(ErrorCode.INVALID, _("检查结果无效。"), field="result")
    if result == VisitResult.RECTIFY and (rectify_by is None or rectify_by <= today):
        raise ServiceError(ErrorCode.INVALID, _("责令整改须填写今天以后的整改期限。"), field="rectify_by")
    if len(note or "") > 500:
        raise ServiceError(ErrorCode.INVALID, _("结果说明最多500字。"), field="note")
    now = timezone.now()
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        _state(visit, VisitState.IN_PROGRESS)
        if result == VisitResult.CASE and not visit.findings.exists():
            raise ServiceError(ErrorCode.INVALID, _("立案查处须至少记录一个发现的问题。"), field="result")
        _bump(
            visit,
            version,
            state=VisitState.DONE,
            result=result,
            rectify_by=rectify_by if result == VisitResult.RECTIFY else None,
            result_note=note or "",
            finished_at=now,
            publish_due=add_working_days(today, PUBLISH_WORKING_DAYS),
            # Published on the portal the moment it is final: well inside the 20 working days.
            published_at=now,
        )
        record_event(
            actor=actor,
            action="inspections.visit.finish",
            obj=visit,
            before={"state": VisitState.IN_PROGRESS},
            after={"state": visit.state, "result": result, "publish_due": visit.publish_due.isoformat()},
        )
    return visit


def visit_rate_public(*, code: str, rating: int, comment: str = "") -> Visit:
    """The inspected subject rates a done visit once by its public code (no login; actor None)."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ServiceError(ErrorCode.INVALID, _("评价须为1至5分。"), field="rating")
    if len(comment or "") > 500:
        raise ServiceError(ErrorCode.INVALID, _("评价意见最多500字。"), field="comment")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().filter(code=(code or "").strip()).first()
        if visit is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("检查码不存在。"), field="code")
        _state(visit, VisitState.DONE)
        if visit.rating is not None:
            raise ServiceError(ErrorCode.DUPLICATE, _("该检查已评价。"), field="rating")
        _bump(visit, visit.version, rating=rating, rating_comment=comment or "", rated_at=timezone.now())
        record_event(actor=None, action="inspections.visit.rate", obj=visit, after={"rating": rating})
    return visit
