"""Browser flow in Chromium: an administrator creates an item, finds it by search (htmx) and edits it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from zhifa.org.models import RoleCode
from zhifa.powers.models import PowerItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_searches_and_edits_an_item(page, county, browser_login):
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    page.goto("/powers/items/")
    page.click("[data-testid=item-create]")
    page.fill("#id_code", "XF-060-01-03")
    page.fill("#id_name", "对损坏、挪用消防设施、器材的行政处罚")
    page.select_option("#id_power_type", "penalty")
    page.select_option("#id_domain", label="城市管理")
    page.fill("#id_original_subject", "县消防救援大队")
    page.fill("#id_basis_text", "《中华人民共和国消防法》第六十条第一款第三项")
    page.fill("#id_basis_refs", '[{"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 3}]')
    page.fill("#id_keywords", "灭火器")
    page.check("input[name=penalty_types][value=罚款]")
    # A reversed range is refused on its field, in Chinese, and nothing is saved.
    page.fill("#id_fine_min", "50000")
    page.fill("#id_fine_max", "5000")
    page.click("[data-testid=save]")
    assert page.inner_text("[data-testid=error-fine_min]") == "罚款下限不能大于罚款上限"
    assert not PowerItem.objects.exists()
    page.fill("#id_fine_min", "5000")
    page.fill("#id_fine_max", "50000")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=basis-refs]")
    assert "第六十条第一款第（三）项" in page.inner_text("[data-testid=basis-refs]")

    PowerItem.objects.create(
        code="YY-038",
        name="对使用禁用的渔具进行捕捞的行政处罚",
        power_type="penalty",
        original_subject="县农业农村局",
        basis_text="《中华人民共和国渔业法》第三十八条",
    )
    page.goto("/powers/items/")
    rows = page.locator("[data-testid=item-table] tbody tr[data-item]")
    expect(rows).to_have_count(2)
    page.fill("#f-q", "灭火器")
    page.click("[data-testid=item-search]")
    expect(rows).to_have_count(1)  # htmx swapped the results only
    page.click("text=对损坏、挪用消防设施、器材的行政处罚")
    page.click("[data-testid=item-edit]")
    page.fill("#id_name", "对损坏、挪用或者擅自拆除消防设施、器材的行政处罚")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=事项信息已保存。")
    assert "擅自拆除" in page.inner_text("[data-testid=item-name]")
    assert PowerItem.objects.get(code="XF-060-01-03").version == 2
