"""The powers JSON API: items, grant lists, claims and the competence resolver."""

from __future__ import annotations

import pytest

from zhifa.core.api_testing import API, token_client
from zhifa.org.models import RoleCode
from zhifa.powers.services import claims as claim_services
from zhifa.powers.services import grants as services
from zhifa.powers.tests.grant_helpers import JAN, county_admin, leader, make_items, published_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(county):
    items = make_items(county)
    gl = published_list(county, {0: items[:2]})
    claim_services.claim_create(
        actor=leader(county), grant_list=gl, township=county.townships[0], item=items[0], claimed_on=JAN
    )
    return county, items, gl


@pytest.fixture
def officer(county):
    return token_client(county.user(RoleCode.OFFICER, "t1"))


def test_items_filters_and_detail(world, officer):
    _county, items, _gl = world
    body = officer.get(f"{API}/items", {"q": items[1].code, "power_type": "penalty"}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == items[1].code
    assert officer.get(f"{API}/items", {"domain": "urban"}).json()["count"] == 0
    assert officer.get(f"{API}/items", {"limit": 2, "offset": 2}).json()["items"][0]["code"] == items[2].code
    detail = officer.get(f"{API}/items/{items[0].code}").json()
    assert detail["basis_text"] == items[0].basis_text and detail["domain"]["code"] == "market"
    assert officer.get(f"{API}/items/NOPE").status_code == 404
    assert officer.get(f"{API}/items", {"power_type": "bogus"}).json()["field"] == "power_type"


def test_grant_lists_scoped_by_county(world, officer, other_county):
    county, items, gl = world
    body = officer.get(f"{API}/grant-lists", {"county": county.county.adcode}).json()
    assert [v["id"] for v in body["items"]] == [gl.pk] and body["items"][0]["status"] == "published"
    detail = officer.get(f"{API}/grant-lists/{gl.pk}").json()
    assert sorted(e["item"] for e in detail["entries"]) == sorted(i.code for i in items[:2])
    outsider = token_client(county_admin(other_county))
    assert outsider.get(f"{API}/grant-lists/{gl.pk}").status_code == 404
    assert outsider.get(f"{API}/grant-lists").json()["count"] == 0


def test_claims_list(world, officer):
    county, items, _gl = world
    body = officer.get(f"{API}/claims", {"township": county.townships[0].adcode}).json()
    assert [c["item"] for c in body["items"]] == [items[0].code]
    assert officer.get(f"{API}/claims", {"township": county.townships[1].adcode}).json()["count"] == 0


def test_competence_by_region_and_by_point(world, officer):
    """APL Art. 24: granted and claimed → the township; otherwise the original department."""
    county, items, gl = world
    by_region = officer.get(
        f"{API}/competence",
        {"item": items[0].code, "region": county.communities[0].adcode, "date": "2026-02-01"},
    ).json()
    assert by_region["by_township"] is True
    assert by_region["agency"] == {
        "id": county.township_agencies[0].pk,
        "name": county.township_agencies[0].name,
    }
    assert by_region["grant_list"]["id"] == gl.pk and by_region["claim"]["item"] == items[0].code
    # The point (0.5, 0.5) lies in the first township's community cell; (1.5, 0.5) in the second's.
    unclaimed = officer.get(
        f"{API}/competence", {"item": items[1].code, "lng": 0.5, "lat": 0.5, "date": "2026-02-01"}
    ).json()
    assert unclaimed["by_township"] is False and unclaimed["agency"]["id"] == county.department_agency.pk
    assert "尚未认领" in unclaimed["reason"]
    elsewhere = officer.get(
        f"{API}/competence", {"item": items[0].code, "lng": 1.5, "lat": 0.5, "date": "2026-02-01"}
    ).json()
    assert elsewhere["by_township"] is False
    before = officer.get(
        f"{API}/competence",
        {"item": items[0].code, "region": county.townships[0].adcode, "date": "2025-12-31"},
    ).json()
    assert before["grant_list"] is None and before["agency"]["id"] == county.department_agency.pk


def test_competence_bad_input_is_never_a_500(world, officer):
    county, items, _gl = world
    cases = [
        ({"item": "NOPE", "region": county.townships[0].adcode}, 400, "item"),
        ({"item": items[0].code}, 400, "region"),
        ({"item": items[0].code, "lng": 50, "lat": 50}, 400, "lat"),
        ({"item": items[0].code, "lng": 500, "lat": 0}, 422, "lng"),
        ({"item": items[0].code, "region": "12"}, 422, "region"),
        ({"item": items[0].code, "region": county.townships[0].adcode, "date": "2026-13-01"}, 422, "date"),
    ]
    for params, status, field in cases:
        response = officer.get(f"{API}/competence", params)
        assert response.status_code == status, (params, response.content)
        assert response.json()["field"] == field


def test_draft_entries_do_not_change_competence(world, officer):
    county, items, gl = world
    draft = services.grant_list_create_version(
        actor=county_admin(county), county=county.county, title="草稿", based_on=gl
    )
    assert draft.entries.count() == 2
    answer = officer.get(
        f"{API}/competence",
        {"item": items[0].code, "region": county.townships[0].adcode, "date": "2026-02-01"},
    ).json()
    assert answer["grant_list"]["id"] == gl.pk
