"""Catalogue services and pages: items, checklists, frequency rules, scenarios (issue 7, points 2 and 3).

Authorization matrix: role x object x action, including another county's objects by id (404).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.inspections.models import FrequencyMode, FrequencyRule, InspectionItem, Scenario
from zhifa.inspections.services.catalogue import (
    ItemInput,
    frequency_rules_set,
    item_create,
    item_update,
    validate_checklist,
)
from zhifa.inspections.services.scenarios import (
    ScenarioInput,
    scenario_create,
    scenario_join,
    scenario_leave,
    scenario_update,
)
from zhifa.org.models import RoleCode
from zhifa.powers.models import PowerItem, PowerType

pytestmark = pytest.mark.django_db

CHECKLIST = [{"point": "健康证明是否有效", "basis": "《食品安全法》第四十五条"}]
RULES = [
    {"risk_level": "A", "mode": "every"},
    {"risk_level": "B", "mode": "sample", "ratio": "0.3", "floor": "0.1"},
]


def _input(insp, key: str = "market", **changes) -> ItemInput:
    data = ItemInput(
        code=f"NEW-{key}",
        name="餐具消毒检查",
        department=insp.departments[key],
        power_item=insp.items["M1"].power_item if key == "market" else insp.items["S1"].power_item,
        domain=insp.items["M1"].domain if key == "market" else insp.items["S1"].domain,
        industries=[insp.industries["catering"]],
        checklist=CHECKLIST,
    )
    return replace(data, **changes)


def _admin(insp, county=None):
    return (county or insp.county).user(RoleCode.ADMIN, "county")


def _events(action: str) -> int:
    return Event.objects.filter(action=action).count()


# -- items ---------------------------------------------------------------------------------------------


def test_create_item_with_checklist_and_rules_writes_one_event(insp):
    item = item_create(actor=_admin(insp), data=_input(insp), rules=RULES)
    item.refresh_from_db()
    assert item.checklist == CHECKLIST and item.version == 1
    rules = {r.risk_level: r for r in item.frequency_rules.all()}
    assert rules["A"].mode == FrequencyMode.EVERY and rules["A"].ratio == 1
    assert rules["B"].ratio == Decimal("0.3") and rules["B"].floor == Decimal("0.1")
    assert _events("inspections.item.create") == 1


@pytest.mark.parametrize(
    ("who", "key", "allowed"),
    [
        ("admin", "market", True),
        ("justice", "market", True),
        ("market-leader", "market", True),
        ("market-leader", "safety", False),
        ("market-0", "market", False),
        ("township-admin", "market", False),
        ("other-admin", "market", False),
    ],
)
def test_item_create_matrix(insp, other_insp, who, key, allowed):
    actor = {
        "admin": _admin(insp),
        "justice": insp.county.user(RoleCode.JUSTICE_BUREAU, "county"),
        "township-admin": insp.county.user(RoleCode.ADMIN, "t0"),
        "other-admin": _admin(other_insp),
    }.get(who) or insp.user(who)
    if allowed:
        item_create(actor=actor, data=_input(insp, key))
        assert InspectionItem.objects.filter(code=f"NEW-{key}").exists()
    else:
        with pytest.raises(ServiceError) as err:
            item_create(actor=actor, data=_input(insp, key))
        assert err.value.code == ErrorCode.NOT_ALLOWED and err.value.field == "department"
        assert not InspectionItem.objects.filter(code=f"NEW-{key}").exists()
        assert _events("inspections.item.create") == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "code"),
        ({"name": " "}, "name"),
        ({"power_item": None}, "power_item"),
        ({"industries": []}, "industries"),
        ({"minutes": 0}, "minutes"),
        ({"checklist": [{"point": "台账", "basis": ""}]}, "checklist"),
        ({"checklist": [{"point": "", "basis": "《条例》第一条"}]}, "checklist"),
        ({"checklist": "not a list"}, "checklist"),
        ({"checklist": [{"point": f"要点{i}", "basis": "依据"} for i in range(51)]}, "checklist"),
        ({"checklist": [{"point": "同一要点", "basis": "依据"}] * 2}, "checklist"),
    ],
)
def test_item_input_errors_name_the_field(insp, changes, field):
    with pytest.raises(ServiceError) as err:
        item_create(actor=_admin(insp), data=_input(insp, **changes))
    assert err.value.field == field
    assert not InspectionItem.objects.filter(code="NEW-market").exists()


def test_power_item_must_be_an_inspection_and_checks_penalties(insp):
    penalty = PowerItem.objects.create(
        code="P-1",
        name="对无证经营的行政处罚",
        power_type=PowerType.PENALTY,
        original_subject="县市监",
        basis_text="x",
    )
    with pytest.raises(ServiceError) as err:
        item_create(actor=_admin(insp), data=_input(insp, power_item=penalty))
    assert err.value.field == "power_item"
    with pytest.raises(ServiceError) as err:
        item_create(actor=_admin(insp), data=_input(insp, checks=[insp.items["M1"].power_item]))
    assert err.value.field == "checks"
    item = item_create(actor=_admin(insp), data=_input(insp, power_item=None, checks=[penalty]))
    assert list(item.checks.all()) == [penalty]


def test_domain_must_be_the_departments_and_code_unique(insp):
    with pytest.raises(ServiceError) as err:
        item_create(actor=_admin(insp), data=_input(insp, domain=insp.items["S1"].domain))
    assert err.value.field == "domain"
    with pytest.raises(ServiceError) as err:
        item_create(actor=_admin(insp), data=_input(insp, code=insp.items["M1"].code))
    assert err.value.code == ErrorCode.DUPLICATE and err.value.field == "code"


def test_update_with_stale_version_is_refused(insp):
    item = insp.items["M1"]
    leader = insp.user("market-leader")
    item_update(actor=leader, item=item, version=1, data=_input(insp, code=item.code, name="食品经营检查"))
    item.refresh_from_db()
    assert item.version == 2 and item.name == "食品经营检查"
    with pytest.raises(ServiceError) as err:
        item_update(actor=leader, item=item, version=1, data=_input(insp, code=item.code, name="又改"))
    assert err.value.code == ErrorCode.CONFLICT
    item.refresh_from_db()
    assert item.name == "食品经营检查" and _events("inspections.item.update") == 1


def test_other_departments_leader_cannot_update(insp):
    with pytest.raises(ServiceError) as err:
        item_update(actor=insp.user("safety-leader"), item=insp.items["M1"], version=1, data=_input(insp))
    assert err.value.code == ErrorCode.NOT_ALLOWED


def test_validate_checklist_strips_and_keeps_order():
    rows = [{"point": " 甲 ", "basis": " 依据一 "}, {"point": "乙", "basis": "依据二"}]
    assert validate_checklist(rows) == [
        {"point": "甲", "basis": "依据一"},
        {"point": "乙", "basis": "依据二"},
    ]


# -- frequency rules -----------------------------------------------------------------------------------


def _rules(b_ratio: str = "0.3", b_floor: str = "0.1") -> list[dict]:
    return [
        {"risk_level": "A", "mode": "every", "floor": "1"},
        {"risk_level": "B", "mode": "sample", "ratio": b_ratio, "floor": b_floor},
        {"risk_level": "C", "mode": "sample", "ratio": "0.1", "floor": "0.05"},
        {"risk_level": "D", "mode": "sample", "ratio": "0.03", "floor": "0.01"},
    ]


def test_ratio_below_floor_is_refused_naming_the_field(insp):
    item = insp.items["M1"]
    with pytest.raises(ServiceError) as err:
        frequency_rules_set(actor=_admin(insp), item=item, version=1, rules=_rules("0.05"))
    assert err.value.field == "ratio_B"
    assert "抽查比例" in err.value.message and "5%" in err.value.message and "10%" in err.value.message
    assert item.frequency_rules.get(risk_level="B").ratio == Decimal("0.3")
    assert _events("inspections.item.rules") == 0


@pytest.mark.parametrize(("ratio", "field"), [("0", "ratio_B"), ("1.5", "ratio_B"), ("abc", "ratio_B")])
def test_ratio_out_of_range_is_refused(insp, ratio, field):
    with pytest.raises(ServiceError) as err:
        frequency_rules_set(actor=_admin(insp), item=insp.items["M1"], version=1, rules=_rules(ratio, "0"))
    assert err.value.field == field


def test_database_refuses_a_ratio_below_the_floor(insp):
    item = insp.items["M2"]
    with pytest.raises(IntegrityError), transaction.atomic():
        FrequencyRule.objects.filter(item=item, risk_level="B").update(ratio=Decimal("0.05"))


def test_department_leader_sets_ratio_but_not_the_floor(insp):
    leader, item = insp.user("market-leader"), insp.items["M1"]
    frequency_rules_set(actor=leader, item=item, version=1, rules=_rules("0.5"))
    assert item.frequency_rules.get(risk_level="B").ratio == Decimal("0.5")
    with pytest.raises(ServiceError) as err:
        frequency_rules_set(actor=leader, item=item, version=2, rules=_rules("0.05", "0.01"))
    assert err.value.field == "floor_B" and err.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(ServiceError) as err:  # dropping a level that has a floor is lowering it to zero
        frequency_rules_set(actor=leader, item=item, version=2, rules=_rules()[:3])
    assert err.value.field == "mode_D"
    # The county's keeper may lower the floor.
    frequency_rules_set(actor=_admin(insp), item=item, version=2, rules=_rules("0.05", "0.01"))
    item.refresh_from_db()
    assert item.version == 3 and item.frequency_rules.get(risk_level="B").floor == Decimal("0.01")
    assert _events("inspections.item.rules") == 2


def test_rules_with_stale_version_are_refused(insp):
    with pytest.raises(ServiceError) as err:
        frequency_rules_set(actor=_admin(insp), item=insp.items["M1"], version=7, rules=_rules())
    assert err.value.code == ErrorCode.CONFLICT


def test_officer_cannot_set_rules(insp):
    with pytest.raises(ServiceError) as err:
        frequency_rules_set(actor=insp.user("market-0"), item=insp.items["M1"], version=1, rules=_rules())
    assert err.value.code == ErrorCode.NOT_ALLOWED


# -- scenarios -----------------------------------------------------------------------------------------


def _scenario_input(insp, **changes) -> ScenarioInput:
    data = ScenarioInput(
        code="lodging",
        name="宾馆综合查一次",
        industries=[insp.industries["lodging"]],
        items=[insp.items["M2"], insp.items["S1"]],
        lead_department=insp.departments["safety"],
    )
    return replace(data, **changes)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("justice", True), ("market-leader", False), ("market-0", False), ("other", False)],
)
def test_scenario_create_matrix(insp, other_insp, who, allowed):
    actor = {
        "admin": _admin(insp),
        "justice": insp.county.user(RoleCode.JUSTICE_BUREAU, "county"),
        "other": _admin(other_insp),
    }.get(who) or insp.user(who)
    if allowed:
        scenario = scenario_create(actor=actor, county=insp.county.county, data=_scenario_input(insp))
        assert scenario.items.count() == 2 and _events("inspections.scenario.create") == 1
    else:
        with pytest.raises(ServiceError) as err:
            scenario_create(actor=actor, county=insp.county.county, data=_scenario_input(insp))
        assert err.value.code == ErrorCode.NOT_ALLOWED
        assert not Scenario.objects.filter(code="lodging").exists()


def test_scenario_items_must_fit_county_and_industry(insp, other_insp):
    admin = _admin(insp)
    with pytest.raises(ServiceError) as err:
        scenario_create(
            actor=admin, county=insp.county.county, data=_scenario_input(insp, items=[insp.items["M1"]])
        )
    assert err.value.field == "items"  # M1 (catering, retail) does not apply to lodging
    with pytest.raises(ServiceError) as err:
        data = _scenario_input(insp, items=[other_insp.items["M2"]])
        scenario_create(actor=admin, county=insp.county.county, data=data)
    assert err.value.field == "items"
    with pytest.raises(ServiceError) as err:
        scenario_create(actor=admin, county=insp.county.county, data=_scenario_input(insp, code="catering"))
    assert err.value.code == ErrorCode.DUPLICATE


def test_scenario_update_and_stale_version(insp):
    scenario, admin = insp.scenario, _admin(insp)
    data = _scenario_input(insp, code="catering", name="餐饮综合查", industries=[insp.industries["catering"]])
    data = replace(data, items=[insp.items["M1"], insp.items["U1"]])
    scenario_update(actor=admin, scenario=scenario, version=1, data=data)
    scenario.refresh_from_db()
    assert scenario.name == "餐饮综合查" and scenario.version == 2
    with pytest.raises(ServiceError) as err:
        scenario_update(actor=admin, scenario=scenario, version=1, data=data)
    assert err.value.code == ErrorCode.CONFLICT
    with pytest.raises(ServiceError) as err:
        scenario_update(actor=insp.user("market-leader"), scenario=scenario, version=2, data=data)
    assert err.value.code == ErrorCode.NOT_ALLOWED


def test_department_leader_leaves_and_joins_with_own_items(insp):
    scenario, leader = insp.scenario, insp.user("safety-leader")
    scenario_leave(actor=leader, scenario=scenario, department=insp.departments["safety"])
    assert not scenario.items.filter(department=insp.departments["safety"]).exists()
    with pytest.raises(ServiceError) as err:
        scenario_leave(actor=leader, scenario=scenario, department=insp.departments["safety"])
    assert err.value.code == ErrorCode.INVALID_STATE
    scenario_join(
        actor=leader, scenario=scenario, department=insp.departments["safety"], items=[insp.items["S1"]]
    )
    assert scenario.items.filter(pk=insp.items["S1"].pk).exists()
    scenario.refresh_from_db()
    assert scenario.version == 3
    assert _events("inspections.scenario.leave") == 1 and _events("inspections.scenario.join") == 1


@pytest.mark.parametrize(
    ("who", "department", "item", "field"),
    [
        ("market-leader", "safety", "S1", "department"),  # another department
        ("market-leader", "market", "S1", "items"),  # not own item
        ("market-0", "market", "M1", "department"),  # an officer
        ("safety-leader", "safety", "S2", "items"),  # S2 does not apply to catering
    ],
)
def test_join_refusals(insp, who, department, item, field):
    scenario = insp.scenario
    scenario.items.remove(insp.items["M1"], insp.items["S1"])
    with pytest.raises(ServiceError) as err:
        scenario_join(
            actor=insp.user(who),
            scenario=scenario,
            department=insp.departments[department],
            items=[insp.items[item]],
        )
    assert err.value.field == field
    assert _events("inspections.scenario.join") == 0


def test_other_county_leader_cannot_join(insp, other_insp):
    with pytest.raises(ServiceError) as err:
        scenario_join(
            actor=other_insp.user("market-leader"),
            scenario=insp.scenario,
            department=other_insp.departments["market"],
            items=[other_insp.items["M1"]],
        )
    assert err.value.field == "department"


def test_lead_department_cannot_leave(insp):
    scenario = insp.scenario
    scenario.lead_department = insp.departments["market"]
    scenario.save()
    with pytest.raises(ServiceError) as err:
        scenario_leave(
            actor=insp.user("market-leader"), scenario=scenario, department=insp.departments["market"]
        )
    assert err.value.code == ErrorCode.INVALID_STATE


def test_join_from_a_stale_page_is_refused(insp):
    scenario = insp.scenario
    scenario.items.remove(insp.items["S1"], insp.items["U1"])
    scenario_join(
        actor=insp.user("urban-leader"),
        scenario=scenario,
        department=insp.departments["urban"],
        items=[insp.items["U1"]],
        version=1,
    )
    with pytest.raises(ServiceError) as err:  # the safety leader's page still shows version 1
        scenario_join(
            actor=insp.user("safety-leader"),
            scenario=scenario,
            department=insp.departments["safety"],
            items=[insp.items["S1"]],
            version=1,
        )
    assert err.value.code == ErrorCode.CONFLICT
    assert not scenario.items.filter(pk=insp.items["S1"].pk).exists()


def test_department_leader_creates_items_without_setting_floors(insp):
    leader = insp.user("market-leader")
    with pytest.raises(ServiceError) as err:
        item_create(actor=leader, data=_input(insp), rules=RULES)
    assert err.value.field == "floor_B" and err.value.code == ErrorCode.NOT_ALLOWED
    assert not InspectionItem.objects.filter(code="NEW-market").exists()
    rules = [{"risk_level": "B", "mode": "sample", "ratio": "0.2"}]
    item = item_create(actor=leader, data=_input(insp), rules=rules)
    assert item.frequency_rules.get().floor == 0
