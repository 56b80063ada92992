"""The legal review overview in a real Chromium: the justice bureau logs in, opens the page from the
address bar, reads the figures of this year's reviews (taken through the real engine and review
service), filters by tier, and sees the "impossible" count of APL Art. 58 at 0; on a phone too."""

from __future__ import annotations

import re

import pytest

from zhifa.cases.models import ReviewTier
from zhifa.cases.services.review import review_decide
from zhifa.cases.tests.factories import CaseWorld, build_case_world
from zhifa.cases.tests.review_helpers import all_passed, pending_review, review_case
from zhifa.org.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(county) -> CaseWorld:
    """Three reviews of this year in t0: passed, sent back (facts), and a panel review pending."""
    world = build_case_world(county)
    passed = review_case(world)
    review_decide(
        actor=world.reviewer,
        review=pending_review(passed),
        answers=all_passed(),
        opinion="同意",
        qualified=True,
    )
    returned = review_case(world)
    review_decide(
        actor=world.reviewer,
        review=pending_review(returned),
        answers=all_passed(facts={"passed": False, "opinion": "缺少询问笔录。"}),
        opinion="证据不足，退回补充调查。",
    )
    review_case(world, tier=ReviewTier.PANEL)
    return world


def stat(page, name: str) -> str:
    return page.inner_text(f"[data-testid=stat-{name}]").strip()


def test_the_justice_bureau_reads_and_filters_the_overview(page, world, browser_login):
    justice = world.user(RoleCode.JUSTICE_BUREAU, "county")
    browser_login(page, justice.username)
    page.goto("/supervision/reviews/")
    page.wait_for_selector("[data-testid=cards]")
    assert (stat(page, "total"), stat(page, "passed"), stat(page, "failed"), stat(page, "pending")) == (
        "3",
        "1",
        "1",
        "1",
    )
    assert page.get_attribute("[data-testid=unreviewed]", "data-count") == "0"
    assert "《行政处罚法》第五十八条" in page.inner_text("[data-testid=unreviewed-rule]")
    returned = page.locator("[data-testid=returned-row]")
    assert returned.count() == 1 and "证据不足，退回补充调查。" in returned.inner_text()
    page.select_option("[data-testid=filter-tier]", ReviewTier.PANEL.value)
    page.click("[data-testid=filter-submit]")
    page.wait_for_url(re.compile(r"tier=panel"))
    assert (stat(page, "total"), stat(page, "pending")) == ("1", "1")
    assert page.locator("[data-testid=tier-row][data-tier=township]").count() == 0
    assert page.locator("[data-testid=tier-row][data-tier=panel]").get_attribute("data-pending") == "1"
    # The returned review links to the case workspace.
    page.goto("/supervision/reviews/")
    page.click("[data-testid=returned-link]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))


def test_on_a_phone(phone_page, world, browser_login):
    page = phone_page
    browser_login(page, world.user(RoleCode.JUSTICE_BUREAU, "county").username)
    page.goto("/supervision/reviews/")
    page.wait_for_selector("[data-testid=cards]")
    assert stat(page, "total") == "3"
    assert page.locator("[data-testid=unreviewed-count]").is_visible()
    # Stacked layout: the page itself does not scroll sideways (wide tables scroll inside their box).
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, width
    page.select_option("[data-testid=filter-tier]", ReviewTier.TOWNSHIP.value)
    page.click("[data-testid=filter-submit]")
    page.wait_for_url(re.compile(r"tier=township"))
    assert (stat(page, "total"), stat(page, "passed"), stat(page, "failed")) == ("2", "1", "1")
