"""Reads of joint plans: lists and details through data scoping, proposed visits resolved in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from zhifa.inspections.models import InspectionItem, JointPlan, Scenario, Subject, Visit
from zhifa.inspections.policies import can_plan
from zhifa.org.models import Department, Region, RegionLevel
from zhifa.org.scoping import get_visible_or_404, person_of, scope_for, visible


def county_of(region: Region) -> Region:
    """The county a county- or township-level region belongs to (its code ends in six zeros)."""
    if region.level == RegionLevel.COUNTY:
        return region
    return Region.objects.get(adcode=region.adcode[:6] + "000000")


def plan_departments(county: Region) -> list[Department]:
    """Departments of the county with active inspection items (the ones a plan can send)."""
    return list(
        Department.objects.filter(region=county, inspection_items__is_active=True).distinct().order_by("name")
    )


def plans_visible(user: Any, state: str = "") -> QuerySet[JointPlan]:
    """Plans the user may read (JointPlan.scope_rule: the plan's region), newest period first."""
    queryset = visible(JointPlan.objects.select_related("region"), user)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-period_start", "-id")


def plan_detail(user: Any, pk: int) -> JointPlan:
    """One plan the user may read, else 404 (another county's plan by id included)."""
    return get_visible_or_404(JointPlan.objects.select_related("region", "created_by__person"), user, pk=pk)


def plannable_regions(user: Any) -> list[Region]:
    """The county and townships of the user's county where they may plan and would see the plan.

    Reading a plan goes by its region (JointPlan.scope_rule), so a region outside the user's reading
    scope is not offered: a plan they could not open afterwards would help nobody.
    """
    person = person_of(user)
    if person is None and not getattr(user, "is_superuser", False):
        return []
    regions = Region.objects.filter(
        level__in=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET)
    ).order_by("adcode")
    if person is not None:
        regions = regions.filter(adcode__startswith=person.region.adcode[:6])
    scope = scope_for(user)
    return [
        r
        for r in regions
        if can_plan(user, r)
        and (scope.everything or any(r.adcode.startswith(p) for p in scope.region_prefixes))
    ]


@dataclass(frozen=True)
class ProposedRow:
    subject: Subject | None
    scenario: Scenario | None
    departments: list[Department]
    items: list[InspectionItem]
    team: int


def proposed_rows(plan: JointPlan, rows: list[dict]) -> list[ProposedRow]:
    """Resolve proposed visits (summary rows) to objects in four queries whatever their number."""
    subjects = Subject.objects.select_related("township").in_bulk({r["subject"] for r in rows})
    scenarios = Scenario.objects.in_bulk({r["scenario"] for r in rows if r.get("scenario")})
    departments = Department.objects.in_bulk({d for r in rows for d in r["departments"]})
    items = InspectionItem.objects.in_bulk({i for r in rows for i in r["items"]})
    return [
        ProposedRow(
            subject=subjects.get(r["subject"]),
            scenario=scenarios.get(r["scenario"]) if r.get("scenario") else None,
            departments=[departments[d] for d in r["departments"] if d in departments],
            items=[items[i] for i in r["items"] if i in items],
            team=r["team"],
        )
        for r in rows
    ]


def plan_visits(plan: JointPlan) -> QuerySet[Visit]:
    """The visits a confirmed plan created, with subject, scenario, organiser and team size."""
    return (
        Visit.objects.filter(plan=plan)
        .select_related("subject", "scenario", "agency")
        .annotate(team_size=Count("inspectors", distinct=True), item_count=Count("items", distinct=True))
        .order_by("planned_on", "id")
    )


def usage_rows(plan: JointPlan) -> list[dict]:
    """Officer-days per department against capacity, with the share used (for the bar)."""
    rows = []
    for row in plan.summary.get("usage") or []:
        capacity = row.get("capacity")
        share = min(100, round(100 * row["used"] / capacity)) if capacity else None
        rows.append({**row, "share": share, "over": bool(row.get("short"))})
    return rows
