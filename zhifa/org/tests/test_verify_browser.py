"""Public certificate verification in a real Chromium on a phone-sized screen (what the QR code opens)."""

from __future__ import annotations

import pytest

from zhifa.org.models import Certificate, RoleCode
from zhifa.org.services.certificates import certificate_revoke

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_verification_of_valid_and_revoked_certificates(phone_page, county):
    """APL Art. 52, 55: a party checks the officer's certificate; no login, only the public facts."""
    page = phone_page
    holder = county.person(RoleCode.OFFICER, "t0")
    page.goto("/verify/")
    page.fill("input[name=number]", "3501t00001")
    page.click("[data-testid=verify-submit]")
    page.wait_for_url("**/verify/3501t00001/")
    banner = page.locator("[data-testid=verify-banner]")
    assert banner.get_attribute("data-valid") == "true"
    assert "证件有效" in banner.inner_text()
    details = page.inner_text("[data-testid=verify-details]")
    assert holder.name in details and "城市管理" in details
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    revoked = Certificate.objects.get(number="3501t10001")
    certificate_revoke(
        actor=county.user(RoleCode.JUSTICE_BUREAU, "county"), certificate=revoked, reason="违纪"
    )
    page.goto("/verify/3501t10001/")
    banner = page.locator("[data-testid=verify-banner]")
    assert banner.get_attribute("data-valid") == "false"
    assert "已注销" in banner.inner_text()
    assert "违纪" not in page.content()

    page.goto("/verify/NO-SUCH-1/")
    assert "未找到该证件" in page.inner_text("[data-testid=verify-banner]")
