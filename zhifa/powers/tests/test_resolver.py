"""The competence resolver on hand-built grant lists (APL Art. 24; LAW.md section 8)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pytest

from zhifa.org import testing
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, PowerItem, PowerType
from zhifa.powers.resolver import competence_for_matter, competent_agency
from zhifa.powers.resolver_index import CompetenceIndex

pytestmark = pytest.mark.django_db

JAN = datetime.date(2025, 1, 1)
JUL = datetime.date(2025, 7, 1)


def make_item(county: testing.TestCounty, code: str = "P001", domain: str = "market") -> PowerItem:
    return PowerItem.objects.create(
        code=code,
        name=f"事项{code}",
        power_type=PowerType.PENALTY,
        domain=county.domains[domain],
        original_subject="县市场监督管理局",
        basis_text="《中华人民共和国食品安全法》第一百二十六条",
    )


def make_list(
    county: testing.TestCounty,
    number: int,
    effective_from: datetime.date | None,
    grants: Sequence[tuple[PowerItem, int]] = (),
    status: str = GrantListStatus.PUBLISHED,
) -> GrantList:
    """A version granting each (item, township index) of `grants`."""
    grant_list = GrantList.objects.create(
        county=county.county,
        number=number,
        title="测试县赋权清单",
        status=status,
        effective_from=effective_from,
    )
    GrantEntry.objects.bulk_create(
        GrantEntry(grant_list=grant_list, item=item, township=county.townships[t]) for item, t in grants
    )
    return grant_list


def claim(
    county: testing.TestCounty,
    grant_list: GrantList,
    item: PowerItem,
    township: int = 0,
    claimed_on: datetime.date = JAN,
    withdrawn_on: datetime.date | None = None,
) -> Claim:
    return Claim.objects.create(
        grant_list=grant_list,
        item=item,
        township=county.townships[township],
        claimed_on=claimed_on,
        withdrawn_on=withdrawn_on,
        claimed_by=county.user("admin", "t0"),
    )


def agrees_with_index(county: testing.TestCounty, item: PowerItem, on_date: datetime.date, township: int = 0):
    """competent_agency, checked against the bulk index on the same data."""
    result = competent_agency(item, county.townships[township], on_date)
    index = CompetenceIndex.load(county.county)
    assert index.resolve(item.pk, county.townships[township].pk, on_date) == (
        result.agency.pk if result.agency else None,
        result.by_township,
        result.grant_list.pk if result.grant_list else None,
    )
    return result


def test_no_published_list_means_the_department(county):
    """APL Art. 22-24, LAW.md §8: without a published grant list in force the original department is
    competent; a draft that is not published grants nothing."""
    item = make_item(county)
    make_list(county, 1, None, [(item, 0)], status=GrantListStatus.COORDINATED)
    result = agrees_with_index(county, item, JUL)
    assert result.agency == county.department_agency
    assert not result.by_township
    assert result.grant_list is None
    assert "无生效的赋权清单" in result.reason


def test_published_but_not_granted_means_the_department(county):
    """APL Art. 24, LAW.md §8: a published version that does not grant the item to this township leaves
    it with the department (granting it to another township changes nothing here)."""
    item = make_item(county)
    version = make_list(county, 1, JAN, [(item, 1)])
    claim(county, version, item, township=1)
    result = agrees_with_index(county, item, JUL, township=0)
    assert result.agency == county.department_agency
    assert not result.by_township
    assert result.grant_list == version
    assert "未将该事项赋予" in result.reason
    assert agrees_with_index(county, item, JUL, township=1).by_township


def test_granted_but_not_claimed_means_the_department(county):
    """APL Art. 24, LAW.md §8 (seeds 000, 002): an item granted but not claimed by the township stays
    with the original department."""
    item = make_item(county)
    version = make_list(county, 1, JAN, [(item, 0)])
    result = agrees_with_index(county, item, JUL)
    assert result.agency == county.department_agency
    assert not result.by_township
    assert result.claim is None
    assert result.grant_list == version
    assert "尚未认领" in result.reason


def test_claim_not_yet_running_means_the_department(county):
    """APL Art. 24, LAW.md §8: the township holds the power from its claim date, not before."""
    item = make_item(county)
    version = make_list(county, 1, JAN, [(item, 0)])
    claim(county, version, item, claimed_on=datetime.date(2025, 3, 1))
    assert not agrees_with_index(county, item, datetime.date(2025, 2, 28)).by_township
    assert agrees_with_index(county, item, datetime.date(2025, 3, 1)).by_township


def test_granted_and_claimed_means_the_township_with_the_reason(county):
    """APL Art. 24, LAW.md §8 [HN-2025]: granted in the version in force and claimed, the township acts
    in its own name; the reason names the version, its effective date and the claim."""
    item = make_item(county)
    version = make_list(county, 1, JAN, [(item, 0)])
    the_claim = claim(county, version, item, claimed_on=datetime.date(2025, 2, 1))
    result = agrees_with_index(county, item, JUL)
    assert result.agency == county.township_agencies[0]
    assert result.by_township
    assert result.township == county.townships[0]
    assert result.grant_list == version
    assert result.claim == the_claim
    assert str(version) in result.reason
    assert "2025-01-01" in result.reason and "2025-02-01" in result.reason
    assert county.townships[0].name in result.reason


def test_date_before_effective_from_uses_the_previous_version(county):
    """APL Art. 24, LAW.md §8: a version applies from its effective date; before it the previous
    published version is in force."""
    item = make_item(county)
    first = make_list(county, 1, JAN, [(item, 0)])
    claim(county, first, item)
    second = make_list(county, 2, JUL, [(item, 0)])
    before = agrees_with_index(county, item, JUL - datetime.timedelta(days=1))
    assert before.grant_list == first
    assert before.by_township
    on = agrees_with_index(county, item, JUL)
    assert on.grant_list == second
    assert not on.by_township  # the claim belongs to the first version; the new one is not claimed yet


def test_later_version_dropping_the_item_returns_it_to_the_department(county):
    """APL Art. 24 (periodic adjustment), LAW.md §8: when a later version drops the item, the department
    is competent again from that version's effective date."""
    item, other = make_item(county, "P001"), make_item(county, "P002")
    first = make_list(county, 1, JAN, [(item, 0), (other, 0)])
    claim(county, first, item)
    second = make_list(county, 2, JUL, [(other, 0)])
    assert agrees_with_index(county, item, JUL - datetime.timedelta(days=1)).by_township
    after = agrees_with_index(county, item, JUL)
    assert after.agency == county.department_agency
    assert after.grant_list == second
    assert "未将该事项赋予" in after.reason


def test_same_effective_date_the_higher_version_wins(county):
    """APL Art. 24, LAW.md §8: two versions effective the same day — the higher number is in force."""
    item = make_item(county)
    make_list(county, 1, JAN, [(item, 0)])
    second = make_list(county, 2, JAN, [])
    result = agrees_with_index(county, item, JUL)
    assert result.grant_list == second
    assert not result.by_township


def test_withdrawn_claim_returns_the_item_to_the_department_from_withdrawn_on(county):
    """APL Art. 24, LAW.md §8: after the township withdraws its claim the department is competent again,
    from the withdrawal date."""
    item = make_item(county)
    version = make_list(county, 1, JAN, [(item, 0)])
    withdrawn = datetime.date(2025, 5, 1)
    claim(county, version, item, withdrawn_on=withdrawn)
    assert agrees_with_index(county, item, withdrawn - datetime.timedelta(days=1)).by_township
    result = agrees_with_index(county, item, withdrawn)
    assert not result.by_township
    assert result.agency == county.department_agency


def test_community_code_resolves_to_its_township(county):
    """APL Art. 24, LAW.md §8: a place inside a township (a community's code) is that township's."""
    item = make_item(county)
    version = make_list(county, 1, JAN, [(item, 0)])
    claim(county, version, item)
    result = competent_agency(item, county.communities[0].adcode, JUL)
    assert result.township == county.townships[0]
    assert result.agency == county.township_agencies[0]
    assert result.by_township
    by_region = competent_agency(item, county.communities[1], JUL)
    assert by_region.township == county.townships[1]
    assert not by_region.by_township
    index = CompetenceIndex.load([county.county])
    assert index.township_id(county.communities[0].adcode) == county.townships[0].pk


def test_place_outside_any_township_means_the_department(county):
    """APL Art. 22-24: at county level (no township) the department is competent."""
    item = make_item(county)
    version = make_list(county, 1, JAN, [(item, 0)])
    claim(county, version, item)
    result = competent_agency(item, county.county, JUL)
    assert result.township is None
    assert result.agency == county.department_agency
    assert "不在任何乡镇" in result.reason


def test_item_without_a_department_for_its_domain_has_no_agency(county):
    """APL Art. 22-23: the department is the one whose domains cover the item's; none is set up here."""
    item = make_item(county, domain="ecology")
    result = agrees_with_index(county, item, JUL)
    assert result.agency is None
    assert not result.by_township


def test_matter_with_items_of_different_agencies_goes_to_the_joint_meeting(county):
    """APL Art. 24, LAW.md §8 (seed 001, joint meeting): when the items of one matter have different
    competent agencies, the matter is flagged for the joint meeting."""
    granted, kept = make_item(county, "P001"), make_item(county, "P002")
    version = make_list(county, 1, JAN, [(granted, 0), (kept, 0)])
    claim(county, version, granted)
    matter = competence_for_matter([granted, kept], county.townships[0], JUL)
    assert [p.agency for p in matter.parts] == [county.township_agencies[0], county.department_agency]
    assert matter.joint_meeting
    assert set(matter.agencies) == {county.township_agencies[0], county.department_agency}
    claim(county, version, kept)
    assert not competence_for_matter([granted, kept], county.townships[0], JUL).joint_meeting
