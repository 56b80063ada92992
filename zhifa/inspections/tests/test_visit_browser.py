"""On a 375px phone in Chromium: an inspector starts a visit, answers the checklist (htmx), records a
finding with a real PNG photo, opens it as a case, finishes; the subject opens /v/<code>/ and rates."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from zhifa.cases.models import Case, CaseSource
from zhifa.inspections.models import FindingPhoto, Visit, VisitCheck, VisitResult, VisitState
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.inspections.tests.test_findings import penalty_item, real_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, width


def test_inspector_works_a_visit_on_a_phone_and_the_subject_rates_it(
    phone_page, browser, live_server, insp, browser_login, tmp_path
):
    page = phone_page
    power = penalty_item(insp)
    officers = insp.officers["market"]
    with transaction.atomic():
        visit = create_visit(
            actor=None,
            subject_id=insp.subjects[0].pk,
            agency=insp.agencies["market"],
            items=[insp.items["M1"], insp.items["M2"]],
            planned_on=timezone.localdate(),
            team=[TeamMember(p, insp.agencies["market"], f"ZJ{p.pk:05d}") for p in officers],
        )
    browser_login(page, insp.user("market-0").username)
    page.goto("/inspections/visits/")
    page.click(f"[data-visit='{visit.pk}']")
    expect(page.get_by_test_id("visit-subject")).to_have_text(insp.subjects[0].name)
    expect(page.get_by_test_id("inspector")).to_have_count(2)
    expect(page.get_by_test_id("visit-qr").locator("svg")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_test_id("visit-start").click()
    expect(page.get_by_test_id("visit-state")).to_have_attribute("data-state", "in_progress")

    # One tap per point: htmx swaps the point in place.
    m1, m2 = insp.items["M1"], insp.items["M2"]
    page.locator(f"#point-{m1.pk}-0 [data-testid=outcome-ok]").click()
    expect(page.locator(f"#point-{m1.pk}-0")).to_have_attribute("data-outcome", "ok")
    page.locator(f"#point-{m1.pk}-1 input[name=note]").fill("进货台账缺失")
    page.locator(f"#point-{m1.pk}-1 [data-testid=outcome-problem]").click()
    expect(page.locator(f"#point-{m1.pk}-1")).to_have_attribute("data-outcome", "problem")
    for index in (0, 1):
        page.locator(f"#point-{m2.pk}-{index} [data-testid=outcome-na]").click()
        expect(page.locator(f"#point-{m2.pk}-{index}")).to_have_attribute("data-outcome", "na")
    assert VisitCheck.objects.filter(visit=visit).count() == 4
    assert VisitCheck.objects.get(visit=visit, item=m1, point=1).note == "进货台账缺失"

    # A finding with a photo from the camera (a real PNG file here).
    page.select_option("#finding-item", str(m1.pk))
    page.fill("#finding-text", "未建立进货查验记录")
    page.get_by_test_id("finding-add").click()
    expect(page.get_by_test_id("finding-text")).to_have_text("未建立进货查验记录")
    photo = tmp_path / "现场.png"
    photo.write_bytes(real_png(16, 12))
    page.get_by_test_id("photo-input").set_input_files(str(photo))
    page.get_by_test_id("photo-upload").click()
    expect(page.get_by_test_id("finding-photo")).to_have_count(1)
    # The browser fetched the photo through the scoped view and decoded it (16 px wide).
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=finding-photo]');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert page.get_by_test_id("finding-photo").evaluate("img => img.naturalWidth") == 16
    assert FindingPhoto.objects.get().size == photo.stat().st_size

    # 立案 in one step.
    page.select_option("[data-testid=case-item]", str(power.pk))
    page.get_by_test_id("to-case").click()
    expect(page.get_by_test_id("finding-case")).to_contain_text("已立案")
    case = Case.objects.get()
    assert case.source == CaseSource.INSPECTION and case.evidence.count() == 1

    page.get_by_test_id("result-case").check()
    page.get_by_test_id("visit-finish").click()
    expect(page.get_by_test_id("visit-result")).to_have_attribute("data-result", "case")
    expect(page.get_by_test_id("publish-due")).to_contain_text("20个工作日")
    no_sideways_scroll(page)
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE and visit.result == VisitResult.CASE
    page.goto("/inspections/visits/?tab=done")
    expect(page.locator(f"[data-visit='{visit.pk}'] [data-testid=visit-result]")).to_have_text("立案查处")
    no_sideways_scroll(page)
    assert visit.publish_due and visit.publish_due > timezone.localdate() + datetime.timedelta(days=20)

    # The subject scans the QR code: no login.
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    public = context.new_page()
    public.set_default_timeout(15_000)
    try:
        public.goto(f"/v/{visit.code}/")
        expect(public.get_by_test_id("public-inspector")).to_have_count(2)
        expect(public.get_by_test_id("public-team")).to_contain_text(f"ZJ{officers[0].pk:05d}")
        expect(public.get_by_test_id("public-items")).to_contain_text("《测试条例》第十条")
        expect(public.get_by_test_id("public-result-text")).to_have_text("立案查处")
        assert "未建立进货查验记录" not in public.content()  # findings stay internal
        no_sideways_scroll(public)
        public.get_by_test_id("rate-submit").click()  # no stars: refused on its field
        expect(public.get_by_test_id("error-rating")).to_be_visible()
        public.get_by_test_id("star-4").click()
        public.fill("#id_comment", "检查人员出示了证件")
        public.get_by_test_id("rate-submit").click()
        expect(public.get_by_test_id("public-rating")).to_be_visible()
        expect(public.get_by_test_id("public-rate-form")).to_have_count(0)
        rated = Visit.objects.get(pk=visit.pk)
        assert (rated.rating, rated.rating_comment) == (4, "检查人员出示了证件")
        response = public.goto("/v/NOSUCHCODE/")
        assert response.status == 404
        expect(public.get_by_test_id("public-visit-missing")).to_contain_text("检查码不存在")
    finally:
        context.close()
