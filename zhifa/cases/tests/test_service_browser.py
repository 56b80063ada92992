"""Electronic service in a real Chromium: the officer sends the penalty decision from the workspace, the
party opens the link on a phone with the code, and the case moves to execution (APL Art. 61, 67; CPL
Art. 90); the payment section then shows the due date."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from zhifa.cases.models import CaseState, DocType
from zhifa.cases.tests.execution_factories import consenting, decided_case, document_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_party_opens_the_decision_on_a_phone(page, phone_page, live_server, world, media, browser_login):
    cache.clear()
    case = decided_case(world)
    consenting(case, world)
    decision = document_of(case, DocType.PENALTY_DECISION)
    browser_login(page, world.officer.username)
    page.goto(f"/cases/{case.pk}/")
    section = page.locator("[data-testid=ws-service]")
    section.locator("#es-document").select_option(str(decision.pk))
    section.locator("[data-testid=eservice-submit]").click()
    page.wait_for_selector("[data-testid=eservice-issued]")
    link = page.input_value("[data-testid=eservice-link]")
    code = page.input_value("[data-testid=eservice-code]")
    page.screenshot(path=str(media / "officer.png"), full_page=True)

    phone_page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert decision.number not in phone_page.content()
    phone_page.fill("[data-testid=eservice-code-input]", code)
    phone_page.click("[data-testid=eservice-open]")
    phone_page.wait_for_selector("[data-testid=eservice-document]")
    assert decision.number in phone_page.inner_text("[data-testid=eservice-document]")
    phone_page.screenshot(path=str(media / "party.png"), full_page=True)

    case.refresh_from_db()
    assert case.state == CaseState.EXECUTING
    page.goto(f"/cases/{case.pk}/")
    assert page.inner_text("[data-testid=pay-due]") == case.payment_due_on.isoformat()
    assert (
        page.get_attribute(f"[data-testid=service-row][data-doc={DocType.PENALTY_DECISION}]", "data-status")
        == "served"
    )
    page.screenshot(path=str(media / "workspace.png"), full_page=True)
