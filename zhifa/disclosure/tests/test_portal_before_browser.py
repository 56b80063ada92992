"""The public portal in a real Chromium, without logging in: from /portal/ to a township's certified
staff (持证上岗公示, GO118 (五)) on a phone and on a desktop; the flow chart reads top to bottom on a
phone and left to right on a desktop."""

from __future__ import annotations

import pytest

from zhifa.org.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _context(browser, live_server, viewport: dict):
    phone = viewport["width"] < 500
    return browser.new_context(
        locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone, base_url=live_server.url
    )


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_public_walks_from_the_index_to_a_townships_officers(browser, live_server, county, viewport):
    township = county.townships[0]
    holder = county.person(RoleCode.OFFICER, "t0")
    certificate = holder.certificates.get()
    context = _context(browser, live_server, viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/portal/")
        _no_sideways_scroll(page)
        page.click(f"[data-testid=portal-township-link][data-adcode='{township.adcode}']")
        page.wait_for_selector("[data-testid=portal-before]")
        assert (
            page.inner_text("[data-testid=portal-area-title]")
            == f"{county.county.name}{township.name} · 行政执法公示"
        )
        assert page.locator("[data-testid=portal-complain]").is_visible()
        _no_sideways_scroll(page)
        page.click("[data-testid=portal-tile][data-key=portal-officers]")
        page.wait_for_selector("[data-testid=officer-table]")
        row = page.locator("[data-testid=officer-row]").filter(has_text=certificate.number)
        assert row.count() == 1 and holder.name in row.inner_text()
        current = page.locator("[data-portal-nav=portal-officers]")
        assert current.get_attribute("aria-current") == "page"
        box = current.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # the menu shows where we are
        assert "执法人员" in page.inner_text("[data-testid=portal-breadcrumb]")
        _no_sideways_scroll(page)

        # Through the menu to the flow chart: vertical on a phone, side by side on a desktop.
        page.click("[data-portal-nav=portal-procedures]")
        steps = page.locator("[data-testid=chart-general] [data-testid=flow-step]")
        steps.first.wait_for()
        first, second = steps.nth(0).bounding_box(), steps.nth(1).bounding_box()
        if viewport is PHONE:
            assert second["y"] > first["y"] + first["height"] - 1 and abs(second["x"] - first["x"]) < 2
        else:
            assert second["x"] > first["x"] + first["width"] - 1 and abs(second["y"] - first["y"]) < 2
        _no_sideways_scroll(page)
    finally:
        context.close()


def test_the_officers_filter_narrows_the_list_in_place(page, county):
    market = county.person(RoleCode.OFFICER, "dept")
    page.goto(f"/portal/{county.townships[0].adcode}/officers/")
    page.wait_for_selector("[data-testid=officer-table]")
    township_number = county.person(RoleCode.OFFICER, "t0").certificates.get().number
    assert page.locator("[data-testid=officer-row]", has_text=township_number).count() == 1
    page.select_option("[data-testid=filter-agency]", str(county.department_agency.pk))
    page.wait_for_function(
        f"!document.querySelector('#portal-officers').innerText.includes('{township_number}')"
    )
    assert f"agency={county.department_agency.pk}" in page.url
    assert market.name not in page.inner_text("#portal-officers")  # holds no certificate
