"""The acts sections in a real Chromium on a 375-px phone: a party refused with the reason next to the
field and then accepted, and a photo uploaded as evidence, both through htmx without leaving the page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhifa.cases.models import Evidence, Party
from zhifa.cases.tests.test_acts_support import PNG, filed_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 375


def test_party_and_evidence_on_a_phone(phone_page, world, media, browser_login):
    page = phone_page
    case = filed_case(world)
    browser_login(page, world.officer.username)
    page.goto(f"/cases/{case.pk}/")
    section = page.locator("[data-testid=ws-parties]")
    section.locator("summary", has_text="登记当事人").click()
    form = section.locator("[data-testid=form-party]")
    form.locator("select[name=party-kind]").select_option("organisation")
    form.locator("input[name=party-name]").fill("深圳市腾讯计算机系统有限公司")
    form.locator("select[name=party-id_type]").select_option("uscc")
    form.locator("input[name=party-id_number]").fill("9144030071526726XA")
    form.locator("input[name=party-legal_representative]").fill("马某")
    form.locator("input[name=party-address]").fill("深圳市南山区")
    form.locator("button[type=submit]").click()
    error = page.locator("[data-testid=ws-parties] [data-testid=error-id_number]")
    error.wait_for()
    assert "校验码错误" in error.inner_text()
    assert page.url.endswith(f"/cases/{case.pk}/")  # the page stayed; only the section was swapped
    page.locator("[data-testid=form-party] input[name=party-id_number]").fill("9144030071526726XG")
    page.locator("[data-testid=form-party] button[type=submit]").click()
    page.locator("[data-testid=ws-parties] [data-testid=acts-notice]").wait_for()
    assert Party.objects.filter(case=case, id_number="9144030071526726XG").exists()

    evidence = page.locator("[data-testid=ws-evidence]")
    evidence.locator("summary", has_text="登记证据").click()
    form = evidence.locator("[data-testid=form-evidence]")
    form.locator("select[name=evidence-kind]").select_option("audiovisual")
    form.locator("input[name=evidence-title]").fill("现场照片")
    form.locator("input[name=evidence-place]").fill("东湖镇工业园1号")
    form.locator("input[name=evidence-collected_at]").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    for box in form.locator("input[name=evidence-collector_ids]").all():
        box.check()
    form.locator("input[name=evidence-file]").set_input_files(
        {"name": "IMG_0001.png", "mimeType": "image/png", "buffer": PNG}
    )
    form.locator("button[type=submit]").click()
    page.locator("[data-testid=ws-evidence] [data-testid=acts-notice]").wait_for()
    stored = Evidence.objects.get(case=case, title="现场照片")
    assert (media / stored.file).read_bytes() == PNG
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
