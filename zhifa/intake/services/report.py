"""Reporting a clue (线索上报), from every source, in one service.

The position (WGS84; GCJ-02 from Chinese map SDKs is converted first) is placed in its micro grid and
township (zhifa.intake.routing); a clue outside every grid keeps the region it was reported for and
is flagged for the dispatcher. A retry of the same submission (same `client_key`) returns the clue
already created instead of a second one: grid workers on a slow connection press "send" again.
One transaction, one record event `clue.report` (APL Art. 47: initiation is recorded), photos included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.record import record_event
from zhifa.intake.codes import clue_code, tracking_code
from zhifa.intake.models import Clue, ClueCategory, ClueSource, ClueStatus, Priority, StepKind
from zhifa.intake.policies import can_report
from zhifa.intake.services.common import add_step, step_due
from zhifa.intake.services.photos import PhotoUpload, check_photos, store_photos
from zhifa.org.models import Region
from zhifa.org.scoping import person_of

TEXT_MIN, TEXT_MAX = 4, 2000
# Sources a person may report as; "public" and "open311" have their own entry points (no login / API key).
STAFF_SOURCES = (
    ClueSource.GRID,
    ClueSource.HOTLINE,
    ClueSource.HOTLINE_12345,
    ClueSource.INSPECTION,
    ClueSource.REFERRAL,
)
REPORT_FIELDS = (
    "code",
    "source",
    "category",
    "priority",
    "text",
    "address",
    "lng",
    "lat",
    "region",
    "status",
)


@dataclass
class ClueInput:
    """What a reporter sends. `coord_system` is "wgs84" or "gcj02" (converted on the way in)."""

    source: str
    category: ClueCategory | None
    text: str
    lng: float | None = None
    lat: float | None = None
    coord_system: str = "wgs84"
    address: str = ""
    region: Region | None = None  # where it happened, when there is no position (hotline, public form)
    priority: str = Priority.NORMAL
    reporter_name: str = ""
    reporter_phone: str = ""
    client_key: str = ""
    photos: list[PhotoUpload] = field(default_factory=list)


def _position(data: ClueInput, errors: list[ServiceError]) -> tuple[float | None, float | None]:
    """WGS84 (lng, lat), or (None, None) when no position was given."""
    from zhifa.core import coords

    if data.lng is None and data.lat is None:
        return None, None
    if data.lng is None or data.lat is None:
        errors.append(ServiceError(ErrorCode.INVALID, _("经度和纬度须同时提供。"), field="lat"))
        return None, None
    try:
        lng, lat = float(data.lng), float(data.lat)
    except (TypeError, ValueError):
        errors.append(ServiceError(ErrorCode.INVALID, _("经纬度必须是数字。"), field="lat"))
        return None, None
    if not (math.isfinite(lng) and math.isfinite(lat)):
        errors.append(ServiceError(ErrorCode.INVALID, _("经纬度必须是数字。"), field="lat"))
        return None, None
    if data.coord_system not in ("wgs84", "gcj02"):
        errors.append(
            ServiceError(ErrorCode.INVALID, _("坐标系只能是 wgs84 或 gcj02。"), field="coord_system")
        )
        return None, None
    problem = coords.position_problem(lat, lng)
    if problem:
        errors.append(ServiceError(ErrorCode.INVALID, problem.message, field=problem.field))
        return None, None
    if data.coord_system == "gcj02":
        lng, lat = coords.gcj02_to_wgs84(lng, lat)
    return lng, lat


def check_clue(data: ClueInput) -> tuple[float | None, float | None, list[ServiceError]]:
    """Every problem of a report at once (Chinese, naming the field), and the WGS84 position."""
    errors: list[ServiceError] = []
    text = (data.text or "").strip()
    if len(text) < TEXT_MIN:
        errors.append(
            ServiceError(
                ErrorCode.REQUIRED, _("请描述情况（至少%(n)d个字）。") % {"n": TEXT_MIN}, field="text"
            )
        )
    elif len(text) > TEXT_MAX:
        errors.append(
            ServiceError(ErrorCode.INVALID, _("情况描述最多%(n)d字。") % {"n": TEXT_MAX}, field="text")
        )
    if data.category is None or not data.category.is_active:
        errors.append(ServiceError(ErrorCode.INVALID, _("请选择有效的线索类别。"), field="category"))
    if data.priority not in Priority.values:
        errors.append(ServiceError(ErrorCode.INVALID, _("紧急程度无效。"), field="priority"))
    if data.source not in ClueSource.values:
        errors.append(ServiceError(ErrorCode.INVALID, _("线索来源无效。"), field="source"))
    if len(data.address or "") > 200:
        errors.append(ServiceError(ErrorCode.INVALID, _("地址最多200字。"), field="address"))
    if len(data.reporter_name or "") > 50 or len(data.reporter_phone or "") > 20:
        errors.append(ServiceError(ErrorCode.INVALID, _("联系人或电话过长。"), field="reporter_phone"))
    if len(data.client_key or "") > 64:
        errors.append(ServiceError(ErrorCode.INVALID, _("提交标识过长。"), field="client_key"))
    lng, lat = _position(data, errors)
    return lng, lat, errors


def _place(lng: float | None, lat: float | None, fallback: Region | None) -> dict[str, Any]:
    """Grid cell, township and scope region of the clue; raises when nothing says where it is."""
    from zhifa.intake.routing import place

    found = place(lng, lat) if lng is not None else None
    if found is not None and not found.outside:
        township = found.township
        return {
            "grid_cell": found.cell,
            "township": township,
            "region": found.cell.region if found.cell is not None else (township or fallback),
            "outside_grid": False,
        }
    if fallback is None:
        raise ServiceError(
            ErrorCode.REQUIRED, _("该位置不在任何网格内，请选择事发乡镇（街道）。"), field="region"
        )
    township = fallback if fallback.is_township_level else None
    return {"grid_cell": None, "township": township, "region": fallback, "outside_grid": lng is not None}


def _existing(client_key: str) -> Clue | None:
    return Clue.objects.filter(client_key=client_key).first() if client_key else None


def clue_report(*, actor: Any, data: ClueInput) -> Clue:
    """Report a clue as a staff member (grid worker, dispatcher, officer); see the module docstring.

    The reporter's own work region stands in where the position says nothing (hotline entries without
    a position use `data.region`). A repeated `client_key` returns the clue it created.
    """
    if not can_report(actor):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("您没有上报线索的权限。"))
    if data.source not in STAFF_SOURCES:
        raise ServiceError(ErrorCode.INVALID, _("线索来源无效。"), field="source")
    person = person_of(actor)
    fallback = data.region or (person.region if person is not None else None)
    return _create(actor=actor, data=data, fallback=fallback)


def clue_report_public(*, data: ClueInput) -> Clue:
    """A complaint or report from the public (no login): contact optional, a tracking code returned.

    `data.region` (the township or county chosen on the form) stands in when there is no position.
    """
    data.source = ClueSource.OPEN311 if data.source == ClueSource.OPEN311 else ClueSource.PUBLIC
    return _create(actor=None, data=data, fallback=data.region)


def _create(*, actor: Any, data: ClueInput, fallback: Region | None) -> Clue:
    existing = _existing(data.client_key)
    if existing is not None:
        return existing
    lng, lat, errors = check_clue(data)
    checked = []
    try:
        checked = check_photos(data.photos)
    except ServiceError as exc:
        errors.append(exc)
    if errors:
        raise ValidationErrors(errors)
    placed = _place(lng, lat, fallback)
    now = timezone.now()
    try:
        with transaction.atomic():
            clue = Clue(
                code=clue_code(now),
                tracking_code=tracking_code(),
                source=data.source,
                category=data.category,
                priority=data.priority,
                text=data.text.strip(),
                address=(data.address or "").strip(),
                lng=lng,
                lat=lat,
                reported_by=actor if getattr(actor, "is_authenticated", False) else None,
                reporter_name=(data.reporter_name or "").strip(),
                reporter_phone=(data.reporter_phone or "").strip(),
                client_key=data.client_key or None,
                reported_at=now,
                step_started_at=now,
                status=ClueStatus.REPORTED,
                **placed,
            )
            clue.step_due_at = step_due(clue, ClueStatus.REPORTED, now)
            clue.save()
            step = add_step(clue, StepKind.REPORT, actor, now, actor_name=clue.reporter_name)
            photos = store_photos(clue, checked, actor, step)
            after = {name: _value(getattr(clue, name)) for name in REPORT_FIELDS}
            after |= {
                "grid_cell": clue.grid_cell.code if clue.grid_cell else None,
                "outside_grid": clue.outside_grid,
                "photos": [p.sha256 for p in photos],
            }
            record_event(actor=actor, action="clue.report", obj=clue, after=after)
    except IntegrityError:
        # The same client_key committed by a concurrent retry: that clue is the answer.
        existing = _existing(data.client_key)
        if existing is None:
            raise
        return existing
    return clue


def _value(value: Any) -> Any:
    if hasattr(value, "pk"):
        return getattr(value, "adcode", None) or getattr(value, "code", None) or value.pk
    return value
