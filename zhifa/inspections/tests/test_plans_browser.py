"""Browser flow in Chromium: a county administrator creates a joint plan, reviews it and confirms it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhifa.inspections.models import JointPlan, PlanState, Subject, Visit
from zhifa.inspections.testing import build_inspection_world
from zhifa.org.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(county):
    insp = build_inspection_world(county)
    Subject.objects.exclude(industry=insp.industries["catering"]).update(is_active=False)
    return insp


def test_create_review_and_confirm_a_plan(page, world, browser_login):
    today = timezone.localdate()
    browser_login(page, world.county.user(RoleCode.ADMIN, "county").username)
    page.goto("/inspections/")
    page.click("[data-testid=link-plans]")
    page.click("[data-testid=plan-create]")
    page.fill("#id_title", "餐饮店综合查一次")
    page.select_option("#id_region", world.county.county.adcode)
    page.fill("#id_period_start", today.isoformat())
    page.fill("#id_period_end", (today - datetime.timedelta(days=1)).isoformat())
    page.fill(f"#id_capacity_{world.departments['market'].pk}", "20")
    page.click("[data-testid=plan-save]")
    assert page.inner_text("[data-testid=error-period_end]") == "期间止不能早于期间起。"
    page.fill("#id_period_end", (today + datetime.timedelta(days=45)).isoformat())
    page.click("[data-testid=plan-save]")
    page.wait_for_selector("[data-testid=plan-stats]")
    plan = JointPlan.objects.get()
    visits = page.inner_text("[data-testid=stat-visits]")
    assert visits == page.inner_text("[data-testid=stat-bound]") == str(plan.summary["visits"])
    assert int(page.inner_text("[data-testid=stat-baseline]")) > int(visits)
    assert page.inner_text("[data-testid=stat-reduction]").endswith("%")
    assert page.inner_text("[data-testid=plan-status]").startswith("最优")
    rows = page.locator("[data-testid=proposed-table] tbody tr")
    expect(rows).to_have_count(plan.summary["visits"])
    assert "餐饮店综合查一次" in page.inner_text("[data-testid=proposed-table]")
    market_row = page.locator(
        f"[data-testid=usage-table] tr[data-department='{world.departments['market'].pk}']"
    )
    assert "20.0" in market_row.inner_text()

    page.click("[data-testid=plan-confirm]")
    page.wait_for_selector("[data-testid=visit-table]")
    assert "计划已确定" in page.content()
    assert page.inner_text("[data-testid=plan-state]") == "已确定"
    links = page.locator("[data-testid=visit-table] tbody tr a")
    expect(links).to_have_count(plan.summary["visits"])
    first = Visit.objects.filter(plan=plan).order_by("planned_on", "id").first()
    assert links.first.get_attribute("href") == f"/inspections/visits/{first.pk}/"
    for cell in page.locator("[data-testid=visit-table] [data-testid=team-size]").all_inner_texts():
        assert int(cell) >= 2  # APL Art. 42
    plan.refresh_from_db()
    assert plan.state == PlanState.CONFIRMED
    assert not page.locator("[data-testid=plan-confirm]").count()


def test_plan_detail_fits_a_phone(phone_page, world, browser_login):
    from zhifa.inspections.services.plans import plan_create

    today = timezone.localdate()
    admin = world.county.user(RoleCode.ADMIN, "county")
    plan = plan_create(
        actor=admin,
        title="手机查看",
        region=world.county.county,
        period_start=today,
        period_end=today + datetime.timedelta(days=30),
        seed="phone",
    )
    browser_login(phone_page, admin.username)
    phone_page.goto(f"/inspections/plans/{plan.pk}/")
    phone_page.wait_for_selector("[data-testid=plan-stats]")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, width
    assert re.fullmatch(r"\d+", phone_page.inner_text("[data-testid=stat-visits]"))
    phone_page.goto("/inspections/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 380
