"""Catalogue services and pages: items, checklists, frequency rules, scenarios (issue 7, points 2 and 3).

Authorization matrix: role x object x action, including another county's objects by id (404).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


# -- pages ---------------------------------------------------------------------------------------------


def _client(client, user):
    client.force_login(user)
    return client


def test_other_countys_objects_by_id_give_404(client, insp, other_insp):
    _client(client, _admin(insp))
    item, scenario = other_insp.items["M1"], other_insp.scenario
    for name, pk in [
        ("inspections-item-detail", item.pk),
        ("inspections-item-edit", item.pk),
        ("inspections-scenario-detail", scenario.pk),
        ("inspections-scenario-edit", scenario.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, pk in [
        ("inspections-item-rules", item.pk),
        ("inspections-scenario-join", scenario.pk),
        ("inspections-scenario-leave", scenario.pk),
    ]:
        assert client.post(reverse(name, args=[pk]), {"version": 1}).status_code == 404, name
    assert Event.objects.count() == 0


def test_officer_reads_but_may_not_edit(client, insp):
    _client(client, insp.user("market-0"))
    item = insp.items["M1"]
    page = client.get(reverse("inspections-item-detail", args=[item.pk]))
    assert page.status_code == 200 and "制度是否健全" in page.content.decode()
    assert 'data-testid="rules-form"' not in page.content.decode()
    assert (
        'data-testid="join-form"'
        not in client.get(reverse("inspections-scenario-detail", args=[insp.scenario.pk])).content.decode()
    )
    assert client.get(reverse("inspections-item-edit", args=[item.pk])).status_code == 403
    assert client.get(reverse("inspections-item-create")).status_code == 403
    assert client.post(reverse("inspections-item-rules", args=[item.pk]), {"version": 1}).status_code == 403
    assert client.get(reverse("inspections-scenario-create")).status_code == 403
    post = {"department": insp.departments["market"].pk, "items": [item.pk]}
    assert client.post(reverse("inspections-scenario-join", args=[insp.scenario.pk]), post).status_code == 403
    assert Event.objects.count() == 0


def test_grid_worker_sees_no_catalogue(client, insp):
    _client(client, insp.county.user(RoleCode.GRID_WORKER, "t0"))
    assert client.get(reverse("inspections-item-list")).status_code == 403
    assert client.get(reverse("inspections-scenario-list")).status_code == 403


def test_rules_page_shows_floor_error_on_the_field(client, insp):
    _client(client, _admin(insp))
    item = insp.items["M1"]
    page = client.get(reverse("inspections-item-detail", args=[item.pk])).content.decode()
    assert 'name="ratio_B" value="30"' in page and 'name="floor_A" value="100"' in page  # percent, not 3E+1
    post = {
        "version": 1,
        "mode_A": "every",
        "floor_A": "100",
        "mode_B": "sample",
        "ratio_B": "5",
        "floor_B": "10",
    }
    page = client.post(reverse("inspections-item-rules", args=[item.pk]), post)
    assert page.status_code == 200
    assert 'data-testid="error-ratio_B"' in page.content.decode()
    assert item.frequency_rules.get(risk_level="B").ratio == Decimal("0.3")


def test_item_list_filters(client, insp):
    _client(client, insp.user("market-0"))
    url = reverse("inspections-item-list")
    assert client.get(url).content.decode().count("data-item=") == 5
    page = client.get(url, {"department": insp.departments["safety"].pk}).content.decode()
    assert page.count("data-item=") == 2
    assert client.get(url, {"industry": "lodging"}).content.decode().count("data-item=") == 3
    assert client.get(url, {"q": "燃气"}).content.decode().count("data-item=") == 1


def _make_items(insp, n: int) -> None:
    for i in range(n):
        item = InspectionItem.objects.create(
            code=f"Q{i}",
            name=f"事项{i}",
            department=insp.departments["urban"],
            domain=insp.items["U1"].domain,
        )
        item.industries.set([insp.industries["retail"]])
        FrequencyRule.objects.create(item=item, risk_level="A", mode="every")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(client, insp):
    _client(client, insp.user("market-leader"))
    items_url, scenarios_url = reverse("inspections-item-list"), reverse("inspections-scenario-list")
    _make_items(insp, 2)
    few_items, few_scenarios = _count(client, items_url), _count(client, scenarios_url)
    for code in [f"R{i}" for i in range(8)]:
        item = InspectionItem.objects.create(
            code=code, name=code, department=insp.departments["safety"], domain=insp.items["S1"].domain
        )
        item.industries.set([insp.industries["retail"]])
    for i in range(9):
        scenario = Scenario.objects.create(code=f"s{i}", name=f"场景{i}", county=insp.county.county)
        scenario.items.set([insp.items["M2"], insp.items["S2"]])
    assert _count(client, items_url) == few_items
    assert _count(client, scenarios_url) == few_scenarios


PAGE_USERS = {
    "admin": lambda insp, other: _admin(insp),
    "market-leader": lambda insp, other: insp.user("market-leader"),
    "market-0": lambda insp, other: insp.user("market-0"),
    "township-admin": lambda insp, other: insp.county.user(RoleCode.ADMIN, "t0"),
    "other-admin": lambda insp, other: _admin(other),
}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "admin",
            {"edit-M1": 200, "edit-S1": 200, "create": 200, "scenario-edit": 200, "scenario-create": 200},
        ),
        (
            "market-leader",
            {"edit-M1": 200, "edit-S1": 403, "create": 200, "scenario-edit": 403, "scenario-create": 403},
        ),
        (
            "market-0",
            {"edit-M1": 403, "edit-S1": 403, "create": 403, "scenario-edit": 403, "scenario-create": 403},
        ),
        (
            "township-admin",
            {"edit-M1": 403, "edit-S1": 403, "create": 403, "scenario-edit": 403, "scenario-create": 403},
        ),
        (
            "other-admin",
            {"edit-M1": 404, "edit-S1": 404, "create": 200, "scenario-edit": 404, "scenario-create": 200},
        ),
    ],
)
def test_page_matrix(client, insp, other_insp, who, expected):
    _client(client, PAGE_USERS[who](insp, other_insp))
    urls = {
        "edit-M1": reverse("inspections-item-edit", args=[insp.items["M1"].pk]),
        "edit-S1": reverse("inspections-item-edit", args=[insp.items["S1"].pk]),
        "create": reverse("inspections-item-create"),
        "scenario-edit": reverse("inspections-scenario-edit", args=[insp.scenario.pk]),
        "scenario-create": reverse("inspections-scenario-create"),
    }
    got = {name: client.get(url).status_code for name, url in urls.items()}
    assert got == expected
    if got["create"] == 200:  # the departments offered are the user's own county's only
        offered = set(client.get(urls["create"]).context["form"].fields["department"].queryset)
        assert bool(offered & set(insp.departments.values())) == (who != "other-admin")


def test_item_edit_page_saves_checklist_and_refuses_bad_rows(client, insp):
    _client(client, insp.user("market-leader"))
    item = insp.items["M1"]
    url = reverse("inspections-item-edit", args=[item.pk])
    form = client.get(url).context["form"]
    post = {name: form.initial.get(name) for name in ("code", "name", "department", "domain", "minutes")}
    post |= {"power_item": item.power_item.code, "checks": "", "industries": form.initial["industries"]}
    post |= {
        "is_active": "on",
        "version": 1,
        "point": ["进货查验", "索证索票"],
        "basis": ["《食品安全法》第五十三条", ""],
    }
    page = client.post(url, post)
    assert page.status_code == 200 and 'data-testid="error-checklist"' in page.content.decode()
    assert "第2条检查要点的法律依据不能为空" in page.content.decode()
    item.refresh_from_db()
    assert item.version == 1 and len(item.checklist) == 2 and "进货查验" not in str(item.checklist)
    post["basis"] = ["《食品安全法》第五十三条", "《食品安全法》第五十三条"]
    assert client.post(url, post).status_code == 302
    item.refresh_from_db()
    assert [row["point"] for row in item.checklist] == ["进货查验", "索证索票"] and item.version == 2
    page = client.post(url, post)  # the same page again: version 1 is stale
    assert "已被他人修改" in page.content.decode()


def test_scenario_pages_create_and_htmx_list(client, insp):
    _client(client, _admin(insp))
    post = {
        "code": "lodging",
        "name": "宾馆综合查一次",
        "industries": [insp.industries["lodging"].pk],
        "items": [insp.items["M2"].pk, insp.items["S2"].pk],
        "lead_department": insp.departments["safety"].pk,
        "is_active": "on",
    }
    assert client.post(reverse("inspections-scenario-create"), post).status_code == 302
    scenario = Scenario.objects.get(code="lodging")
    assert scenario.county == insp.county.county and scenario.items.count() == 2
    post["items"] = [insp.items["M1"].pk]  # not for lodging
    page = client.post(reverse("inspections-scenario-create"), post | {"code": "x"}).content.decode()
    assert 'data-testid="error-items"' in page and not Scenario.objects.filter(code="x").exists()
    partial = client.get(reverse("inspections-scenario-list"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and partial.count("data-scenario=") == 2


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
