"""Browser flows in a real Chromium: login, role home pages, language switch, phone layout."""

from __future__ import annotations

import pytest

from zhifa.org.models import RoleCode
from zhifa.org.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_fails_then_succeeds_and_shows_role_home(page, county, browser_login):
    user = county.user(RoleCode.TEAM_LEADER, "t0")
    page.goto("/")
    assert "/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text("[data-testid=login-error]")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-role=team_leader]")
    assert page.locator("[data-role=officer]").count() == 0
    assert county.person(RoleCode.OFFICER, "t0").name in page.inner_text("[data-testid=team-members]")
    # Navigation offers what the role does, and nothing an administrator does.
    nav = page.inner_text("[data-testid=main-nav]")
    assert "工作台" in nav and "批量导入" not in nav


@pytest.mark.parametrize(
    ("role", "place"),
    [
        (RoleCode.ADMIN, "county"),
        (RoleCode.JUSTICE_BUREAU, "county"),
        (RoleCode.DISPATCHER, "county"),
        (RoleCode.GRID_WORKER, "t0"),
    ],
)
def test_role_home_pages(page, county, browser_login, role, place):
    browser_login(page, county.user(role, place).username)
    page.wait_for_selector(f"[data-role={role}]")
    assert page.locator("[data-testid=stat-people]").inner_text().strip().isdigit()


def test_language_switch_to_english_and_back(page, county, browser_login):
    browser_login(page, county.user(RoleCode.OFFICER, "t0").username)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.select_option("[data-testid=language-select]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Dashboard" in page.inner_text("[data-testid=main-nav]")
    page.select_option("[data-testid=language-select]", "zh-hans")
    page.wait_for_load_state("networkidle")
    assert "工作台" in page.inner_text("[data-testid=main-nav]")


def test_phone_layout_has_menu_button_and_no_horizontal_scroll(phone_page, county, browser_login):
    browser_login(phone_page, county.user(RoleCode.OFFICER, "t0").username)
    phone_page.wait_for_selector("[data-role=officer]")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert not phone_page.locator("[data-testid=main-nav]").is_visible()
    phone_page.click("button[aria-controls=zf-sidebar]")
    phone_page.wait_for_selector("[data-testid=main-nav] >> text=工作台", state="visible")
