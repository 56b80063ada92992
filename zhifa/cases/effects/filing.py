"""Effects of filing, the outcomes short of a penalty, the notice, hearing, review and discussion."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zhifa.cases import deadlines
from zhifa.cases.effects.base import Effect, _date, _issue, _note, _person_name, _text, effect
from zhifa.cases.guards import GuardContext, intended_qualifies, parse_decimal, parse_id
from zhifa.cases.models import (
    TIER_ORDER,
    CaseState,
    Discussion,
    DocType,
    Hearing,
    LegalReview,
    Outcome,
    StatementKind,
)
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.models import Agency, Person

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
        chair = Person.objects.get(pk=parse_id(ctx.payload.get("chair_id")) or 0)
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
