"""The procedure engine: runs the declarative definition of zhifa.cases.procedure.

`perform` is the one way a case changes state, for pages, API, services and commands alike:

1. the actor must hold a role of the transition, have the case in their own scope and, for officers'
   steps, be assigned to it (a team leader of the agency may act for the team);
2. inside one transaction the case row is locked and its version compared (two officers acting at
   once: the second is told the case moved on; no lost update);
3. every guard runs on the locked row; any failure refuses the step with every reason;
4. the transition's effect writes its rows (documents, reviews, ...) and the case moves with a
   conditional UPDATE; a step and one record event are written (APL Art. 47); a crash anywhere rolls
   all of it back, leaving the case in its previous state.

`available_actions` answers the workspace: which steps are legal now and why the others are not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases import effects
from zhifa.cases.guards import (
    GuardContext,
    decided_penalty_valid,
    execution_time_allowed,
    hearing_offered_if_qualifies,
    intended_penalty_valid,
    officer_declared_tier,
    reason_given,
    simplified_limits,
)
from zhifa.cases.limits import next_due
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.procedure import BY_NAME, Transition, transitions_from
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.record import record_event
from zhifa.core.scoping import apply_scope
from zhifa.org.models import RoleCode
from zhifa.org.scoping import own_scope, person_of, role_codes

# Guards that judge the input of the step: they cannot be answered before the user fills the form.
INPUT_GUARDS = frozenset(
    {
        reason_given,
        intended_penalty_valid,
        decided_penalty_valid,
        simplified_limits,
        hearing_offered_if_qualifies,
        officer_declared_tier,
        execution_time_allowed,
    }
)


# Steps taken through their own page (the review form answers the GO118 (十三) checklist first).
TAKEN_ON_OWN_PAGE = frozenset({"review_pass", "review_fail"})


@dataclass(frozen=True)
class ActionOption:
    """A step the workspace shows: allowed now, or not with the reasons."""

    transition: Transition
    allowed: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.transition.name


def not_allowed() -> ServiceError:
    return ServiceError(ErrorCode.NOT_ALLOWED, _("无权办理该案件的此环节。"))


def moved_on(case: Case) -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT,
        _("案件 %(code)s 已被他人办理或状态已变化，请刷新后查看。") % {"code": case.code},
        field="version",
    )


def permission_problems(user: Any, case: Case, transition: Transition) -> list[str]:
    """Why `user` may not take `transition` on `case` (roles, scope, assignment); empty if they may."""
    if transition.system:
        return [_("该环节由系统在送达或缴款后自动办理。")]
    if user is None or not getattr(user, "is_authenticated", False):
        return [_("请先登录。")]
    if not user.is_superuser:
        roles = role_codes(user)
        if not roles & transition.roles:
            return [_("您的角色不能办理此环节。")]
        if not apply_scope(Case.objects.filter(pk=case.pk), own_scope(user)).exists():
            return [_("该案件不在您的办理范围内。")]
        if transition.assigned_only and RoleCode.TEAM_LEADER not in roles:
            person = person_of(user)
            assigned = (
                person is not None and case.officers.filter(person=person, withdrawn_on__isnull=True).exists()
            )
            if not assigned:
                return [_("您不是本案的承办人员。")]
        if transition.roles == frozenset({RoleCode.TEAM_LEADER}) or RoleCode.TEAM_LEADER in roles:
            person = person_of(user)
            if (
                RoleCode.TEAM_LEADER in transition.roles
                and person is not None
                and person.agency_id
                not in (
                    case.agency_id,
                    None,
                )
                and not (roles & transition.roles - {RoleCode.TEAM_LEADER})
            ):
                return [_("只有本机关负责人可以审批。")]
    return []


def available_actions(user: Any, case: Case, *, on_date: datetime.date | None = None) -> list[ActionOption]:
    """The steps that leave the case's state: each allowed or not, with the reasons (guards that judge
    the form's input are checked when the form is sent)."""
    ctx = GuardContext(case, user, person_of(user), on_date or timezone.localdate())
    options = []
    for transition in transitions_from(case.state, case.procedure):
        if transition.system or transition.name in TAKEN_ON_OWN_PAGE:
            continue
        reasons = permission_problems(user, case, transition)
        if not reasons:
            for guard in transition.guards:
                if guard not in INPUT_GUARDS:
                    reasons.extend(guard(ctx))
        options.append(ActionOption(transition, not reasons, reasons))
    return options


def perform(
    *,
    actor: Any,
    case: Case,
    action: str,
    version: int | None = None,
    payload: dict[str, Any] | None = None,
    system: bool = False,
    record: bool = True,
    on_date: datetime.date | None = None,
) -> Case:
    """Take the step `action` on `case` (see the module docstring). Returns the case, reloaded.

    `system=True` is for the services that take system steps (service of a decision, a payment); with
    `record=False` the calling service writes the record event itself (one event per service call).
    Raises ServiceError: NOT_ALLOWED, INVALID_STATE, CONFLICT, or ValidationErrors with every reason.
    """
    transition = BY_NAME.get(action)
    if transition is None:
        raise ServiceError(ErrorCode.INVALID, _("没有这个办案环节。"), field="action")
    if transition.system != system:
        raise not_allowed()
    if not system:
        problems = permission_problems(actor, case, transition)
        if problems:
            raise ServiceError(ErrorCode.NOT_ALLOWED, problems[0])
    expected = case.version if version is None else version
    payload = dict(payload or {})
    today = on_date or timezone.localdate()
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("item__domain", "agency__region", "region")
            .get(pk=case.pk)
        )
        if locked.version != expected:
            raise moved_on(case)
        if locked.state not in transition.sources or locked.procedure not in transition.procedures:
            raise ServiceError(
                ErrorCode.INVALID_STATE,
                _("案件当前处于“%(state)s”，不能办理“%(action)s”。")
                % {"state": locked.get_state_display(), "action": transition.label},
                field="state",
            )
        ctx = GuardContext(locked, actor, person_of(actor), today, payload)
        failures = [
            ServiceError(ErrorCode.INVALID_STATE, reason, field=guard.__name__)
            for guard in transition.guards
            for reason in guard(ctx)
        ]
        if failures:
            raise ValidationErrors(failures)
        before = locked.state
        result = effects.run(transition, ctx)
        target = result.target or transition.targets[0]
        if target not in transition.targets:
            raise RuntimeError(f"{transition.name} may not lead to {target}")
        now = timezone.now()
        updated = Case.objects.filter(pk=locked.pk, version=expected, state=before).update(
            state=target, version=F("version") + 1, updated_at=now, **result.changes
        )
        if not updated:
            raise moved_on(case)
        locked.refresh_from_db()
        due_on, due_key = next_due(locked, today)
        if (due_on, due_key) != (locked.next_due_on, locked.next_due_key):
            Case.objects.filter(pk=locked.pk).update(next_due_on=due_on, next_due_key=due_key)
            locked.next_due_on, locked.next_due_key = due_on, due_key
        person = person_of(actor)
        CaseStep.objects.create(
            case=locked,
            action=transition.name,
            from_state=before,
            to_state=target,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=(person.name if person else getattr(actor, "username", "") or "")[:50],
            note=str(payload.get("note") or payload.get("reason") or "")[:2000],
            at=now,
            data=result.after,
        )
        if record:
            record_event(
                actor=actor,
                action=f"case.{transition.name}",
                obj=locked,
                before={"state": before},
                after={"state": target, **result.after},
            )
    return locked
