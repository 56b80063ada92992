"""Organisation pages: the county overview, and regions, departments, agencies, teams, zones and
command centres through the generic list/detail/form views (views.crud), one `Entity` each."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from zhifa.org.forms.structure import (
    AgencyForm,
    CommandCenterForm,
    DepartmentForm,
    RegionForm,
    TeamForm,
    ZoneForm,
)
from zhifa.org.models import (
    Agency,
    AgencyKind,
    CommandCenter,
    Department,
    Person,
    PersonStatus,
    Region,
    RegionLevel,
    Team,
    Zone,
)
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.policies import Action, user_can
from zhifa.org.scoping import visible
from zhifa.org.selectors import structure as selectors
from zhifa.org.services import structure as services
from zhifa.org.services import units
from zhifa.org.views.crud import Column, Entity, Filter, Link, detail_link, links


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def person_link(person: Person | None) -> Link | str | None:
    """A link to a person's page where the people pages exist, else the name."""
    if person is None:
        return None
    try:
        return Link(person.name, reverse("person-detail", args=[person.pk]))
    except NoReverseMatch:
        return person.name


def _yes_no(value: bool) -> str:
    return str(_("是")) if value else str(_("否"))


def _names(objs: Any) -> str:
    return "、".join(str(obj) for obj in objs)


# --- Regions -------------------------------------------------------------------------------------


def _region_detail(region: Region, user: Any) -> list[tuple[Any, Any]]:
    children = selectors.region_list(user, parent=region)
    agencies = visible(Agency.objects.filter(region=region), user)
    return [
        (_("区划代码"), region.adcode),
        (_("名称"), region.name),
        (_("层级"), region.get_level_display()),
        (_("上级"), detail_link("region", region.parent)),
        (_("下级区划"), links("region", children)),
        (_("执法主体"), links("agency", agencies)),
    ]


REGION = Entity(
    key="region",
    model=Region,
    label=_("区划"),
    label_plural=_("行政区划"),
    form_class=RegionForm,
    create=services.region_create,
    update=services.region_update,
    instance_arg="region",
    list_selector=lambda user, p: selectors.region_list(user, level=p.get("level", ""), q=p.get("q", "")),
    columns=(
        Column(_("区划代码"), lambda r: detail_link("region", r, r.adcode)),
        Column(_("名称"), lambda r: r.name),
        Column(_("层级"), lambda r: r.get_level_display()),
        Column(_("上级"), lambda r: r.parent),
    ),
    detail_fields=_region_detail,
    detail_queryset=lambda: Region.objects.select_related("parent"),
    filters=lambda user: [Filter("level", _("层级"), list(RegionLevel.choices))],
    icon="bi-geo-alt",
)


# --- Departments ---------------------------------------------------------------------------------


def _department_agency(department: Department) -> Agency | None:
    return getattr(department, "agency", None)


DEPARTMENT = Entity(
    key="department",
    model=Department,
    label=_("部门"),
    label_plural=_("县直部门"),
    form_class=DepartmentForm,
    create=services.department_create,
    update=services.department_update,
    instance_arg="department",
    list_selector=lambda user, p: selectors.department_list(user, q=p.get("q", "")),
    columns=(
        Column(_("名称"), lambda d: detail_link("department", d)),
        Column(_("简称"), lambda d: d.short_name),
        Column(_("类型"), lambda d: d.get_kind_display()),
        Column(_("执法领域"), lambda d: _names(d.domains.all())),
        Column(_("执法主体"), lambda d: detail_link("agency", _department_agency(d))),
    ),
    detail_fields=lambda d, user: [
        (_("名称"), d.name),
        (_("简称"), d.short_name),
        (_("类型"), d.get_kind_display()),
        (_("县（区）"), detail_link("region", d.region)),
        (_("执法领域"), _names(d.domains.all())),
        (_("执法主体"), detail_link("agency", _department_agency(d))),
    ],
    detail_queryset=lambda: Department.objects.select_related("region", "agency"),
    icon="bi-building",
)


# --- Agencies ------------------------------------------------------------------------------------

AGENCY = Entity(
    key="agency",
    model=Agency,
    label=_("执法主体"),
    label_plural=_("执法主体"),
    form_class=AgencyForm,
    create=services.agency_create,
    update=services.agency_update,
    instance_arg="agency",
    list_selector=lambda user, p: selectors.agency_list(user, kind=p.get("kind", ""), q=p.get("q", "")),
    columns=(
        Column(_("名称"), lambda a: detail_link("agency", a)),
        Column(_("简称"), lambda a: a.short_name),
        Column(_("类型"), lambda a: a.get_kind_display()),
        Column(_("区划"), lambda a: a.region),
        Column(_("启用"), lambda a: _yes_no(a.is_active)),
    ),
    detail_fields=lambda a, user: [
        (_("名称"), a.name),
        (_("简称"), a.short_name),
        (_("类型"), a.get_kind_display()),
        (_("区划"), detail_link("region", a.region)),
        (_("部门"), detail_link("department", a.department)),
        (_("统一社会信用代码"), a.uscc),
        (_("启用"), _yes_no(a.is_active)),
        (_("执法队伍"), links("team", visible(Team.objects.filter(agency=a), user))),
    ],
    detail_queryset=lambda: Agency.objects.select_related("region", "department"),
    filters=lambda user: [Filter("kind", _("类型"), list(AgencyKind.choices))],
    icon="bi-bank",
)


# --- Teams ---------------------------------------------------------------------------------------


def _team_list(user: Any, params: dict[str, str]) -> Any:
    region_id = _int(params.get("region"))
    region = visible(Region.objects.all(), user).filter(pk=region_id).first() if region_id else None
    return selectors.team_list(user, region=region, q=params.get("q", ""))


def _township_filter(user: Any) -> list[Filter]:
    townships = visible(Region.objects.filter(level__in=TOWNSHIP_LEVELS), user).order_by("adcode")
    return [Filter("region", _("乡镇（街道）"), [(t.pk, t.name) for t in townships])]


def _team_detail(team: Team, user: Any) -> list[tuple[Any, Any]]:
    members = visible(team.members.filter(status=PersonStatus.ACTIVE), user).order_by("name")
    return [
        (_("名称"), team.name),
        (_("执法主体"), detail_link("agency", team.agency)),
        (_("区划"), detail_link("region", team.region)),
        (_("上级队伍"), detail_link("team", team.parent)),
        (_("下级队伍"), links("team", visible(team.subteams.all(), user))),
        (_("在岗队员"), [person_link(p) for p in members]),
    ]


TEAM = Entity(
    key="team",
    model=Team,
    label=_("执法队伍"),
    label_plural=_("执法队伍"),
    form_class=TeamForm,
    create=units.team_create,
    update=units.team_update,
    instance_arg="team",
    list_selector=_team_list,
    columns=(
        Column(_("名称"), lambda t: detail_link("team", t)),
        Column(_("执法主体"), lambda t: t.agency),
        Column(_("区划"), lambda t: t.region),
        Column(_("上级队伍"), lambda t: t.parent),
        Column(_("在岗人数"), lambda t: t.member_count),
    ),
    detail_fields=_team_detail,
    detail_queryset=lambda: Team.objects.select_related("agency", "region", "parent"),
    filters=_township_filter,
    icon="bi-people",
)


# --- Zones and command centres -------------------------------------------------------------------

ZONE = Entity(
    key="zone",
    model=Zone,
    label=_("片区"),
    label_plural=_("片区"),
    form_class=ZoneForm,
    create=units.zone_create,
    update=units.zone_update,
    instance_arg="zone",
    list_selector=lambda user, p: selectors.zone_list(user, q=p.get("q", "")),
    columns=(
        Column(_("名称"), lambda z: detail_link("zone", z)),
        Column(_("县（区）"), lambda z: z.county),
        Column(_("乡镇（街道）"), lambda z: _names(z.townships.all())),
        Column(_("片长"), lambda z: z.leader),
        Column(_("协作组长"), lambda z: z.deputy),
    ),
    detail_fields=lambda z, user: [
        (_("名称"), z.name),
        (_("县（区）"), detail_link("region", z.county)),
        (_("乡镇（街道）"), links("region", z.townships.order_by("adcode"))),
        (_("片长"), person_link(z.leader)),
        (_("协作组长"), person_link(z.deputy)),
    ],
    detail_queryset=lambda: Zone.objects.select_related("county", "leader", "deputy"),
    icon="bi-map",
)

COMMAND_CENTER = Entity(
    key="command-center",
    model=CommandCenter,
    label=_("指挥中心"),
    label_plural=_("指挥中心"),
    form_class=CommandCenterForm,
    create=units.command_center_create,
    update=units.command_center_update,
    instance_arg="command_center",
    list_selector=lambda user, p: selectors.command_center_list(user, q=p.get("q", "")),
    columns=(
        Column(_("名称"), lambda c: detail_link("command-center", c)),
        Column(_("区划"), lambda c: c.region),
    ),
    detail_fields=lambda c, user: [
        (_("名称"), c.name),
        (_("区划"), detail_link("region", c.region)),
        (_("人员"), [person_link(p) for p in visible(c.staff.filter(status=PersonStatus.ACTIVE), user)]),
    ],
    detail_queryset=lambda: CommandCenter.objects.select_related("region"),
    icon="bi-broadcast",
)

ENTITIES = (REGION, DEPARTMENT, AGENCY, TEAM, ZONE, COMMAND_CENTER)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The county overview: its townships with agency, teams, zone, people and grid cells."""
    data = selectors.county_overview(request.user, _int(request.GET.get("county")))
    return render(
        request,
        "org/structure_overview.html",
        {
            "data": data,
            "entities": ENTITIES,
            "can_edit": user_can(request.user, Action.EDIT_ORG),
        },
    )
