"""Inspection visits by API (issue 7, point 6): list (mine / my scope), detail, and working a visit on site.

Visits are read through org.scoping (the organiser's agency, the agencies that send an inspector, the
township of the subject; another county's visit is a 404). Working one goes through
services/visits.py: only the inspectors on it (APL Art. 42, 55) and the organiser's team leaders may,
and start/finish take the `version` read (a stale one is a 409).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.inspections.api_schemas import (
    LINE,
    TEXT,
    ChecklistPoint,
    ItemRef,
    Ref,
    RegionRef,
    VersionIn,
    checklist_points,
    item_ref,
    ref,
    staff,
    written,
)
from zhifa.inspections.models import Finding, Visit, VisitCheck, VisitInspector, VisitState
from zhifa.inspections.selectors.visits import repeat_visit_warnings
from zhifa.inspections.services import visits as svc
from zhifa.org.api_common import MAX_ID, Limit, Offset, id_query, text_query
from zhifa.org.schemas import ErrorOut
from zhifa.org.scoping import get_visible_or_404, person_of, visible
from zhifa.org.selectors.api_lists import paginate

router = Router(tags=["inspections"])
Id = Path(..., ge=1, le=MAX_ID)
PhotoFile = File(..., description="照片（JPEG或PNG）")
DateFrom = Query(None, description="计划日期起")
DateTo = Query(None, description="计划日期止")
WRITE = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class InspectorOut(Schema):
    person: Ref
    agency: Ref
    certificate_number: str


class VisitSubjectOut(Schema):
    id: int
    uscc: str
    name: str
    address: str
    township: RegionRef


class VisitOut(Schema):
    id: int
    code: str
    subject: VisitSubjectOut
    agency: Ref
    plan_id: int | None
    draw_id: int | None
    scenario: Ref | None
    items: list[ItemRef]
    inspectors: list[InspectorOut]
    planned_on: datetime.date
    state: str
    state_label: str
    result: str
    rectify_by: datetime.date | None
    result_note: str
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    publish_due: datetime.date | None
    published_at: datetime.datetime | None
    rating: int | None
    version: int


class VisitPage(Schema):
    count: int
    items: list[VisitOut]


class CheckOut(Schema):
    item_id: int
    point: int
    outcome: str
    note: str


class PhotoOut(Schema):
    id: int
    sha256: str
    content_type: str
    size: int


class FindingOut(Schema):
    id: int
    item_id: int
    text: str
    clue_id: int | None
    case_id: int | None
    photos: list[PhotoOut]
    created_at: datetime.datetime


class VisitItemOut(ItemRef):
    checklist: list[ChecklistPoint]


class RepeatOut(Schema):
    id: int
    code: str
    agency: Ref
    planned_on: datetime.date
    state: str


class VisitDetailOut(VisitOut):
    checklists: list[VisitItemOut]
    checks: list[CheckOut]
    findings: list[FindingOut]
    repeat_warnings: list[RepeatOut]


class CheckIn(Schema):
    item_id: int = Field(..., ge=1, le=MAX_ID)
    point: int = Field(..., ge=0, le=10_000, description="检查要点序号（从0起）")
    outcome: str = Field(..., max_length=10, pattern=LINE, description="ok / problem / na")
    note: str = Field("", max_length=1000, pattern=TEXT)


class FindingIn(Schema):
    item_id: int = Field(..., ge=1, le=MAX_ID)
    text: str = Field(..., max_length=4000, pattern=TEXT)


class FinishIn(VersionIn):
    result: str = Field(..., max_length=10, pattern=LINE, description="pass / rectify / case")
    rectify_by: datetime.date | None = None
    note: str = Field("", max_length=1000, pattern=TEXT)


class ToClueIn(Schema):
    category: str = Field(..., max_length=40, pattern=LINE, description="线索类别编码")


class ToCaseIn(Schema):
    power_item: str = Field(..., max_length=60, pattern=LINE, description="处罚事项编码")


def visit_out(visit: Visit) -> dict[str, Any]:
    """A visit with subject, organiser, items and team (all loaded with the visit)."""
    subject = visit.subject
    return {
        "id": visit.pk,
        "code": visit.code,
        "subject": {
            "id": subject.pk,
            "uscc": subject.uscc,
            "name": subject.name,
            "address": subject.address,
            "township": {"adcode": subject.township.adcode, "name": subject.township.name},
        },
        "agency": ref(visit.agency),
        "plan_id": visit.plan_id,
        "draw_id": visit.draw_id,
        "scenario": ref(visit.scenario),
        "items": [item_ref(i) for i in visit.items.all()],
        "inspectors": [
            {"person": ref(m.person), "agency": ref(m.agency), "certificate_number": m.certificate_number}
            for m in visit.inspectors.all()
        ],
        "planned_on": visit.planned_on,
        "state": visit.state,
        "state_label": str(visit.get_state_display()),
        "result": visit.result,
        "rectify_by": visit.rectify_by,
        "result_note": visit.result_note,
        "started_at": visit.started_at,
        "finished_at": visit.finished_at,
        "publish_due": visit.publish_due,
        "published_at": visit.published_at,
        "rating": visit.rating,
        "version": visit.version,
    }


def check_out(check: VisitCheck) -> dict[str, Any]:
    return {"item_id": check.item_id, "point": check.point, "outcome": check.outcome, "note": check.note}


def finding_out(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "item_id": finding.item_id,
        "text": finding.text,
        "clue_id": finding.clue_id,
        "case_id": finding.case_id,
        "photos": [
            {"id": p.pk, "sha256": p.sha256, "content_type": p.content_type, "size": p.size}
            for p in finding.photos.all()
        ],
        "created_at": finding.created_at,
    }


def visits_visible(
    user: Any,
    *,
    mine: bool = False,
    state: str | None = None,
    subject: int | None = None,
    agency: int | None = None,
    draw: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    q: str | None = None,
) -> QuerySet:
    """Visits the user may read, loaded with subject, organiser, items and team in fixed queries.

    `mine`: only visits the user is an inspector on (their work list on the phone).
    """
    qs = visible(
        Visit.objects.select_related("subject__township", "agency", "scenario"), user
    ).prefetch_related("items__department", "inspectors__person", "inspectors__agency")
    if mine:
        person = person_of(user)
        # A subquery, not a join: a join through the inspectors could repeat a visit.
        on_team = VisitInspector.objects.filter(person_id=person.pk if person else None)
        qs = qs.filter(pk__in=on_team.values("visit_id"))
    if state:
        qs = qs.filter(state=state)
    if subject is not None:
        qs = qs.filter(subject_id=subject)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    if draw is not None:
        qs = qs.filter(draw_id=draw)
    if date_from:
        qs = qs.filter(planned_on__gte=date_from)
    if date_to:
        qs = qs.filter(planned_on__lte=date_to)
    if q:
        text = q.strip()
        qs = qs.filter(Q(code=text.upper()) | Q(subject__name__icontains=text))
    return qs.order_by("-planned_on", "-id")


def _visit(request: Any, visit_id: int) -> Visit:
    user = staff(request)
    return get_visible_or_404(visits_visible(user), user, pk=visit_id)


def _fresh(user: Any, visit_id: int) -> dict[str, Any]:
    return visit_detail(visits_visible(user).get(pk=visit_id))


def visit_detail(visit: Visit) -> dict[str, Any]:
    """A visit with the checklists of its items, the answers so far, findings and repeat warnings."""
    items = list(visit.items.all())
    return visit_out(visit) | {
        "checklists": [item_ref(i) | {"checklist": checklist_points(i.checklist)} for i in items],
        "checks": [check_out(c) for c in visit.checks.all()],
        "findings": [finding_out(f) for f in visit.findings.prefetch_related("photos")],
        "repeat_warnings": [
            {
                "id": v.pk,
                "code": v.code,
                "agency": {"id": v.agency.pk, "name": v.agency.name},
                "planned_on": v.planned_on,
                "state": v.state,
            }
            for v in repeat_visit_warnings(visit)
        ],
    }


@router.get("/visits", response=VisitPage, summary="检查列表")
def list_visits(
    request: Any,
    mine: bool = Query(False, description="只看本人参加的检查"),
    state: VisitState | None = None,
    subject: int | None = id_query("检查对象ID"),
    agency: int | None = id_query("组织单位ID"),
    draw: int | None = id_query("抽查任务ID"),
    date_from: datetime.date | None = DateFrom,
    date_to: datetime.date | None = DateTo,
    q: str | None = text_query("检查码或对象名称", 100),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = visits_visible(
        staff(request),
        mine=mine,
        state=state,
        subject=subject,
        agency=agency,
        draw=draw,
        date_from=date_from,
        date_to=date_to,
        q=q,
    )
    page = paginate(qs, limit, offset)
    return {"count": page.count, "items": [visit_out(v) for v in page.items]}


@router.get("/visits/{visit_id}", response={200: VisitDetailOut, 404: ErrorOut}, summary="检查详情")
def get_visit(request: Any, visit_id: int = Id) -> Any:
    return visit_detail(_visit(request, visit_id))


@router.post("/visits/{visit_id}/start", response={200: VisitDetailOut, **WRITE}, summary="开始检查")
def start_visit(request: Any, payload: VersionIn, visit_id: int = Id) -> Any:
    """The team shows its certificates on arrival (APL Art. 55) and starts the checklist."""
    user = staff(request)
    visit = _visit(request, visit_id)

    def run() -> Any:
        svc.visit_start(actor=user, visit=visit, version=payload.version)
        return _fresh(user, visit.pk)

    return written(run)


@router.post("/visits/{visit_id}/checks", response={200: CheckOut, **WRITE}, summary="记录检查要点结论")
def record_check(request: Any, payload: CheckIn, visit_id: int = Id) -> Any:
    user = staff(request)
    visit = _visit(request, visit_id)
    check = svc.visit_check(
        actor=user,
        visit=visit,
        item=payload.item_id,
        point=payload.point,
        outcome=payload.outcome,
        note=payload.note,
    )
    return 200, check_out(check)


@router.post("/visits/{visit_id}/findings", response={201: FindingOut, **WRITE}, summary="记录发现的问题")
def add_finding(request: Any, payload: FindingIn, visit_id: int = Id) -> Any:
    user = staff(request)
    visit = _visit(request, visit_id)
    finding = svc.finding_add(actor=user, visit=visit, item=payload.item_id, text=payload.text)
    return 201, _finding_out(finding.pk)


def _finding(visit: Visit, finding_id: int) -> Finding:
    """A finding of this (visible) visit; any other id is the same 404 as a missing one."""
    return get_object_or_404(Finding, pk=finding_id, visit=visit)


def _finding_out(finding_id: int) -> dict[str, Any]:
    return finding_out(Finding.objects.prefetch_related("photos").get(pk=finding_id))


@router.post(
    "/visits/{visit_id}/findings/{finding_id}/photos",
    response={201: FindingOut, **WRITE},
    summary="上传问题照片（JPEG/PNG）",
)
def add_photo(request: Any, visit_id: int = Id, finding_id: int = Id, file: UploadedFile = PhotoFile) -> Any:
    """A photo taken on site while the visit is in progress; checked by content, stored by SHA-256."""
    from zhifa.inspections.services.findings import MAX_PHOTO_BYTES, finding_photo_add
    from zhifa.intake.services.photos import PhotoUpload

    user = staff(request)
    finding = _finding(_visit(request, visit_id), finding_id)
    if file.size is not None and file.size > MAX_PHOTO_BYTES:
        message = _("照片过大：最大%(mb)d MB。") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}
        raise ServiceError(ErrorCode.INVALID, message, field="photo")
    finding_photo_add(actor=user, finding=finding, photo=PhotoUpload(file.name or "", file.read()))
    return 201, _finding_out(finding.pk)


@router.post(
    "/visits/{visit_id}/findings/{finding_id}/clue",
    response={200: FindingOut, **WRITE},
    summary="发现的问题转为线索",
)
def finding_to_clue(request: Any, payload: ToClueIn, visit_id: int = Id, finding_id: int = Id) -> Any:
    """One step: the finding is reported as a clue (source: inspection) and linked to it."""
    from zhifa.intake.models import ClueCategory

    user = staff(request)
    finding = _finding(_visit(request, visit_id), finding_id)
    category = ClueCategory.objects.filter(code=payload.category, is_active=True).first()
    if category is None:
        raise ServiceError(ErrorCode.INVALID, _("线索类别不存在。"), field="category")
    svc.finding_to_clue(actor=user, finding=finding, category=category)
    return 200, _finding_out(finding.pk)


@router.post(
    "/visits/{visit_id}/findings/{finding_id}/case",
    response={200: FindingOut, **WRITE},
    summary="发现的问题立案",
)
def finding_to_case(request: Any, payload: ToCaseIn, visit_id: int = Id, finding_id: int = Id) -> Any:
    """One step: a case (source: inspection) under one of the penalty items the inspection item checks."""
    from zhifa.inspections.services.findings import finding_to_case as to_case
    from zhifa.powers.models import PowerItem

    user = staff(request)
    finding = _finding(_visit(request, visit_id), finding_id)
    power_item = PowerItem.objects.filter(code=payload.power_item).first()
    if power_item is None:
        raise ServiceError(ErrorCode.INVALID, _("处罚事项不存在。"), field="power_item")
    to_case(actor=user, finding=finding, power_item=power_item)
    return 200, _finding_out(finding.pk)


@router.post(
    "/visits/{visit_id}/finish", response={200: VisitDetailOut, **WRITE}, summary="完成检查并登记结果"
)
def finish_visit(request: Any, payload: FinishIn, visit_id: int = Id) -> Any:
    """Results are published within 20 working days (GO118 (六)); the service sets the due date."""
    user = staff(request)
    visit = _visit(request, visit_id)

    def run() -> Any:
        svc.visit_finish(
            actor=user,
            visit=visit,
            result=payload.result,
            rectify_by=payload.rectify_by,
            note=payload.note,
            version=payload.version,
        )
        return _fresh(user, visit.pk)

    return written(run)
