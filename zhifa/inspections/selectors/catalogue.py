"""Reading the inspection catalogue: items with their rules, scenarios grouped by department.

Items and scenarios are the county's reference data (ScopeRule directory=True): everyone in the county
reads them through org.scoping.visible; another county's item or scenario by id gives 404. Queries per
list page do not depend on the number of rows (prefetches, not per-row queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from zhifa.inspections import policies
from zhifa.inspections.models import FrequencyRule, Industry, InspectionItem, Scenario
from zhifa.inspections.models.subjects import RiskLevel
from zhifa.inspections.services.catalogue import percent
from zhifa.org.models import Department, Region, RegionLevel
from zhifa.org.scoping import get_visible_or_404, person_of, visible
from zhifa.org.selectors.people import PAGE_SIZE_DEFAULT, clamp_page_size

MAX_TERMS = 5


def _items() -> QuerySet[InspectionItem]:
    return InspectionItem.objects.select_related("department", "domain", "power_item").prefetch_related(
        Prefetch("frequency_rules", queryset=FrequencyRule.objects.order_by("risk_level")), "industries"
    )


def rules_by_level(item: InspectionItem) -> list[tuple[str, FrequencyRule | None]]:
    """(level, rule or None) for A..D, from the prefetched rules (no query)."""
    rules = {rule.risk_level: rule for rule in item.frequency_rules.all()}
    for rule in rules.values():
        rule.ratio_pct, rule.floor_pct = percent(rule.ratio), percent(rule.floor)
    return [(level, rules.get(level)) for level in RiskLevel.values]


def item_list(
    user: Any,
    *,
    department: str | None = None,
    industry: str | None = None,
    q: str | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = PAGE_SIZE_DEFAULT,
) -> Page:
    """One page of the items the user may read. department: a Department id; industry: an Industry
    code; q: words each found in the item's code, name or power item. Unknown values match nothing."""
    items = visible(_items(), user)
    if department:
        items = items.filter(department_id=department) if str(department).isdigit() else items.none()
    if industry:
        items = items.filter(industries__code=industry)
    for term in (q or "").split()[:MAX_TERMS]:
        items = items.filter(
            Q(code__icontains=term) | Q(name__icontains=term) | Q(power_item__name__icontains=term)
        )
    items = items.distinct().order_by("department__name", "code", "pk")
    result = Paginator(items, clamp_page_size(page_size)).get_page(page)
    for item in result.object_list:
        item.rule_cells = rules_by_level(item)
    return result


def item_filter_options(user: Any) -> dict[str, Any]:
    """Departments (of the user's county, with items) and industries for the list's filters."""
    departments = visible(Department.objects.all(), user).filter(inspection_items__isnull=False).distinct()
    return {"departments": list(departments.order_by("name")), "industries": list(Industry.objects.all())}


def item_detail(user: Any, pk: int) -> InspectionItem:
    """One item the user may read (404 otherwise), with rules, checks, industries and scenarios."""
    item = get_visible_or_404(_items().prefetch_related("checks", "scenarios"), user, pk=pk)
    item.rule_cells = rules_by_level(item)
    return item


def user_county(user: Any) -> Region | None:
    """The county of the user's person (where a new scenario belongs)."""
    person = person_of(user)
    if person is None:
        return None
    return Region.objects.filter(adcode=person.region.adcode[:6] + "000000", level=RegionLevel.COUNTY).first()


def editable_departments(user: Any) -> list[Department]:
    """Departments of the user's county whose items the user may keep (policies.can_edit_item)."""
    departments = visible(Department.objects.select_related("region", "agency"), user).order_by("name")
    return [d for d in departments if policies.can_edit_item(user, d)]


@dataclass
class DepartmentGroup:
    department: Department
    items: list[InspectionItem]


def group_by_department(items: list[InspectionItem]) -> list[DepartmentGroup]:
    groups: dict[int, DepartmentGroup] = {}
    for item in sorted(items, key=lambda i: (i.department.name, i.code)):
        groups.setdefault(item.department_id, DepartmentGroup(item.department, [])).items.append(item)
    return list(groups.values())


def _scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.select_related("county", "lead_department").prefetch_related(
        Prefetch("items", queryset=InspectionItem.objects.select_related("department")), "industries"
    )


def scenario_list(
    user: Any, *, q: str | None = None, page: int | str | None = 1, page_size: int | str | None = None
) -> Page:
    """One page of the scenarios the user may read, each with `groups` (items by department)."""
    scenarios = visible(_scenarios(), user).annotate(
        department_count=Count("items__department", distinct=True)
    )
    for term in (q or "").split()[:MAX_TERMS]:
        scenarios = scenarios.filter(Q(code__icontains=term) | Q(name__icontains=term))
    result = Paginator(
        scenarios.order_by("county__adcode", "code", "pk"), clamp_page_size(page_size)
    ).get_page(page)
    for scenario in result.object_list:
        scenario.groups = group_by_department(list(scenario.items.all()))
    return result


def scenario_detail(user: Any, pk: int) -> Scenario:
    """One scenario the user may read (404 otherwise), with `groups` of its items by department."""
    scenario = get_visible_or_404(_scenarios(), user, pk=pk)
    scenario.groups = group_by_department(list(scenario.items.all()))
    return scenario


def membership_choices(user: Any, scenario: Scenario) -> list[dict[str, Any]]:
    """For each department of the scenario's county the user may act for: its items that could join
    (active, for one of the scenario's industries, not yet in it) and whether it is in (so it may leave)."""
    inside = {item.pk for item in scenario.items.all()}
    member_departments = {item.department_id for item in scenario.items.all()}
    departments = [d for d in editable_departments(user) if d.region_id == scenario.county_id]
    if not departments:
        return []
    items = InspectionItem.objects.filter(department__in=departments, is_active=True)
    industries = [i.pk for i in scenario.industries.all()]
    if industries:  # an item for none of the scenario's industries would never be due on its visit
        items = items.filter(industries__in=industries).distinct()
    items = list(items.order_by("code"))
    result = []
    for department in departments:
        own = [item for item in items if item.department_id == department.pk]
        joinable = [item for item in own if item.pk not in inside]
        if joinable or department.pk in member_departments:  # nothing to offer a department without items
            member = department.pk in member_departments
            result.append({"department": department, "joinable": joinable, "member": member})
    return result


def scenario_item_choices(county: Region) -> QuerySet[InspectionItem]:
    """Items a scenario of the county may bundle (the county's active items)."""
    return (
        InspectionItem.objects.filter(department__region=county, is_active=True)
        .select_related("department")
        .order_by("department__name", "code")
    )
