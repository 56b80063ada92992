"""Browser flow in Chromium: a team leader creates, commits and runs a draw; the portal shows the seed
only after the draw; the pages fit a 375px phone."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from zhifa.inspections.models import DrawState, RandomDraw, Visit
from zhifa.inspections.tests.test_draw_pages import drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_leader_creates_commits_and_runs_a_draw(page, insp, browser_login):
    browser_login(page, insp.user("market-leader").username)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/inspections/draws/")
    page.click("[data-testid=draw-create]")
    today = datetime.date.today()
    page.fill("#id_title", "餐饮店双随机抽查")
    page.check(f"input[name=items][value='{insp.items['M1'].pk}']")
    page.check(f"input[name=items][value='{insp.items['M2'].pk}']")
    page.fill("#id_period_start", (today + datetime.timedelta(days=5)).isoformat())
    page.fill("#id_period_end", (today + datetime.timedelta(days=35)).isoformat())
    page.select_option("#id_region", str(insp.county.county.pk))
    page.check("input[name=risk_levels][value=B]")
    page.check("input[name=risk_levels][value=C]")
    page.fill("#id_ratio", "0.05")
    page.click("[data-testid=save]")
    error = page.locator("[data-testid=error-ratio]")
    expect(error).to_contain_text("抽查比例不得低于")
    assert not RandomDraw.objects.exists()
    page.fill("#id_ratio", "0.5")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=draw-steps] [aria-current=step]")).to_have_attribute(
        "data-step", "draft"
    )

    page.click("[data-testid=draw-commit]")
    expect(page.locator("[data-testid=draw-state]").first).to_have_attribute("data-state", "committed")
    draw = RandomDraw.objects.get()
    expect(page.locator("[data-testid=seed-commitment]")).to_have_text(draw.seed_commitment)
    assert draw.seed not in page.content()

    page.click("[data-testid=portal-link]")
    expect(page.locator("[data-testid=seed-commitment]")).to_have_text(draw.seed_commitment)
    expect(page.locator("[data-testid=seed]")).to_have_text("抽取后公开")
    assert draw.seed not in page.content()
    portal_url = page.url

    page.go_back()
    page.reload()
    page.click("[data-testid=draw-run]")
    expect(page.locator("[data-testid=seed]")).to_have_text(draw.seed)
    draw.refresh_from_db()
    assert draw.state == DrawState.DRAWN
    links = page.locator("[data-testid=visit-link]")
    expect(links).to_have_count(Visit.objects.filter(draw=draw).count())

    page.goto(portal_url)
    expect(page.locator("[data-testid=seed]")).to_have_text(draw.seed)
    expect(page.locator("[data-testid=draw-result] tbody tr")).to_have_count(draw.sample_size)
    expect(page.locator("[data-testid=verification]")).to_contain_text("复核一致")


def test_pages_fit_a_phone(phone_page, insp, browser_login):
    draw = drawn(insp)
    phone_page.goto(f"/portal/inspections/draws/{draw.pk}/")
    expect(phone_page.locator("[data-testid=seed]")).to_have_text(draw.seed)
    _no_sideways_scroll(phone_page)
    browser_login(phone_page, insp.user("market-leader").username)
    for url in ("/inspections/draws/", f"/inspections/draws/{draw.pk}/", "/inspections/draws/new/"):
        phone_page.goto(url)
        _no_sideways_scroll(phone_page)
