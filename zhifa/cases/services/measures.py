"""Coercive measures during the investigation: sealing (查封), detention (扣押) and preservation by
registration (先行登记保存).

ACL Art. 18: prior approval of the agency head, at least two officers with certificates, the party
notified and an on-site record; Art. 23: only items related to the case; Art. 24: an inventory of the
items; Art. 25: sealing or detention for at most 30 days, extended once by at most 30 days with the
head's approval and written reasons; Art. 27-28: decided or lifted within the period. APL Art. 56:
preservation by registration with the head's approval, handled within 7 working days (Art. 85).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.cases import deadlines
from zhifa.cases.models import Case, CoerciveMeasure, MeasureKind
from zhifa.cases.services.acts import (
    check,
    lock,
    not_future,
    refresh_due,
    require_lead,
    require_not_decided,
    require_open,
    step,
    text,
    today,
)
from zhifa.cases.services.officers import two_officers
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event

SEIZURE_KINDS = frozenset({MeasureKind.SEAL, MeasureKind.DETAIN})


def measure_due(kind: str, started_on: datetime.date) -> datetime.date:
    """The end of the measure: 30 days for sealing or detention (ACL Art. 25), 7 working days to handle
    preserved items (APL Art. 56)."""
    if kind in SEIZURE_KINDS:
        return deadlines.seizure_due(started_on).due
    return deadlines.preservation_due(started_on).due


def measure_start(
    *,
    actor: Any,
    case: Case,
    kind: str,
    items: str,
    started_on: datetime.date | None,
    officer_ids: list[Any],
    note: str = "",
    on_date: datetime.date | None = None,
) -> CoerciveMeasure:
    """Seal, detain or preserve the items listed, approved by the team leader (head approval, ACL Art.
    18(1), APL Art. 56) and carried out by two or more certified officers of the case (ACL Art. 18(2),
    APL Art. 42). The period runs from the start day (ACL Art. 25; APL Art. 56)."""
    require_lead(actor, case)
    day = on_date or today()
    problems: list[ServiceError] = []
    if kind not in MeasureKind.values:
        problems.append(ServiceError(ErrorCode.INVALID, _("请选择措施种类。"), field="kind"))
    for key, value, label, limit, required in (
        ("items", items, _("物品清单（《行政强制法》第二十四条）"), 10000, True),
        ("note", note, _("说明"), 300, False),
    ):
        try:
            text(value, key, label, limit=limit, required=required)
        except ServiceError as exc:
            problems.append(exc)
    try:
        not_future(started_on, "started_on", _("开始日期"), on=day)
    except ServiceError as exc:
        problems.append(exc)
    check(problems)
    with transaction.atomic():
        locked = lock(case)
        require_not_decided(locked, _("采取强制措施"))
        if started_on < locked.discovered_on:
            raise ServiceError(
                ErrorCode.INVALID, _("开始日期不能早于发现违法行为的日期。"), field="started_on"
            )
        people = two_officers(locked, actor, officer_ids, started_on)
        due = measure_due(kind, started_on)
        measure = CoerciveMeasure.objects.create(
            case=locked, kind=kind, items=items.strip(), started_on=started_on, due_on=due, note=note.strip()
        )
        refresh_due(locked, day)
        after = {
            "measure": measure.pk,
            "kind": kind,
            "started_on": started_on.isoformat(),
            "due_on": due.isoformat(),
            "officers": [p.name for p in people],
        }
        step(locked, actor, "measure_start", _("采取强制措施"), items.strip()[:200], after)
        record_event(actor=actor, action="case.measure_start", obj=locked, after=after)
    return measure


def measure_extend(
    *, actor: Any, measure: CoerciveMeasure, days: int, reason: str, on_date: datetime.date | None = None
) -> CoerciveMeasure:
    """Extend sealing or detention once, by at most 30 days, in a complex case, with the head's approval
    and written reasons, before the period ends (ACL Art. 25). Preservation cannot be extended (APL
    Art. 56)."""
    case = measure.case
    require_lead(actor, case)
    day = on_date or today()
    reason = text(reason, "reason", _("延长理由（《行政强制法》第二十五条）"), limit=250)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ServiceError(ErrorCode.INVALID, _("延长天数应为整数。"), field="days") from None
    if not deadlines.seizure_extension_allowed(days):
        raise ServiceError(
            ErrorCode.INVALID,
            _("查封、扣押只能延长一次，最多三十日（《行政强制法》第二十五条）。"),
            field="days",
        )
    if measure.kind not in SEIZURE_KINDS:
        raise ServiceError(
            ErrorCode.INVALID,
            _("先行登记保存应在七日内作出处理决定，不能延长（《行政处罚法》第五十六条）。"),
            field="days",
        )
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        current = CoerciveMeasure.objects.select_for_update().get(pk=measure.pk)
        if current.lifted_on is not None:
            raise ServiceError(ErrorCode.INVALID_STATE, _("该措施已解除。"), field="days")
        if current.extended:
            raise ServiceError(
                ErrorCode.INVALID_STATE,
                _("查封、扣押期限只能延长一次（《行政强制法》第二十五条）。"),
                field="days",
            )
        if day > current.due_on:
            raise ServiceError(
                ErrorCode.INVALID_STATE,
                _("期限已于%(due)s届满，应当及时解除（《行政强制法》第二十五条、第二十八条）。")
                % {"due": current.due_on.isoformat()},
                field="days",
            )
        due = current.due_on + datetime.timedelta(days=days)
        note = (f"{current.note}；" if current.note else "") + _("延长%(days)d日：%(reason)s") % {
            "days": days,
            "reason": reason,
        }
        updated = CoerciveMeasure.objects.filter(
            pk=current.pk, extended=False, lifted_on__isnull=True
        ).update(extended=True, due_on=due, note=note[:300])
        if not updated:  # pragma: no cover - the row is locked
            raise ServiceError(ErrorCode.CONFLICT, _("该措施已被他人修改，请刷新。"), field="days")
        current.refresh_from_db()
        refresh_due(locked, day)
        after = {"measure": current.pk, "days": days, "due_on": due.isoformat()}
        step(locked, actor, "measure_extend", _("延长强制措施期限"), reason, after)
        record_event(actor=actor, action="case.measure_extend", obj=locked, after=after)
    return current


def measure_lift(
    *,
    actor: Any,
    measure: CoerciveMeasure,
    lifted_on: datetime.date | None,
    reason: str,
    on_date: datetime.date | None = None,
) -> CoerciveMeasure:
    """Lift the measure and return the items (ACL Art. 28: no violation, unrelated items, case decided,
    period ended, or no longer needed), decided by the head (team leader)."""
    case = measure.case
    require_lead(actor, case)
    day = on_date or today()
    reason = text(reason, "reason", _("解除理由（《行政强制法》第二十八条）"), limit=250)
    not_future(lifted_on, "lifted_on", _("解除日期"), on=day)
    if lifted_on < measure.started_on:
        raise ServiceError(ErrorCode.INVALID, _("解除日期不能早于开始日期。"), field="lifted_on")
    with transaction.atomic():
        locked = lock(case)
        current = CoerciveMeasure.objects.select_for_update().get(pk=measure.pk)
        note = (f"{current.note}；" if current.note else "") + _("解除：%(reason)s") % {"reason": reason}
        updated = CoerciveMeasure.objects.filter(pk=current.pk, lifted_on__isnull=True).update(
            lifted_on=lifted_on, note=note[:300]
        )
        if not updated:
            raise ServiceError(ErrorCode.INVALID_STATE, _("该措施已解除。"), field="lifted_on")
        current.refresh_from_db()
        refresh_due(locked, day)
        after = {"measure": current.pk, "lifted_on": lifted_on.isoformat(), "reason": reason}
        step(locked, actor, "measure_lift", _("解除强制措施"), reason, after)
        record_event(actor=actor, action="case.measure_lift", obj=locked, after=after)
    return current
