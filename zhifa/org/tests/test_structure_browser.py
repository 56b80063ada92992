"""Browser flow in a real Chromium: an administrator creates a team and opens a grid cell's map."""

from __future__ import annotations

import pytest

from zhifa.org.models import RoleCode, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_a_team_and_sees_a_grid_map(page, county, browser_login):
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    page.goto("/org/teams/")
    page.click("[data-testid=create]")
    page.fill("#id_name", "东湖镇综合执法二中队")
    page.select_option("#id_agency", str(county.township_agencies[0].pk))
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=detail]")
    assert "已保存" in page.inner_text("main")
    assert Team.objects.filter(name="东湖镇综合执法二中队", region=county.townships[0]).exists()
    page.goto("/org/teams/")
    assert "东湖镇综合执法二中队" in page.inner_text("[data-testid=team-table]")

    township_cell = county.grid[0].parent
    page.goto(f"/org/grid/{township_cell.pk}/")
    page.wait_for_selector("#grid-map.leaflet-container[data-ready='1']")
    assert page.locator("#grid-map path.leaflet-interactive").count() == 2  # the cell and its child
    assert county.grid[0].name in page.inner_text("[data-testid=grid-children]")
