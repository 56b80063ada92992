"""What the party says after the notice of the intended penalty, and the hearing.

APL Art. 44-45: the party may state and defend; the agency listens, re-examines (复核) and adopts what is
well founded, and may not make the penalty heavier because of the defence. Art. 62: no decision without
this unless the party expressly waives (a signed waiver). Art. 63-64: where a hearing was offered the party
may ask for one within 5 working days of the notice (Art. 85); the hearing is recorded in a transcript
the party signs (Art. 64(8)), on which the decision rests (Art. 65).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases import deadlines
from zhifa.cases.guards import notice_served_on
from zhifa.cases.models import (
    Case,
    CaseState,
    DocType,
    Hearing,
    HearingResult,
    Statement,
    StatementKind,
)
from zhifa.cases.services.acts import (
    check,
    effective_state,
    is_decided,
    issue,
    lock,
    not_future,
    refresh_due,
    require_open,
    require_work,
    step,
    text,
    today,
    user_or_none,
)
from zhifa.core.calendar import add_working_days
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event

# After the notice and before the decision (APL Art. 44-45, 62).
LISTENING_STATES = frozenset(
    {CaseState.NOTIFIED, CaseState.HEARING, CaseState.REVIEW, CaseState.DISCUSSION, CaseState.DECIDING}
)
LABELS = {
    StatementKind.STATEMENT: gettext_lazy("登记陈述申辩"),
    StatementKind.WAIVER: gettext_lazy("登记放弃陈述申辩"),
    StatementKind.HEARING_REQUEST: gettext_lazy("登记听证申请"),
    StatementKind.HEARING_WAIVER: gettext_lazy("登记放弃听证"),
}


def _notified(case: Case, received_on: datetime.date) -> datetime.date:
    """The day the notice of the intended penalty was served; what the party says cannot be earlier."""
    served = notice_served_on(case)
    if effective_state(case) not in LISTENING_STATES or served is None or is_decided(case):
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _(
                "行政处罚事先告知书送达后、作出决定前才能登记陈述申辩或听证申请（《行政处罚法》第四十四条、第四十五条）。"
            ),
            field="state",
        )
    if received_on < served:
        raise ServiceError(
            ErrorCode.INVALID,
            _("收到日期不能早于告知书送达日期（%(day)s）。") % {"day": served.isoformat()},
            field="received_on",
        )
    return served


def _add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    content: str,
    received_on: datetime.date,
    on_date: datetime.date,
    rule: Any = None,
) -> Statement:
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        served = _notified(locked, received_on)
        if rule is not None:
            rule(locked, served)
        statement = Statement.objects.create(
            case=locked, kind=kind, received_on=received_on, content=content, recorded_by=user_or_none(actor)
        )
        refresh_due(locked, on_date)
        after = {"statement": statement.pk, "kind": kind, "received_on": received_on.isoformat()}
        step(locked, actor, f"statement_{kind}"[:32], str(LABELS[kind]), content[:200], after)
        record_event(actor=actor, action=f"case.statement_{kind}", obj=locked, after=after)
    return statement


def _inputs(
    content: str, received_on: datetime.date | None, label: str, day: datetime.date, *, required: bool
):
    problems: list[ServiceError] = []
    try:
        content = text(content, "content", label, required=required, limit=20000)
    except ServiceError as exc:
        problems.append(exc)
    try:
        not_future(received_on, "received_on", _("收到日期"), on=day)
    except ServiceError as exc:
        problems.append(exc)
    check(problems)
    return content


def statement_record(
    *,
    actor: Any,
    case: Case,
    content: str,
    received_on: datetime.date | None,
    on_date: datetime.date | None = None,
) -> Statement:
    """The party's statement and defence (APL Art. 45); re-examined later (statement_reexamine)."""
    require_work(actor, case)
    day = on_date or today()
    content = _inputs(content, received_on, _("陈述申辩内容"), day, required=True)
    return _add(
        actor=actor,
        case=case,
        kind=StatementKind.STATEMENT,
        content=content,
        received_on=received_on,
        on_date=day,
    )


def statement_reexamine(
    *, actor: Any, statement: Statement, reexamination: str, adopted: bool | None
) -> Statement:
    """Re-examine (复核) a statement and say whether it is adopted (APL Art. 45); once, before deciding."""
    case = statement.case
    require_work(actor, case)
    reexamination = text(reexamination, "reexamination", _("复核意见"), limit=5000)
    if adopted is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请选择是否采纳。"), field="adopted")
    if statement.kind != StatementKind.STATEMENT:
        raise ServiceError(ErrorCode.INVALID, _("只有陈述申辩需要复核。"), field="statement")
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        if is_decided(locked):
            raise ServiceError(ErrorCode.INVALID_STATE, _("案件已作出决定，不能再复核。"), field="state")
        updated = Statement.objects.filter(pk=statement.pk, reexamination="", adopted__isnull=True).update(
            reexamination=reexamination, adopted=bool(adopted)
        )
        if not updated:
            raise ServiceError(ErrorCode.INVALID_STATE, _("该陈述申辩已经复核。"), field="reexamination")
        statement.refresh_from_db()
        after = {"statement": statement.pk, "adopted": bool(adopted)}
        step(locked, actor, "statement_reexamine", _("复核陈述申辩"), reexamination[:200], after)
        record_event(actor=actor, action="case.statement_reexamine", obj=locked, after=after)
    return statement


def statement_waive(
    *,
    actor: Any,
    case: Case,
    content: str,
    received_on: datetime.date | None,
    on_date: datetime.date | None = None,
) -> Statement:
    """The party's express waiver of statement and defence (APL Art. 62), with what the signed waiver says."""
    require_work(actor, case)
    day = on_date or today()
    content = _inputs(content, received_on, _("当事人签署的放弃声明"), day, required=True)

    def once(locked: Case, served: datetime.date) -> None:
        if locked.statements.filter(kind=StatementKind.WAIVER).exists():
            raise ServiceError(ErrorCode.DUPLICATE, _("已登记放弃陈述申辩。"), field="content")

    return _add(
        actor=actor,
        case=case,
        kind=StatementKind.WAIVER,
        content=content,
        received_on=received_on,
        on_date=day,
        rule=once,
    )


def _hearing_offered(locked: Case) -> None:
    if not locked.hearing_offered:
        raise ServiceError(
            ErrorCode.INVALID_STATE, _("本案未告知听证权利（《行政处罚法》第六十三条）。"), field="state"
        )
    if locked.statements.filter(
        kind__in=(StatementKind.HEARING_REQUEST, StatementKind.HEARING_WAIVER)
    ).exists():
        raise ServiceError(ErrorCode.DUPLICATE, _("已登记听证申请或放弃听证。"), field="kind")


def hearing_request(
    *,
    actor: Any,
    case: Case,
    received_on: datetime.date | None,
    content: str = "",
    on_date: datetime.date | None = None,
) -> Statement:
    """The party asks for a hearing: only where one was offered, within 5 working days of the notice's
    service (APL Art. 64(1), 85); a later request is refused with the last day."""
    require_work(actor, case)
    day = on_date or today()
    content = _inputs(content, received_on, _("申请内容"), day, required=False)

    def in_time(locked: Case, served: datetime.date) -> None:
        _hearing_offered(locked)
        if effective_state(locked) != CaseState.NOTIFIED:
            raise ServiceError(
                ErrorCode.INVALID_STATE, _("听证申请期已过，案件已进入下一环节。"), field="state"
            )
        due = deadlines.hearing_request_due(served)
        if received_on > due.due:
            raise ServiceError(
                ErrorCode.INVALID,
                _(
                    "听证申请期已于%(due)s届满（告知书%(served)s送达后五个工作日，《行政处罚法》第六十四条第（一）项）。"
                )
                % {"due": due.due.isoformat(), "served": served.isoformat()},
                field="received_on",
            )

    return _add(
        actor=actor,
        case=case,
        kind=StatementKind.HEARING_REQUEST,
        content=content,
        received_on=received_on,
        on_date=day,
        rule=in_time,
    )


def hearing_waiver(
    *,
    actor: Any,
    case: Case,
    received_on: datetime.date | None,
    content: str,
    on_date: datetime.date | None = None,
) -> Statement:
    """The party expressly gives up the hearing offered (APL Art. 63-64), with what the signed waiver says."""
    require_work(actor, case)
    day = on_date or today()
    content = _inputs(content, received_on, _("当事人签署的放弃听证声明"), day, required=True)
    return _add(
        actor=actor,
        case=case,
        kind=StatementKind.HEARING_WAIVER,
        content=content,
        received_on=received_on,
        on_date=day,
        rule=lambda locked, served: _hearing_offered(locked),
    )


# --- the hearing's result (APL Art. 64-65) ---------------------------------------------------------------


def _notice_served(hearing: Hearing) -> datetime.date | None:
    """When the hearing notice reached the party: the hearing's own date, else the latest served
    hearing notice of the case (the notice of a rescheduled hearing is the later one)."""
    if hearing.notice_served_on is not None:
        return hearing.notice_served_on
    moment = (
        hearing.case.services.filter(document__doc_type=DocType.HEARING_NOTICE, served_at__isnull=False)
        .order_by("-served_at")
        .values_list("served_at", flat=True)
        .first()
    )
    return timezone.localdate(moment) if moment else None


def hearing_record(
    *,
    actor: Any,
    hearing: Hearing,
    result: str,
    transcript: str = "",
    held_at: datetime.datetime | None = None,
    agents: str = "",
) -> Hearing:
    """Record how the hearing went: held (with its transcript, issued as 听证笔录, Art. 64(8)), the party
    absent without good reason or withdrawn (both a waiver, Art. 64(6)). A hearing held or missed needs
    its notice served 7 working days before (Art. 64(2), 85)."""
    case = hearing.case
    require_work(actor, case)
    if result not in (HearingResult.HELD, HearingResult.ABSENT, HearingResult.WITHDRAWN):
        raise ServiceError(ErrorCode.INVALID, _("请选择听证结果。"), field="result")
    problems: list[ServiceError] = []
    if result == HearingResult.HELD:
        try:
            transcript = text(transcript, "transcript", _("听证笔录"), limit=50000)
        except ServiceError as exc:
            problems.append(exc)
    else:
        transcript = str(transcript or "").strip()[:50000]
    if held_at is None:
        problems.append(ServiceError(ErrorCode.REQUIRED, _("请填写时间。"), field="held_at"))
    else:
        held_at = timezone.make_aware(held_at) if timezone.is_naive(held_at) else held_at
        if held_at > timezone.now() + datetime.timedelta(minutes=5):
            problems.append(ServiceError(ErrorCode.INVALID, _("时间不能晚于现在。"), field="held_at"))
    check(problems)
    held_day = timezone.localdate(held_at)
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        hearing = Hearing.objects.select_for_update(of=("self",)).select_related("chair").get(pk=hearing.pk)
        if hearing.result != HearingResult.SCHEDULED:
            raise ServiceError(ErrorCode.INVALID_STATE, _("该听证的结果已登记。"), field="result")
        if result != HearingResult.WITHDRAWN:
            served = _notice_served(hearing)
            if served is None or add_working_days(served, 7) > held_day:
                raise ServiceError(
                    ErrorCode.INVALID_STATE,
                    _("听证通知书须在举行七个工作日前送达当事人（《行政处罚法》第六十四条第（二）项）。"),
                    field="held_at",
                )
        Hearing.objects.filter(pk=hearing.pk).update(result=result, transcript=transcript, held_at=held_at)
        hearing.refresh_from_db()
        document = None
        if result == HearingResult.HELD:
            extra = {"agents": str(agents or "").strip()[:200]}
            document = issue(locked, DocType.HEARING_TRANSCRIPT, extra, actor, held_day)
        refresh_due(locked)
        after = {"hearing": hearing.pk, "result": result, "document": document.pk if document else None}
        step(locked, actor, "hearing_record", _("登记听证结果"), transcript[:200], after)
        record_event(
            actor=actor,
            action="case.hearing_record",
            obj=locked,
            before={"result": HearingResult.SCHEDULED},
            after=after,
        )
    return hearing
