"""Words for the record's events (APL Art. 47): what each action is called and what its before/after
mean, so that a supervisor reads "批准立案 · 状态：立案审批 → 调查取证", not JSON.

Action labels are the project's own where it has them: the procedure's transition labels
(zhifa.cases.procedure), the labels the case acts gave their steps (CaseStep.data["label"]), the closed
loop's step kinds for clues (intake StepKind); CASE_ACTION_LABELS names the few service events that have
neither. Keys are named by the object's field (verbose name, choices) or KEY_LABELS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases.models import (
    Case,
    CaseStep,
    DocType,
    EvidenceKind,
    OfficerRole,
    PartyKind,
    ReviewTier,
    ServiceMethod,
    StatementKind,
)
from zhifa.cases.procedure import BY_NAME
from zhifa.core.record import canonical_json
from zhifa.intake.models import StepKind

Labeller = Callable[[str, dict[str, Any]], str]

# Case acts with no step of their own to take a label from (the services' record events only).
CASE_ACTION_LABELS = {
    "open": gettext_lazy("登记案源"),
    "review": gettext_lazy("法制审核"),
    "service": gettext_lazy("送达"),
    "service_link": gettext_lazy("发送电子送达链接"),
    "service_code_failed": gettext_lazy("电子送达验证码错误"),
    "payment_notice": gettext_lazy("开具缴款通知书"),
    "payment": gettext_lazy("登记缴款"),
}
# Keys of before/after that are not fields of the object (the acts' rows: parties, officers, evidence,
# documents, service), and the choices their values take.
KEY_LABELS = {
    "transition": gettext_lazy("办案环节"),
    "reason": gettext_lazy("理由"),
    "note": gettext_lazy("说明"),
    "opinion": gettext_lazy("意见"),
    "evidence": gettext_lazy("证据"),
    "document": gettext_lazy("文书"),
    "party": gettext_lazy("当事人"),
    "passed": gettext_lazy("是否通过"),
    "kind": gettext_lazy("种类"),
    "name": gettext_lazy("名称"),
    "officer": gettext_lazy("承办人员"),
    "person": gettext_lazy("人员"),
    "role": gettext_lazy("分工"),
    "number": gettext_lazy("文号"),
    "doc_type": gettext_lazy("文书种类"),
    "method": gettext_lazy("送达方式"),
    "recipient": gettext_lazy("签收人"),
    "served_at": gettext_lazy("送达时间"),
    "amount": gettext_lazy("金额（元）"),
    "title": gettext_lazy("标题"),
    "agency": gettext_lazy("承办主体"),
    "lead_agency": gettext_lazy("牵头主体"),
    "team": gettext_lazy("承办队伍"),
    "route": gettext_lazy("派遣方式"),
    "into": gettext_lazy("合并至"),
    "e_service_consent": gettext_lazy("同意电子送达"),
}
VALUE_CHOICES = {
    "doc_type": dict(DocType.choices),
    "method": dict(ServiceMethod.choices),
    "kind": {**dict(PartyKind.choices), **dict(EvidenceKind.choices), **dict(StatementKind.choices)},
    "role": dict(OfficerRole.choices),
    "tier": dict(ReviewTier.choices),
}


@dataclass(frozen=True)
class Change:
    """One key of an event's before/after, as text."""

    key: str
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _field(model: type[Model], key: str) -> Any:
    """The model's own field named `key` (not a reverse relation), else None."""
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if not field.auto_created or field.concrete else None


def _text(model: type[Model], key: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    field = _field(model, key)
    if isinstance(value, str) and field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and field is None and value in VALUE_CHOICES.get(key, {}):
        return str(VALUE_CHOICES[key][value])
    if key == "transition" and isinstance(value, str) and value in BY_NAME:
        return str(BY_NAME[value].label)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, dict | list):
        return canonical_json(value)
    return str(value)


def changes(model: type[Model], before: Any, after: Any) -> tuple[Change, ...]:
    """The keys of before/after with their values as text (a key absent on one side shows "—")."""
    old = before if isinstance(before, dict) else ({} if before is None else {"": before})
    new = after if isinstance(after, dict) else ({} if after is None else {"": after})
    rows = []
    for key in dict.fromkeys([*old, *new]):
        field = _field(model, key)
        # The acts' own keys first: an evidence's "title" is not the case's 案由.
        label = str(KEY_LABELS.get(key) or (field.verbose_name if field is not None else key))
        rows.append(Change(key, label, _text(model, key, old.get(key)), _text(model, key, new.get(key))))
    return tuple(rows)


def case_labeller(case: Case) -> Labeller:
    """Action labels of a case: the procedure's transition labels, the labels the acts gave their steps
    (one query), else CASE_ACTION_LABELS, else the action code."""
    step_labels: dict[str, str] = {}
    for action, data in (
        CaseStep.objects.filter(case=case).exclude(action__in=list(BY_NAME)).values_list("action", "data")
    ):
        if isinstance(data, dict) and data.get("label"):
            step_labels.setdefault(action, str(data["label"]))

    def label(action: str, after: dict[str, Any]) -> str:
        name = action.removeprefix("case.")
        if name in BY_NAME:
            return str(BY_NAME[name].label)
        if name in step_labels:
            return _(step_labels[name])  # stored in the actor's language; the msgid is the Chinese label
        text = str(CASE_ACTION_LABELS.get(name, action))
        transition = after.get("transition")
        if isinstance(transition, str) and transition in BY_NAME:
            text = f"{text}（{BY_NAME[transition].label}）"
        return text

    return label


def clue_label(action: str, after: dict[str, Any]) -> str:
    """Action labels of a clue: the closed loop's step kinds (intake StepKind)."""
    name = action.removeprefix("clue.")
    if name == StepKind.VERIFY and after.get("passed") is False:
        return str(StepKind.REOPEN.label)
    if name in StepKind.values:
        return str(StepKind(name).label)
    return action
