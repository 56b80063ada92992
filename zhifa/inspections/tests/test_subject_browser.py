"""Subject pages in Chromium: register with a wrong USCC then fix it; import a workbook with a bad row,
then a good one; the list on a 375px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from zhifa.core.models import Event
from zhifa.inspections.models import Subject
from zhifa.inspections.testing import uscc_for
from zhifa.inspections.tests.test_subject_pages import good_row, xlsx
from zhifa.org.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_registers_a_subject_after_fixing_the_uscc(page, insp, browser_login):
    browser_login(page, insp.county.user(RoleCode.ADMIN, "t0").username)
    page.goto("/inspections/subjects/")
    page.click("[data-testid=subject-create]")
    valid = uscc_for(4343)
    wrong = valid[:-1] + ("1" if valid[-1] == "0" else "0")
    page.fill("#id_uscc", wrong)
    page.fill("#id_name", "湖畔餐厅")
    page.select_option("#id_kind", "enterprise")
    page.select_option("#id_industry", label="餐饮")
    page.select_option("#id_risk_level", "A")
    page.fill("#id_address", "东湖镇湖滨路8号")
    page.select_option("#id_township", label="东湖镇（350102001000）")
    page.click("[data-testid=save]")
    # The error stands next to its field, in Chinese, and nothing is saved.
    error = page.locator("[data-field=uscc] [data-testid=error-uscc]")
    expect(error).to_contain_text("统一社会信用代码")
    expect(error).to_contain_text("无效")
    assert page.locator("#id_uscc.is-invalid").count() == 1
    assert page.input_value("#id_name") == "湖畔餐厅"  # what was typed is kept
    assert not Subject.objects.filter(name="湖畔餐厅").exists()

    page.fill("#id_uscc", valid)
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=subject-name]")).to_contain_text("湖畔餐厅")
    expect(page.locator("[data-testid=subject-uscc]")).to_have_text(valid)
    expect(page.locator("[data-testid=subject-name] [data-testid=risk-A]")).to_be_visible()
    assert Subject.objects.get(uscc=valid).version == 1

    page.click("[data-testid=subject-edit]")
    page.select_option("#id_risk_level", "C")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=检查对象信息已保存。")
    assert Subject.objects.get(uscc=valid).risk_level == "C"


def test_admin_imports_a_workbook_with_a_bad_row_then_a_good_one(page, insp, browser_login, tmp_path):
    bad_row = good_row(2, "坏行茶馆")
    bad_row[4] = "不存在的行业"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(good_row(1), bad_row))
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(good_row(1), good_row(2, "新开茶馆")))
    browser_login(page, insp.county.user(RoleCode.ADMIN, "t0").username)
    page.goto("/inspections/subjects/")
    page.click("[data-testid=subject-import]")
    expect(page.locator("[data-testid=template-link]")).to_be_visible()

    page.set_input_files("[data-testid=file-input]", str(bad))
    page.click("[data-testid=validate]")
    row = page.locator("[data-testid=import-errors] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("第3行")
    expect(row).to_contain_text("行业")
    expect(row).to_contain_text("不存在的行业")
    assert page.locator("[data-testid=confirm]").count() == 0
    assert not Subject.objects.filter(name__in=["新开饭店", "坏行茶馆"]).exists()

    page.set_input_files("[data-testid=file-input]", str(good))
    page.click("[data-testid=validate]")
    expect(page.locator("[data-testid=import-preview]")).to_contain_text("新开茶馆")
    assert not Subject.objects.filter(name="新开茶馆").exists()  # nothing before the confirm
    events = Event.objects.count()
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[role=alert] >> text=导入成功")
    assert Subject.objects.filter(name__in=["新开饭店", "新开茶馆"]).count() == 2
    assert Event.objects.count() == events + 1
    expect(page.locator("[data-testid=subject-count]")).to_contain_text("共 12 个检查对象")


def test_list_and_filters_fit_a_phone(phone_page, insp, browser_login):
    page = phone_page
    browser_login(page, insp.county.user(RoleCode.OFFICER, "t0").username)
    page.goto("/inspections/subjects/")
    rows = page.locator("[data-testid=subject-table] tbody tr[data-subject]")
    expect(rows).to_have_count(10)
    page.select_option("#f-risk", "A")  # htmx swaps the results on change
    expect(rows).to_have_count(3)
    assert "risk_level=A" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("[data-testid=subject-create]").count() == 0  # an officer does not register
