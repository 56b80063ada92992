"""In Chromium: a township leader drafts its selection, claims a granted item; the public sees it."""

from __future__ import annotations

import pytest

from zhifa.powers.models import Claim, GrantEntry
from zhifa.powers.services import grants as services
from zhifa.powers.tests.grant_helpers import county_admin, leader, make_items, published_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_selects_claims_and_public_page_shows_it(county, page, browser_login):
    items = make_items(county)
    published = published_list(county, {0: items[:1]})
    draft = services.grant_list_create_version(
        actor=county_admin(county), county=county.county, title="调整版", based_on=published
    )
    township = county.townships[0]
    browser_login(page, leader(county).username)

    page.goto(f"/powers/grants/{draft.pk}/")
    page.click(f'[data-testid="select-{township.adcode}"]')
    page.check(f'input[data-code="{items[2].code}"]')
    page.fill(f'input[name="note_{items[2].pk}"]', "限集镇区域")
    page.fill("#id_comment", "经班子会研究")
    page.click('[data-testid="submit-selection"]')
    page.wait_for_url(f"**/powers/grants/{draft.pk}/")
    assert "经班子会研究" in page.inner_text('[data-testid="steps"]')
    assert GrantEntry.objects.get(grant_list=draft, item=items[2]).note == "限集镇区域"

    page.goto(f"/powers/grants/claims/{township.adcode}/")
    page.fill(f'[data-testid="claim-row-{items[0].code}"] input[name="claimed_on"]', "2026-01-05")
    page.click(f'[data-testid="claim-{items[0].code}"]')
    page.wait_for_selector(f'[data-testid="claim-row-{items[0].code}"] [data-testid="claimed"]')
    assert Claim.objects.filter(grant_list=published, item=items[0], township=township).exists()

    page.goto(f"/grants/{township.adcode}/")
    claimed = page.inner_text('[data-testid="claimed-items"]')
    assert items[0].name in claimed and items[0].basis_text in claimed
    assert "调整版" not in page.content()
