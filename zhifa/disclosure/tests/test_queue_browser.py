"""The publication duties in a real Chromium: t0's team leader opens the queue, reviews a decided case,
masks a word selected in the original, previews, publishes (one click, confirmed), then records the
revocation and withdraws with a notice (APL Art. 48); the queue on a phone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.tests.queue_builders import (
    events_of,
    penalty_case,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SELECT_TEXT = """([selector, text]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(text);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}"""


def test_leader_masks_previews_publishes_then_withdraws(page, world, browser_login):
    case = penalty_case(world)
    browser_login(page, world.leader.username)
    page.goto("/disclosure/")
    row = page.locator(f"[data-testid=pending-row][data-code='{case.code}']")
    assert row.get_attribute("data-level") == "ok"
    row.locator("[data-testid=review-link]").click()
    page.wait_for_selector("[data-testid=original-text]")

    # Select a word of the original and mask it.
    assert page.evaluate(SELECT_TEXT, ["#original-text", "灭火器"])
    page.wait_for_selector("[data-testid=mask-selection]:not([disabled])")
    page.click("[data-testid=mask-selection]")
    assert page.input_value("#id_extra_masks") == "灭火器"

    # Preview through htmx: the redacted side now marks the reviewer's mask.
    page.click("[data-testid=preview]")
    page.wait_for_selector("#redacted-text mark[data-kind=extra]")
    assert "灭火器" not in page.inner_text("#redacted-text")
    assert "灭火器" in page.inner_text("#original-text")

    # Publish: one click, confirmed.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=publication-state][data-state=published]")
    assert "已公示" in page.inner_text("main")
    publication = Publication.objects.get(case=case)
    assert publication.extra_masks == ["灭火器"] and "灭火器" not in publication.body

    # The decision is revoked: record it, then withdraw with a public notice.
    page.fill("#id_revocation-revoked_on", timezone.localdate().isoformat())
    page.select_option("#id_revocation-reason", "revoked")
    page.click("[data-testid=record-revocation]")
    page.wait_for_selector("[data-testid=withdrawal-due]")
    assert "第四十八条" in page.inner_text("[data-testid=withdrawal-due]")
    page.fill("#id_withdraw-notice", "该处罚决定已被依法撤销，现撤回原公示信息。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=withdraw]")
    page.wait_for_selector("[data-testid=publication-state][data-state=withdrawn]")
    assert "该处罚决定已被依法撤销" in page.inner_text("[data-testid=withdrawal-notice]")
    publication.refresh_from_db()
    assert publication.state == PublicationState.WITHDRAWN
    assert events_of(publication) == 3
    assert page.locator("[data-testid=event]").count() == 3


def test_the_queue_is_usable_on_a_phone(phone_page, world, browser_login):
    case = penalty_case(world)
    browser_login(phone_page, world.leader.username)
    phone_page.goto("/disclosure/")
    row = phone_page.locator(f"[data-testid=pending-row][data-code='{case.code}']")
    link = row.locator("[data-testid=review-link]")
    assert link.is_visible() and row.locator("[data-testid=due]").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    link.click()
    phone_page.wait_for_selector("[data-testid=publish]")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
