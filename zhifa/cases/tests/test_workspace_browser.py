"""The case pages in a real Chromium: the t0 officer registers a case, sees why filing cannot be proposed
yet, proposes it from the workspace's modal once the party and officers are recorded, and the leader
approves it (the filing approval is issued as a numbered PDF, APL Art. 54); on a phone too."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.cases.models import Case, CaseState
from zhifa.cases.tests.factories import add_party, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register(page, world) -> Case:
    """Fill the registration form as the officer and land on the new case's workspace."""
    today = timezone.localdate()
    page.click("[data-testid=open-case]")
    page.fill("input[name=title]", "某包装厂擅自挪用消防器材")
    page.select_option("select[name=item]", str(world.item.pk))
    page.fill("input[name=act_on]", (today - datetime.timedelta(days=6)).isoformat())
    page.fill("input[name=discovered_on]", (today - datetime.timedelta(days=2)).isoformat())
    page.fill("input[name=address]", "东湖镇工业园1号")
    page.fill("textarea[name=facts]", "检查发现该厂将灭火器挪作他用。")
    page.click("[data-testid=submit-open]")
    page.wait_for_selector("[data-testid=ws-actions]")
    case = Case.objects.get()
    assert page.inner_text("[data-testid=case-code]") == case.code
    return case


def test_officer_registers_and_proposes_filing_and_the_leader_approves(
    page, browser, live_server, world, media, browser_login
):
    browser_login(page, world.officer.username)
    page.click("[data-nav=cases]")
    page.wait_for_selector("[data-testid=case-table]")
    case = register(page, world)
    assert page.get_attribute("[data-testid=case-state]", "data-state") == CaseState.SOURCE
    refused = page.locator("[data-testid=refused][data-action=propose_filing]")
    assert "请先登记当事人。" in refused.inner_text()
    assert page.locator("[data-testid=deadline][data-key=filing]").get_attribute("data-level") == "ok"
    # The party and the second officer come from the acts pages; recorded here directly.
    add_party(case)
    staff(case, world)
    page.reload()
    page.click("[data-testid=action][data-action=propose_filing]")
    modal = page.locator("#ws-modal")
    modal.locator("textarea[name=act-note]").fill("现场检查笔录已制作，请批准立案")
    modal.locator("[data-testid=submit-action]").click()
    page.wait_for_selector("text=当前状态“立案审批”")
    assert page.get_attribute("[data-testid=case-state]", "data-state") == CaseState.FILING

    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    leader = context.new_page()
    leader.set_default_timeout(15_000)
    try:
        browser_login(leader, world.leader.username)
        leader.goto(f"/cases/?state={CaseState.FILING}")
        # The state tabs' counts arrive after the rows (case-tabs); the filtered state's tab is active.
        active = leader.locator(f"[data-testid=tab].active[data-state={CaseState.FILING}]")
        assert active.locator("[data-testid=tab-count]").inner_text() == "1"
        assert leader.locator("[data-testid=state-tabs-loading]").count() == 0
        leader.click(f"[data-testid=case-row][data-code='{case.code}'] [data-testid=case-link]")
        leader.click("[data-testid=action][data-action=approve_filing]")
        leader.locator("#ws-modal [data-testid=submit-action]").click()
        leader.wait_for_selector("text=当前状态“调查取证”")
        document = leader.locator("[data-testid=document][data-type=filing_approval]")
        case.refresh_from_db()
        assert case.filing_number and case.filing_number in document.inner_text()
        pdf = leader.request.get(document.locator("[data-testid=document-pdf]").get_attribute("href"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
        assert leader.locator("[data-testid=deadline][data-key=decision]").count() == 1
    finally:
        context.close()


def test_on_a_phone(phone_page, world, media, browser_login):
    page = phone_page
    browser_login(page, world.officer.username)
    page.goto("/cases/")
    case = register(page, world)
    add_party(case)
    staff(case, world)
    page.reload()
    # Nothing wider than the screen: tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click("[data-testid=action][data-action=propose_filing]")
    page.locator("#ws-modal [data-testid=submit-action]").click()
    page.wait_for_selector("text=当前状态“立案审批”")
    page.goto("/cases/")
    row = page.locator(f"[data-testid=case-row][data-code='{case.code}']")
    assert row.locator("[data-testid=state-phone]").inner_text() == "立案审批"
    assert not row.locator("[data-testid=state]").is_visible(), "the state column folds under the title"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_handled_clue_becomes_a_case_in_one_click(page, county, media, browser_login):
    # Issue 5, point 8: the clue page loads the button from the cases app; one click opens the case.
    from zhifa.intake.models import ClueStatus
    from zhifa.intake.tests.command_helpers import in_status
    from zhifa.intake.tests.helpers import build_intake_world
    from zhifa.org.models import RoleCode

    intake = build_intake_world(county)
    clue = in_status(intake, ClueStatus.HANDLING)
    browser_login(page, county.user(RoleCode.OFFICER, "t0").username)
    page.goto(f"/intake/clues/{clue.pk}/")
    page.click("[data-testid=submit-open-case]")
    page.wait_for_selector("[data-testid=ws-actions]")
    case = Case.objects.get(clue=clue)
    assert page.inner_text("[data-testid=case-code]") == case.code
    page.click("[data-testid=clue-link]")
    page.wait_for_selector(f"[data-testid=clue-case][data-code='{case.code}']")
    assert page.locator("[data-testid=submit-open-case]").count() == 0
    page.wait_for_load_state("networkidle")  # no request left running into the teardown
