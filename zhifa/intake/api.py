"""JSON API of intake (issue 4): clues, their categories, the classification suggestion, every step of the
closed loop. Reads go through the same scoping as the pages (another county's clue is a 404); writes
through the same services. A retry of a report with the same `client_key` (or `Idempotency-Key`
header) returns the clue it created, with status 200 instead of 201.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.intake.models import Clue, ClueCategory, ClueStatus, HandlingResult, Priority
from zhifa.intake.selectors.clues import clue_detail, clue_steps, clues_visible, duplicate_candidates
from zhifa.intake.services import dispatch, loop
from zhifa.intake.services.photos import MAX_PHOTOS, PhotoUpload
from zhifa.intake.services.report import STAFF_SOURCES, ClueInput, clue_report
from zhifa.org.api_common import Limit, Offset, caller, text_query
from zhifa.org.models import Agency, Region, Team
from zhifa.org.schemas import ErrorOut
from zhifa.org.scoping import visible
from zhifa.org.selectors.api_lists import paginate
from zhifa.powers.models import PowerItem

router = Router(tags=["clues"])
NOT_FOUND = {404: ErrorOut}
ADCODE = r"^\d{12}$"


class RefOut(Schema):
    id: int
    name: str


class RegionOut(Schema):
    adcode: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    domain: str | None = None


class ClueOut(Schema):
    id: int
    code: str
    source: str
    category: CategoryOut
    priority: str
    status: str
    status_label: str
    text: str
    address: str
    lng: float | None
    lat: float | None
    grid_cell: str | None
    township: RegionOut | None
    outside_grid: bool
    items: list[str]
    assigned_agency: RefOut | None
    assigned_team: RefOut | None
    result: str
    reported_at: datetime.datetime
    step_due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    rating: int | None
    version: int


class StepOut(Schema):
    kind: str
    actor: str
    note: str
    at: datetime.datetime
    due_at: datetime.datetime | None
    late: bool


WRITE = {200: ClueOut, 400: ErrorOut, **NOT_FOUND}


class ClueDetailOut(ClueOut):
    steps: list[StepOut]
    photos: list[str]


class CluePage(Schema):
    count: int
    items: list[ClueOut]


class PhotoIn(Schema):
    name: str = Field("", max_length=100)
    content_base64: str = Field(..., description="照片内容（Base64）")


class ClueIn(Schema):
    source: str = Field("grid", description="grid / hotline / 12345 / inspection / referral")
    category: str = Field(..., max_length=40, description="线索类别编码")
    text: str = Field(..., max_length=2000)
    lng: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    coord_system: str = Field("wgs84", description="wgs84 或 gcj02")
    address: str = Field("", max_length=200)
    region: str | None = Field(None, pattern=ADCODE, description="无坐标时事发区划代码")
    priority: Priority = Priority.NORMAL
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=20)
    client_key: str = Field("", max_length=64, description="客户端生成的提交标识；重试时不重复创建")
    photos: list[PhotoIn] = Field(default_factory=list, max_length=MAX_PHOTOS)


class VersionIn(Schema):
    version: int | None = Field(None, description="读取时的版本号；不一致时返回冲突")


class NoteIn(VersionIn):
    note: str = Field("", max_length=2000)


class ClassifyIn(VersionIn):
    items: list[str] = Field(..., min_length=1, max_length=10, description="执法事项编码")


class DispatchIn(NoteIn):
    team_id: int | None = None


class JointDecisionIn(VersionIn):
    lead_agency_id: int
    decision: str = Field(..., max_length=2000)
    team_id: int | None = None


class HandleIn(NoteIn):
    result: HandlingResult
    photos: list[PhotoIn] = Field(default_factory=list, max_length=MAX_PHOTOS)


class VerifyIn(NoteIn):
    passed: bool


class EvaluateIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=300)


class MergeIn(VersionIn):
    into_id: int


class SuggestionOut(Schema):
    code: str
    name: str
    score: float
    matched: list[str]


class DuplicateOut(Schema):
    clue: ClueOut
    similarity: float
    same_cell: bool


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def clue_out(clue: Clue) -> dict[str, Any]:
    """The API shape of a clue (items read through the prefetch when there is one)."""
    return {
        "id": clue.pk,
        "code": clue.code,
        "source": clue.source,
        "category": {
            "code": clue.category.code,
            "name": clue.category.name,
        },
        "priority": clue.priority,
        "status": clue.status,
        "status_label": str(clue.get_status_display()),
        "text": clue.text,
        "address": clue.address,
        "lng": clue.lng,
        "lat": clue.lat,
        "grid_cell": clue.grid_cell.code if clue.grid_cell_id else None,
        "township": {"adcode": clue.township.adcode, "name": clue.township.name}
        if clue.township_id
        else None,
        "outside_grid": clue.outside_grid,
        "items": [item.code for item in clue.items.all()],
        "assigned_agency": _ref(clue.assigned_agency),
        "assigned_team": _ref(clue.assigned_team),
        "result": clue.result,
        "reported_at": clue.reported_at,
        "step_due_at": clue.step_due_at,
        "closed_at": clue.closed_at,
        "rating": clue.rating,
        "version": clue.version,
    }


def _photos(photos: list[PhotoIn]) -> list[PhotoUpload]:
    uploads = []
    for number, photo in enumerate(photos, start=1):
        try:
            content = base64.b64decode(photo.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ServiceError(
                ErrorCode.INVALID, _("第%(n)d张照片不是有效的Base64编码。") % {"n": number}, field="photos"
            ) from None
        uploads.append(PhotoUpload(photo.name, content))
    return uploads


def _clue(request: HttpRequest, clue_id: int) -> Clue:
    return clue_detail(caller(request), clue_id)


@router.get("/clue-categories", response=list[CategoryOut], summary="线索类别")
def list_categories(request: HttpRequest) -> Any:
    return [
        {"code": c.code, "name": c.name, "domain": c.domain.code if c.domain_id else None}
        for c in ClueCategory.objects.filter(is_active=True).select_related("domain")
    ]


@router.get("/clues", response=CluePage, summary="线索列表")
def list_clues(
    request: HttpRequest,
    township: str | None = Query(None, pattern=ADCODE, description="乡镇（街道）区划代码"),
    status: ClueStatus | None = None,
    category: str | None = text_query("线索类别编码", 40),
    overdue: bool = Query(False, description="只看超时的"),
    open: bool = Query(False, description="只看未办结的"),
    q: str | None = text_query("编号、描述或地址", 100),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = clues_visible(
        caller(request),
        township=township,
        status=status,
        category=category,
        overdue=overdue,
        open_only=open,
        q=q,
    ).prefetch_related("items")
    page = paginate(qs, limit, offset)
    return {"count": page.count, "items": [clue_out(c) for c in page.items]}


@router.post(
    "/clues", response={201: ClueOut, 200: ClueOut, 400: ErrorOut, 422: ErrorOut}, summary="上报线索"
)
def create_clue(request: HttpRequest, payload: ClueIn) -> Any:
    user = caller(request)
    key = payload.client_key or request.headers.get("Idempotency-Key", "")[:64]
    if key and Clue.objects.filter(client_key=key).exists():
        existing = Clue.objects.get(client_key=key)
        if visible(Clue.objects.filter(pk=existing.pk), user).exists():
            return 200, clue_out(existing)
    if payload.source not in STAFF_SOURCES:
        raise ServiceError(ErrorCode.INVALID, _("线索来源无效。"), field="source")
    region = None
    if payload.region:
        region = visible(Region.objects.filter(adcode=payload.region), user).first()
        if region is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("区划不存在。"), field="region")
    data = ClueInput(
        source=payload.source,
        category=ClueCategory.objects.filter(code=payload.category).first(),
        text=payload.text,
        lng=payload.lng,
        lat=payload.lat,
        coord_system=payload.coord_system,
        address=payload.address,
        region=region,
        priority=payload.priority,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        client_key=key,
        photos=_photos(payload.photos),
    )
    return 201, clue_out(clue_report(actor=user, data=data))


@router.get("/clues/{clue_id}", response={200: ClueDetailOut, **NOT_FOUND}, summary="线索详情")
def get_clue(request: HttpRequest, clue_id: int) -> Any:
    clue = _clue(request, clue_id)
    steps = [
        {
            "kind": s.kind,
            "actor": s.actor_name,
            "note": s.note,
            "at": s.at,
            "due_at": s.due_at,
            "late": s.late,
        }
        for s in clue_steps(clue)
    ]
    photos = [f"/intake/photos/{p.pk}/" for p in clue.photos.all()]
    return clue_out(clue) | {"steps": steps, "photos": photos}


@router.get(
    "/clues/{clue_id}/suggestions", response={200: list[SuggestionOut], **NOT_FOUND}, summary="事项建议"
)
def get_suggestions(request: HttpRequest, clue_id: int) -> Any:
    from zhifa.intake.classify import suggest_items

    clue = _clue(request, clue_id)
    return [
        {"code": s.item.code, "name": s.item.name, "score": round(s.score, 4), "matched": list(s.matched)}
        for s in suggest_items(clue.text)
    ]


@router.get(
    "/clues/{clue_id}/duplicates", response={200: list[DuplicateOut], **NOT_FOUND}, summary="疑似重复线索"
)
def get_duplicates(request: HttpRequest, clue_id: int) -> Any:
    clue = _clue(request, clue_id)
    return [
        {"clue": clue_out(d.clue), "similarity": d.similarity, "same_cell": d.same_cell}
        for d in duplicate_candidates(clue, caller(request))
    ]


@router.post("/clues/{clue_id}/classify", response=WRITE, summary="定性（确定涉及事项）")
def classify(request: HttpRequest, clue_id: int, payload: ClassifyIn) -> Any:
    clue = _clue(request, clue_id)
    items = list(PowerItem.objects.filter(code__in=payload.items))
    missing = sorted(set(payload.items) - {i.code for i in items})
    if missing:
        raise ServiceError(
            ErrorCode.INVALID, _("事项编码不存在：%(codes)s") % {"codes": "、".join(missing)}, field="items"
        )
    return 200, clue_out(
        dispatch.clue_classify(actor=caller(request), clue=clue, items=items, version=payload.version)
    )


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("队伍不存在。"), field="team_id")
    return team


@router.post("/clues/{clue_id}/dispatch", response=WRITE, summary="派遣")
def dispatch_clue(request: HttpRequest, clue_id: int, payload: DispatchIn) -> Any:
    user = caller(request)
    clue = _clue(request, clue_id)
    done = dispatch.clue_dispatch(
        actor=user, clue=clue, team=_team(payload.team_id), note=payload.note, version=payload.version
    )
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/joint-decision", response=WRITE, summary="联席会商决定")
def joint_decision(request: HttpRequest, clue_id: int, payload: JointDecisionIn) -> Any:
    user = caller(request)
    clue = _clue(request, clue_id)
    agency = Agency.objects.filter(pk=payload.lead_agency_id).first()
    if agency is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("执法主体不存在。"), field="lead_agency_id")
    done = dispatch.joint_meeting_decide(
        actor=user,
        clue=clue,
        lead_agency=agency,
        decision=payload.decision,
        team=_team(payload.team_id),
        version=payload.version,
    )
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/accept", response=WRITE, summary="签收")
def accept(request: HttpRequest, clue_id: int, payload: VersionIn) -> Any:
    clue = _clue(request, clue_id)
    return 200, clue_out(loop.clue_accept(actor=caller(request), clue=clue, version=payload.version))


@router.post("/clues/{clue_id}/send-back", response=WRITE, summary="退回")
def send_back(request: HttpRequest, clue_id: int, payload: NoteIn) -> Any:
    clue = _clue(request, clue_id)
    done = loop.clue_send_back(actor=caller(request), clue=clue, reason=payload.note, version=payload.version)
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/handle", response=WRITE, summary="处置")
def handle(request: HttpRequest, clue_id: int, payload: HandleIn) -> Any:
    clue = _clue(request, clue_id)
    done = loop.clue_handle(
        actor=caller(request),
        clue=clue,
        result=payload.result,
        note=payload.note,
        photos=_photos(payload.photos),
        version=payload.version,
    )
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/feedback", response=WRITE, summary="反馈")
def feedback(request: HttpRequest, clue_id: int, payload: NoteIn) -> Any:
    clue = _clue(request, clue_id)
    done = loop.clue_feedback(actor=caller(request), clue=clue, note=payload.note, version=payload.version)
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/verify", response=WRITE, summary="核查")
def verify(request: HttpRequest, clue_id: int, payload: VerifyIn) -> Any:
    clue = _clue(request, clue_id)
    done = loop.clue_verify(
        actor=caller(request), clue=clue, passed=payload.passed, note=payload.note, version=payload.version
    )
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/close", response=WRITE, summary="结案")
def close(request: HttpRequest, clue_id: int, payload: NoteIn) -> Any:
    clue = _clue(request, clue_id)
    done = loop.clue_close(actor=caller(request), clue=clue, note=payload.note, version=payload.version)
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/evaluate", response=WRITE, summary="评价")
def evaluate(request: HttpRequest, clue_id: int, payload: EvaluateIn) -> Any:
    clue = _clue(request, clue_id)
    done = loop.clue_evaluate(
        actor=caller(request), clue=clue, rating=payload.rating, comment=payload.comment
    )
    return 200, clue_out(done)


@router.post("/clues/{clue_id}/merge", response=WRITE, summary="合并重复线索")
def merge(request: HttpRequest, clue_id: int, payload: MergeIn) -> Any:
    user = caller(request)
    clue = _clue(request, clue_id)
    into = clue_detail(user, payload.into_id)
    return 200, clue_out(dispatch.clue_merge(actor=user, clue=clue, into=into, version=payload.version))


@router.post("/clues/{clue_id}/dismiss", response=WRITE, summary="不予受理")
def dismiss(request: HttpRequest, clue_id: int, payload: NoteIn) -> Any:
    clue = _clue(request, clue_id)
    done = dispatch.clue_dismiss(
        actor=caller(request), clue=clue, reason=payload.note, version=payload.version
    )
    return 200, clue_out(done)
