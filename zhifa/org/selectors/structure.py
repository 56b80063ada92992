"""Reads of the organisation structure, always through data scoping (org.scoping.visible)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from zhifa.core.scoping import apply_scope
from zhifa.org.models import (
    Agency,
    AgencyKind,
    CommandCenter,
    Department,
    GridCell,
    Person,
    PersonStatus,
    Region,
    RegionLevel,
    Team,
    Zone,
)
from zhifa.org.models.structure import TOWNSHIP_LEVELS, adcode_prefix
from zhifa.org.scoping import scope_for, visible

TOWNSHIP_PREFIX = 9


def editable(queryset: QuerySet, user: Any) -> QuerySet:
    """Rows of `queryset` the user may change: their own area, without the county-wide directory view.

    Everyone in a county may read its directory (regions, agencies, zones), but a township's
    administrator changes only their township's rows; county administrators change the county's.
    """
    scope = scope_for(user)
    return apply_scope(queryset, dataclasses.replace(scope, county_prefixes=()))


def _search(queryset: QuerySet, q: str, *fields: str) -> QuerySet:
    q = (q or "").strip()
    if not q:
        return queryset
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": q})
    return queryset.filter(condition)


def region_list(user: Any, *, level: str = "", parent: Region | None = None, q: str = "") -> QuerySet[Region]:
    """Regions the user may read, by code, with their parent."""
    qs = visible(Region.objects.select_related("parent"), user)
    if level in RegionLevel.values:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return _search(qs, q, "name", "adcode").order_by("adcode")


def department_list(user: Any, *, q: str = "") -> QuerySet[Department]:
    """County departments the user may read, with their region, agency and domains."""
    qs = visible(Department.objects.select_related("region", "agency").prefetch_related("domains"), user)
    return _search(qs, q, "name", "short_name")


def agency_list(user: Any, *, kind: str = "", q: str = "") -> QuerySet[Agency]:
    """Legal subjects the user may read."""
    qs = visible(Agency.objects.select_related("region", "department"), user)
    if kind in AgencyKind.values:
        qs = qs.filter(kind=kind)
    return _search(qs, q, "name", "short_name", "uscc")


def team_list(user: Any, *, region: Region | None = None, q: str = "") -> QuerySet[Team]:
    """Enforcement teams the user may read, with their member counts."""
    qs = visible(Team.objects.select_related("agency", "region", "parent"), user)
    if region is not None:
        qs = qs.filter(region__adcode__under=region.prefix)
    qs = qs.annotate(
        member_count=Count("members", filter=Q(members__status=PersonStatus.ACTIVE), distinct=True)
    )
    # An aggregate drops Meta.ordering: order explicitly, so pages are stable.
    return _search(qs, q, "name", "agency__name").order_by("region__adcode", "name", "id")


def zone_list(user: Any, *, q: str = "") -> QuerySet[Zone]:
    """Zones the user may read, with townships, leader and deputy."""
    qs = visible(
        Zone.objects.select_related("county", "leader", "deputy").prefetch_related("townships"), user
    )
    return _search(qs, q, "name")


def command_center_list(user: Any, *, q: str = "") -> QuerySet[CommandCenter]:
    """Command centres the user may read."""
    return _search(visible(CommandCenter.objects.select_related("region"), user), q, "name")


def counties_visible(user: Any) -> QuerySet[Region]:
    """The counties whose directory the user may read."""
    return visible(Region.objects.filter(level=RegionLevel.COUNTY), user).order_by("adcode")


@dataclass
class TownshipRow:
    region: Region
    agencies: list[Agency] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    people: int = 0
    grid_cells: int = 0


@dataclass
class CountyOverview:
    county: Region
    counties: list[Region]
    townships: list[TownshipRow]
    departments: int
    people: int
    grid_cells: int


def _counts_by_township(queryset: QuerySet, path: str) -> dict[str, int]:
    rows = (
        queryset.order_by()
        .values(township=Substr(path, 1, TOWNSHIP_PREFIX))
        .annotate(n=Count("id"))
        .values_list("township", "n")
    )
    return dict(rows)


def county_overview(user: Any, county_id: int | None = None) -> CountyOverview | None:
    """A county's townships with their agency, team, zone and counts of people and grid cells.

    A fixed number of queries whatever the number of townships (counts are grouped in SQL by the
    township's 9-digit code prefix). Counts are scoped: a township user counts only what they may read.
    """
    counties = list(counties_visible(user))
    if not counties:
        return None
    county = next((c for c in counties if c.pk == county_id), counties[0])
    prefix = adcode_prefix(county.adcode, RegionLevel.COUNTY)
    townships = list(
        visible(Region.objects.filter(parent=county, level__in=TOWNSHIP_LEVELS), user).order_by("adcode")
    )
    rows = {t.adcode[:TOWNSHIP_PREFIX]: TownshipRow(region=t) for t in townships}
    agencies = visible(
        Agency.objects.filter(region__in=townships, kind=AgencyKind.TOWNSHIP_GOVERNMENT).select_related(
            "region"
        ),
        user,
    )
    for agency in agencies:
        rows[agency.region.adcode[:TOWNSHIP_PREFIX]].agencies.append(agency)
    teams = visible(Team.objects.filter(region__adcode__under=prefix).select_related("region"), user)
    for team in teams.order_by("name"):
        row = rows.get(team.region.adcode[:TOWNSHIP_PREFIX])
        if row is not None:
            row.teams.append(team)
    memberships = Zone.townships.through.objects.filter(
        region__in=townships, zone__in=visible(Zone.objects.all(), user)
    ).select_related("zone", "region")
    for membership in memberships:
        rows[membership.region.adcode[:TOWNSHIP_PREFIX]].zones.append(membership.zone)
    people = visible(Person.objects.filter(region__adcode__under=prefix, status=PersonStatus.ACTIVE), user)
    for key, n in _counts_by_township(people, "region__adcode").items():
        if key in rows:
            rows[key].people = n
    cells = visible(GridCell.objects.filter(region__adcode__under=prefix), user)
    for key, n in _counts_by_township(cells, "region__adcode").items():
        if key in rows:
            rows[key].grid_cells = n
    departments = visible(Department.objects.filter(region=county), user).count()
    return CountyOverview(
        county=county,
        counties=counties,
        townships=list(rows.values()),
        departments=departments,
        people=people.count(),
        grid_cells=cells.count(),
    )
