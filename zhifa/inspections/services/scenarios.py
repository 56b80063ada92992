"""Writing scenarios (检查场景, issue 7 point 3): bundles of items across departments checked in one visit.

Who: policies.can_edit_catalogue keeps the county's scenarios; a department's team leader joins a
scenario with its own items and leaves it (can_edit_item on the department). Every write runs in one
transaction with exactly one record event (APL Art. 47); writes taking `version` refuse a stale one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode
from zhifa.core.record import record_event, snapshot
from zhifa.inspections import policies
from zhifa.inspections.models import Industry, InspectionItem, Scenario
from zhifa.inspections.services.catalogue import _bad, _bump, _text, _unique_code
from zhifa.org.models import Department, Region

SCENARIO_FIELDS = ("code", "name", "industries", "items", "lead_department", "description", "is_active")
SCENARIO_SCALARS = ("code", "name", "description", "is_active", "lead_department")


@dataclass
class ScenarioInput:
    """What a form or API call says about a scenario (its county comes from the caller)."""

    code: str = ""
    name: str = ""
    industries: list[Industry] = field(default_factory=list)
    items: list[InspectionItem] = field(default_factory=list)
    lead_department: Department | None = None
    description: str = ""
    is_active: bool = True


def _county_items(
    county: Region, items: Iterable[InspectionItem], industries: set[int]
) -> list[InspectionItem]:
    """Items of the county's departments, active, and applying to one of the scenario's industries
    (an item that applies to none of them would never be due on the joint visit)."""
    result = list(dict.fromkeys(items))
    for item in result:
        if item.department.region_id != county.pk:
            raise _bad(_("事项“%(name)s”不属于本县（区）。") % {"name": item.name}, "items")
        if not item.is_active:
            raise _bad(_("事项“%(name)s”已停用。") % {"name": item.name}, "items")
        if industries and not industries & {i.pk for i in item.industries.all()}:
            raise _bad(_("事项“%(name)s”不适用于本场景的行业。") % {"name": item.name}, "items")
    return result


def _check_scenario(county: Region, data: ScenarioInput, current: Scenario | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": _text(data.code, name="code", label=_("编码"), max_length=40),
        "name": _text(data.name, name="name", label=_("名称"), max_length=100),
        "description": _text(
            data.description, name="description", label=_("说明"), max_length=2000, required=False
        ),
        "is_active": bool(data.is_active),
    }
    duplicate = Scenario.objects.filter(county=county, code=values["code"])
    if current is not None:
        duplicate = duplicate.exclude(pk=current.pk)
    if duplicate.exists():
        raise _bad(_("场景编码“%(code)s”已存在。") % {"code": values["code"]}, "code", ErrorCode.DUPLICATE)
    industries = list(dict.fromkeys(data.industries or []))
    if not industries:
        raise _bad(_("请至少选择一个适用行业。"), "industries", ErrorCode.REQUIRED)
    values["industries"] = industries
    values["items"] = _county_items(county, data.items or [], {i.pk for i in industries})
    lead = data.lead_department
    if lead is not None and lead.region_id != county.pk:
        raise _bad(_("牵头部门须为本县（区）的部门。"), "lead_department")
    values["lead_department"] = lead
    return values


def _store_scenario(actor: Any, scenario: Scenario, values: dict, version: int | None) -> Scenario:
    with _unique_code(_("场景编码“%(code)s”已存在。"), values["code"]), transaction.atomic():
        before = None
        if scenario.pk is not None:
            scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
            before = snapshot(scenario, SCENARIO_FIELDS)
            _bump(Scenario, scenario, version, scenario.name)
        for name in SCENARIO_SCALARS:
            setattr(scenario, name, values[name])
        scenario.save()
        scenario.industries.set(values["industries"])
        scenario.items.set(values["items"])
        action = "inspections.scenario.create" if before is None else "inspections.scenario.update"
        record_event(
            actor=actor, action=action, obj=scenario, before=before, after=snapshot(scenario, SCENARIO_FIELDS)
        )
    return scenario


def _may_keep_scenarios(actor: Any, county: Region) -> None:
    if not policies.can_edit_catalogue(actor, county):
        raise _bad(_("无权维护本县（区）的检查场景。"), "county", ErrorCode.NOT_ALLOWED)


def scenario_create(*, actor: Any, county: Region, data: ScenarioInput) -> Scenario:
    """Create a scenario of the county (its catalogue keepers: policies.can_edit_catalogue)."""
    _may_keep_scenarios(actor, county)
    return _store_scenario(actor, Scenario(county=county), _check_scenario(county, data, None), None)


def scenario_update(*, actor: Any, scenario: Scenario, version: int, data: ScenarioInput) -> Scenario:
    """Change a scenario's fields and its whole item list (catalogue keepers)."""
    _may_keep_scenarios(actor, scenario.county)
    return _store_scenario(actor, scenario, _check_scenario(scenario.county, data, scenario), version)


def _membership(actor: Any, scenario: Scenario, department: Department | None) -> Department:
    if department is None:
        raise _bad(_("请选择部门。"), "department", ErrorCode.REQUIRED)
    if department.region_id != scenario.county_id:
        raise _bad(_("该部门不属于本场景所在县（区）。"), "department")
    if not policies.can_edit_item(actor, department):
        raise _bad(_("只有本部门的队长或管理员可以办理加入、退出场景。"), "department", ErrorCode.NOT_ALLOWED)
    return department


def _department_items(scenario: Scenario, department: Department) -> list[int]:
    return sorted(scenario.items.filter(department=department).values_list("pk", flat=True))


def scenario_join(
    *,
    actor: Any,
    scenario: Scenario,
    department: Department | None,
    items: Iterable[InspectionItem],
    version: int | None = None,
) -> Scenario:
    """A department joins a scenario with its own items (issue 7, point 3); joining again adds items.

    Its team leaders or administrators decide (policies.can_edit_item); the county's keepers may too.
    `version`, when given, refuses a stale page; the scenario's version is bumped either way.
    """
    department = _membership(actor, scenario, department)
    chosen = list(dict.fromkeys(items or []))
    if not chosen:
        raise _bad(_("请至少选择一个本部门的检查事项。"), "items", ErrorCode.REQUIRED)
    for item in chosen:
        if item.department_id != department.pk:
            raise _bad(_("事项“%(name)s”不是本部门的事项。") % {"name": item.name}, "items")
    industries = set(scenario.industries.values_list("pk", flat=True))
    chosen = _county_items(scenario.county, chosen, industries)
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if not scenario.is_active:
            raise _bad(_("该场景已停用，不能加入。"), "scenario", ErrorCode.INVALID_STATE)
        before = _department_items(scenario, department)
        added = [item for item in chosen if item.pk not in before]
        if not added:
            raise _bad(_("所选事项均已在该场景中。"), "items")
        _bump(Scenario, scenario, version, scenario.name)
        scenario.items.add(*added)
        record_event(
            actor=actor,
            action="inspections.scenario.join",
            obj=scenario,
            before={"department": department.pk, "items": before},
            after={"department": department.pk, "items": _department_items(scenario, department)},
        )
    return scenario


def scenario_leave(
    *, actor: Any, scenario: Scenario, department: Department | None, version: int | None = None
) -> Scenario:
    """A department leaves a scenario: all its items are taken out. The lead department cannot leave
    before another one takes the lead (a joint team needs an organiser)."""
    department = _membership(actor, scenario, department)
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if scenario.lead_department_id == department.pk:
            raise _bad(_("牵头部门不能退出场景，请先更换牵头部门。"), "department", ErrorCode.INVALID_STATE)
        before = _department_items(scenario, department)
        if not before:
            raise _bad(_("本部门没有事项在该场景中。"), "department", ErrorCode.INVALID_STATE)
        _bump(Scenario, scenario, version, scenario.name)
        scenario.items.remove(*before)
        record_event(
            actor=actor,
            action="inspections.scenario.leave",
            obj=scenario,
            before={"department": department.pk, "items": before},
            after={"department": department.pk, "items": []},
        )
    return scenario
