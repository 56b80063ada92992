"""The command centre and the team in a real Chromium: the dispatcher classifies with a suggestion and
dispatches, the team officer signs for and handles with a photo, the queue and the map update without a
reload, and the countdowns tick in the browser without requests."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import F
from django.utils import timezone

from zhifa.intake.models import Clue, ClueStatus
from zhifa.intake.services.report import clue_report
from zhifa.intake.tests.helpers import INSIDE_T0, build_intake_world, clue_input
from zhifa.org.models import RoleCode
from zhifa.powers.models import PowerItem
from zhifa.powers.tests.grant_helpers import make_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def world(county):
    world = build_intake_world(county)
    make_items(county, 10, prefix="ZZ")  # a catalogue large enough for BM25 to tell items apart
    # The claimed item as the catalogue names it, so that the suggestion can find it from the text.
    PowerItem.objects.filter(pk=world.claimed.pk).update(
        name="对擅自占用城市道路摆摊经营的处罚", keywords="占道经营 摆摊", version=F("version") + 1
    )
    return world


def report(world, text="菜市场门口有商贩占道经营，堵塞通道") -> Clue:
    return clue_report(
        actor=world.user(RoleCode.GRID_WORKER, "t0"), data=clue_input(world, INSIDE_T0, text=text)
    )


def other_context(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_dispatch_then_team_accepts_and_handles(
    page, browser, live_server, world, media, browser_login, settings
):
    settings.ZHIFA_COMMAND_REFRESH_SECONDS = 2
    clue = report(world)
    browser_login(page, world.user(RoleCode.DISPATCHER, "county").username)
    page.click("[data-nav=intake-command]")
    row = page.locator(f"[data-testid=queue-row][data-code='{clue.code}']")
    assert re.fullmatch(r"剩余 (29|30) 分钟", row.locator("[data-testid=countdown]").inner_text())
    page.wait_for_selector("#command-map[data-ready='1'][data-markers='1']")
    # One click on the row opens the clue.
    row.locator("td").nth(3).click()
    page.wait_for_selector("[data-testid=form-classify]")
    assert page.inner_text("[data-testid=clue-code]") == clue.code
    page.click(f"[data-testid=add-{world.claimed.code}]")
    assert world.claimed.code in page.inner_text("[data-testid=chosen-items]")
    assert page.locator(f"[data-testid=add-{world.claimed.code}]").is_disabled()
    page.click("[data-testid=submit-classify]")
    # The route the resolver gives, before confirming.
    route = page.locator("[data-testid=route]")
    assert route.get_attribute("data-route") == "team" and "派遣至乡镇执法队" in route.inner_text()
    page.fill("textarea[name=dispatch-note]", "请十五分钟内到场")
    page.click("[data-testid=submit-dispatch]")
    page.wait_for_selector("text=已派遣至")
    assert "待签收" in page.inner_text("[data-testid=status]")

    officer = other_context(browser, live_server)
    try:
        browser_login(officer, world.user(RoleCode.OFFICER, "t0").username)
        officer.click("[data-nav=intake-team]")
        officer.click(f"[data-testid=queue-row][data-code='{clue.code}'] [data-testid=clue-link]")
        officer.click("[data-testid=submit-accept]")
        officer.wait_for_selector("[data-testid=form-handle]")
        assert "处置中" in officer.inner_text("[data-testid=status]")
        officer.select_option("select[name=handle-result]", "rectified")
        officer.fill("textarea[name=handle-note]", "已责令商贩退回店内经营")
        officer.set_input_files(
            "input[name=handle-photos]", files=[{"name": "after.png", "mimeType": "image/png", "buffer": PNG}]
        )
        officer.click("[data-testid=submit-handle]")
        officer.wait_for_selector("[data-testid=form-feedback]")
        officer.fill("textarea[name=feedback-note]", "占道摊位已整改")
        officer.click("[data-testid=submit-feedback]")
        officer.wait_for_selector("text=当前状态“待核查”")
    finally:
        officer.context.close()
    clue.refresh_from_db()
    assert clue.status == ClueStatus.FED_BACK and clue.photos.count() == 1


def test_queue_and_map_update_without_reload(page, world, browser_login, settings):
    settings.ZHIFA_COMMAND_REFRESH_SECONDS = 2
    first = report(world)
    browser_login(page, world.user(RoleCode.DISPATCHER, "county").username)
    page.goto("/intake/command/")
    page.wait_for_selector("#command-map[data-markers='1']")
    page.evaluate("window.__notReloaded = true")
    second = report(world, text="农贸市场东门水果摊占用人行道")
    page.wait_for_selector(f"[data-testid=queue-row][data-code='{second.code}']", timeout=10_000)
    page.wait_for_selector("#command-map[data-markers='2']", timeout=10_000)
    assert page.evaluate("window.__notReloaded === true"), "updated in place, not reloaded"
    # An overdue clue shows up in the warnings at the top, also without a reload.
    Clue.objects.filter(pk=first.pk).update(step_due_at=timezone.now() - datetime.timedelta(minutes=5))
    page.wait_for_selector(f"[data-testid=warning-row][data-code='{first.code}']", timeout=10_000)
    # Changing a filter keeps it in the address and in the polled queue.
    page.check("[data-testid=filter-overdue]")
    page.wait_for_function(
        f"!document.querySelector(\"[data-testid=queue-row][data-code='{second.code}']\")", timeout=10_000
    )
    assert "overdue=on" in page.url
    page.wait_for_timeout(2500)  # a poll later the filter still holds
    assert page.locator("[data-testid=queue-row]").count() == 1
    assert page.evaluate("window.__notReloaded === true")


def test_countdown_ticks_in_the_browser_without_requests(page, world, browser_login, settings):
    settings.ZHIFA_COMMAND_REFRESH_SECONDS = 600
    clue = report(world)
    Clue.objects.filter(pk=clue.pk).update(step_due_at=timezone.now() + datetime.timedelta(seconds=4))
    browser_login(page, world.user(RoleCode.DISPATCHER, "county").username)
    page.goto("/intake/command/")
    page.wait_for_selector("#command-map[data-ready='1']")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    countdown = page.locator(f"[data-testid=queue-row][data-code='{clue.code}'] [data-testid=countdown]")
    assert re.fullmatch(r"剩余 \d 秒", countdown.inner_text())
    page.wait_for_function(
        "el => el.textContent.startsWith('超时')", arg=countdown.element_handle(), timeout=8000
    )
    assert "zf-deadline-over" in countdown.get_attribute("class")
    assert re.fullmatch(r"超时 \d+ 秒", countdown.inner_text())
    assert requests == [], "the countdown ticks in the browser"


def test_team_page_fits_a_phone(phone_page, world, browser_login):
    from zhifa.intake.tests.command_helpers import in_status

    clue = in_status(world, ClueStatus.DISPATCHED)
    browser_login(phone_page, world.user(RoleCode.OFFICER, "t0").username)
    phone_page.goto("/intake/team/")
    phone_page.wait_for_selector(f"[data-testid=queue-row][data-code='{clue.code}']")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.click(f"[data-testid=queue-row][data-code='{clue.code}'] [data-testid=clue-link]")
    phone_page.wait_for_selector("[data-testid=form-accept]")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
