"""Guards of the penalty, review, discussion, decision, service, payment, closing and execution."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from zhifa.cases import deadlines, rules
from zhifa.cases.guards.context import GuardContext
from zhifa.cases.guards.notice import _served_on
from zhifa.cases.models import (
    TIER_ORDER,
    DocType,
    ReviewStatus,
)

# --- penalty, review, decision --------------------------------------------------------------------


def penalty_problems(ctx: GuardContext, types_key: str, fine_key: str) -> list[str]:
    """The penalty must be one the item's basis allows (APL Art. 9, 4) with the fine in its range;
    below the floor only with a mitigation ground stated (减轻, APL Art. 30-32)."""
    item = ctx.case.item
    types = list(ctx.payload.get(types_key) or [])
    problems: list[str] = []
    if not types:
        problems.append(_("请选择处罚种类。"))
    allowed = set(item.penalty_types or [])
    if allowed and set(types) - allowed:
        problems.append(
            _("该事项的处罚种类不包括“%(types)s”。") % {"types": "、".join(sorted(set(types) - allowed))}
        )
    fine = ctx.decimal(fine_key)
    if ctx.payload.get(fine_key) not in (None, "") and fine is None:
        problems.append(_("罚款金额格式不正确。"))
    if rules.FINE in types and (fine is None or fine <= 0):
        problems.append(_("选择了罚款，请填写罚款金额。"))
    if fine is not None and fine > 0 and rules.FINE not in types:
        problems.append(_("未选择罚款，不能填写罚款金额。"))
    floor = None if (ctx.payload.get("mitigation_ground") or "").strip() else item.fine_min
    problems.extend(rules.fine_range_problems(fine, floor, item.fine_max))
    return problems


def intended_penalty_valid(ctx: GuardContext) -> list[str]:
    """The intended penalty of the notice (APL Art. 44)."""
    return penalty_problems(ctx, "intended_types", "intended_fine")


def decided_penalty_valid(ctx: GuardContext) -> list[str]:
    """The decided penalty (APL Art. 59), no heavier than the one notified: the party's defence may not
    make it heavier (APL Art. 45), and a heavier one would need a new notice (Art. 44)."""
    problems = penalty_problems(ctx, "penalty_types", "fine_amount")
    case = ctx.case
    extra = set(ctx.payload.get("penalty_types") or []) - set(case.intended_types or [])
    if extra:
        problems.append(
            _("决定的处罚种类“%(types)s”未经事先告知（《行政处罚法》第四十四条、第四十五条）。")
            % {"types": "、".join(sorted(extra))}
        )
    fine = ctx.decimal("fine_amount")
    if fine is not None and case.intended_fine is not None and fine > case.intended_fine:
        problems.append(
            _(
                "罚款%(fine)s元高于告知的%(intended)s元，不得因当事人陈述申辩而加重处罚（《行政处罚法》第四十五条）。"
            )
            % {"fine": fine, "intended": case.intended_fine}
        )
    return problems


def review_passed(ctx: GuardContext) -> list[str]:
    """APL Art. 58: where legal review is required, no decision without a passed review, at the tier the
    case needs (seed 000); a failed review sends the case back."""
    from zhifa.cases.review_rules import required_tier, tier_at_least

    latest = ctx.case.reviews.order_by("-round", "-id").first()
    needed = required_tier(ctx.case)
    if latest is None or latest.status != ReviewStatus.PASSED:
        return [_("尚未通过法制审核（《行政处罚法》第五十八条）。")]
    if not tier_at_least(latest.tier, needed):
        return [
            _("本案须经“%(tier)s”，已通过的审核层级较低（《行政处罚法》第五十八条）。")
            % {"tier": needed.label}
        ]
    return []


def discussion_held_if_required(ctx: GuardContext) -> list[str]:
    """APL Art. 57 para 2: complex or major cases are decided by the heads' collective discussion."""
    from zhifa.cases.review_rules import discussion_required

    if not discussion_required(ctx.case):
        return []
    if ctx.case.discussions.filter(agreed=True).exists():
        return []
    return [_("重大、复杂案件须经负责人集体讨论决定（《行政处罚法》第五十七条第二款）。")]


def within_decision_period(ctx: GuardContext) -> list[str]:
    """APL Art. 60: decide within 90 days of filing, plus approved extensions."""
    due = ctx.case.decision_due_on
    if due is None or ctx.on_date <= due:
        return []
    return [_("办案期限已于%(due)s届满，须先批准延长（《行政处罚法》第六十条）。") % {"due": due.isoformat()}]


def simplified_limits(ctx: GuardContext) -> list[str]:
    """APL Art. 51: on the spot only a warning, or a fine up to CNY 200 (citizen) / 3,000 (organisation),
    and, as always, a penalty the item's basis allows within its range."""
    problems = penalty_problems(ctx, "penalty_types", "fine_amount")
    return problems + rules.simplified_problems(
        list(ctx.payload.get("penalty_types") or []),
        ctx.decimal("fine_amount"),
        organisation=ctx.organisation,
    )


def decision_served(ctx: GuardContext) -> list[str]:
    """APL Art. 61: the decision takes effect for the party once served."""
    for doc_type in (DocType.PENALTY_DECISION, DocType.NO_PENALTY_DECISION, DocType.ON_THE_SPOT_DECISION):
        if _served_on(ctx, doc_type) is not None:
            return []
    return [_("决定书尚未送达（《行政处罚法》第六十一条）。")]


def fully_paid(ctx: GuardContext) -> list[str]:
    """APL Art. 67: the fine is paid at the bank; the case is executed when the fine (and any surcharge,
    Art. 72) has been received."""
    case = ctx.case
    due = (case.fine_amount or Decimal(0)) + (case.confiscation_amount or Decimal(0))
    if case.paid_amount >= due:
        return []
    return [_("罚没款尚未缴清：应缴%(due)s元，已缴%(paid)s元。") % {"due": due, "paid": case.paid_amount}]


def casefile_complete(ctx: GuardContext) -> list[str]:
    """APL Art. 47 and GO118 (九): the case file must hold every document the way the case ended
    requires (one rule for closing and for case-file review)."""
    from zhifa.cases.casefile import casefile_problems

    return casefile_problems(ctx.case)


def payment_overdue_and_reminded(ctx: GuardContext) -> list[str]:
    """ACL Art. 35, 53-54 and APL Art. 72: court enforcement only after the payment period ran out, a
    written reminder was served and 10 working days passed, within three months after the periods for
    reconsideration and litigation."""
    case = ctx.case
    problems: list[str] = []
    if case.payment_due_on is None or ctx.on_date <= case.payment_due_on:
        problems.append(_("缴款期限尚未届满（《行政处罚法》第六十七条）。"))
    reminded = _served_on(ctx, DocType.ENFORCEMENT_REMINDER)
    if reminded is None:
        problems.append(_("尚未送达催告书（《行政强制法》第三十五条、第五十四条）。"))
    else:
        from zhifa.core.calendar import add_working_days

        ready = add_working_days(reminded, 10)
        if ctx.on_date <= ready:
            problems.append(
                _("催告书送达满十个工作日（%(day)s）后方可申请强制执行（《行政强制法》第五十四条）。")
                % {"day": ready.isoformat()}
            )
    if case.served_on is not None:
        window = deadlines.court_application_window(case.served_on)
        if ctx.on_date < window.start:
            problems.append(
                _("复议、诉讼期限届满（%(day)s）后方可申请法院强制执行（《行政强制法》第五十三条）。")
                % {"day": window.start.isoformat()}
            )
        elif ctx.on_date > window.end:
            problems.append(
                _("申请强制执行期限已于%(day)s届满（《行政强制法》第五十三条）。")
                % {"day": window.end.isoformat()}
            )
    return problems


def rectification_evidence(ctx: GuardContext) -> list[str]:
    """APL Art. 28: a rectification order rests on what was found: an inspection record or evidence."""
    if ctx.case.evidence.exists() or ctx.case.documents.filter(doc_type=DocType.INSPECTION_RECORD).exists():
        return []
    return [_("责令改正须有现场检查笔录或其他证据。")]


def officer_declared_tier(ctx: GuardContext) -> list[str]:
    """A tier in the input may raise the proposed tier, never lower it (seed 000)."""
    from zhifa.cases.review_rules import required_tier

    asked = ctx.payload.get("tier")
    if not asked:
        return []
    needed = required_tier(ctx.case)
    if asked not in TIER_ORDER:
        return [_("审核层级不正确。")]
    if TIER_ORDER[asked] < TIER_ORDER[needed]:
        return [_("审核层级只能提高，不能低于“%(tier)s”。") % {"tier": needed.label}]
    return []


def not_filed(ctx: GuardContext) -> list[str]:
    return [] if ctx.case.filed_on is None else [_("案件已立案。")]


def filed(ctx: GuardContext) -> list[str]:
    return [] if ctx.case.filed_on is not None else [_("案件尚未立案。")]


def reason_given(ctx: GuardContext) -> list[str]:
    return [] if (ctx.payload.get("reason") or "").strip() else [_("请填写理由。")]


def review_recorded_passed(ctx: GuardContext) -> list[str]:
    """A review passes only through the reviewer's answered checklist (GO118 (十三)), recorded first by
    zhifa.cases.services.review; the bare transition cannot pass a review."""
    latest = ctx.case.reviews.order_by("-round", "-id").first()
    if latest is not None and latest.status == ReviewStatus.PASSED:
        return []
    return [_("须由审核人员逐项填写审核要点并出具审核意见（国办发〔2018〕118号（十三））。")]


def review_recorded_failed(ctx: GuardContext) -> list[str]:
    """A review is sent back only with the reviewer's recorded opinion (GO118 (十三))."""
    latest = ctx.case.reviews.order_by("-round", "-id").first()
    if latest is not None and latest.status == ReviewStatus.FAILED:
        return []
    return [_("须由审核人员逐项填写审核要点并出具审核意见（国办发〔2018〕118号（十三））。")]


def execution_time_allowed(ctx: GuardContext) -> list[str]:
    """ACL Art. 43: no execution at night or on statutory holidays, except in an emergency (which
    must be stated). The time of execution comes from the input (default: now)."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    raw = ctx.payload.get("executed_at")
    parsed = raw if isinstance(raw, datetime.datetime) else parse_datetime(str(raw or ""))
    moment = parsed or timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    emergency = bool(ctx.payload.get("emergency")) and bool(
        (ctx.payload.get("emergency_reason") or "").strip()
    )
    if ctx.payload.get("emergency") and not emergency:
        return [_("情况紧急的，须写明紧急情形（《行政强制法》第四十三条）。")]
    allowed, reason = deadlines.execution_allowed(moment, emergency=emergency)
    return [] if allowed else [reason]
