"""Reporting in a real Chromium on a 375-px phone: a grid worker with a photo and the phone's position,
a send that fails (and one whose answer is lost) without losing the text or doubling the clue, and the
public reporting without login and following the status with the tracking code."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from zhifa.intake.models import Clue, ClueSource
from zhifa.intake.tests.helpers import INSIDE_T0, build_intake_world
from zhifa.org.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 500
PHONE_WIDTH = 375


@pytest.fixture
def world(county):
    cache.clear()  # the public form's per-address counters
    return build_intake_world(county)


def at_inside_t0(page, live_server) -> None:
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": INSIDE_T0[1], "longitude": INSIDE_T0[0], "accuracy": 15})


def open_form(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("form[data-ready='1']")


def wait_located(page) -> None:
    page.wait_for_function("document.getElementById('position-text').textContent.includes('已定位')")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_grid_worker_reports_from_the_phone(phone_page, live_server, world, media, browser_login):
    page = phone_page
    at_inside_t0(page, live_server)
    browser_login(page, world.user(RoleCode.GRID_WORKER, "t0").username)
    page.click("[data-testid=home-report]")
    page.wait_for_selector("form[data-ready='1']")
    wait_located(page)
    assert page.input_value("input[name=lat]") == f"{INSIDE_T0[1]:.6f}"
    # A pin dropped on the map replaces the position; "定位" takes the phone's position again.
    page.wait_for_selector("#report-map[data-ready='1']")
    page.click("#report-map", position={"x": 200, "y": 200})  # clear of the zoom buttons
    page.wait_for_function("document.getElementById('position-text').textContent.includes('已选点')")
    assert page.input_value("input[name=lat]") != f"{INSIDE_T0[1]:.6f}"
    page.click("[data-testid=locate]")
    wait_located(page)
    page.set_input_files(
        "input[name=photos]", files=[{"name": "stall.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    assert page.locator("[data-photo-previews] img").count() == 1
    page.select_option("#id_category", str(world.category.pk))
    page.fill("#id_text", "菜市场门口有商贩占道经营，堵塞通道")
    assert fits_the_phone(page)
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=report-done]")
    clue = Clue.objects.get()
    assert page.inner_text("[data-testid=clue-code]").strip() == clue.code
    assert clue.grid_cell == world.micro[0] and clue.photos.count() == 1 and clue.source == ClueSource.GRID
    assert fits_the_phone(page)
    page.click("[data-testid=clue-link]")
    page.wait_for_selector("[data-testid=timeline]")
    assert page.locator("[data-testid=photo] img").count() == 1


def test_a_failed_send_keeps_the_text_and_a_retry_creates_one_clue(
    phone_page, live_server, world, browser_login
):
    page = phone_page
    at_inside_t0(page, live_server)
    browser_login(page, world.user(RoleCode.GRID_WORKER, "t0").username)
    open_form(page, "/intake/report/")
    wait_located(page)
    text = "河道边有人非法洗砂，污水直排入河"
    page.select_option("#id_category", str(world.category.pk))
    page.fill("#id_text", text)
    page.fill("#id_address", "东湖桥下")
    key = page.input_value("input[name=client_key]")

    # 1. The connection drops before the request reaches the server.
    def drop(route):
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    page.route("**/intake/report/", drop)
    page.click("[data-testid=submit]")
    page.wait_for_function(
        "document.querySelector('[data-testid=send-status]').textContent.includes('发送失败')"
    )
    assert Clue.objects.count() == 0
    page.unroute("**/intake/report/", drop)

    # 2. The server creates the clue but the answer is lost on the way back.
    def lose_answer(route):
        if route.request.method == "POST":
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/intake/report/", lose_answer)
    page.click("[data-testid=submit]")
    page.wait_for_function(
        "document.querySelector('[data-testid=send-status]').textContent.includes('发送失败')"
    )
    assert Clue.objects.filter(text=text).count() == 1
    page.unroute("**/intake/report/", lose_answer)

    # 3. Reload: what was typed (and the key) is still there; sending again gives the same clue.
    page.reload()
    page.wait_for_selector("form[data-ready='1']")
    assert page.input_value("#id_text") == text and page.input_value("#id_address") == "东湖桥下"
    assert page.input_value("input[name=client_key]") == key
    assert "已恢复" in page.inner_text("[data-testid=send-status]")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=report-done]")
    clue = Clue.objects.get(text=text)
    assert Clue.objects.count() == 1 and page.inner_text("[data-testid=clue-code]").strip() == clue.code
    # The draft is gone once the clue exists: the next form is empty, with a new key.
    open_form(page, "/intake/report/")
    assert page.input_value("#id_text") == "" and page.input_value("input[name=client_key]") != key


def test_errors_from_the_server_are_shown_next_to_the_fields(phone_page, live_server, world, browser_login):
    page = phone_page
    browser_login(page, world.user(RoleCode.GRID_WORKER, "t0").username)
    open_form(page, "/intake/report/")
    page.fill("#id_text", "短")
    page.click("[data-testid=submit]")
    page.wait_for_function("document.querySelector('[data-testid=error-text]').textContent.length > 0")
    assert "至少" in page.inner_text("[data-testid=error-text]")
    assert "类别" in page.inner_text("[data-testid=error-category]")
    assert page.input_value("#id_text") == "短" and Clue.objects.count() == 0


def test_public_reports_without_login_and_tracks_the_status(phone_page, live_server, world):
    page = phone_page
    open_form(page, "/report/")
    page.select_option("#id_category", str(world.category.pk))
    page.fill("#id_text", "小区门口烧烤摊油烟很大，晚上营业到凌晨")
    page.select_option("#id_region", str(world.county.townships[0].pk))
    assert fits_the_phone(page)
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=public-done]")
    code = page.inner_text("[data-testid=tracking-code]").strip()
    clue = Clue.objects.get(tracking_code=code)
    assert clue.source == ClueSource.PUBLIC and clue.reported_by is None
    assert clue.township == world.county.townships[0]

    page.goto("/track/")
    page.fill("#id_code", code.lower())
    page.click("[data-testid=track-submit]")
    page.wait_for_selector("[data-testid=public-status]")
    assert page.inner_text("[data-testid=status]").strip() == "待派遣"
    assert "上报" in page.inner_text("[data-testid=public-steps]")
    assert fits_the_phone(page)
