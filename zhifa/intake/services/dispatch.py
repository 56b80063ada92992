"""The command centre's decisions: classify, dispatch (to the team, the joint meeting or the department),
decide a joint meeting, merge a duplicate, dismiss.

Seed 001 and DESIGN.md: competence comes only from the grant-list resolver
(zhifa.powers.resolver.competence_for_matter). The clue goes
- to the township's team when the township is competent for every item;
- to the joint meeting queue when the items belong to different agencies;
- as a clue transfer (线索移送) to the department when the township is not competent, with the reason.
Each service: one transaction, one conditional state change, one step, one record event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.intake.models import Clue, ClueStatus, ClueTransfer, JointMeeting, JointMeetingStatus, StepKind
from zhifa.intake.policies import can_command
from zhifa.intake.services.common import add_step, clean_note, not_allowed, require_status, transition
from zhifa.org.models import Agency, Team
from zhifa.powers.models import PowerItem
from zhifa.powers.resolver import MatterCompetence, competence_for_matter

MAX_ITEMS = 10


@dataclass(frozen=True)
class Route:
    """Where a classified clue goes, and why: "team", "joint" or "transfer"."""

    kind: str
    agency: Agency | None
    agencies: list[Agency]
    reasons: list[str]
    competence: MatterCompetence


def route_for(clue: Clue) -> Route:
    """The route of a clue by its items, place and report date (the resolver decides competence)."""
    items = list(clue.items.all())
    if not items:
        raise ServiceError(ErrorCode.REQUIRED, _("请先确定线索涉及的执法事项。"), field="items")
    place = clue.township or clue.region
    matter = competence_for_matter(items, place, timezone.localdate(clue.reported_at))
    reasons = [f"{part.item.name}：{part.reason}" for part in matter.parts]
    if any(part.agency is None for part in matter.parts):
        missing = "、".join(p.item.name for p in matter.parts if p.agency is None)
        raise ServiceError(
            ErrorCode.INVALID, _("未找到以下事项的执法主体：%(items)s") % {"items": missing}, field="items"
        )
    agencies = matter.agencies
    if matter.joint_meeting:
        return Route("joint", None, agencies, reasons, matter)
    agency = agencies[0]
    kind = "team" if all(part.by_township for part in matter.parts) else "transfer"
    return Route(kind, agency, agencies, reasons, matter)


def clue_classify(*, actor: Any, clue: Clue, items: list[PowerItem], version: int | None = None) -> Clue:
    """定性: the dispatcher sets the power items the matter touches (the suggestion only helps)."""
    if not can_command(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.REPORTED)
    chosen = list({item.pk: item for item in items}.values())
    if not chosen:
        raise ServiceError(ErrorCode.REQUIRED, _("请至少选择一项执法事项。"), field="items")
    if len(chosen) > MAX_ITEMS:
        raise ServiceError(
            ErrorCode.INVALID, _("最多选择%(n)d项执法事项。") % {"n": MAX_ITEMS}, field="items"
        )
    inactive = [item.code for item in chosen if not item.is_active]
    if inactive:
        raise ServiceError(
            ErrorCode.INVALID, _("以下事项已失效：%(items)s") % {"items": "、".join(inactive)}, field="items"
        )
    with transaction.atomic():
        before = sorted(clue.items.values_list("code", flat=True))
        now = transition(
            clue,
            version=version,
            allowed=(ClueStatus.REPORTED,),
            status=ClueStatus.REPORTED,
            restart_clock=False,
        )
        clue.items.set(chosen)
        codes = sorted(item.code for item in chosen)
        add_step(clue, StepKind.CLASSIFY, actor, now, data={"items": codes})
        record_event(
            actor=actor, action="clue.classify", obj=clue, before={"items": before}, after={"items": codes}
        )
    return clue


def _team_of(agency: Agency, team: Team | None) -> Team | None:
    if team is not None:
        if team.agency_id != agency.pk:
            raise ServiceError(ErrorCode.INVALID, _("所选队伍不属于承办主体。"), field="team")
        return team
    # The agency's main team (the 大队, not a 中队 under it) when the dispatcher names none.
    return Team.objects.filter(agency=agency).order_by(F("parent_id").asc(nulls_first=True), "pk").first()


def clue_dispatch(
    *, actor: Any, clue: Clue, team: Team | None = None, note: str = "", version: int | None = None
) -> Clue:
    """派遣 by the route: to the township's team, to the joint meeting, or transferred to the department.

    A transfer needs no extra input: its reason is the resolver's (which version, which claim).
    """
    if not can_command(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.REPORTED)
    note = clean_note(note)
    route = route_for(clue)
    due = clue.step_due_at
    with transaction.atomic():
        if route.kind == "team":
            chosen = _team_of(route.agency, team)
            now = transition(
                clue,
                version=version,
                allowed=(ClueStatus.REPORTED,),
                status=ClueStatus.DISPATCHED,
                assigned_agency=route.agency,
                assigned_team=chosen,
            )
            add_step(clue, StepKind.DISPATCH, actor, now, note=note, due=due, data={"reasons": route.reasons})
            after = {"route": "team", "agency": route.agency.pk, "team": chosen.pk if chosen else None}
        elif route.kind == "joint":
            now = transition(clue, version=version, allowed=(ClueStatus.REPORTED,), status=ClueStatus.JOINT)
            meeting = JointMeeting.objects.create(clue=clue, opened_at=now)
            meeting.agencies.set(route.agencies)
            add_step(clue, StepKind.JOINT, actor, now, note=note, due=due, data={"reasons": route.reasons})
            after = {"route": "joint", "agencies": sorted(a.pk for a in route.agencies)}
        else:
            now = transition(
                clue,
                version=version,
                allowed=(ClueStatus.REPORTED,),
                status=ClueStatus.TRANSFERRED,
                assigned_agency=route.agency,
                assigned_team=None,
                closed_at=timezone.now(),
            )
            reason = "；".join(route.reasons)
            ClueTransfer.objects.create(
                clue=clue, to_agency=route.agency, reason=reason, transferred_by=actor, transferred_at=now
            )
            add_step(clue, StepKind.TRANSFER, actor, now, note=note or reason, due=due)
            after = {"route": "transfer", "agency": route.agency.pk, "reason": reason}
        record_event(actor=actor, action="clue.dispatch", obj=clue, after=after)
    return clue


def joint_meeting_decide(
    *,
    actor: Any,
    clue: Clue,
    lead_agency: Agency,
    decision: str,
    team: Team | None = None,
    version: int | None = None,
) -> Clue:
    """联席会议 decided: the lead agency takes the matter; the clue is dispatched to its team."""
    if not can_command(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.JOINT)
    meeting = JointMeeting.objects.get(clue=clue)
    if not meeting.agencies.filter(pk=lead_agency.pk).exists():
        raise ServiceError(ErrorCode.INVALID, _("牵头主体须为涉及的执法主体之一。"), field="lead_agency")
    decision = clean_note(decision, field="decision", required=True, label=_("会商意见"))
    chosen = _team_of(lead_agency, team)
    due = clue.step_due_at
    with transaction.atomic():
        now = transition(
            clue,
            version=version,
            allowed=(ClueStatus.JOINT,),
            status=ClueStatus.DISPATCHED,
            assigned_agency=lead_agency,
            assigned_team=chosen,
        )
        JointMeeting.objects.filter(pk=meeting.pk).update(
            status=JointMeetingStatus.DECIDED,
            lead_agency=lead_agency,
            decision=decision,
            decided_at=now,
            decided_by=actor,
        )
        add_step(
            clue, StepKind.JOINT_DECIDE, actor, now, note=decision, due=due, data={"lead": lead_agency.pk}
        )
        record_event(
            actor=actor,
            action="clue.joint_decide",
            obj=clue,
            after={
                "lead_agency": lead_agency.pk,
                "team": chosen.pk if chosen else None,
                "decision": decision,
            },
        )
    return clue


def clue_merge(*, actor: Any, clue: Clue, into: Clue, version: int | None = None) -> Clue:
    """Merge a duplicate into an open clue; its reporter then follows the clue it was merged into."""
    if not can_command(actor, clue) or not can_command(actor, into):
        raise not_allowed()
    if into.pk == clue.pk or into.merged_into_id is not None or not into.is_open:
        raise ServiceError(ErrorCode.INVALID, _("只能合并到另一条未办结的线索。"), field="into")
    require_status(clue, ClueStatus.REPORTED)
    with transaction.atomic():
        now = transition(
            clue, version=version, allowed=(ClueStatus.REPORTED,), status=ClueStatus.MERGED, merged_into=into
        )
        add_step(clue, StepKind.MERGE, actor, now, data={"into": into.code})
        add_step(
            into,
            StepKind.MERGE,
            actor,
            now,
            note=_("合并线索 %(code)s") % {"code": clue.code},
            data={"from": clue.code},
        )
        record_event(actor=actor, action="clue.merge", obj=clue, after={"into": into.code})
    return clue


def clue_dismiss(*, actor: Any, clue: Clue, reason: str, version: int | None = None) -> Clue:
    """不予受理: not a matter for enforcement (e.g. a private dispute); the reason is kept and shown."""
    if not can_command(actor, clue):
        raise not_allowed()
    require_status(clue, ClueStatus.REPORTED)
    reason = clean_note(reason, field="reason", required=True, label=_("不予受理的理由"))
    with transaction.atomic():
        now = transition(
            clue,
            version=version,
            allowed=(ClueStatus.REPORTED,),
            status=ClueStatus.DISMISSED,
            closed_at=timezone.now(),
        )
        add_step(clue, StepKind.DISMISS, actor, now, note=reason)
        record_event(actor=actor, action="clue.dismiss", obj=clue, after={"reason": reason})
    return clue
