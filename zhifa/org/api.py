"""JSON API of the organisation (and /me): thin endpoints over `selectors.api_lists`.

Every read goes through `org.scoping.visible` (the same scoping as the pages); another township's
object asked for by id is a 404 with no data, exactly like a missing one. Certificates are in
api_certificates.py.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zhifa.org.api_certificates import certificates_router
from zhifa.org.api_common import Limit, Offset, caller, id_query, text_query
from zhifa.org.models import (
    Agency,
    AgencyKind,
    CommandCenter,
    Department,
    GridLevel,
    PersonStatus,
    Region,
    RegionLevel,
    RoleCode,
    Team,
    Zone,
)
from zhifa.org.schemas import (
    AgencyOut,
    AgencyPage,
    CommandCenterOut,
    CommandCenterPage,
    DepartmentOut,
    DepartmentPage,
    ErrorOut,
    GridCellDetailOut,
    GridCellPage,
    MeOut,
    PersonDetailOut,
    PersonPage,
    RegionOut,
    RegionPage,
    TeamOut,
    TeamPage,
    ZoneOut,
    ZonePage,
)
from zhifa.org.scoping import get_visible_or_404
from zhifa.org.selectors import api_lists as sel

org_router = Router()
me_router = Router(tags=["me"])

__all__ = ["certificates_router", "me_router", "org_router"]

NOT_FOUND = {404: ErrorOut}
Adcode = Query(None, pattern=r"^\d{12}$", description="12位区划代码（含下级）")


# --- Regions ---------------------------------------------------------------------------------------


@org_router.get("/regions", response=RegionPage, tags=["regions"], summary="区划列表")
def list_regions(
    request: HttpRequest,
    level: RegionLevel | None = None,
    parent: str | None = Query(None, pattern=r"^\d{12}$", description="上级区划代码"),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    return sel.paginate(sel.regions_visible(caller(request), level=level, parent=parent), limit, offset)


@org_router.get("/regions/{adcode}", response={200: RegionOut, **NOT_FOUND}, tags=["regions"], summary="区划")
def get_region(request: HttpRequest, adcode: str) -> Any:
    return get_visible_or_404(Region.objects.select_related("parent"), caller(request), adcode=adcode)


# --- Departments, agencies, teams, zones, command centres ---------------------------------------------


@org_router.get("/departments", response=DepartmentPage, tags=["departments"], summary="部门列表")
def list_departments(request: HttpRequest, limit: int = Limit, offset: int = Offset) -> Any:
    return sel.paginate(sel.departments_visible(caller(request)), limit, offset)


@org_router.get(
    "/departments/{id}", response={200: DepartmentOut, **NOT_FOUND}, tags=["departments"], summary="部门"
)
def get_department(request: HttpRequest, id: int) -> Any:
    return get_visible_or_404(
        Department.objects.select_related("region", "agency").prefetch_related("domains"),
        caller(request),
        pk=id,
    )


@org_router.get("/agencies", response=AgencyPage, tags=["agencies"], summary="执法主体列表")
def list_agencies(
    request: HttpRequest,
    kind: AgencyKind | None = None,
    region: str | None = Adcode,
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    return sel.paginate(sel.agencies_visible(caller(request), kind=kind, region=region), limit, offset)


@org_router.get(
    "/agencies/{id}", response={200: AgencyOut, **NOT_FOUND}, tags=["agencies"], summary="执法主体"
)
def get_agency(request: HttpRequest, id: int) -> Any:
    return get_visible_or_404(Agency.objects.select_related("region"), caller(request), pk=id)


@org_router.get("/teams", response=TeamPage, tags=["teams"], summary="执法队伍列表")
def list_teams(
    request: HttpRequest,
    agency: int | None = id_query("执法主体ID"),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    return sel.paginate(sel.teams_visible(caller(request), agency=agency), limit, offset)


@org_router.get("/teams/{id}", response={200: TeamOut, **NOT_FOUND}, tags=["teams"], summary="执法队伍")
def get_team(request: HttpRequest, id: int) -> Any:
    return get_visible_or_404(Team.objects.select_related("region", "agency"), caller(request), pk=id)


@org_router.get("/zones", response=ZonePage, tags=["zones"], summary="片区列表")
def list_zones(request: HttpRequest, limit: int = Limit, offset: int = Offset) -> Any:
    return sel.paginate(sel.zones_visible(caller(request)), limit, offset)


@org_router.get("/zones/{id}", response={200: ZoneOut, **NOT_FOUND}, tags=["zones"], summary="片区")
def get_zone(request: HttpRequest, id: int) -> Any:
    qs = Zone.objects.select_related("county", "leader", "deputy").prefetch_related("townships")
    return get_visible_or_404(qs, caller(request), pk=id)


@org_router.get(
    "/command-centers", response=CommandCenterPage, tags=["command-centers"], summary="指挥中心列表"
)
def list_command_centers(request: HttpRequest, limit: int = Limit, offset: int = Offset) -> Any:
    return sel.paginate(sel.command_centers_visible(caller(request)), limit, offset)


@org_router.get(
    "/command-centers/{id}",
    response={200: CommandCenterOut, **NOT_FOUND},
    tags=["command-centers"],
    summary="指挥中心",
)
def get_command_center(request: HttpRequest, id: int) -> Any:
    return get_visible_or_404(CommandCenter.objects.select_related("region"), caller(request), pk=id)


# --- Grid ------------------------------------------------------------------------------------------


@org_router.get("/grid-cells", response=GridCellPage, tags=["grid-cells"], summary="网格列表")
def list_grid_cells(
    request: HttpRequest,
    region: str | None = Adcode,
    level: GridLevel | None = None,
    bbox: str | None = Query(
        None, description="minx,miny,maxx,maxy（经纬度）", examples=["119.1,26.0,119.4,26.2"]
    ),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = sel.grid_cells_visible(caller(request), region=region, level=level, bbox=bbox)
    return sel.paginate(qs, limit, offset)


# Declared before /grid-cells/{id}; {id} is an int, so "locate" could not match it anyway.
@org_router.get(
    "/grid-cells/locate",
    response={200: GridCellDetailOut, **NOT_FOUND},
    tags=["grid-cells"],
    summary="按坐标定位最细一级网格",
)
def locate_grid_cell(
    request: HttpRequest,
    lon: float = Query(..., ge=-180, le=180, description="经度"),
    lat: float = Query(..., ge=-90, le=90, description="纬度"),
) -> Any:
    return sel.grid_cell_at(caller(request), lon, lat)


@org_router.get(
    "/grid-cells/{id}",
    response={200: GridCellDetailOut, **NOT_FOUND},
    tags=["grid-cells"],
    summary="网格（含GeoJSON范围）",
)
def get_grid_cell(request: HttpRequest, id: int) -> Any:
    return sel.grid_cell_detail(caller(request), id)


# --- People ----------------------------------------------------------------------------------------


@org_router.get("/people", response=PersonPage, tags=["people"], summary="人员列表")
def list_people(
    request: HttpRequest,
    q: str | None = text_query("姓名或电话"),
    region: str | None = Adcode,
    agency: int | None = id_query("执法主体ID"),
    team: int | None = id_query("执法队伍ID"),
    status: PersonStatus | None = None,
    role: RoleCode | None = None,
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    qs = sel.people_visible(
        caller(request), q=q, region=region, agency=agency, team=team, status=status, role=role
    )
    return sel.paginate(qs, limit, offset)


@org_router.get("/people/{id}", response={200: PersonDetailOut, **NOT_FOUND}, tags=["people"], summary="人员")
def get_person(request: HttpRequest, id: int) -> Any:
    return sel.person_detail(caller(request), id)


# --- Me --------------------------------------------------------------------------------------------


@me_router.get("", response=MeOut, summary="当前用户：人员、角色与数据范围")
def me(request: HttpRequest) -> Any:
    return sel.me_summary(caller(request))
