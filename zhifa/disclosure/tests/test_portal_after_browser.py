"""A visitor on a phone: from a township's portal home, search a word and open the decision."""

from __future__ import annotations

import pytest

from zhifa.disclosure.tests.test_portal_after_factories import make_publication


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_and_open_a_decision_on_a_phone(browser, live_server, county) -> None:
    wanted = make_publication(county, title="某餐饮店占道经营案", body="第一段\n第二段")
    make_publication(county, title="某建材店违法建设案")
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/portal/{county.townships[0].adcode}/")
        page.click("[data-testid=portal-tile][data-key=portal-decisions]")
        page.fill("[data-testid=filter-q]", "占道经营")
        page.click("[data-testid=filter-submit]")
        rows = page.locator("[data-testid=decision-row]")
        assert rows.count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        rows.first.locator("[data-testid=decision-link]").click()
        page.wait_for_url(f"**/portal/decisions/{wanted.pk}/")
        assert page.locator("[data-testid=decision-number]").inner_text() == wanted.decision_number
        body = page.locator("[data-testid=decision-body]").inner_text()
        assert "第一段\n第二段" in body
        page.click("[data-testid=back-to-area]")
        page.wait_for_url(f"**/portal/{county.townships[0].adcode}/decisions/")
    finally:
        context.close()
