"""Entering next year's holiday table in a real browser (Chromium through Playwright)."""

from __future__ import annotations

import datetime

import pytest

from zhifa.core.calendar import clear_calendar_cache
from zhifa.core.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    clear_calendar_cache()
    yield
    clear_calendar_cache()


def test_admin_enters_2027_holidays(page, county, browser_login):
    """LAW.md section 7: the administrator enters the State Council notice; a wrong line is named and
    nothing is saved; once the table is complete the year is no longer provisional."""
    browser_login(page, county.user("admin", "county").username)
    page.goto("/calendar/")
    row = page.locator('tr[data-year="2027"]')
    assert "未录入（期限为暂定）" in row.inner_text()
    assert "内置（chinesecalendar）" in page.locator('tr[data-year="2026"]').inner_text()

    page.click('[data-testid="edit-2027"]')
    page.click('[data-testid="use-reference"]')  # the fallback table as a starting point
    assert "2027-02-05..2027-02-08 放假 春节" in page.input_value("#id_days")
    page.fill("#id_notice", "国办发明电〔2026〕9号")
    page.fill("#id_days", "2027-01-01 放假 元旦\n2027-02-31 放假 春节")
    page.check("#id_complete")
    page.click('[data-testid="save"]')
    assert "第2行" in page.locator('[data-testid="days-errors"]').inner_text()
    assert not CalendarDay.objects.exists()

    page.fill("#id_days", "2027-01-01 放假 元旦\n2027-02-05..2027-02-11 放假 春节\n2027-02-14 上班 春节调休")
    page.click('[data-testid="save"]')
    page.wait_for_url("**/calendar/")
    assert "已录入" in page.locator('tr[data-year="2027"]').inner_text()
    assert CalendarYear.objects.get(year=2027).complete
    assert CalendarDay.objects.get(date=datetime.date(2027, 2, 14)).is_workday
