"""In Chromium: a township leader rates on a phone (375px), the county administrator reads the report,
proposes a revocation and downloads the xlsx."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from zhifa.powers.models import CapacityRating, Proposal, SelfRating
from zhifa.powers.tests.grant_helpers import county_admin, leader
from zhifa.powers.tests.test_capacity_helpers import build_world, rate, start_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_leader_rates_and_county_admin_reads_the_report_and_exports(county, page, phone_page, browser_login):
    world = build_world(county)
    assessment = start_round(world)
    rate(world, assessment, "t1", {world.items[0]: SelfRating.ABLE, world.urban: SelfRating.ABLE})
    gx0, gx1, gx2 = world.items

    # The team leader of township 0 rates on a phone.
    browser_login(phone_page, leader(county).username)
    phone_page.goto("/powers/capacity/")
    phone_page.click(f'[data-testid="rate-{assessment.pk}"]')
    for item, value in ((gx0, "able"), (gx1, "mostly"), (gx2, "unable"), (world.urban, "able")):
        phone_page.click(f'[data-testid="rate-{item.code}-{value}"]')
    phone_page.click('[data-testid="rating-submit"]')
    expect(phone_page.locator('[data-testid="error-GX002"]')).to_contain_text("请说明原因")
    phone_page.fill('[data-testid="reason-GX002"]', "缺少专业检测设备")
    assert no_horizontal_scroll(phone_page)
    phone_page.click('[data-testid="rating-submit"]')
    expect(phone_page.locator(".alert-success")).to_contain_text("自评已保存")
    saved = CapacityRating.objects.get(assessment=assessment, township=world.t0, item=gx2)
    assert saved.rating == SelfRating.UNABLE and saved.reason == "缺少专业检测设备"
    phone_page.goto(f"/powers/capacity/{assessment.pk}/")
    assert no_horizontal_scroll(phone_page)

    # The county administrator reads the report, proposes to revoke and downloads the xlsx.
    browser_login(page, county_admin(county).username)
    page.click("[data-nav=capacity]")
    page.click(f"text={assessment.title}")
    expect(page.locator('[data-testid="headline"]')).to_contain_text(
        "共赋予4项，能有效承接1项，尚无力承接3项"
    )
    page.select_option("#f-judgement", "cannot")
    page.click('[data-testid="filter-submit"]')
    row = page.locator(f'[data-testid="row-{world.t1.adcode}-GX000"]')
    expect(row).to_contain_text("第四十二条")
    expect(page.locator(f'[data-testid="row-{world.t0.adcode}-GX000"]')).to_have_count(0)
    row.locator("select[name=proposal]").select_option("revoke")
    row.locator("input[name=proposal_note]").fill("无市场监管持证人员")
    row.locator("button[type=submit]").click()
    expect(page.locator('[data-testid="proposals"]')).to_contain_text("无市场监管持证人员")
    assert "judgement=cannot" in page.url
    assert (
        CapacityRating.objects.get(assessment=assessment, township=world.t1, item=gx0).proposal
        == Proposal.REVOKE
    )

    page.goto(f"/powers/capacity/{assessment.pk}/")
    with page.expect_download() as info:
        page.click('[data-testid="capacity-export"]')
    assert info.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True)}
    assert summary["评估结论"] == "共赋予4项，能有效承接1项，尚无力承接3项"
    detail = {(r[0], r[1]): r for r in list(book["明细"].iter_rows(values_only=True))[1:]}
    assert detail[("西山街道", "GX000")][8:10] == ("尚无力承接", "取消")
    assert detail[("东湖镇", "GX002")][7] == "不能承接"
