"""What each transition writes besides the state: documents, rows, fields (run by the engine).

Each effect reads the transition's input from `ctx.payload`, validates what the guards do not, writes
its rows inside the engine's transaction and returns the target state (when it chooses), the case's
field changes and what the record event should say.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from zhifa.cases import deadlines, rules
from zhifa.cases.guards import GuardContext, intended_qualifies, parse_decimal
from zhifa.cases.models import (
    TIER_ORDER,
    CaseState,
    CaseTransfer,
    Discussion,
    DocType,
    Hearing,
    LegalReview,
    Outcome,
    Service,
    ServiceMethod,
    StatementKind,
)
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.models import Agency, Person


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


# --- filing --------------------------------------------------------------------------------------


@effect("approve_filing")
def _approve_filing(ctx: GuardContext) -> Effect:
    note = _note(ctx)
    document = _issue(ctx, DocType.FILING_APPROVAL, {"approver": _person_name(ctx), **note})
    due = deadlines.decision_due(ctx.on_date)
    return Effect(
        changes={"filed_on": ctx.on_date, "filing_number": document.number, "decision_due_on": due.due},
        after={"filing_number": document.number, "decision_due_on": due.due.isoformat(), **note},
    )


@effect("decline")
def _decline(ctx: GuardContext) -> Effect:
    reason = _text(ctx, "reason", _("不予立案理由"))
    _issue(ctx, DocType.TERMINATION_APPROVAL, {"reason": reason, "kind": _("不予立案")})
    return Effect(changes={"outcome": Outcome.TERMINATED}, after={"reason": reason})


# --- outcomes short of a penalty -------------------------------------------------------------------


@effect("order_rectification")
def _order_rectification(ctx: GuardContext) -> Effect:
    requirement = _text(ctx, "requirement", _("整改要求"))
    by = _date(ctx, "rectify_by", _("整改期限"))
    if by <= ctx.on_date:
        raise ServiceError(ErrorCode.INVALID, _("整改期限应晚于今天。"), field="rectify_by")
    document = _issue(
        ctx, DocType.RECTIFICATION_ORDER, {"requirement": requirement, "rectify_by": by.isoformat()}
    )
    data = {**ctx.case.data, "rectify_by": by.isoformat()}
    return Effect(
        changes={"outcome": Outcome.RECTIFICATION, "data": data},
        after={"number": document.number, "rectify_by": by.isoformat()},
    )


@effect("confirm_rectified")
def _confirm_rectified(ctx: GuardContext) -> Effect:
    return Effect(changes={"outcome": Outcome.RECTIFICATION}, after=_note(ctx))


@effect("rectification_failed")
def _rectification_failed(ctx: GuardContext) -> Effect:
    target = CaseState.SOURCE if ctx.case.filed_on is None else CaseState.INVESTIGATING
    return Effect(target=target, changes={"outcome": ""}, after=_note(ctx))


@effect("send_reminder")
def _send_reminder(ctx: GuardContext) -> Effect:
    content = _text(ctx, "content", _("提示内容"))
    document = _issue(ctx, DocType.REMINDER_LETTER, {"content": content})
    return Effect(changes={"outcome": Outcome.REMINDER}, after={"number": document.number})


# --- notice, hearing, review ----------------------------------------------------------------------


@effect("notify")
def _notify(ctx: GuardContext) -> Effect:
    types = list(ctx.payload.get("intended_types") or [])
    fine = parse_decimal(ctx.payload.get("intended_fine"))
    confiscation = parse_decimal(ctx.payload.get("intended_confiscation"))
    facts = _text(ctx, "facts", _("违法事实"), required=not ctx.case.facts) or ctx.case.facts
    offered = intended_qualifies(ctx)
    ctx.case.intended_types, ctx.case.intended_fine = types, fine
    ctx.case.intended_confiscation, ctx.case.hearing_offered, ctx.case.facts = confiscation, offered, facts
    document = _issue(
        ctx,
        DocType.NOTICE_OF_INTENDED_PENALTY,
        {
            "statement_days": ctx.settings["statement_days"].as_int(),
            "mitigation_ground": str(ctx.payload.get("mitigation_ground") or ""),
        },
    )
    return Effect(
        changes={
            "intended_types": types,
            "intended_fine": fine,
            "intended_confiscation": confiscation,
            "hearing_offered": offered,
            "facts": facts,
        },
        after={
            "number": document.number,
            "intended_types": types,
            "intended_fine": str(fine) if fine is not None else None,
            "hearing_offered": offered,
        },
    )


def _start_review(ctx: GuardContext) -> tuple[LegalReview, dict[str, Any]]:
    from zhifa.cases.review_rules import required_tier

    case = ctx.case
    tier = required_tier(case)
    asked = ctx.payload.get("tier")
    if asked and TIER_ORDER.get(asked, 0) > TIER_ORDER[tier]:
        tier = type(tier)(asked)
    review_agency = review_agency_for(case, tier)
    last = case.reviews.order_by("-round").values_list("round", flat=True).first() or 0
    due = deadlines.legal_review_due(ctx.on_date, working_days=ctx.settings["review_days"].as_int())
    review = LegalReview.objects.create(
        case=case,
        tier=tier,
        round=last + 1,
        submitted_by=ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None,
        submitted_at=timezone.now(),
        due_on=due.due,
    )
    changes = {"review_tier": tier, "review_agency": review_agency}
    return review, changes


def review_agency_for(case, tier) -> Agency | None:
    """Seed 000: the department's legal section co-reviews (the department competent for the item's
    domain in the county); the justice bureau's panel reviews major cases."""
    from zhifa.cases.models import ReviewTier
    from zhifa.org.models import AgencyKind, DepartmentKind

    county_prefix = case.agency.region.adcode[:6]
    agencies = Agency.objects.filter(kind=AgencyKind.DEPARTMENT, region__adcode__startswith=county_prefix)
    if tier == ReviewTier.PANEL:
        return agencies.filter(department__kind=DepartmentKind.JUSTICE_BUREAU).first()
    if tier == ReviewTier.DEPARTMENT and case.item.domain_id is not None:
        return agencies.filter(department__domains=case.item.domain_id).exclude(pk=case.agency_id).first()
    return None


@effect("submit_review")
def _submit_review(ctx: GuardContext) -> Effect:
    review, changes = _start_review(ctx)
    return Effect(changes=changes, after={"tier": review.tier, "round": review.round, **_note(ctx)})


@effect("propose_no_penalty")
def _propose_no_penalty(ctx: GuardContext) -> Effect:
    ground = _text(ctx, "reason", _("不予处罚的理由"))
    data = {**ctx.case.data, "no_penalty_ground": ground}
    ctx.case.outcome = Outcome.NO_PENALTY
    review, changes = _start_review(ctx)
    return Effect(
        changes={**changes, "outcome": Outcome.NO_PENALTY, "data": data},
        after={"tier": review.tier, "round": review.round, "reason": ground},
    )


@effect("review_pass")
def _review_pass(ctx: GuardContext) -> Effect:
    from zhifa.cases.review_rules import discussion_required

    target = CaseState.DISCUSSION if discussion_required(ctx.case) else CaseState.DECIDING
    return Effect(target=target)


@effect("open_hearing")
def _open_hearing(ctx: GuardContext) -> Effect:
    case = ctx.case
    request = case.statements.filter(kind=StatementKind.HEARING_REQUEST).order_by("received_on").first()
    if request is None:
        raise ServiceError(ErrorCode.INVALID_STATE, _("当事人未申请听证。"), field="hearing")
    raw = ctx.payload.get("scheduled_at")
    scheduled = raw if isinstance(raw, datetime.datetime) else parse_datetime(str(raw or ""))
    if scheduled is None:
        raise ServiceError(ErrorCode.INVALID, _("请填写正确的听证时间。"), field="scheduled_at")
    if timezone.is_naive(scheduled):
        scheduled = timezone.make_aware(scheduled)
    latest = deadlines.hearing_notice_latest(timezone.localdate(scheduled))
    if ctx.on_date > latest.due:
        raise ServiceError(
            ErrorCode.INVALID,
            _("听证通知须在举行七个工作日前送达，该时间最迟须在%(day)s通知（《行政处罚法》第六十四条）。")
            % {"day": latest.due.isoformat()},
            field="scheduled_at",
        )
    place = _text(ctx, "place", _("听证地点"), limit=200)
    try:
        chair = Person.objects.get(pk=int(ctx.payload.get("chair_id") or 0))
    except (Person.DoesNotExist, TypeError, ValueError):
        raise ServiceError(ErrorCode.REQUIRED, _("请选择听证主持人。"), field="chair_id") from None
    if case.officers.filter(person=chair).exists():
        raise ServiceError(
            ErrorCode.INVALID,
            _("听证由非本案调查人员主持（《行政处罚法》第六十四条第（四）项）。"),
            field="chair_id",
        )
    hearing = Hearing.objects.create(
        case=case,
        requested_on=request.received_on,
        scheduled_at=scheduled,
        place=place,
        chair=chair,
        public=bool(ctx.payload.get("public", True)),
    )
    document = _issue(
        ctx,
        DocType.HEARING_NOTICE,
        {
            "scheduled_at": timezone.localtime(scheduled).strftime("%Y-%m-%d %H:%M"),
            "place": place,
            "chair": chair.name,
        },
    )
    return Effect(
        after={"hearing": hearing.pk, "number": document.number, "scheduled_at": scheduled.isoformat()}
    )


@effect("discuss")
def _discuss(ctx: GuardContext) -> Effect:
    conclusion = _text(ctx, "conclusion", _("讨论结论"))
    chair = _text(ctx, "chair", _("主持人"), limit=50)
    attendees = [
        a.strip() for a in str(ctx.payload.get("attendees") or "").replace("，", ",").split(",") if a.strip()
    ]
    if len(attendees) < 3:
        raise ServiceError(ErrorCode.INVALID, _("集体讨论须有三名以上负责人参加。"), field="attendees")
    agreed = bool(ctx.payload.get("agreed", True))
    discussion = Discussion.objects.create(
        case=ctx.case,
        held_on=ctx.on_date,
        chair=chair,
        attendees=attendees,
        conclusion=conclusion,
        agreed=agreed,
        recorded_by=ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None,
    )
    _issue(
        ctx,
        DocType.DISCUSSION_MINUTES,
        {"chair": chair, "attendees": "、".join(attendees), "conclusion": conclusion},
    )
    target = CaseState.DECIDING if agreed else CaseState.INVESTIGATING
    return Effect(target=target, after={"discussion": discussion.pk, "agreed": agreed})


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
        to_agency = Agency.objects.get(pk=int(ctx.payload.get("to_agency_id") or 0))
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


__all__ = ["Effect", "rules", "run"]
