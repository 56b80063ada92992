"""Grant list pages and the public disclosure pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.org.models import RoleCode
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus
from zhifa.powers.services import claims as claim_services
from zhifa.powers.services import grants as services
from zhifa.powers.tests.grant_helpers import JAN, county_admin, leader, make_items, published_list

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def items(county):
    return make_items(county)


def test_index_lists_versions_with_badges_and_create_link(county, items):
    published_list(county, {0: items[:1]})
    services.grant_list_create_version(actor=county_admin(county), county=county.county, title="第二版草稿")
    page = client_for(county_admin(county)).get(reverse("grant-list-index")).content.decode()
    assert "已发布" in page and "乡镇梳理中" in page and "第二版草稿" in page
    assert reverse("grant-list-create", args=[county.county.adcode]) in page
    officer_page = client_for(county.user(RoleCode.OFFICER, "t0")).get(reverse("grant-list-index"))
    assert reverse("grant-list-create", args=[county.county.adcode]) not in officer_page.content.decode()


def test_create_version_through_the_form(county, items):
    first = published_list(county, {0: items[:2]})
    response = client_for(county_admin(county)).post(
        reverse("grant-list-create", args=[county.county.adcode]), {"title": "调整版", "based_on": first.pk}
    )
    created = GrantList.objects.get(title="调整版")
    assert response.status_code == 302 and created.entries.count() == 2
    denied = client_for(leader(county)).get(reverse("grant-list-create", args=[county.county.adcode]))
    assert denied.status_code == 403


def test_other_countys_version_is_404(county, other_county, items):
    gl = published_list(county, {0: items[:1]})
    outsider = client_for(county_admin(other_county))
    assert outsider.get(reverse("grant-list-detail", args=[gl.pk])).status_code == 404
    assert outsider.get(reverse("grant-list-diff", args=[gl.pk, gl.pk])).status_code == 404
    assert outsider.get(reverse("grant-claims", args=[county.townships[0].adcode])).status_code == 404


def test_detail_groups_entries_and_offers_the_next_step(county, items):
    gl = services.grant_list_create_version(actor=county_admin(county), county=county.county, title="清单")
    services.grant_entries_set_for_township(
        actor=leader(county), grant_list=gl, township=county.townships[0], items=items[:2], comment="请审核"
    )
    admin_page = (
        client_for(county_admin(county)).get(reverse("grant-list-detail", args=[gl.pk])).content.decode()
    )
    assert (
        'data-testid="step-confirm"' in admin_page and "请审核" in admin_page and items[1].name in admin_page
    )
    leader_page = client_for(leader(county)).get(reverse("grant-list-detail", args=[gl.pk])).content.decode()
    assert "step-confirm" not in leader_page
    assert reverse("grant-township-select", args=[gl.pk, county.townships[0].adcode]) in leader_page
    assert reverse("grant-township-select", args=[gl.pk, county.townships[1].adcode]) not in leader_page


def test_step_post_advances_and_a_stale_form_is_told_why(county):
    gl = services.grant_list_create_version(actor=county_admin(county), county=county.county, title="清单")
    url = reverse("grant-list-step", args=[gl.pk, "confirm"])
    client = client_for(county_admin(county))
    client.post(url, {"comment": "同意", "version": gl.version})
    assert GrantList.objects.get(pk=gl.pk).status == GrantListStatus.CONFIRMED
    second = client_for(county.user(RoleCode.JUSTICE_BUREAU, "county"))
    response = second.post(url, {"comment": "同意", "version": gl.version}, follow=True)
    assert "已被他人处理" in response.content.decode()
    assert client_for(leader(county)).post(url, {"version": 2}).status_code == 403


def test_township_selection_form(county, items):
    gl = services.grant_list_create_version(actor=county_admin(county), county=county.county, title="清单")
    url = reverse("grant-township-select", args=[gl.pk, county.townships[0].adcode])
    client = client_for(leader(county))
    page = client.get(url).content.decode()
    assert page.count('type="checkbox" name="items"') == len(items)
    response = client.post(
        url,
        {"items": [items[0].pk, items[2].pk], f"note_{items[2].pk}": "限集镇", "comment": "", "version": 1},
    )
    assert response.status_code == 302
    assert dict(GrantEntry.objects.filter(grant_list=gl).values_list("item_id", "note")) == {
        items[0].pk: "",
        items[2].pk: "限集镇",
    }
    assert client_for(leader(county, "t1")).get(url).status_code == 403


def test_diff_page_shows_added_removed_changed(county, items):
    first = published_list(county, {0: items[:2]})
    second = services.grant_list_create_version(
        actor=county_admin(county), county=county.county, title="调整", based_on=first
    )
    services.grant_entries_set_for_township(
        actor=leader(county),
        grant_list=second,
        township=county.townships[0],
        items=[(items[1], "新备注"), items[2]],
        comment="",
    )
    client = client_for(county.user(RoleCode.OFFICER, "t1"))
    page = client.get(reverse("grant-list-diff", args=[second.pk, first.pk])).content.decode()
    added = page.split('data-testid="diff-added"')[1].split('data-testid="diff-removed"')[0]
    removed = page.split('data-testid="diff-removed"')[1].split('data-testid="diff-changed"')[0]
    changed = page.split('data-testid="diff-changed"')[1]
    assert items[2].code in added and items[0].code not in added
    assert items[0].code in removed and items[2].code not in removed
    assert items[1].code in changed and "新备注" in changed


def test_claims_page_claims_and_withdraws(county, items):
    gl = published_list(county, {0: items[:2]})
    url = reverse("grant-claims", args=[county.townships[0].adcode])
    client = client_for(leader(county))
    page = client.get(url).content.decode()
    assert f'data-testid="claim-{items[0].code}"' in page and items[2].code not in page
    client.post(url, {"item": items[0].pk, "claimed_on": "2026-02-01"})
    claim = Claim.objects.get(grant_list=gl, item=items[0])
    client.post(url, {"item": items[2].pk, "claimed_on": "2026-02-01"})
    assert Claim.objects.count() == 1
    client.post(
        url, {"withdraw": "1", "claim": claim.pk, "version": claim.version, "withdrawn_on": "2026-03-01"}
    )
    assert Claim.objects.get(pk=claim.pk).withdrawn_on == datetime.date(2026, 3, 1)
    officer = client_for(county.user(RoleCode.OFFICER, "t0"))
    assert "claim-" not in officer.get(url).content.decode().replace("claim-row", "")
    assert officer.post(url, {"item": items[1].pk, "claimed_on": "2026-02-01"}).status_code == 403


# --- Public disclosure -------------------------------------------------------------------------------


def test_public_pages_show_published_claimed_items_without_login(county, items):
    """APL Art. 24 and 39: the granted powers, their basis and effective date are public."""
    gl = published_list(county, {0: items[:2]})
    claim_services.claim_create(
        actor=leader(county), grant_list=gl, township=county.townships[0], item=items[0], claimed_on=JAN
    )
    services.grant_list_create_version(actor=county_admin(county), county=county.county, title="未发布草稿")
    client = Client()
    index = client.get(reverse("grants-public")).content.decode()
    assert reverse("grants-public-township", args=[county.townships[0].adcode]) in index
    page = client.get(reverse("grants-public-township", args=[county.townships[0].adcode])).content.decode()
    claimed = page.split('data-testid="claimed-items"')[1].split("</table>")[0]
    assert items[0].name in claimed and items[0].basis_text in claimed and items[1].name not in claimed
    assert "2026-01-01" in page and "未发布草稿" not in page
    old = client.get(reverse("grants-public-version", args=[county.townships[0].adcode, gl.number]))
    assert old.status_code == 200 and items[0].name in old.content.decode()


def test_unpublished_versions_are_never_public(county, items):
    draft = services.grant_list_create_version(actor=county_admin(county), county=county.county, title="草稿")
    client = Client()
    assert county.county.name not in client.get(reverse("grants-public")).content.decode()
    url = reverse("grants-public-version", args=[county.townships[0].adcode, draft.number])
    assert client.get(url).status_code == 404
    assert client.get(reverse("grants-public-township", args=["999999999999"])).status_code == 404
    page = client.get(reverse("grants-public-township", args=[county.townships[0].adcode])).content.decode()
    assert 'data-testid="no-version"' in page


def test_published_detail_offers_no_step_and_says_why(county, items):
    gl = published_list(county, {0: items[:1]})
    page = client_for(county_admin(county)).get(reverse("grant-list-detail", args=[gl.pk])).content.decode()
    assert "已发布的版本不得修改" in page and 'data-testid="step-form"' not in page
    assert 'data-testid="return-form"' not in page
