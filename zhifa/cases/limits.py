"""The time limits of one case, as the workspace shows them and as the list's "overdue" filter uses.

Each limit comes from zhifa.cases.deadlines with its article; the ones that local rules set carry the
setting's source. `case_deadlines` lists every limit that applies to the case so far (met ones are
marked done); `next_due` is the nearest one still running, kept on the case row by the engine.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.cases import deadlines
from zhifa.cases.deadlines import DeadlineView, describe
from zhifa.cases.models import Case, CaseState, DocType, HearingResult, MeasureKind, Procedure, ReviewStatus


def served_on(case: Case, doc_type: str) -> datetime.date | None:
    """The day the latest document of `doc_type` reached the party (its periods run from then).

    One answer for the workspace and for the guards (zhifa.cases.guards.notice)."""
    moment = (
        case.services.filter(document__doc_type=doc_type, served_at__isnull=False)
        .order_by("-served_at")
        .values_list("served_at", flat=True)
        .first()
    )
    return timezone.localdate(moment) if moment else None


def case_deadlines(case: Case, today: datetime.date | None = None) -> list[DeadlineView]:
    """Every time limit of `case` so far, in procedural order, each with its level (ok, warning, due
    today, overdue, done)."""
    from zhifa.cases.settings_defaults import settings_for

    today = today or timezone.localdate()
    settings = settings_for(case.agency)
    views: list[DeadlineView] = []
    state = case.state
    if (
        case.procedure == Procedure.GENERAL
        and case.filed_on is None
        and state in (CaseState.SOURCE, CaseState.FILING)
    ):
        filing = deadlines.filing_due(case.discovered_on, working_days=settings["filing_days"].as_int())
        views.append(describe("filing", _("立案审批"), filing, today))
    if case.decision_due_on is not None and case.filed_on is not None:
        decision = deadlines.decision_due(
            case.filed_on, extension_days=case.extension_days, paused_days=case.paused_days
        )
        views.append(
            describe("decision", _("作出决定（自立案起）"), decision, today, done=case.decided_on is not None)
        )
    notice_served = served_on(case, DocType.NOTICE_OF_INTENDED_PENALTY)
    if notice_served is not None:
        statement = deadlines.statement_due(notice_served, working_days=settings["statement_days"].as_int())
        past_notice = state not in (CaseState.NOTIFIED,)
        views.append(describe("statement", _("陈述申辩期"), statement, today, done=past_notice))
        if case.hearing_offered:
            request = deadlines.hearing_request_due(notice_served)
            views.append(describe("hearing_request", _("听证申请期"), request, today, done=past_notice))
    for hearing in case.hearings.filter(result=HearingResult.SCHEDULED):
        latest = deadlines.hearing_notice_latest(timezone.localdate(hearing.scheduled_at))
        views.append(
            describe(
                "hearing_notice",
                _("听证通知最迟送达"),
                latest,
                today,
                done=hearing.notice_served_on is not None,
            )
        )
    review = case.reviews.filter(status=ReviewStatus.PENDING).order_by("-round").first()
    if review is not None:
        # The engine sets due_on (GO118 (十四), local setting) and an approved extension moves it.
        submitted = timezone.localdate(review.submitted_at)
        limit = deadlines.legal_review_due(submitted, working_days=settings["review_days"].as_int())
        if limit.due != review.due_on:
            limit = replace(limit, due=review.due_on)
        views.append(describe("review", _("法制审核"), limit, today))
    if case.decided_on is not None and case.procedure == Procedure.GENERAL:
        views.append(
            describe(
                "service",
                _("送达决定书"),
                deadlines.service_due(case.decided_on),
                today,
                done=case.served_on is not None,
            )
        )
    due_amount = (case.fine_amount or Decimal(0)) + (case.confiscation_amount or Decimal(0))
    if case.served_on is not None and due_amount > 0:
        views.append(
            describe(
                "payment",
                _("缴纳罚没款"),
                deadlines.payment_due(case.served_on),
                today,
                done=case.paid_amount >= due_amount,
            )
        )
    for measure in case.measures.filter(lifted_on__isnull=True):
        if measure.kind == MeasureKind.PRESERVE:
            limit = deadlines.preservation_due(measure.started_on)
            views.append(describe("preservation", _("先行登记保存处理决定"), limit, today))
        else:
            limit = deadlines.seizure_due(measure.started_on, extended=measure.extended)
            if limit.due != measure.due_on:
                # ACL Art. 25 allows an extension of up to 30 days; the measure keeps the exact date.
                limit = replace(limit, due=measure.due_on)
            views.append(describe("seizure", _("查封扣押期限"), limit, today))
    return views


def next_due(case: Case, today: datetime.date | None = None) -> tuple[datetime.date | None, str]:
    """The nearest limit still running (its date and key), or (None, "") when none runs."""
    if not case.is_open or case.state == CaseState.SUSPENDED:
        return None, ""
    running = [v for v in case_deadlines(case, today) if v.level != "done" and not v.done]
    if not running:
        return None, ""
    nearest = min(running, key=lambda v: v.deadline.due)
    return nearest.deadline.due, nearest.key


def refresh_next_due(case: Case, on_date: datetime.date | None = None) -> None:
    """Keep the case's nearest running limit current after an act changed the limits (the list's
    "overdue" filter reads it). Reloads `case` and updates the row only when the limit moved."""
    case.refresh_from_db()
    due_on, key = next_due(case, on_date)
    if (due_on, key) != (case.next_due_on, case.next_due_key):
        Case.objects.filter(pk=case.pk).update(next_due_on=due_on, next_due_key=key)
        case.next_due_on, case.next_due_key = due_on, key
