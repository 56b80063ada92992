"""Clue categories and step time limits: the command centre's configuration (issue 4 point 3).

A category's enforcement domain and usual power items only help the dispatcher (classification
suggestion, defaults); competence always comes from the grant-list resolver. Time limits of the loop's
steps are not fixed by statute (LAW.md, "What Zhifa keeps configurable"; zhifa/intake/limits.py): a
county sets them per category and priority. Each service: one transaction, one record event.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.intake.models import ClueCategory, Priority, StepKind, StepLimit
from zhifa.intake.models.loop import WAITING_STEP
from zhifa.org.models import EnforcementDomain, RoleCode
from zhifa.org.scoping import has_role
from zhifa.powers.models import PowerItem

MAX_LIMIT_MINUTES = 365 * 24 * 60
MAX_CATEGORY_ITEMS = 20


def _may_configure(actor: Any) -> bool:
    """Administrators (and superusers) configure intake; `None` is the system (migrations, the demo)."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser or has_role(actor, RoleCode.ADMIN))


def category_link(
    *,
    actor: Any,
    category: ClueCategory,
    domain: EnforcementDomain | None,
    items: list[PowerItem],
    version: int | None = None,
) -> ClueCategory:
    """Set a category's enforcement domain and its usual power items (offered first when classifying)."""
    if not _may_configure(actor):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权修改线索类别。"))
    chosen = list({item.pk: item for item in items}.values())
    if len(chosen) > MAX_CATEGORY_ITEMS:
        raise ServiceError(
            ErrorCode.INVALID, _("常见事项最多%(n)d项。") % {"n": MAX_CATEGORY_ITEMS}, field="items"
        )
    with transaction.atomic():
        before = {
            "domain": category.domain.code if category.domain_id else None,
            "items": sorted(category.items.values_list("code", flat=True)),
        }
        expected = category.version if version is None else version
        updated = ClueCategory.objects.filter(pk=category.pk, version=expected).update(
            domain=domain, version=F("version") + 1
        )
        if not updated:
            raise ServiceError(ErrorCode.CONFLICT, _("线索类别已被他人修改，请刷新后重试。"), field="version")
        category.refresh_from_db()
        category.items.set(chosen)
        after = {"domain": domain.code if domain else None, "items": sorted(i.code for i in chosen)}
        record_event(actor=actor, action="clue_category.link", obj=category, before=before, after=after)
    return category


def step_limit_set(
    *,
    actor: Any,
    step: str,
    minutes: int,
    category: ClueCategory | None = None,
    priority: str = "",
) -> StepLimit:
    """Set the minutes allowed for `step` for a category (None: every category) and priority ("": any).

    The most specific limit wins (zhifa/intake/limits.py); a limit applies to clues whose step starts
    after it is set.
    """
    if not _may_configure(actor):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权设置环节时限。"))
    if step not in set(WAITING_STEP.values()):
        raise ServiceError(ErrorCode.INVALID, _("该环节没有时限。"), field="step")
    if priority and priority not in Priority.values:
        raise ServiceError(ErrorCode.INVALID, _("紧急程度无效。"), field="priority")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_LIMIT_MINUTES:
        raise ServiceError(
            ErrorCode.INVALID, _("时限须为1至%(n)d分钟。") % {"n": MAX_LIMIT_MINUTES}, field="minutes"
        )
    with transaction.atomic():
        limit = (
            StepLimit.objects.select_for_update()
            .filter(category=category, priority=priority, step=step)
            .first()
        )
        before = {"minutes": limit.minutes} if limit is not None else None
        if limit is None:
            limit = StepLimit.objects.create(category=category, priority=priority, step=step, minutes=minutes)
        else:
            limit.minutes = minutes
            limit.save(update_fields=["minutes"])
        after = {
            "category": category.code if category else None,
            "priority": priority,
            "step": str(StepKind(step).value),
            "minutes": minutes,
        }
        record_event(actor=actor, action="step_limit.set", obj=limit, before=before, after=after)
    return limit
