"""JSON API of powers: the item catalogue, grant list versions, claims and the competence resolver.

Reads of versions and claims go through org.scoping.visible (another county's version by id is the
same 404 as a missing one); the catalogue is public reference data (APL Art. 39). The resolver answers
with `zhifa.powers.resolver.competent_agency`, the one rule every part of Zhifa asks (DESIGN.md).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.api_common import Limit, Offset, caller, text_query
from zhifa.org.geometry import locate
from zhifa.org.models import Region
from zhifa.org.schemas import ErrorOut
from zhifa.org.scoping import get_visible_or_404
from zhifa.org.selectors.api_lists import paginate
from zhifa.powers.models import GrantList, PowerItem, PowerType
from zhifa.powers.resolver import competent_agency
from zhifa.powers.selectors import grants as sel

router = Router(tags=["powers"])
NOT_FOUND = {404: ErrorOut}
ADCODE = r"^\d{12}$"
DATE_QUERY = Query(None, description="日期（YYYY-MM-DD），默认今天")


class DomainRef(Schema):
    code: str
    name: str


class ItemOut(Schema):
    code: str
    name: str
    power_type: str
    domain: DomainRef | None
    original_subject: str


class ItemDetailOut(ItemOut):
    basis_text: str
    basis_refs: list[dict[str, Any]]
    keywords: str
    penalty_types: list[Any]
    fine_min: float | None
    fine_max: float | None
    fine_formula: str
    note: str


class ItemPage(Schema):
    count: int
    items: list[ItemOut]


class RegionRefOut(Schema):
    adcode: str
    name: str


class GrantListOut(Schema):
    id: int
    county: RegionRefOut
    number: int
    title: str
    status: str
    guidance_id: int | None
    based_on_id: int | None
    document: str
    effective_from: datetime.date | None
    version: int


class GrantListPage(Schema):
    count: int
    items: list[GrantListOut]


class EntryOut(Schema):
    item: str
    item_name: str
    township: RegionRefOut
    note: str


class GrantListDetailOut(GrantListOut):
    entries: list[EntryOut]


class ClaimOut(Schema):
    id: int
    grant_list_id: int
    township: RegionRefOut
    item: str
    claimed_on: datetime.date
    withdrawn_on: datetime.date | None


class ClaimPage(Schema):
    count: int
    items: list[ClaimOut]


class AgencyRef(Schema):
    id: int
    name: str


class CompetenceOut(Schema):
    agency: AgencyRef | None
    by_township: bool
    reason: str
    grant_list: GrantListOut | None
    claim: ClaimOut | None


def _region(region: Region) -> dict[str, str]:
    return {"adcode": region.adcode, "name": region.name}


def _list_out(gl: GrantList) -> dict[str, Any]:
    return {
        "id": gl.pk,
        "county": _region(gl.county),
        "number": gl.number,
        "title": gl.title,
        "status": gl.status,
        "guidance_id": gl.guidance_id,
        "based_on_id": gl.based_on_id,
        "document": gl.document,
        "effective_from": gl.effective_from,
        "version": gl.version,
    }


def _claim_out(claim: Any) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "grant_list_id": claim.grant_list_id,
        "township": _region(claim.township),
        "item": claim.item.code,
        "claimed_on": claim.claimed_on,
        "withdrawn_on": claim.withdrawn_on,
    }


@router.get("/items", response=ItemPage, summary="行政执法事项列表")
def list_items(
    request: HttpRequest,
    q: str | None = text_query("关键词（编码、名称、关键词、依据）", 100),
    power_type: PowerType | None = None,
    domain: str | None = text_query("执法领域编码", 40),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    return paginate(sel.power_items_search(q, power_type, domain), limit, offset)


@router.get("/items/{code}", response={200: ItemDetailOut, **NOT_FOUND}, summary="行政执法事项")
def get_item(request: HttpRequest, code: str) -> Any:
    return get_object_or_404(PowerItem.objects.select_related("domain"), code=code)


@router.get("/grant-lists", response=GrantListPage, summary="赋权清单版本列表")
def list_grant_lists(
    request: HttpRequest,
    county: str | None = Query(None, pattern=ADCODE, description="县（区）区划代码"),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    page = paginate(sel.grant_lists_visible(caller(request), county=county), limit, offset)
    return {"count": page.count, "items": [_list_out(gl) for gl in page.items]}


@router.get("/grant-lists/{id}", response={200: GrantListDetailOut, **NOT_FOUND}, summary="赋权清单版本")
def get_grant_list(request: HttpRequest, id: int) -> Any:
    if not 1 <= id < 2**63:
        raise Http404
    gl = sel.grant_list_detail(caller(request), id)
    entries = [
        {"item": e.item.code, "item_name": e.item.name, "township": _region(e.township), "note": e.note}
        for e in gl.entries.all()
    ]
    return _list_out(gl) | {"entries": entries}


@router.get("/claims", response=ClaimPage, summary="事项认领列表")
def list_claims(
    request: HttpRequest,
    township: str | None = Query(None, pattern=ADCODE, description="乡镇（街道）区划代码"),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    page = paginate(sel.claims_visible(caller(request), township=township), limit, offset)
    return {"count": page.count, "items": [_claim_out(c) for c in page.items]}


@router.get("/competence", response={200: CompetenceOut, 400: ErrorOut, **NOT_FOUND}, summary="管辖主体查询")
def get_competence(
    request: HttpRequest,
    item: str = Query(..., max_length=40, pattern=r"^[^\x00-\x1f]+$", description="事项编码"),
    date: datetime.date | None = DATE_QUERY,
    region: str | None = Query(None, pattern=ADCODE, description="区划代码（乡镇或村、社区）"),
    lat: float | None = Query(None, ge=-90, le=90, description="纬度（WGS84）"),
    lng: float | None = Query(None, ge=-180, le=180, description="经度（WGS84）"),
) -> Any:
    """Who is competent for the item at a region (by code) or a point (the finest grid cell's region)."""
    power_item = PowerItem.objects.filter(code=item).select_related("domain").first()
    if power_item is None:
        raise ServiceError(ErrorCode.INVALID, _("未知的事项编码：%(code)s") % {"code": item}, field="item")
    place = _place(caller(request), region, lat, lng)
    try:
        answer = competent_agency(power_item, place, date or datetime.date.today())
    except Region.DoesNotExist:
        raise ServiceError(ErrorCode.INVALID, _("该区划不在任何县（区）内。"), field="region") from None
    return {
        "agency": None if answer.agency is None else {"id": answer.agency.pk, "name": answer.agency.name},
        "by_township": answer.by_township,
        "reason": answer.reason,
        "grant_list": None if answer.grant_list is None else _list_out(answer.grant_list),
        "claim": None if answer.claim is None else _claim_out(answer.claim),
    }


def _place(user: Any, region: str | None, lat: float | None, lng: float | None) -> Region:
    if region:
        if lat is not None or lng is not None:
            raise ServiceError(ErrorCode.INVALID, _("区划代码与经纬度只能二选一。"), field="region")
        place = get_visible_or_404(Region.objects.all(), user, adcode=region)
    elif lat is not None and lng is not None:
        cell = locate(lng, lat)
        if cell is None:
            raise ServiceError(ErrorCode.INVALID, _("该位置不在任何网格内。"), field="lat")
        place = get_visible_or_404(Region.objects.all(), user, pk=cell.region_id)
    else:
        raise ServiceError(ErrorCode.REQUIRED, _("请提供区划代码，或同时提供经纬度。"), field="region")
    return place
