"""Import and export of a power list in Chromium: errors by row, the fixed file, confirm, download."""

from __future__ import annotations

import openpyxl
import pytest

from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.powers.models import PowerItem
from zhifa.powers.tests.test_import import csv_file, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_imports_a_list_and_exports_the_catalogue(page, county, browser_login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(row(**{"原实施主体": "县不存在局"}), row(**{"序号": 2, "事项编码": "SC-002"})))
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file(row(), row(**{"序号": 2, "事项编码": "SC-002", "事项名称": "第二项"})))
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    page.goto("/powers/items/")
    page.click("[data-testid=item-import]")

    page.set_input_files("[data-testid=file-input]", str(bad))
    page.click("[data-testid=validate]")
    page.wait_for_selector("[data-testid=import-errors]")
    table = page.inner_text("[data-testid=import-errors]")
    assert "第2行" in table and "原实施主体" in table and "不是已登记的部门" in table
    assert page.locator("[data-testid=confirm]").count() == 0
    assert not PowerItem.objects.exists()

    page.set_input_files("[data-testid=file-input]", str(good))
    page.click("[data-testid=validate]")
    page.wait_for_selector("[data-testid=import-preview]")
    assert "SC-002" in page.inner_text("[data-testid=import-preview]")
    events = Event.objects.count()
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[role=alert] >> text=导入成功")
    assert sorted(PowerItem.objects.values_list("code", flat=True)) == ["SC-001", "SC-002"]
    assert Event.objects.count() == events + 1

    page.goto("/powers/items/")
    with page.expect_download() as download:
        page.click("[data-testid=item-export-xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = openpyxl.load_workbook(file).active
    assert [sheet.cell(row=r, column=2).value for r in (2, 3)] == ["SC-001", "SC-002"]
