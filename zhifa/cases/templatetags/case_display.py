"""How the case pages show states and time limits: one colour per state, one per deadline level.

Levels come from zhifa.cases.deadlines.warning_level: ok, warning (within two working days), due
today, overdue, done (met). The list shows each case's nearest running limit (Case.next_due_on /
next_due_key, kept by the engine) with the same colours as the workspace.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.cases.deadlines import DONE, DUE_TODAY, OK, OVERDUE, WARNING, warning_level
from zhifa.cases.models import CaseState

register = template.Library()

S = CaseState
STATE_COLOURS: dict[str, str] = {
    S.SOURCE: "#6f42c1",
    S.FILING: "#d63384",
    S.INVESTIGATING: "#0d6efd",
    S.RECTIFYING: "#20c997",
    S.NOTIFIED: "#fd7e14",
    S.HEARING: "#e8590c",
    S.REVIEW: "#6610f2",
    S.DISCUSSION: "#7048e8",
    S.DECIDING: "#d9480f",
    S.DECIDED: "#0c8599",
    S.EXECUTING: "#1c7ed6",
    S.ENFORCEMENT: "#c92a2a",
    S.EXECUTED: "#2b8a3e",
    S.CLOSED: "#495057",
    S.ARCHIVED: "#343a40",
    S.SUSPENDED: "#868e96",
    S.TERMINATED: "#adb5bd",
    S.TRANSFERRED: "#adb5bd",
}

# Bootstrap contextual class per deadline level.
LEVEL_CLASSES: dict[str, str] = {
    OK: "success",
    WARNING: "warning",
    DUE_TODAY: "danger",
    OVERDUE: "danger",
    DONE: "secondary",
}
LEVEL_LABELS = {
    OK: _("进行中"),
    WARNING: _("即将到期"),
    DUE_TODAY: _("今日到期"),
    OVERDUE: _("已超期"),
    DONE: _("已完成"),
}

# The keys of zhifa.cases.limits.case_deadlines, as the list names a case's nearest limit.
DUE_LABELS = {
    "filing": _("立案审批"),
    "decision": _("作出决定"),
    "statement": _("陈述申辩期"),
    "hearing_request": _("听证申请期"),
    "hearing_notice": _("听证通知"),
    "review": _("法制审核"),
    "service": _("送达决定书"),
    "payment": _("缴纳罚没款"),
    "preservation": _("登记保存处理"),
    "seizure": _("查封扣押"),
}


@register.filter
def state_colour(state: str) -> str:
    return STATE_COLOURS.get(state, "#6c757d")


@register.filter
def level_class(level: str) -> str:
    return LEVEL_CLASSES.get(level, "secondary")


@register.filter
def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, ""))


@register.filter
def due_label(key: str) -> str:
    return str(DUE_LABELS.get(key, key))


@register.simple_tag
def due_level(due: datetime.date | None, today: datetime.date | None = None) -> str:
    """The level of a running limit due on `due` (the list's next deadline); "" without one."""
    if due is None:
        return ""
    return warning_level(due, today or timezone.localdate())
