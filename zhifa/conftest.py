"""Shared test fixtures: a small county with a user per role, and a real Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from zhifa.org.testing import TEST_PASSWORD, TestCounty, build_test_county

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around it
# are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def county(db) -> TestCounty:
    return build_test_county()


@pytest.fixture
def other_county(db) -> TestCounty:
    return build_test_county(prefix="3502")


def chromium_path() -> str | None:
    """Debian's /usr/bin/chromium where it exists, else Playwright's own browser."""
    for candidate in (os.environ.get("ZHIFA_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, username: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the real login page."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def browser_login():
    return login


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The working-day override tables are cached per process; tests roll the database back."""
    from zhifa.core.calendar import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploads and issued documents go to a temporary folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
