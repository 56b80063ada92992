"""Inspection API under /api/v1/inspections/ (issue 7): subjects, the catalogue and double-random draws.

Visits are in api_visits.py (added below). Reads go through org.scoping (another county's object by id
is the same 404 as a missing one) and are open to the staff who plan, do or supervise inspections
(policies.can_see); writes go through the services, which check who may act, run in one transaction
and write one record event. A stale `version` is a 409 conflict; other refusals use the API's 400
envelope naming the field, with a Chinese message.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router
from ninja.files import UploadedFile

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.inspections.api_schemas import (
    DrawDetailOut,
    DrawIn,
    DrawPage,
    ImportErrorOut,
    ImportOut,
    ItemOut,
    ItemPage,
    ScenarioOut,
    ScenarioPage,
    SubjectIn,
    SubjectOut,
    SubjectPage,
    SubjectPatchIn,
    VerifyOut,
    VersionIn,
    draw_out,
    item_out,
    scenario_out,
    staff,
    subject_out,
    written,
)
from zhifa.inspections.api_visits import router as visits_router
from zhifa.inspections.imports import import_subjects
from zhifa.inspections.models import (
    DrawState,
    Industry,
    InspectionItem,
    RandomDraw,
    RiskLevel,
    Scenario,
    Subject,
)
from zhifa.inspections.selectors.draws import region_allowed
from zhifa.inspections.services import draws as draw_svc
from zhifa.inspections.services.subjects import SubjectInput, subject_create, subject_update
from zhifa.org.api_common import MAX_ID, Limit, Offset, id_query, text_query
from zhifa.org.models import Agency, Region
from zhifa.org.schemas import ErrorOut
from zhifa.org.scoping import get_visible_or_404, visible
from zhifa.org.selectors.api_lists import paginate

router = Router(tags=["inspections"])
router.add_router("", visits_router)

ADCODE = r"^\d{12}$"
NOT_FOUND = {404: ErrorOut}
WRITE = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Id = Path(..., ge=1, le=MAX_ID)
RegisterFile = File(..., description="检查对象名录（.xlsx 或 .csv）")
CommitFlag = Query(False, description="false：只校验；true：无错误时写入")
MAX_UPLOAD = 20 * 1024 * 1024  # as zhifa.org.imports.common.MAX_TABLE_BYTES


# --- reads (scoped querysets loaded for their schemas) ------------------------------------------


def subjects_visible(
    user: Any,
    *,
    township: str | None = None,
    industry: str | None = None,
    risk_level: str | None = None,
    q: str | None = None,
    active: bool | None = None,
) -> QuerySet:
    """Subjects the user may read (the county's register, a directory), with filters."""
    qs = visible(Subject.objects.select_related("industry", "township", "grid_cell"), user)
    if township:
        qs = qs.filter(township__adcode=township)
    if industry:
        qs = qs.filter(industry__code=industry)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if q:
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(uscc__icontains=text.upper()) | Q(address__icontains=text))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("township__adcode", "name", "id")


def items_visible(
    user: Any, *, department: int | None = None, industry: str | None = None, q: str | None = None
) -> QuerySet:
    """Inspection items of the user's county with checklist, frequency rules and linked power items."""
    qs = visible(
        InspectionItem.objects.select_related("department", "power_item", "domain"), user
    ).prefetch_related("checks", "industries", "frequency_rules")
    if department is not None:
        qs = qs.filter(department_id=department)
    if industry:
        qs = qs.filter(
            pk__in=InspectionItem.industries.through.objects.filter(industry__code=industry).values(
                "inspectionitem_id"
            )
        )
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(code__icontains=q.strip()))
    return qs.order_by("department__name", "code")


def scenarios_visible(user: Any) -> QuerySet:
    """Scenarios (bundles of items across departments) of the user's county."""
    return (
        visible(Scenario.objects.select_related("county", "lead_department"), user)
        .prefetch_related("industries", "items__department")
        .order_by("code", "id")
    )


def draws_visible(user: Any, *, state: str | None = None, agency: int | None = None) -> QuerySet:
    """Draws of the user's agency, or of their county for the county-wide roles (justice bureau).

    Lists defer the frozen pools and the result (see list_draws); the detail reads them.
    """
    qs = visible(RandomDraw.objects.select_related("agency", "region", "scenario"), user).prefetch_related(
        "items__department"
    )
    if state:
        qs = qs.filter(state=state)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    return qs.order_by("-period_start", "-id")


def _draw(request: Any, draw_id: int) -> RandomDraw:
    user = staff(request)
    return get_visible_or_404(draws_visible(user), user, pk=draw_id)


# --- subjects -------------------------------------------------------------------------------


@router.get("/subjects", response=SubjectPage, summary="检查对象列表")
def list_subjects(
    request: Any,
    township: str | None = Query(None, pattern=ADCODE, description="乡镇（街道）12位区划代码"),
    industry: str | None = text_query("行业编码", 40),
    risk_level: RiskLevel | None = None,
    q: str | None = text_query("名称、信用代码或地址", 100),
    active: bool | None = None,
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = subjects_visible(
        staff(request), township=township, industry=industry, risk_level=risk_level, q=q, active=active
    )
    page = paginate(qs, limit, offset)
    return {"count": page.count, "items": [subject_out(s) for s in page.items]}


@router.post(
    "/subjects/import",
    response={200: ImportOut, 400: ImportErrorOut | ErrorOut, 422: ErrorOut},
    summary="导入检查对象名录（xlsx/csv）",
)
def import_subject_file(
    request: Any,
    file: UploadedFile = RegisterFile,
    commit: bool = CommitFlag,
) -> Any:
    """Every row is checked first; with any row error nothing is written and the errors are listed."""
    user = staff(request)
    if file.size is not None and file.size > MAX_UPLOAD:
        raise ServiceError(ErrorCode.INVALID, _("文件过大：最大20 MB。"), field="file")
    result = import_subjects(actor=user, content=file.read(), filename=file.name or "", commit=commit)
    body = {
        "ok": result.ok,
        "committed": result.committed,
        "filename": result.filename,
        "sha256": result.sha256,
        "total": result.total,
        "counts": result.counts,
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message, "text": e.text} for e in result.errors
        ],
    }
    if result.ok:
        return 200, body
    message = _("文件中有%(n)d处错误，未写入任何数据。") % {"n": len(result.errors)}
    return 400, body | {"code": ErrorCode.INVALID, "field": "file", "message": message}


@router.get("/subjects/{subject_id}", response={200: SubjectOut, **NOT_FOUND}, summary="检查对象")
def get_subject(request: Any, subject_id: int = Id) -> Any:
    return subject_out(get_visible_or_404(subjects_visible(staff(request)), staff(request), pk=subject_id))


def _input(payload: SubjectIn) -> SubjectInput:
    return SubjectInput(**payload.dict())


@router.post("/subjects", response={201: SubjectOut, **WRITE}, summary="登记检查对象")
def create_subject(request: Any, payload: SubjectIn) -> Any:
    subject = subject_create(actor=staff(request), data=_input(payload))
    return 201, subject_out(subjects_visible(staff(request)).get(pk=subject.pk))


@router.patch("/subjects/{subject_id}", response={200: SubjectOut, **WRITE}, summary="修改检查对象")
def update_subject(request: Any, payload: SubjectPatchIn, subject_id: int = Id) -> Any:
    user = staff(request)
    subject = get_visible_or_404(subjects_visible(user), user, pk=subject_id)
    data = SubjectInput(
        uscc=subject.uscc,
        name=subject.name,
        kind=subject.kind,
        address=subject.address,
        industry=subject.industry,
        risk_level=subject.risk_level,
        township=subject.township,
        lng=subject.lng,
        lat=subject.lat,
        contact_name=subject.contact_name,
        contact_phone=subject.contact_phone,
    )
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    for key, value in changes.items():
        setattr(data, key, value)

    def save() -> Any:
        done = subject_update(actor=user, subject=subject, data=data, version=version)
        return subject_out(subjects_visible(user).get(pk=done.pk))

    return written(save)


# --- catalogue ------------------------------------------------------------------------------


@router.get("/items", response=ItemPage, summary="检查事项列表（含检查要点与频次规则）")
def list_items(
    request: Any,
    department: int | None = id_query("实施部门ID"),
    industry: str | None = text_query("行业编码", 40),
    q: str | None = text_query("名称或编码", 100),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = items_visible(staff(request), department=department, industry=industry, q=q)
    page = paginate(qs, limit, offset)
    return {"count": page.count, "items": [item_out(i) for i in page.items]}


@router.get("/items/{item_id}", response={200: ItemOut, **NOT_FOUND}, summary="检查事项")
def get_item(request: Any, item_id: int = Id) -> Any:
    user = staff(request)
    return item_out(get_visible_or_404(items_visible(user), user, pk=item_id))


@router.get("/scenarios", response=ScenarioPage, summary="检查场景列表")
def list_scenarios(request: Any, limit: int = Limit, offset: int = Offset) -> Any:
    page = paginate(scenarios_visible(staff(request)), limit, offset)
    return {"count": page.count, "items": [scenario_out(s) for s in page.items]}


@router.get("/scenarios/{scenario_id}", response={200: ScenarioOut, **NOT_FOUND}, summary="检查场景")
def get_scenario(request: Any, scenario_id: int = Id) -> Any:
    user = staff(request)
    return scenario_out(get_visible_or_404(scenarios_visible(user), user, pk=scenario_id))


# --- draws ----------------------------------------------------------------------------------


@router.get("/draws", response=DrawPage, summary="双随机抽查任务列表")
def list_draws(
    request: Any,
    state: DrawState | None = None,
    agency: int | None = id_query("组织单位ID"),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = draws_visible(staff(request), state=state, agency=agency).defer(
        "subject_pool", "inspector_pool", "result"
    )
    page = paginate(qs, limit, offset)
    return {"count": page.count, "items": [draw_out(d) for d in page.items]}


@router.get("/draws/{draw_id}", response={200: DrawDetailOut, **NOT_FOUND}, summary="双随机抽查任务")
def get_draw(request: Any, draw_id: int = Id) -> Any:
    return draw_out(_draw(request, draw_id), detail=True)


@router.post("/draws", response={201: DrawDetailOut, **WRITE}, summary="新建抽查任务")
def create_draw(request: Any, payload: DrawIn) -> Any:
    user = staff(request)
    agency = visible(Agency.objects.filter(pk=payload.agency_id), user).first()
    if agency is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("组织单位不存在。"), field="agency_id")
    region = visible(Region.objects.filter(adcode=payload.region), user).first()
    if region is None:
        raise ServiceError(ErrorCode.INVALID, _("抽查范围的区划代码无效。"), field="region")
    if not region_allowed(agency, region):
        # GO118 (四): an agency draws among the subjects of its own area.
        raise ServiceError(
            ErrorCode.INVALID, _("抽查范围须为组织单位所在的县（区）或其乡镇（街道）。"), field="region"
        )
    known = set(
        Industry.objects.filter(code__in=payload.subject_filter.industries).values_list("code", flat=True)
    )
    unknown = sorted(set(payload.subject_filter.industries) - known)
    if unknown:
        raise ServiceError(
            ErrorCode.INVALID,
            _("行业不存在：%(codes)s") % {"codes": "、".join(unknown)},
            field="subject_filter",
        )
    wanted = set(payload.item_ids)
    items = list(visible(InspectionItem.objects.filter(pk__in=wanted), user))
    missing = sorted(wanted - {i.pk for i in items})
    if missing:
        raise ServiceError(
            ErrorCode.INVALID,
            _("检查事项不存在：%(ids)s") % {"ids": "、".join(str(n) for n in missing)},
            field="item_ids",
        )
    draw = draw_svc.draw_create(
        actor=user,
        title=payload.title,
        agency=agency,
        region=region,
        period_start=payload.period_start,
        period_end=payload.period_end,
        items=items,
        ratio=payload.ratio,
        subject_filter=payload.subject_filter.dict(),
        inspectors_per_subject=payload.inspectors_per_subject,
    )
    return 201, draw_out(draws_visible(user).get(pk=draw.pk), detail=True)


def _step(request: Any, draw_id: int, payload: VersionIn, service: Any) -> Any:
    user = staff(request)
    draw = _draw(request, draw_id)

    def run() -> Any:
        service(actor=user, draw=draw, version=payload.version)
        return draw_out(draws_visible(user).get(pk=draw.pk), detail=True)

    return written(run)


@router.post(
    "/draws/{draw_id}/commit", response={200: DrawDetailOut, **WRITE}, summary="冻结名录库并公布种子承诺"
)
def commit_draw(request: Any, payload: VersionIn, draw_id: int = Id) -> Any:
    return _step(request, draw_id, payload, draw_svc.draw_commit)


@router.post("/draws/{draw_id}/run", response={200: DrawDetailOut, **WRITE}, summary="抽取（公开种子）")
def run_draw(request: Any, payload: VersionIn, draw_id: int = Id) -> Any:
    return _step(request, draw_id, payload, draw_svc.draw_run)


@router.post("/draws/{draw_id}/cancel", response={200: DrawDetailOut, **WRITE}, summary="撤销抽查任务")
def cancel_draw(request: Any, payload: VersionIn, draw_id: int = Id) -> Any:
    return _step(request, draw_id, payload, draw_svc.draw_cancel)


@router.get(
    "/draws/{draw_id}/verify", response={200: VerifyOut, 400: ErrorOut, **NOT_FOUND}, summary="验证抽取结果"
)
def verify(request: Any, draw_id: int = Id) -> Any:
    """Re-run the published algorithm on the stored pools and revealed seed (GO118 (六))."""
    draw = _draw(request, draw_id)
    if draw.state != DrawState.DRAWN:
        # Before the draw the seed is secret: a check would need it, so there is nothing to verify yet.
        raise ServiceError(ErrorCode.INVALID_STATE, _("抽查任务尚未抽取，无法验证。"), field="state")
    return {**draw_svc.verify_draw(draw), "algorithm": draw.algorithm, "seed": draw.seed}
