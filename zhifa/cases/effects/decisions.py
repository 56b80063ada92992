"""Effects of the decisions, service, transfer, suspension, termination, closing and archive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from zhifa.cases import deadlines
from zhifa.cases.effects.base import Effect, _date, _issue, _note, _person_name, _text, effect
from zhifa.cases.guards import GuardContext, parse_decimal, parse_id
from zhifa.cases.models import (
    CaseState,
    CaseTransfer,
    DocType,
    Outcome,
    Service,
    ServiceMethod,
)
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.models import Agency

# --- decisions -----------------------------------------------------------------------------------


def _penalty_changes(ctx: GuardContext) -> dict[str, Any]:
    return {
        "penalty_types": list(ctx.payload.get("penalty_types") or []),
        "fine_amount": parse_decimal(ctx.payload.get("fine_amount")),
        "confiscation_amount": parse_decimal(ctx.payload.get("confiscation_amount")),
    }


@effect("decide_penalty")
def _decide_penalty(ctx: GuardContext) -> Effect:
    changes = _penalty_changes(ctx)
    for key, value in changes.items():
        setattr(ctx.case, key, value)
    ctx.case.decided_on, ctx.case.outcome = ctx.on_date, Outcome.PENALTY
    document = _issue(
        ctx, DocType.PENALTY_DECISION, {"mitigation_ground": str(ctx.payload.get("mitigation_ground") or "")}
    )
    changes |= {"decided_on": ctx.on_date, "decision_number": document.number, "outcome": Outcome.PENALTY}
    return Effect(
        changes=changes,
        after={
            "number": document.number,
            "penalty_types": changes["penalty_types"],
            "fine": str(changes["fine_amount"]),
        },
    )


@effect("decide_no_penalty")
def _decide_no_penalty(ctx: GuardContext) -> Effect:
    reason = _text(ctx, "reason", _("不予处罚的理由"))
    ctx.case.decided_on, ctx.case.outcome = ctx.on_date, Outcome.NO_PENALTY
    document = _issue(ctx, DocType.NO_PENALTY_DECISION, {"reason": reason})
    return Effect(
        changes={
            "decided_on": ctx.on_date,
            "decision_number": document.number,
            "outcome": Outcome.NO_PENALTY,
        },
        after={"number": document.number, "reason": reason},
    )


@effect("decide_on_the_spot")
def _decide_on_the_spot(ctx: GuardContext) -> Effect:
    """APL Art. 52: the numbered form is handed to the party on the spot, which is its service."""
    changes = _penalty_changes(ctx)
    for key, value in changes.items():
        setattr(ctx.case, key, value)
    ctx.case.decided_on, ctx.case.outcome = ctx.on_date, Outcome.PENALTY
    document = _issue(ctx, DocType.ON_THE_SPOT_DECISION, {"place": ctx.case.address})
    party = ctx.parties[0]
    now = timezone.now()
    Service.objects.create(
        case=ctx.case,
        document=document,
        party=party,
        method=ServiceMethod.ON_THE_SPOT,
        recipient=str(ctx.payload.get("recipient") or party.name)[:50],
        served_at=now,
        note=str(ctx.payload.get("refused_note") or "")[:300],
        created_by=ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None,
    )
    fine = changes["fine_amount"] or Decimal(0)
    changes |= {
        "decided_on": ctx.on_date,
        "filed_on": ctx.on_date,
        "served_on": ctx.on_date,
        "decision_number": document.number,
        "outcome": Outcome.PENALTY,
        "payment_due_on": deadlines.payment_due(ctx.on_date).due if fine > 0 else None,
    }
    target = CaseState.EXECUTING if fine > 0 else CaseState.EXECUTED
    return Effect(target=target, changes=changes, after={"number": document.number, "fine": str(fine)})


@effect("serve")
def _serve(ctx: GuardContext) -> Effect:
    served_on = _date(ctx, "served_on", _("送达日期"))
    case = ctx.case
    amount = (case.fine_amount or Decimal(0)) + (case.confiscation_amount or Decimal(0))
    changes: dict[str, Any] = {"served_on": served_on}
    if case.outcome == Outcome.PENALTY and amount > 0:
        changes["payment_due_on"] = deadlines.payment_due(served_on).due
        return Effect(target=CaseState.EXECUTING, changes=changes, after={"served_on": served_on.isoformat()})
    return Effect(target=CaseState.EXECUTED, changes=changes, after={"served_on": served_on.isoformat()})


# --- transfer, suspension, termination, closing -----------------------------------------------------


@effect("transfer")
def _transfer(ctx: GuardContext) -> Effect:
    from zhifa.cases.services.cases import case_receive_transfer

    reason = _text(ctx, "reason", _("移交理由"))
    try:
        to_agency = Agency.objects.get(pk=parse_id(ctx.payload.get("to_agency_id")) or 0)
    except (Agency.DoesNotExist, TypeError, ValueError):
        raise ServiceError(ErrorCode.REQUIRED, _("请选择移交机关。"), field="to_agency_id") from None
    if to_agency.pk == ctx.case.agency_id:
        raise ServiceError(ErrorCode.INVALID, _("不能移交给本机关。"), field="to_agency_id")
    if to_agency.region.adcode[:6] != ctx.case.agency.region.adcode[:6]:
        raise ServiceError(ErrorCode.INVALID, _("只能移交本县（区）的机关。"), field="to_agency_id")
    document = _issue(ctx, DocType.TRANSFER_LETTER, {"to": to_agency.name, "reason": reason})
    transfer = CaseTransfer.objects.create(
        case=ctx.case, to_agency=to_agency, reason=reason, transferred_on=ctx.on_date
    )
    received = case_receive_transfer(transfer=transfer, actor=ctx.actor)
    return Effect(
        changes={"outcome": Outcome.TRANSFER},
        after={
            "to_agency": to_agency.pk,
            "new_case": received.code,
            "number": document.number,
            "reason": reason,
        },
    )


@effect("transfer_judiciary")
def _transfer_judiciary(ctx: GuardContext) -> Effect:
    reason = _text(ctx, "reason", _("移送理由"))
    body = _text(ctx, "to_judiciary", _("接收的司法机关"), limit=100)
    document = _issue(ctx, DocType.TRANSFER_LETTER, {"to": body, "reason": reason, "judiciary": True})
    CaseTransfer.objects.create(case=ctx.case, to_judiciary=body, reason=reason, transferred_on=ctx.on_date)
    return Effect(changes={"outcome": Outcome.JUDICIARY}, after={"to": body, "number": document.number})


@effect("suspend")
def _suspend(ctx: GuardContext) -> Effect:
    reason = _text(ctx, "reason", _("中止理由"))
    data = {**ctx.case.data, "suspended_on": ctx.on_date.isoformat()}
    return Effect(changes={"suspended_state": ctx.case.state, "data": data}, after={"reason": reason})


@effect("resume")
def _resume(ctx: GuardContext) -> Effect:
    """APL Art. 60: time while the case was suspended does not count against the decision period."""
    case = ctx.case
    since = parse_date(str(case.data.get("suspended_on") or "")) or ctx.on_date
    paused = case.paused_days + max((ctx.on_date - since).days, 0)
    changes: dict[str, Any] = {"suspended_state": "", "paused_days": paused}
    if case.filed_on is not None:
        changes["decision_due_on"] = deadlines.decision_due(
            case.filed_on, extension_days=case.extension_days, paused_days=paused
        ).due
    return Effect(
        target=CaseState(case.suspended_state), changes=changes, after={"paused_days": paused, **_note(ctx)}
    )


@effect("terminate")
def _terminate(ctx: GuardContext) -> Effect:
    reason = _text(ctx, "reason", _("终止理由"))
    document = _issue(ctx, DocType.TERMINATION_APPROVAL, {"reason": reason, "kind": _("终止调查")})
    return Effect(
        changes={"outcome": Outcome.TERMINATED}, after={"reason": reason, "number": document.number}
    )


@effect("close")
def _close(ctx: GuardContext) -> Effect:
    from zhifa.cases.services.cases import tell_clue

    note = _note(ctx)
    document = _issue(ctx, DocType.CLOSING_APPROVAL, {"approver": _person_name(ctx), **note})
    tell_clue(ctx.case, actor=ctx.actor)
    return Effect(changes={"closed_on": ctx.on_date}, after={"number": document.number, **note})


@effect("archive")
def _archive(ctx: GuardContext) -> Effect:
    from zhifa.cases.casefile import bind_archive

    path, sha256, pages = bind_archive(ctx.case)
    data = {**ctx.case.data, "archive": {"file": path, "sha256": sha256, "pages": pages}}
    return Effect(
        changes={"archived_on": ctx.on_date, "data": data}, after={"sha256": sha256, "pages": pages}
    )
