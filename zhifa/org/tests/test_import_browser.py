"""The import with errors, in a real Chromium: error table per row, fix, preview, confirm (issue 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhifa.core.models import Event
from zhifa.org.models import Person, RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).parent / "data"


def test_import_with_errors_then_fixed_file(page, county, browser_login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    page.click("[data-testid=main-nav] >> text=批量导入")
    page.click("[data-kind=people] >> text=开始导入")

    # A file with two bad rows: every problem is listed with its row and column, nothing is written.
    page.set_input_files("[data-testid=file-input]", str(DATA / "people_bad.csv"))
    page.click("[data-testid=validate]")
    page.wait_for_selector("[data-testid=import-errors]")
    assert "未写入任何数据" in page.inner_text("[data-testid=import-failed]")
    errors = page.locator("[data-testid=import-errors] tbody tr")
    assert sorted(set(errors.evaluate_all("rows => rows.map(r => r.dataset.row)"))) == ["3", "4"]
    table = page.inner_text("[data-testid=import-errors]")
    for text in (
        "第3行",
        "姓名",
        "不能为空",
        "手机",
        "应为11位手机号码",
        "第4行",
        "未找到执法主体“外县应急管理局”",
        "未知角色“局长”",
    ):
        assert text in table
    assert page.locator("[data-testid=confirm]").count() == 0
    assert not Person.objects.filter(name__startswith="陈").exists()

    # The fixed file passes: preview, then confirm.
    page.set_input_files("[data-testid=file-input]", str(DATA / "people_good.csv"))
    page.click("[data-testid=validate]")
    page.wait_for_selector("[data-testid=import-preview]")
    assert "chen2" in page.inner_text("[data-testid=import-preview]")
    assert not Person.objects.filter(name__startswith="陈").exists()
    events = Event.objects.count()
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[role=alert] >> text=导入成功")
    assert Person.objects.filter(name__in=["陈一", "陈二", "陈三"]).count() == 3
    assert Event.objects.count() == events + 1
    assert list((tmp_path / "imports").iterdir()) == []
