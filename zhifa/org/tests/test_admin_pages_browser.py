"""Browser flows for the administrator's pages: people filter, number templates, the record and its check."""

from __future__ import annotations

import pytest

from zhifa.org.models import NumberTemplate, RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_people_list_filters_by_township(page, county, browser_login):
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    page.goto("/org/people/")
    page.select_option("#f-region", county.townships[1].adcode)
    page.click("[data-testid=people-filters] button[type=submit]")
    page.wait_for_load_state("networkidle")
    table = page.inner_text("[data-testid=people-table]")
    assert county.person(RoleCode.OFFICER, "t1").name in table
    assert county.person(RoleCode.OFFICER, "t0").name not in table


def test_number_template_edit_shows_error_then_saves(page, county, browser_login):
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    agency = county.township_agencies[0]
    page.goto(f"/org/numbering/?agency={agency.pk}")
    field = page.locator("input[data-doc-type=penalty_decision]")
    field.fill("{agency}罚决字第{seq}号")
    field.locator("xpath=..").locator("button").click()
    page.wait_for_selector("[data-testid=template-error]")
    assert not NumberTemplate.objects.exists()
    field = page.locator("input[data-doc-type=penalty_decision]")
    field.fill("{agency}综执罚决字〔{year}〕第{seq}号")
    field.locator("xpath=..").locator("button").click()
    page.wait_for_load_state("networkidle")
    assert "文号模板已保存" in page.content()
    assert f"{agency.short_name}综执罚决字〔" in page.inner_text("[data-testid=template-table]")
    assert NumberTemplate.objects.get(agency=agency).template == "{agency}综执罚决字〔{year}〕第{seq}号"


def test_record_page_lists_events_and_verifies_chain(page, county, browser_login):
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    agency = county.township_agencies[0]
    page.goto(f"/org/numbering/?agency={agency.pk}")
    field = page.locator("input[data-doc-type=filing]")
    field.fill("{agency}立〔{year}〕{seq}号")
    field.locator("xpath=..").locator("button").click()
    page.wait_for_load_state("networkidle")
    page.goto("/record/")
    assert "number_template.set" in page.inner_text("[data-testid=record-table]")
    page.click("[data-testid=record-verify]")
    result = page.locator("[data-testid=verify-result]")
    assert result.get_attribute("data-ok") == "true"


def test_admin_creates_person_with_account_who_then_logs_in(page, county, browser_login):
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    page.goto("/org/people/new/")
    page.fill("#id_name", "新来的执法员")
    page.select_option("#id_region", str(county.townships[0].pk))
    page.select_option("#id_agency", str(county.township_agencies[0].pk))
    page.check("input[name=roles][value=officer]")
    page.fill("#id_username", "bad name")
    page.click("[data-testid=save]")
    assert "只能包含字母" in page.inner_text("[data-testid=account-fields]")
    page.fill("#id_username", "xin.officer")
    page.fill("#id_password", "Tough-Pass-2026!")
    page.click("[data-testid=save]")
    page.wait_for_url("**/org/people/*/")
    assert "新来的执法员" in page.inner_text("main")
    page.context.clear_cookies()
    browser_login(page, "xin.officer", "Tough-Pass-2026!")
    page.wait_for_selector("[data-role=officer]")
