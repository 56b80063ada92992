"""Guards of the notice, the statement and defence, and the hearing (APL Art. 44-45, 62-65)."""

import datetime

from django.utils.translation import gettext as _

from zhifa.cases import deadlines, rules
from zhifa.cases.guards.context import GuardContext
from zhifa.cases.models import (
    Case,
    DocType,
    HearingResult,
    StatementKind,
)

# --- notice, statement, hearing -------------------------------------------------------------------


def _served_on(ctx: GuardContext, doc_type: str) -> datetime.date | None:
    from zhifa.cases.limits import served_on

    return served_on(ctx.case, doc_type)


def notice_served_on(case: Case) -> datetime.date | None:
    """When the notice of intended penalty reached the party (the notice period runs from then)."""
    return _served_on(
        GuardContext(case, None, None, datetime.date.today()), DocType.NOTICE_OF_INTENDED_PENALTY
    )


def _has(ctx: GuardContext, kind: str) -> bool:
    return ctx.case.statements.filter(kind=kind).exists()


def notice_period_over(ctx: GuardContext) -> list[str]:
    """APL Art. 44-45, 62 and 64(1): no decision before the party has been notified and the periods to
    state a defence (local setting) and to ask for a hearing (5 WD) have run, unless the party waived
    them expressly."""
    served = _served_on(ctx, DocType.NOTICE_OF_INTENDED_PENALTY)
    if served is None:
        return [_("行政处罚事先告知书尚未送达当事人（《行政处罚法》第四十四条、第六十二条）。")]
    problems: list[str] = []
    days = ctx.settings["statement_days"].as_int()
    statement = deadlines.statement_due(served, working_days=days)
    if ctx.on_date <= statement.due and not _has(ctx, StatementKind.WAIVER):
        problems.append(
            _(
                "陈述申辩期至%(due)s届满，当事人未明确放弃前不得作出决定（《行政处罚法》第四十五条、第六十二条）。"
            )
            % {"due": statement.due.isoformat()}
        )
    if ctx.case.hearing_offered:
        request = deadlines.hearing_request_due(served)
        if (
            ctx.on_date <= request.due
            and not _has(ctx, StatementKind.HEARING_WAIVER)
            and not _has(ctx, StatementKind.HEARING_REQUEST)
        ):
            problems.append(
                _("听证申请期至%(due)s届满（《行政处罚法》第六十四条）。") % {"due": request.due.isoformat()}
            )
    return problems


def hearing_settled(ctx: GuardContext) -> list[str]:
    """APL Art. 63-65: a hearing the party asked for in time must have been held (or the party withdrew
    or stayed away without good reason) before the case goes on; the decision rests on its transcript."""
    if not ctx.case.hearing_offered or not _has(ctx, StatementKind.HEARING_REQUEST):
        return []
    done = ctx.case.hearings.filter(
        result__in=(HearingResult.HELD, HearingResult.ABSENT, HearingResult.WITHDRAWN)
    ).exists()
    return [] if done else [_("当事人已申请听证，听证尚未举行（《行政处罚法》第六十三条至第六十五条）。")]


def hearing_offered_if_qualifies(ctx: GuardContext) -> list[str]:
    """APL Art. 63: the notice must tell the party of the right to a hearing when the intended penalty
    qualifies; the input may not switch that off."""
    qualifies = intended_qualifies(ctx)
    if qualifies and ctx.payload.get("hearing_offered") is False:
        return [_("拟作出的处罚属于应当告知听证权利的情形，不能不告知（《行政处罚法》第六十三条）。")]
    return []


def intended_qualifies(ctx: GuardContext) -> bool:
    return rules.hearing_qualifies(
        list(ctx.payload.get("intended_types") or []),
        ctx.decimal("intended_fine"),
        ctx.decimal("intended_confiscation"),
        organisation=ctx.organisation,
        large_person=ctx.settings["hearing_fine_person"].as_decimal(),
        large_organisation=ctx.settings["hearing_fine_organisation"].as_decimal(),
    )
