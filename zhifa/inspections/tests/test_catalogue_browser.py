"""Catalogue flows in Chromium: an item with checklist and rules (a ratio below the floor is refused on its
field, in Chinese), and a department's team leader joining and leaving a scenario on a phone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from zhifa.core.models import Event
from zhifa.inspections.models import InspectionItem
from zhifa.org.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_an_item_with_checklist_and_rules(page, insp, browser_login):
    browser_login(page, insp.county.user(RoleCode.ADMIN, "county").username)
    page.goto("/inspections/catalogue/items/")
    expect(page.locator("[data-testid=item-table] tbody tr[data-item]")).to_have_count(5)
    page.click("[data-testid=item-create]")
    page.fill("#id_code", "M9")
    page.fill("#id_name", "餐具清洗消毒检查")
    page.select_option("#id_department", label=insp.departments["market"].name)
    page.select_option("#id_domain", label="市场监管")
    page.fill("#id_power_item", insp.items["M1"].power_item.code)
    page.check(f"input[name=industries][value='{insp.industries['catering'].pk}']")
    points, bases = page.locator("input[name=point]"), page.locator("input[name=basis]")
    points.nth(0).fill("餐具是否清洗消毒")
    bases.nth(0).fill("《食品安全法》第三十三条")
    points.nth(1).fill("消毒记录是否完整")
    bases.nth(1).fill("《食品安全法》第五十四条")
    page.click("[data-testid=add-point]")
    expect(points).to_have_count(4)
    page.select_option("#id_mode_A", "every")
    page.fill("#id_floor_A", "100")
    page.select_option("#id_mode_B", "sample")
    page.fill("#id_ratio_B", "5")
    page.fill("#id_floor_B", "10")
    page.click("[data-testid=save]")
    # The ratio below the floor is refused on its field, in Chinese, and nothing is saved.
    error = page.locator("[data-testid=error-ratio_B]")
    expect(error).to_have_text("风险等级B的抽查比例（5%）不能低于比例下限（10%）。")
    assert not InspectionItem.objects.filter(code="M9").exists()
    assert page.locator("input[name=point]").nth(1).input_value() == "消毒记录是否完整"  # nothing retyped
    page.fill("#id_ratio_B", "30")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=item-name]")).to_have_text("餐具清洗消毒检查")
    expect(page.locator("[data-testid=checklist] li")).to_have_count(2)
    assert "《食品安全法》第五十四条" in page.inner_text("[data-testid=checklist]")
    expect(page.locator("[data-testid=item-rules] [data-level=B]")).to_have_text("B 30%")
    item = InspectionItem.objects.get(code="M9")
    assert item.frequency_rules.get(risk_level="B").floor == Decimal("0.1")
    assert Event.objects.filter(action="inspections.item.create").count() == 1

    # The same refusal on the item page's rules form.
    page.fill("#id_ratio_B", "2.5")
    page.click("[data-testid=rules-save]")
    expect(page.locator("[data-testid=error-ratio_B]")).to_contain_text("抽查比例（2.5%）不能低于比例下限")
    assert item.frequency_rules.get(risk_level="B").ratio == Decimal("0.3")


def test_department_leader_joins_and_leaves_a_scenario_on_a_phone(phone_page, insp, browser_login):
    page = phone_page
    scenario, safety = insp.scenario, insp.departments["safety"]
    scenario.items.remove(insp.items["S1"])  # the safety department is not in the scenario yet
    browser_login(page, insp.user("safety-leader").username)
    page.goto("/inspections/catalogue/scenarios/")
    card = page.locator(f"[data-scenario='{scenario.pk}']")
    expect(card.locator("[data-testid=department-count]")).to_have_text("2 个部门")
    card.locator("a").first.click()
    membership = page.locator(f"[data-testid=membership-{safety.pk}]")
    # S2 (lodging, retail) cannot serve a catering visit, so only S1 is offered.
    expect(membership.locator("input[name=items]")).to_have_count(1)
    membership.locator(f"input[name=items][value='{insp.items['S1'].pk}']").check()
    membership.locator("[data-testid=join]").click()
    expect(page.locator(f"[data-testid=scenario-groups] [data-department='{safety.pk}']")).to_contain_text(
        "燃气使用安全检查"
    )
    expect(page.locator("[data-testid=department-count]")).to_have_text("3")
    assert scenario.items.filter(pk=insp.items["S1"].pk).exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits 375px

    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f"[data-testid=membership-{safety.pk}] [data-testid=leave]").click()
    expect(page.locator(f"[data-testid=scenario-groups] [data-department='{safety.pk}']")).to_have_count(0)
    assert not scenario.items.filter(department=safety).exists()
    assert Event.objects.filter(action__startswith="inspections.scenario.").count() == 2


def test_officer_sees_the_scenario_without_join(page, insp, browser_login):
    browser_login(page, insp.user("market-0").username)
    page.goto(f"/inspections/catalogue/scenarios/{insp.scenario.pk}/")
    expect(page.locator("[data-testid=scenario-groups]")).to_contain_text("明码标价检查")
    expect(page.locator("[data-testid=join-form]")).to_have_count(0)
    expect(page.locator("[data-testid=scenario-edit]")).to_have_count(0)
