"""The case record page in a real Chromium (GO118 (十): supervisors retrieve the record): the justice
bureau finds the case by its code, reads the timeline, opens an event's before/after, follows the link
to the clue's record and back, sees an edited event named in red; and the page works on a phone."""

from __future__ import annotations

import pytest

from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.supervision.tests.test_record_world import URLS, add_events, build_record_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls(URLS)]


@pytest.fixture
def world(county, other_county):
    world = build_record_world(county, other_county)
    add_events(world.case_t0, county.user(RoleCode.OFFICER, "t0"), 2)
    return world


def test_justice_bureau_reads_a_case_record_and_sees_tampering(page, world, browser_login):
    case = world.case_t0
    events = list(Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("seq"))
    browser_login(page, world.county.user(RoleCode.JUSTICE_BUREAU, "county").username)
    page.goto("/supervision/record/")
    page.fill("#f-q", case.code)
    page.click("[data-testid=record-search] button[type=submit]")
    page.click(f"text={case.code}")
    page.wait_for_selector("[data-testid=record-timeline]")
    badge = page.locator("[data-testid=record-badge]")
    assert badge.get_attribute("data-ok") == "true"
    assert f"已校验：{len(events)} 条记录哈希一致，链接完整" in badge.inner_text()
    assert page.locator("[data-testid=record-event]").count() == len(events)
    # The before/after of an event is folded away until asked for.
    last = page.locator(f"[data-testid=record-event][data-seq='{events[-1].seq}']")
    diff_table = last.locator("[data-testid=event-diff] table")
    assert not diff_table.is_visible()
    last.locator("[data-testid=event-diff] summary").click()
    assert diff_table.is_visible() and "当事人2" in diff_table.inner_text()
    assert last.locator("[data-testid=event-hash]").get_attribute("title") == events[-1].hash
    # To the clue the case came from, and back.
    page.click("[data-testid=clue-record-link]")
    page.wait_for_selector("[data-testid=case-record-link]")
    assert page.locator("[data-testid=record-event]").count() == 4
    page.click("[data-testid=case-record-link]")
    page.wait_for_selector("[data-testid=casefile-export]")
    # Someone edits an event behind the services' back: the badge turns red and names it.
    victim = events[1]
    Event.objects.filter(pk=victim.pk).update(data=victim.data.replace("当事人", "某人"))
    page.reload()
    assert badge.get_attribute("data-ok") == "false"
    assert badge.get_attribute("data-seq") == str(victim.seq)
    assert f"第 {victim.seq} 条记录的哈希与内容不符" in badge.inner_text()
    assert (
        page.locator(f"[data-testid=record-event][data-seq='{victim.seq}']").get_attribute("data-ok")
        == "false"
    )


def test_the_record_page_fits_a_phone(phone_page, world, browser_login):
    browser_login(phone_page, world.county.user(RoleCode.TEAM_LEADER, "t0").username)
    phone_page.goto(f"/supervision/record/case/{world.case_t0.pk}/")
    phone_page.wait_for_selector("[data-testid=record-timeline]")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert phone_page.locator("[data-testid=casefile-export]").is_visible()
