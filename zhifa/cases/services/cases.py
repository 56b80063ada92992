"""Opening a case: from a clue (one click), an inspection, a transfer, or an officer's own finding.

Collect once, use many (DESIGN.md): a case opened from a clue takes its place, item, text and photos
(as evidence); a case received by transfer takes the parties and evidence of the case it came from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.models import (
    Case,
    CaseSource,
    CaseState,
    CaseTransfer,
    Evidence,
    EvidenceKind,
    Procedure,
)
from zhifa.cases.policies import can_open_case
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.numbering import allocate
from zhifa.core.record import record_event
from zhifa.org.models import Agency, Region, RoleCode
from zhifa.org.scoping import person_of
from zhifa.powers.models import PowerItem


@dataclass
class CaseInput:
    """What opening a case needs; every field is checked with its name."""

    agency: Agency
    item: PowerItem
    region: Region
    title: str
    act_on: datetime.date
    discovered_on: datetime.date
    source: str = CaseSource.SELF
    procedure: str = Procedure.GENERAL
    facts: str = ""
    address: str = ""
    lng: float | None = None
    lat: float | None = None
    source_note: str = ""
    act_continuing_until: datetime.date | None = None
    art36_harm: bool = False
    complex_case: bool = False


def _check(data: CaseInput, today: datetime.date) -> None:
    problems: list[ServiceError] = []
    if not (data.title or "").strip():
        problems.append(ServiceError(ErrorCode.REQUIRED, _("请填写案由。"), field="title"))
    elif len(data.title) > 200:
        problems.append(ServiceError(ErrorCode.INVALID, _("案由过长（最多200字）。"), field="title"))
    if data.source not in CaseSource.values:
        problems.append(ServiceError(ErrorCode.INVALID, _("案件来源不正确。"), field="source"))
    if data.procedure not in Procedure.values:
        problems.append(ServiceError(ErrorCode.INVALID, _("程序不正确。"), field="procedure"))
    if data.act_on > today:
        problems.append(ServiceError(ErrorCode.INVALID, _("违法行为发生日期不能晚于今天。"), field="act_on"))
    if data.discovered_on > today:
        problems.append(ServiceError(ErrorCode.INVALID, _("发现日期不能晚于今天。"), field="discovered_on"))
    if data.discovered_on < data.act_on:
        problems.append(
            ServiceError(ErrorCode.INVALID, _("发现日期不能早于违法行为发生日期。"), field="discovered_on")
        )
    if data.act_continuing_until is not None and data.act_continuing_until < data.act_on:
        problems.append(
            ServiceError(
                ErrorCode.INVALID, _("继续状态终了日期不能早于发生日期。"), field="act_continuing_until"
            )
        )
    if data.item.power_type != "penalty":
        problems.append(ServiceError(ErrorCode.INVALID, _("只能就行政处罚事项立案。"), field="item"))
    if len(data.facts) > 10000:
        problems.append(ServiceError(ErrorCode.INVALID, _("违法事实过长。"), field="facts"))
    if problems:
        from zhifa.core.errors import ValidationErrors

        raise ValidationErrors(problems)


def next_case_code(agency: Agency, year: int) -> str:
    """案件编号: the agency's region code, the year and a gap-free sequence (inside the transaction)."""
    seq = allocate(f"case:{agency.pk}:{year}")
    # The agency's id too: every county department shares the county's region code.
    return f"{agency.region.adcode[:9]}-{agency.pk}-{year}-{seq:05d}"


def _create(data: CaseInput, *, actor: Any, clue=None, transferred_from: Case | None = None) -> Case:
    now = timezone.now()
    case = Case.objects.create(
        code=next_case_code(data.agency, timezone.localdate(now).year),
        procedure=data.procedure,
        state=CaseState.SOURCE,
        source=data.source,
        source_note=data.source_note[:300],
        clue=clue,
        transferred_from=transferred_from,
        agency=data.agency,
        team=data.agency.teams.order_by("id").first(),
        region=data.region,
        item=data.item,
        title=data.title.strip(),
        facts=data.facts,
        address=data.address[:200],
        lng=data.lng,
        lat=data.lat,
        act_on=data.act_on,
        act_continuing_until=data.act_continuing_until,
        discovered_on=data.discovered_on,
        art36_harm=data.art36_harm,
        complex_case=data.complex_case,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        updated_at=now,
    )
    from zhifa.cases.limits import next_due

    due_on, key = next_due(case)
    if due_on is not None:
        Case.objects.filter(pk=case.pk).update(next_due_on=due_on, next_due_key=key)
        case.next_due_on, case.next_due_key = due_on, key
    return case


def case_open(*, actor: Any, data: CaseInput) -> Case:
    """Register a case source (案源登记) for the actor's agency; filing follows (APL Art. 54)."""
    if not can_open_case(actor, data.agency):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权为该执法主体登记案件。"))
    _check(data, timezone.localdate())
    with transaction.atomic():
        case = _create(data, actor=actor)
        _assign_actor(case, actor)
        record_event(
            actor=actor, action="case.open", obj=case, after={"source": case.source, "item": case.item.code}
        )
    return case


def _assign_actor(case: Case, actor: Any) -> None:
    """The officer who registers the case is its first officer (主办)."""
    from zhifa.cases.models import CaseOfficer, OfficerRole

    person = person_of(actor)
    if person is not None and person.agency_id == case.agency_id:
        CaseOfficer.objects.get_or_create(
            case=case, person=person, defaults={"role": OfficerRole.LEAD, "assigned_on": timezone.localdate()}
        )


def case_open_from_clue(*, actor: Any, clue, item: PowerItem | None = None, title: str = "") -> Case:
    """立案 from a handled clue in one click: place, item, text and photos flow into the case."""
    from zhifa.intake.models import ClueStatus
    from zhifa.intake.policies import can_handle

    if not can_handle(actor, clue):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权办理该线索。"))
    if clue.status not in (
        ClueStatus.HANDLING,
        ClueStatus.HANDLED,
        ClueStatus.FED_BACK,
        ClueStatus.VERIFIED,
        ClueStatus.CLOSED,
    ):
        raise ServiceError(ErrorCode.INVALID_STATE, _("线索签收后才能转为案件。"), field="clue")
    if clue.assigned_agency is None:
        raise ServiceError(ErrorCode.INVALID_STATE, _("线索尚未派遣到执法主体。"), field="clue")
    item = item or clue.items.filter(power_type="penalty").order_by("code").first()
    if item is None:
        raise ServiceError(ErrorCode.REQUIRED, _("请先为线索选择涉及的处罚事项。"), field="item")
    if Case.objects.filter(clue=clue, item=item).exists():
        raise ServiceError(ErrorCode.DUPLICATE, _("该线索已就此事项立案。"), field="clue")
    reported = timezone.localdate(clue.reported_at)
    data = CaseInput(
        agency=clue.assigned_agency,
        item=item,
        region=clue.township or clue.region,
        title=title or f"{clue.category.name}（{clue.code}）",
        act_on=reported,
        discovered_on=reported,
        source=CaseSource.CLUE,
        facts=clue.text,
        address=clue.address,
        lng=clue.lng,
        lat=clue.lat,
        source_note=clue.code,
    )
    if not can_open_case(actor, data.agency):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权为该执法主体登记案件。"))
    _check(data, timezone.localdate())
    with transaction.atomic():
        case = _create(data, actor=actor, clue=clue)
        _assign_actor(case, actor)
        for photo in clue.photos.all():
            Evidence.objects.create(
                case=case,
                kind=EvidenceKind.AUDIOVISUAL,
                title=_("线索照片"),
                description=_("线索%(code)s上报或处置时拍摄") % {"code": clue.code},
                file=photo.file,
                sha256=photo.sha256,
                content_type=photo.content_type,
                size=photo.size,
                collected_at=photo.created_at,
                place=clue.address or clue.region.name,
                collectors=[],
                from_clue_photo=photo,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        record_event(actor=actor, action="case.open", obj=case, after={"source": "clue", "clue": clue.code})
    return case


def case_receive_transfer(*, transfer: CaseTransfer, actor: Any) -> Case:
    """The receiving agency's new case (案件移交, APL Art. 22-25): parties and evidence come along.

    Runs inside the transfer's transaction (the transfer's record event covers it)."""
    source = transfer.case
    data = CaseInput(
        agency=transfer.to_agency,
        item=source.item,
        region=source.region,
        title=source.title,
        act_on=source.act_on,
        discovered_on=source.discovered_on,
        source=CaseSource.TRANSFER,
        facts=source.facts,
        address=source.address,
        lng=source.lng,
        lat=source.lat,
        source_note=_("由%(agency)s移交（%(code)s）") % {"agency": source.agency.name, "code": source.code},
        act_continuing_until=source.act_continuing_until,
        art36_harm=source.art36_harm,
    )
    case = _create(data, actor=actor, transferred_from=source)
    for party in source.parties.all():
        party.pk = None
        party.case = case
        party.e_service_consent_evidence = None
        party.save()
    for evidence in source.evidence.all():
        evidence.pk = None
        evidence.case = case
        evidence.save()
    CaseTransfer.objects.filter(pk=transfer.pk).update(accepted_case=case)
    return case


def tell_clue(case: Case, *, actor: Any) -> None:
    """When a case from a clue closes, the clue sees its result (inside the closing transaction)."""
    if case.clue_id is None:
        return
    from zhifa.intake.services.case_result import clue_note_case_result

    clue_note_case_result(
        clue=case.clue,
        actor=actor,
        case_code=case.code,
        outcome=case.outcome,
        outcome_label=case.get_outcome_display() or _("已结案"),
    )


__all__ = ["CaseInput", "RoleCode", "case_open", "case_open_from_clue", "case_receive_transfer", "tell_clue"]
