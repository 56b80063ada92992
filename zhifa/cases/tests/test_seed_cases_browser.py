"""The seeds' cases through the pages, in a real Chromium (issue 5 point 9): the officer, the team leader
and the legal reviewer of the demo county's first township log in and take the Longcheng case and the
first minor violation through their steps, filling the forms; the workspace shows the time limits and
the steps that may not be taken now, with the reasons (issue 5 point 1).

The acts before the first step driven here (registering the case, its party, officers and evidence) are
made through the same services by zhifa.cases.scenarios, to keep each test well under a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from zhifa.cases.models import Case, CaseState, DocType, Outcome
from zhifa.cases.scenarios import run_story
from zhifa.conftest import login
from zhifa.org.generate.demo import DEMO_ADCODE, DEMO_PASSWORD
from zhifa.org.models import Region, Role, RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_county(transactional_db, settings, tmp_path) -> Region:
    from zhifa.org.generate.demo import load_demo
    from zhifa.powers.demo import load_power_demo

    settings.MEDIA_ROOT = tmp_path
    # The roles come from a data migration (org 0002); a flush after an earlier transactional test
    # removes them, and the demo generator expects them.
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)
    load_demo()
    county = Region.objects.get(adcode=DEMO_ADCODE)
    load_power_demo(county)
    return county


@pytest.fixture
def people(browser, live_server) -> Iterator[Callable[[Any], Any]]:
    """A page logged in as a given user (one browser context per user, kept for the test)."""
    pages: dict[str, Any] = {}
    contexts = []

    def page_of(user: Any) -> Any:
        if user.username not in pages:
            context = browser.new_context(
                locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
            )
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(20_000)
            login(page, user.username, DEMO_PASSWORD)
            pages[user.username] = page
        return pages[user.username]

    yield page_of
    for context in contexts:
        context.close()


def workspace(page: Any, case: Case) -> Any:
    page.goto(f"/cases/{case.pk}/")
    page.wait_for_selector("[data-testid=ws-actions]")
    return page


def act(page: Any, case: Case, name: str, fill: Callable[[Any], None] | None = None) -> Any:
    """Open step `name` from the workspace, fill its form and send it."""
    workspace(page, case)
    page.click(f'[data-testid=action][data-action="{name}"]')
    form = page.locator(f'form[data-testid=action-form][data-action="{name}"]')
    form.wait_for()
    if fill is not None:
        fill(form)
    form.locator("[data-testid=submit-action]").click()
    page.wait_for_load_state("networkidle")
    return form


def refused_reasons(page: Any, name: str) -> str:
    return page.locator(f'[data-testid=refused][data-action="{name}"]').inner_text()


def state(case: Case) -> str:
    case.refresh_from_db()
    return case.state


def serve_on_page(page: Any, case: Case, doc_type: str, recipient: str) -> None:
    """Record direct service on the workspace's service form (CPL Art. 87)."""
    workspace(page, case)
    document = case.documents.filter(doc_type=doc_type).latest("id")
    form = page.locator("[data-testid=service-record-form]")
    form.locator("#sr-document").select_option(str(document.pk))
    form.locator("#sr-method").select_option("direct")
    form.locator("#sr-served-at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form.locator("#sr-recipient").fill(recipient)
    form.locator("[data-testid=service-record-submit]").click()
    page.wait_for_load_state("networkidle")
    assert case.services.filter(document=document, served_at__isnull=False).exists()


def review_on_page(page: Any, case: Case, opinion: str) -> None:
    """The reviewer answers every GO118 (十三) check and passes the review."""
    review = case.reviews.get(status="pending")
    page.goto(f"/cases/reviews/{review.pk}/")
    checklist = page.locator("[data-testid=review-checklist]")
    for radio in checklist.locator('input[type=radio][value="pass"]').all():
        radio.check()
    checklist.locator("#review-opinion").fill(opinion)
    qualified = checklist.locator("#review-qualified")
    if qualified.count():
        qualified.check()
    checklist.locator("[data-testid=review-submit]").click()
    page.wait_for_load_state("networkidle")


def test_longcheng_from_filing_to_review_through_the_pages(demo_county, people):
    """Officer proposes filing, leader approves; the notice's fine outside the item's range is refused
    with the reason; after service the review is greyed until the statement period runs or the party
    waives (APL Art. 44-45, 62); the reviewer passes the checklist."""
    run = run_story("longcheng", demo_county, until="evidence")
    case, cast = run.case, run.cast
    officer, leader, reviewer = people(cast.officer), people(cast.leader), people(cast.reviewer)

    workspace(officer, case)
    assert officer.locator('[data-testid=deadline]:has-text("立案")').count() >= 1
    act(officer, case, "propose_filing", lambda f: f.locator("#id_act-note").fill("符合立案条件。"))
    assert state(case) == CaseState.FILING
    workspace(officer, case)
    assert "角色" in refused_reasons(officer, "approve_filing")  # the leader approves (APL Art. 54)

    act(leader, case, "approve_filing")
    assert state(case) == CaseState.INVESTIGATING and case.filing_number

    def notice(fine: str) -> Callable[[Any], None]:
        def fill(form: Any) -> None:
            form.locator('input[name="act-intended_types"][value="罚款"]').check()
            form.locator("#id_act-intended_fine").fill(fine)

        return fill

    act(officer, case, "notify", notice("60000"))  # above the item's 50,000 (APL Art. 4)
    assert "上限" in officer.locator("[data-testid=action-errors]").inner_text()
    assert state(case) == CaseState.INVESTIGATING
    act(officer, case, "notify", notice("10000"))
    assert state(case) == CaseState.NOTIFIED

    serve_on_page(officer, case, DocType.NOTICE_OF_INTENDED_PENALTY, "陈志强")
    workspace(officer, case)
    assert "陈述申辩期" in refused_reasons(officer, "submit_review")
    statements = officer.locator("[data-testid=form-statement]")
    officer.locator('summary:has-text("登记陈述申辩")').click()
    statements.locator("select[name$=kind]").select_option("waiver")
    statements.locator("input[name$=received_on]").fill(timezone.localdate().isoformat())
    statements.locator("textarea[name$=content]").fill("本单位对告知内容无异议，放弃陈述、申辩。")
    statements.locator("button[type=submit]").click()
    officer.wait_for_selector('[data-testid=statement-row][data-kind="waiver"]')
    assert case.statements.filter(kind="waiver").exists()

    act(officer, case, "submit_review")
    assert state(case) == CaseState.REVIEW
    review_on_page(reviewer, case, "主体适格，事实清楚，证据确凿，程序合法，同意。")
    assert state(case) == CaseState.DECIDING
    assert case.documents.filter(doc_type=DocType.LEGAL_REVIEW_OPINION).exists()


def test_longcheng_from_decision_to_closing_through_the_pages(demo_county, people):
    """Leader decides within the notified fine; officer serves, issues the payment notice and records
    the bank's confirmation (APL Art. 67); leader closes with the case file complete."""
    run = run_story("longcheng", demo_county, until="deciding")
    case, cast = run.case, run.cast
    officer, leader = people(cast.officer), people(cast.leader)

    def decision(form: Any) -> None:
        form.locator('input[name="act-penalty_types"][value="罚款"]').check()
        form.locator("#id_act-fine_amount").fill("8000")

    act(leader, case, "decide_penalty", decision)
    assert state(case) == CaseState.DECIDED and case.decision_number
    serve_on_page(officer, case, DocType.PENALTY_DECISION, "陈志强")
    assert state(case) == CaseState.EXECUTING

    workspace(officer, case)
    assert officer.locator('[data-testid=deadline]:has-text("缴纳")').count() == 1
    # Wait for the POST's redirect itself: "networkidle" can hold before the navigation has begun.
    with officer.expect_navigation():
        officer.locator("[data-testid=payment-notice-submit]").click()
    notice = case.payment_notices.get()
    workspace(officer, case)
    bank = officer.locator("[data-testid=payment-bank-form]")
    bank.locator("#pay-amount").fill(str(notice.amount))
    bank.locator("#pay-paid_on").fill(timezone.localdate().isoformat())
    bank.locator("#pay-bank_reference").fill("BOC20261204000123")
    with officer.expect_navigation():
        bank.locator("[data-testid=payment-bank-submit]").click()
    assert state(case) == CaseState.EXECUTED

    act(leader, case, "close", lambda f: f.locator("#id_act-note").fill("执行完毕，同意结案。"))
    assert state(case) == CaseState.CLOSED and case.outcome == Outcome.PENALTY
    assert case.documents.filter(doc_type=DocType.CLOSING_APPROVAL).exists()


def test_first_minor_violation_without_penalty_through_the_pages(demo_county, people):
    """APL Art. 33 para 1: the officer proposes no penalty; while under review the leader is offered no
    decision; the reviewer passes; the leader decides no penalty; served; closed."""
    run = run_story("first_minor", demo_county, until="investigating")
    case, cast = run.case, run.cast
    officer, leader, reviewer = people(cast.officer), people(cast.leader), people(cast.reviewer)

    reason = "当事人初次违法，危害后果轻微并已当场改正，依据《行政处罚法》第三十三条第一款不予行政处罚。"
    act(officer, case, "propose_no_penalty", lambda f: f.locator("#id_act-reason").fill(reason))
    assert state(case) == CaseState.REVIEW
    workspace(leader, case)
    assert leader.locator('[data-testid=action][data-action="decide_no_penalty"]').count() == 0

    review_on_page(reviewer, case, "符合首违不罚情形，同意不予行政处罚。")
    assert state(case) == CaseState.DECIDING
    act(leader, case, "decide_no_penalty", lambda f: f.locator("#id_act-reason").fill(reason))
    assert state(case) == CaseState.DECIDED
    serve_on_page(officer, case, DocType.NO_PENALTY_DECISION, "李秀英")
    assert state(case) == CaseState.EXECUTED
    act(leader, case, "close")
    assert state(case) == CaseState.CLOSED and case.outcome == Outcome.NO_PENALTY
