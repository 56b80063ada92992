"""Acts of investigation that are not state transitions: what they share, the extension of the decision
period (APL Art. 60) and reconsideration or litigation against a decision (APL Art. 73).

The acts themselves live beside this module: officers and recusal (officers.py), parties (parties.py),
evidence and records (evidence.py), statements and hearings (statements.py), coercive measures
(measures.py). Each act is a service `<entity>_<action>(*, actor, ...)`: permission from
zhifa.cases.policies, validation naming the field, one transaction with the case row locked, one record
event (APL Art. 47: full-process record) and one CaseStep for the case's timeline. Acts that change what
the time limits show refresh case.next_due_on/next_due_key (zhifa.cases.limits.next_due).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases import deadlines
from zhifa.cases.limits import refresh_next_due as refresh_due
from zhifa.cases.models import (
    Case,
    CaseState,
    CaseStep,
    Discussion,
    DocType,
    Extension,
    Procedure,
    RemedyKind,
    RemedyProceeding,
)
from zhifa.cases.policies import can_lead, can_work_on
from zhifa.cases.settings_defaults import settings_for
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.record import record_event
from zhifa.org.scoping import person_of

# Once the case is decided its evidence is fixed (the decision rests on it, APL Art. 40, 57, 59(2)).
DECIDED_STATES = frozenset(
    {
        CaseState.DECIDED,
        CaseState.EXECUTING,
        CaseState.ENFORCEMENT,
        CaseState.EXECUTED,
        CaseState.CLOSED,
        CaseState.ARCHIVED,
    }
)
# States that end the case: nothing more is investigated.
ENDED_STATES = frozenset({CaseState.CLOSED, CaseState.ARCHIVED, CaseState.TERMINATED, CaseState.TRANSFERRED})


# --- shared helpers --------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def require_work(actor: Any, case: Case) -> None:
    """Officers and team leaders with the case in their own scope (zhifa.cases.policies.can_work_on)."""
    if not can_work_on(actor, case):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权办理该案件。"))


def require_lead(actor: Any, case: Case) -> None:
    """A team leader of the case's agency approves (head approval: APL Art. 43, 56, 60; ACL Art. 18, 25)."""
    if not can_lead(actor, case):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("须由本机关负责人（队长）审批。"))


def lock(case: Case, *, version: int | None = None) -> Case:
    """The case row locked for this transaction (acts and transitions on one case run one at a time);
    with `version`, the case must not have changed since the page showed it."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item__domain", "agency__region", "region")
        .get(pk=case.pk)
    )
    if version is not None and locked.version != version:
        raise ServiceError(
            ErrorCode.CONFLICT,
            _("案件 %(code)s 已被他人办理或状态已变化，请刷新后查看。") % {"code": locked.code},
            field="version",
        )
    return locked


def effective_state(case: Case) -> str:
    """The state that counts for the acts: a suspended case counts as where it was suspended."""
    if case.state == CaseState.SUSPENDED and case.suspended_state:
        return case.suspended_state
    return case.state


def require_open(case: Case) -> None:
    if case.state in ENDED_STATES:
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("案件已%(state)s，不能再办理。") % {"state": case.get_state_display()},
            field="state",
        )


def is_decided(case: Case) -> bool:
    return case.decided_on is not None or effective_state(case) in DECIDED_STATES


def require_not_decided(case: Case, what: str) -> None:
    """Evidence and investigative acts are fixed once the case is decided (APL Art. 40, 57)."""
    require_open(case)
    if is_decided(case):
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("案件已作出决定，证据已固定，不能再%(what)s（《行政处罚法》第四十条、第五十七条）。")
            % {"what": what},
            field="state",
        )


def text(value: Any, field: str, label: str, *, required: bool = True, limit: int = 2000) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写%(label)s。") % {"label": label}, field=field)
    if len(value) > limit:
        raise ServiceError(
            ErrorCode.INVALID, _("%(label)s过长（最多%(n)d字）。") % {"label": label, "n": limit}, field=field
        )
    return value


def check(problems: list[ServiceError]) -> None:
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationErrors(problems)


def not_future(day: datetime.date | None, field: str, label: str, *, on: datetime.date) -> datetime.date:
    if day is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写%(label)s。") % {"label": label}, field=field)
    if day > on:
        raise ServiceError(ErrorCode.INVALID, _("%(label)s不能晚于今天。") % {"label": label}, field=field)
    return day


def step(
    case: Case, actor: Any, action: str, label: str, note: str = "", data: dict | None = None
) -> CaseStep:
    """The act in the case's timeline (APL Art. 47); the state does not change."""
    person = person_of(actor)
    return CaseStep.objects.create(
        case=case,
        action=action[:32],
        from_state="",  # an act, not a transition: the state does not change
        to_state="",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=(person.name if person else getattr(actor, "username", "") or "")[:50],
        note=note[:2000],
        at=timezone.now(),
        data={"label": str(label), "act": True, "state": case.state, **(data or {})},
    )


def user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def issue(case: Case, doc_type: str, extra: dict[str, Any], actor: Any, on_date: datetime.date):
    """Issue a document inside the caller's transaction (zhifa.cases.documents.issue)."""
    from zhifa.cases.documents.issue import issue_document

    return issue_document(case=case, doc_type=doc_type, extra=extra, actor=actor, on_date=on_date)


# --- extension of the decision period (APL Art. 60) -------------------------------------------------


def case_extend(
    *,
    actor: Any,
    case: Case,
    days: int,
    reason: str,
    by_discussion: bool = False,
    discussion: Discussion | None = None,
    version: int | None = None,
    on_date: datetime.date | None = None,
) -> Extension:
    """Extend the period to decide (APL Art. 60: 90 days "unless laws, regulations or rules provide
    otherwise"; sector rules: +`extension_days` (local setting, default 30) with the head's approval,
    more only by the heads' collective discussion). The team leader approves; the case's
    extension_days, decision_due_on and next_due move with a conditional UPDATE on its version, and the
    approval form (延长办案期限审批表) is issued."""
    require_lead(actor, case)
    day = on_date or today()
    reason = text(reason, "reason", _("延长理由"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ServiceError(ErrorCode.INVALID, _("延长天数应为整数。"), field="days") from None
    if days <= 0:
        raise ServiceError(ErrorCode.INVALID, _("延长天数应大于0。"), field="days")
    with transaction.atomic():
        locked = lock(case, version=version)
        require_open(locked)
        if locked.procedure != Procedure.GENERAL or locked.filed_on is None:
            raise ServiceError(
                ErrorCode.INVALID_STATE, _("案件尚未立案，没有办案期限可以延长。"), field="state"
            )
        if is_decided(locked):
            raise ServiceError(
                ErrorCode.INVALID_STATE, _("案件已作出决定，无需延长办案期限。"), field="state"
            )
        setting = settings_for(locked.agency)["extension_days"]
        total = locked.extension_days + days
        if total > setting.as_int():
            if not by_discussion:
                raise ServiceError(
                    ErrorCode.INVALID,
                    _(
                        "负责人批准最多延长%(max)d日（%(source)s）；累计延长%(total)d日须经集体讨论决定"
                        "（《行政处罚法》第五十七条、第六十条）。"
                    )
                    % {"max": setting.as_int(), "source": setting.source, "total": total},
                    field="by_discussion",
                )
            discussion = _extension_discussion(locked, discussion)
        elif by_discussion:
            discussion = _extension_discussion(locked, discussion)
        extension = Extension.objects.create(
            case=locked,
            days=days,
            reason=reason,
            by_discussion=bool(by_discussion),
            approved_by=user_or_none(actor),
            approved_on=day,
        )
        due = deadlines.decision_due(locked.filed_on, extension_days=total, paused_days=locked.paused_days)
        updated = Case.objects.filter(pk=locked.pk, version=locked.version).update(
            extension_days=total, decision_due_on=due.due, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:  # pragma: no cover - the row is locked; kept for databases without row locks
            raise ServiceError(ErrorCode.CONFLICT, _("案件已被他人修改，请刷新后重试。"), field="version")
        locked.extension_days, locked.decision_due_on = total, due.due
        document = issue(
            locked,
            DocType.EXTENSION_APPROVAL,
            {
                "opinion": reason,
                "approver": _person_name(actor),
                "approval_opinion": _("同意延长办案期限%(days)d日。") % {"days": days},
                "discussion_date": discussion.held_on if discussion else "",
            },
            actor,
            day,
        )
        refresh_due(locked, day)
        after = {
            "days": days,
            "extension_days": total,
            "decision_due_on": due.due.isoformat(),
            "by_discussion": bool(by_discussion),
            "document": document.pk,
        }
        step(locked, actor, "case_extend", _("延长办案期限"), reason, after)
        record_event(
            actor=actor,
            action="case.extend",
            obj=locked,
            before={"extension_days": total - days, "decision_due_on": case.decision_due_on},
            after=after,
        )
    return extension


def _person_name(actor: Any) -> str:
    person = person_of(actor)
    return person.name if person else ""


def _extension_discussion(case: Case, discussion: Discussion | None) -> Discussion:
    """The collective discussion behind an extension beyond the head's share: one of this case, held
    after the last extension (one discussion does not approve every later extension)."""
    candidates = case.discussions.all()
    if discussion is not None:
        candidates = candidates.filter(pk=discussion.pk)
    last = case.extensions.order_by("-approved_on").values_list("approved_on", flat=True).first()
    if last is not None:
        candidates = candidates.filter(held_on__gte=last)
    found = candidates.order_by("-held_on", "-id").first()
    if found is None:
        raise ServiceError(
            ErrorCode.INVALID,
            _("没有可作为依据的集体讨论记录：请先组织负责人集体讨论（《行政处罚法》第五十七条）。"),
            field="discussion",
        )
    return found


# --- reconsideration and litigation (APL Art. 73) ----------------------------------------------------


def remedy_start(
    *,
    actor: Any,
    case: Case,
    kind: str,
    started_on: datetime.date | None,
    body: str,
    on_date: datetime.date | None = None,
) -> RemedyProceeding:
    """Record that the party applied for reconsideration or sued (APL Art. 73: execution goes on, but no
    surcharge accrues meanwhile). Only against a decision, one proceeding at a time."""
    require_work(actor, case)
    day = on_date or today()
    problems: list[ServiceError] = []
    if kind not in RemedyKind.values:
        problems.append(ServiceError(ErrorCode.INVALID, _("请选择复议或诉讼。"), field="kind"))
    try:
        body = text(body, "body", _("受理机关"), limit=100)
    except ServiceError as exc:
        problems.append(exc)
    try:
        not_future(started_on, "started_on", _("受理日期"), on=day)
    except ServiceError as exc:
        problems.append(exc)
    check(problems)
    with transaction.atomic():
        locked = lock(case)
        if locked.decided_on is None:
            raise ServiceError(
                ErrorCode.INVALID_STATE, _("案件尚未作出决定，无从复议或诉讼。"), field="state"
            )
        if started_on < locked.decided_on:
            raise ServiceError(ErrorCode.INVALID, _("受理日期不能早于决定日期。"), field="started_on")
        if locked.remedies.filter(ended_on__isnull=True).exists():
            raise ServiceError(ErrorCode.DUPLICATE, _("已有尚未结束的复议或诉讼。"), field="kind")
        remedy = RemedyProceeding.objects.create(case=locked, kind=kind, started_on=started_on, body=body)
        refresh_due(locked, day)
        after = {"remedy": remedy.pk, "kind": kind, "started_on": started_on.isoformat(), "body": body}
        step(locked, actor, "remedy_start", _("登记复议诉讼"), body, after)
        record_event(actor=actor, action="case.remedy_start", obj=locked, after=after)
    return remedy


def remedy_end(
    *,
    actor: Any,
    remedy: RemedyProceeding,
    ended_on: datetime.date | None,
    result: str,
    on_date: datetime.date | None = None,
) -> RemedyProceeding:
    """Record the end of a reconsideration or lawsuit; the surcharge accrues again from the next day
    (APL Art. 73)."""
    case = remedy.case
    require_work(actor, case)
    day = on_date or today()
    result = text(result, "result", _("结果"), limit=300)
    not_future(ended_on, "ended_on", _("结束日期"), on=day)
    if ended_on < remedy.started_on:
        raise ServiceError(ErrorCode.INVALID, _("结束日期不能早于受理日期。"), field="ended_on")
    with transaction.atomic():
        locked = lock(case)
        updated = RemedyProceeding.objects.filter(pk=remedy.pk, ended_on__isnull=True).update(
            ended_on=ended_on, result=result
        )
        if not updated:
            raise ServiceError(ErrorCode.INVALID_STATE, _("该复议或诉讼已登记结束。"), field="ended_on")
        remedy.refresh_from_db()
        refresh_due(locked, day)
        after = {"remedy": remedy.pk, "ended_on": ended_on.isoformat(), "result": result}
        step(locked, actor, "remedy_end", _("复议诉讼结束"), result, after)
        record_event(actor=actor, action="case.remedy_end", obj=locked, after=after)
    return remedy
