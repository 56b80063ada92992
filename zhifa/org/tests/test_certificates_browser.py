"""Certificate management in a real Chromium: the monthly review and retiring a person."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhifa.org.models import Certificate, CertificateStatus, PersonStatus, RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_justice_bureau_revokes_from_the_monthly_review(page, county, browser_login):
    """Seed 004: the monthly clean-up revokes certificates of holders no longer on the post."""
    holder = county.person(RoleCode.OFFICER, "t1")
    holder.status, holder.status_date = PersonStatus.TRANSFERRED, timezone.localdate()
    holder.save()  # left valid behind the services' back: what the review exists to catch
    browser_login(page, county.user(RoleCode.JUSTICE_BUREAU, "county").username)
    page.click("[data-nav=certificate-review]")
    row = page.locator("tr[data-certificate='3501t10001']")
    assert "持证人已调离" in row.inner_text()
    page.click("[data-testid='revoke-3501t10001']")
    page.fill("textarea[name=reason]", "持证人已调离，月度清理")
    page.click("[data-testid=confirm]")
    page.wait_for_url("**/certificates/review/")
    assert page.locator("tr[data-certificate='3501t10001']").count() == 0
    assert "已注销" in page.inner_text(".alert-success")
    cert = Certificate.objects.get(number="3501t10001")
    assert cert.status == CertificateStatus.REVOKED and "月度清理" in cert.status_reason


def test_admin_retires_a_person_and_the_certificate_shows_revoked(page, county, browser_login):
    """LAW.md section 5 [CERT-LOCAL]: retirement cancels the certificate in the same step."""
    person = county.person(RoleCode.OFFICER, "t0")
    browser_login(page, county.user(RoleCode.ADMIN, "county").username)
    page.goto(f"/org/people/{person.pk}/")
    page.click("[data-testid=person-status-link]")
    assert "3501t00001" in page.inner_text("[data-testid=to-revoke]")
    page.select_option("select[name=status]", PersonStatus.RETIRED)
    page.fill("textarea[name=reason]", "到龄退休")
    page.click("[data-testid=confirm-status]")
    page.wait_for_url(f"**/org/people/{person.pk}/")
    assert "已退休" in page.inner_text("[data-testid=person-status]")
    cert_box = page.locator("[data-certificate='3501t00001']")
    assert cert_box.locator("[data-status]").get_attribute("data-status") == CertificateStatus.REVOKED
    assert "已注销" in cert_box.inner_text()
    # The people list filters in place (htmx) and keeps the filter in the address bar.
    page.click("[data-nav=people]")
    page.select_option("select[name=status]", PersonStatus.RETIRED)
    rows = page.locator("[data-testid=people-table] tbody tr[data-person]")
    expect(rows).to_have_count(1)
    assert person.name in rows.first.inner_text()
    assert "status=retired" in page.url
