"""Shapes of the inspection API (issue 7) and the functions that fill them from loaded rows.

Every `*_out` function reads only what the matching list queryset loads (select_related /
prefetch_related in zhifa.inspections.api), so that a page costs the same queries for 2 rows as for 100.
A draw's seed is shown only once the draw has been run: before that only its SHA-256 commitment is
public (GO118 (四)), otherwise the organiser's commitment would mean nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Schema

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.inspections import policies
from zhifa.inspections.models import (
    InspectionItem,
    RandomDraw,
    Scenario,
    Subject,
)
from zhifa.inspections.selectors.draws import seed_visible
from zhifa.org.api_common import MAX_ID, caller

LINE = r"^[^\x00-\x1f]*$"  # one line of text: no control characters (PostgreSQL refuses NUL)
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"  # several lines allowed


def staff(request: HttpRequest) -> Any:
    """The caller, who must be staff that plan, do or supervise inspections (policies.can_see); else 403.

    Rows are then filtered by data scoping, so another county's object is a 404 like a missing one.
    """
    user = caller(request)
    if not policies.can_see(user):
        raise PermissionDenied
    return user


def written(call: Callable[[], Any]) -> Any:
    """Run a write; a conflict is always about the `version` sent, whether or not the service names it.

    zhifa.api.on_service_error answers a conflict with 409 and every other service error with 400.
    """
    try:
        return call()
    except ServiceError as exc:
        if exc.code == ErrorCode.CONFLICT and not exc.field:
            exc.field = "version"
        raise


class Ref(Schema):
    id: int
    name: str


class CodeRef(Schema):
    code: str
    name: str


class RegionRef(Schema):
    adcode: str
    name: str


# --- subjects ---------------------------------------------------------------------------------


class SubjectOut(Schema):
    id: int
    uscc: str
    name: str
    kind: str
    address: str
    lng: float | None
    lat: float | None
    industry: CodeRef
    risk_level: str
    township: RegionRef
    grid_cell: str | None
    contact_name: str
    contact_phone: str
    is_active: bool
    version: int


class SubjectPage(Schema):
    count: int
    items: list[SubjectOut]


class SubjectIn(Schema):
    """Text fields are checked by the subject service (clean_subject), which names the bad field."""

    uscc: str = Field(..., max_length=40, pattern=LINE, description="统一社会信用代码（18位）")
    name: str = Field(..., max_length=300, pattern=LINE)
    kind: str = Field(..., max_length=20, pattern=LINE, description="enterprise / individual（或中文）")
    address: str = Field(..., max_length=400, pattern=LINE)
    industry: str = Field(..., max_length=60, pattern=LINE, description="行业编码或名称")
    risk_level: str = Field("C", max_length=2, pattern=LINE, description="A、B、C或D")
    township: str | None = Field(None, max_length=60, pattern=LINE, description="乡镇（街道）12位区划代码")
    lng: float | None = None
    lat: float | None = None
    contact_name: str = Field("", max_length=60, pattern=LINE)
    contact_phone: str = Field("", max_length=30, pattern=LINE)


class SubjectPatchIn(Schema):
    """Only the fields sent are changed; `version` is the one read (a stale one is a conflict)."""

    version: int = Field(..., ge=1, le=MAX_ID)
    uscc: str | None = Field(None, max_length=40, pattern=LINE)
    name: str | None = Field(None, max_length=300, pattern=LINE)
    kind: str | None = Field(None, max_length=20, pattern=LINE)
    address: str | None = Field(None, max_length=400, pattern=LINE)
    industry: str | None = Field(None, max_length=60, pattern=LINE)
    risk_level: str | None = Field(None, max_length=2, pattern=LINE)
    township: str | None = Field(None, max_length=60, pattern=LINE)
    lng: float | None = None
    lat: float | None = None
    contact_name: str | None = Field(None, max_length=60, pattern=LINE)
    contact_phone: str | None = Field(None, max_length=30, pattern=LINE)


class RowErrorOut(Schema):
    row: int
    column: str
    message: str
    text: str


class ImportOut(Schema):
    ok: bool
    committed: bool
    filename: str
    sha256: str
    total: int
    counts: dict[str, int]
    errors: list[RowErrorOut]


class ImportErrorOut(ImportOut):
    code: str
    field: str | None
    message: str


def subject_out(subject: Subject) -> dict[str, Any]:
    """A subject (industry, township and grid cell loaded with it)."""
    return {
        "id": subject.pk,
        "uscc": subject.uscc,
        "name": subject.name,
        "kind": subject.kind,
        "address": subject.address,
        "lng": subject.lng,
        "lat": subject.lat,
        "industry": {"code": subject.industry.code, "name": subject.industry.name},
        "risk_level": subject.risk_level,
        "township": {"adcode": subject.township.adcode, "name": subject.township.name},
        "grid_cell": subject.grid_cell.code if subject.grid_cell_id else None,
        "contact_name": subject.contact_name,
        "contact_phone": subject.contact_phone,
        "is_active": subject.is_active,
        "version": subject.version,
    }


# --- catalogue --------------------------------------------------------------------------------


class PowerRef(Schema):
    code: str
    name: str
    power_type: str


class ChecklistPoint(Schema):
    point: str
    basis: str


class FrequencyRuleOut(Schema):
    risk_level: str
    mode: str
    ratio: str
    floor: str


class ItemOut(Schema):
    id: int
    code: str
    name: str
    department: Ref
    power_item: PowerRef | None
    checks: list[str]
    domain: CodeRef
    industries: list[str]
    checklist: list[ChecklistPoint]
    frequency_rules: list[FrequencyRuleOut]
    minutes: int
    is_active: bool
    version: int


class ItemPage(Schema):
    count: int
    items: list[ItemOut]


class ItemRef(Schema):
    id: int
    code: str
    name: str
    department: Ref


class ScenarioOut(Schema):
    id: int
    code: str
    name: str
    county: RegionRef
    industries: list[str]
    items: list[ItemRef]
    departments: list[Ref]
    lead_department: Ref | None
    description: str
    is_active: bool
    version: int


class ScenarioPage(Schema):
    count: int
    items: list[ScenarioOut]


def ref(obj: Any) -> dict[str, Any] | None:
    """{id, name} of a related row, or None."""
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def checklist_points(raw: Any) -> list[dict[str, str]]:
    """The checklist JSON as a list of {point, basis} (malformed entries are skipped)."""
    points = raw if isinstance(raw, list) else []
    return [
        {"point": str(p.get("point", "")), "basis": str(p.get("basis", ""))}
        for p in points
        if isinstance(p, dict)
    ]


def item_out(item: InspectionItem) -> dict[str, Any]:
    """An inspection item with its checklist (and legal basis) and its frequency rules per risk level."""
    power = item.power_item
    return {
        "id": item.pk,
        "code": item.code,
        "name": item.name,
        "department": ref(item.department),
        "power_item": None
        if power is None
        else {"code": power.code, "name": power.name, "power_type": power.power_type},
        "checks": [p.code for p in item.checks.all()],
        "domain": {"code": item.domain.code, "name": item.domain.name},
        "industries": [i.code for i in item.industries.all()],
        "checklist": checklist_points(item.checklist),
        "frequency_rules": [
            {"risk_level": r.risk_level, "mode": r.mode, "ratio": f"{r.ratio:f}", "floor": f"{r.floor:f}"}
            for r in item.frequency_rules.all()
        ],
        "minutes": item.minutes,
        "is_active": item.is_active,
        "version": item.version,
    }


def item_ref(item: InspectionItem) -> dict[str, Any]:
    return {"id": item.pk, "code": item.code, "name": item.name, "department": ref(item.department)}


def scenario_out(scenario: Scenario) -> dict[str, Any]:
    """A scenario: the items one joint team checks in one visit, and the departments they come from."""
    items = list(scenario.items.all())
    departments = {i.department.pk: i.department for i in items}
    return {
        "id": scenario.pk,
        "code": scenario.code,
        "name": scenario.name,
        "county": {"adcode": scenario.county.adcode, "name": scenario.county.name},
        "industries": [i.code for i in scenario.industries.all()],
        "items": [item_ref(i) for i in items],
        "departments": [ref(departments[k]) for k in sorted(departments)],
        "lead_department": ref(scenario.lead_department),
        "description": scenario.description,
        "is_active": scenario.is_active,
        "version": scenario.version,
    }


# --- draws ------------------------------------------------------------------------------------


class SubjectFilterIn(Schema):
    industries: list[str] = Field(default_factory=list, max_length=50)
    risk_levels: list[str] = Field(default_factory=list, max_length=4)


class DrawIn(Schema):
    title: str = Field(..., max_length=200, pattern=LINE)
    agency_id: int = Field(..., ge=1, le=MAX_ID, description="组织单位")
    region: str = Field(..., max_length=12, pattern=LINE, description="抽查范围（12位区划代码）")
    period_start: datetime.date
    period_end: datetime.date
    item_ids: list[int] = Field(..., max_length=200, description="检查事项ID")
    ratio: str = Field(..., max_length=20, pattern=LINE, description="抽查比例（0-1），不得低于规则下限")
    subject_filter: SubjectFilterIn = Field(default_factory=SubjectFilterIn)
    inspectors_per_subject: int = Field(2, ge=0, le=20, description="每户检查人员数（至少2人）")


class VersionIn(Schema):
    version: int = Field(..., ge=1, le=MAX_ID, description="读取时的版本号；不一致时返回409冲突")


class DrawOut(Schema):
    id: int
    title: str
    agency: Ref
    region: RegionRef
    period_start: datetime.date
    period_end: datetime.date
    items: list[ItemRef]
    scenario: Ref | None
    subject_filter: dict[str, Any]
    ratio: str
    sample_size: int
    inspectors_per_subject: int
    state: str
    state_label: str
    pool_hash: str
    seed_commitment: str
    seed: str | None = Field(None, description="随机种子：仅在抽取后公开")
    algorithm: str
    created_at: datetime.datetime
    committed_at: datetime.datetime | None
    drawn_at: datetime.datetime | None
    version: int


class DrawPage(Schema):
    count: int
    items: list[DrawOut]


class DrawDetailOut(DrawOut):
    subjects_in_pool: int
    inspectors_in_pool: int
    subject_pool: list[dict[str, Any]]
    inspector_pool: list[dict[str, Any]]
    result: list[dict[str, Any]]


class VerifyOut(Schema):
    ok: bool
    pool_hash: bool
    commitment: bool
    result: bool
    algorithm: str
    seed: str


def draw_out(draw: RandomDraw, *, detail: bool = False) -> dict[str, Any]:
    """A draw; the seed is revealed only when the draw has been run (before: its commitment only).

    A list row (detail=False) reads no pool: the pools stay deferred (large at province scale).
    """
    body = {
        "id": draw.pk,
        "title": draw.title,
        "agency": ref(draw.agency),
        "region": {"adcode": draw.region.adcode, "name": draw.region.name},
        "period_start": draw.period_start,
        "period_end": draw.period_end,
        "items": [item_ref(i) for i in draw.items.all()],
        "scenario": ref(draw.scenario),
        "subject_filter": draw.subject_filter or {},
        "ratio": f"{draw.ratio:f}",
        "sample_size": draw.sample_size,
        "inspectors_per_subject": draw.inspectors_per_subject,
        "state": draw.state,
        "state_label": str(draw.get_state_display()),
        "pool_hash": draw.pool_hash,
        "seed_commitment": draw.seed_commitment,
        "seed": draw.seed if seed_visible(draw) else None,
        "algorithm": draw.algorithm,
        "created_at": draw.created_at,
        "committed_at": draw.committed_at,
        "drawn_at": draw.drawn_at,
        "version": draw.version,
    }
    if detail:
        body.update(
            subjects_in_pool=len(draw.subject_pool or []),
            inspectors_in_pool=len(draw.inspector_pool or []),
            subject_pool=draw.subject_pool or [],
            inspector_pool=draw.inspector_pool or [],
            result=(draw.result or []) if seed_visible(draw) else [],
        )
    return body
