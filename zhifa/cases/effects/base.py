"""The effects' registry and the helpers they share (see zhifa/cases/effects/__init__.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from zhifa.cases.guards import GuardContext
from zhifa.cases.models import (
    CaseState,
)
from zhifa.core.errors import ErrorCode, ServiceError


@dataclass
class Effect:
    target: CaseState | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


EffectFn = Callable[[GuardContext], Effect]
_EFFECTS: dict[str, EffectFn] = {}


def effect(name: str) -> Callable[[EffectFn], EffectFn]:
    def register(fn: EffectFn) -> EffectFn:
        _EFFECTS[name] = fn
        return fn

    return register


def run(transition: Any, ctx: GuardContext) -> Effect:
    fn = _EFFECTS.get(transition.name)
    return fn(ctx) if fn is not None else Effect(after=_note(ctx))


def _note(ctx: GuardContext) -> dict[str, Any]:
    text = str(ctx.payload.get("note") or ctx.payload.get("reason") or "").strip()
    if len(text) > 2000:
        raise ServiceError(ErrorCode.INVALID, _("说明过长（最多2000字）。"), field="note")
    return {"note": text} if text else {}


def _text(ctx: GuardContext, key: str, label: str, *, required: bool = True, limit: int = 5000) -> str:
    value = str(ctx.payload.get(key) or "").strip()
    if required and not value:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写%(label)s。") % {"label": label}, field=key)
    if len(value) > limit:
        raise ServiceError(ErrorCode.INVALID, _("%(label)s过长。") % {"label": label}, field=key)
    return value


def _date(ctx: GuardContext, key: str, label: str) -> datetime.date:
    raw = ctx.payload.get(key)
    value = raw if isinstance(raw, datetime.date) else parse_date(str(raw or ""))
    if value is None:
        raise ServiceError(ErrorCode.INVALID, _("请填写正确的%(label)s。") % {"label": label}, field=key)
    return value


def _issue(ctx: GuardContext, doc_type: str, extra: dict[str, Any] | None = None):
    from zhifa.cases.documents.issue import issue_document

    return issue_document(
        case=ctx.case, doc_type=doc_type, extra=extra or {}, actor=ctx.actor, on_date=ctx.on_date
    )


def _person_name(ctx: GuardContext) -> str:
    return ctx.person.name if ctx.person is not None else ""
