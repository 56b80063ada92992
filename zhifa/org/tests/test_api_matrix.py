"""API authorization matrix (issue 2, point 5): role x object x action through the JSON API.

The API reads through the same scoping function as the pages; an object outside the caller's scope
is a 404 carrying no data (not 403), identical to an object that does not exist.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from zhifa.core.api_testing import API, token_client
from zhifa.org.models import Certificate

pytestmark = pytest.mark.django_db

ROLES = [
    ("officer", "t0"),
    ("team_leader", "t0"),
    ("officer", "dept"),
    ("justice_bureau", "county"),
    ("dispatcher", "county"),
    ("zone_leader", "county"),
    ("grid_worker", "t0"),
    ("admin", "county"),
]
COUNTY_WIDE = {("justice_bureau", "county"), ("dispatcher", "county"), ("admin", "county")}
# Who sees each object. Written out, not computed from the scoping code, so that the table checks it.
SEES: dict[str, set[tuple[str, str]]] = {
    # t0 staff and the zone leader of the zone holding t0; not the department, not the grid worker
    # (a grid worker sees their community only).
    "person_t0": COUNTY_WIDE | {("officer", "t0"), ("team_leader", "t0"), ("zone_leader", "county")},
    "person_t1": COUNTY_WIDE,
    "certificate_t1": COUNTY_WIDE,
    "team_t1": COUNTY_WIDE,
    "grid_t1": COUNTY_WIDE,
}
ENDPOINTS = {
    "person_t0": "/org/people",
    "person_t1": "/org/people",
    "certificate_t1": "/certificates",
    "team_t1": "/org/teams",
    "grid_t1": "/org/grid-cells",
}


def target(world, name: str) -> Any:
    if name == "person_t0":
        return world.person("officer", "t0")
    if name == "person_t1":
        return world.person("officer", "t1")
    if name == "certificate_t1":
        return Certificate.objects.get(holder=world.person("officer", "t1"))
    if name == "team_t1":
        return world.teams[1]
    return world.grid[1]


def listed_ids(client, endpoint: str) -> set[int]:
    response = client.get(f"{API}{endpoint}", {"limit": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] <= 100, "the test county must fit in one page"
    return {item["id"] for item in body["items"]}


def assert_not_found_without_data(response) -> None:
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "field": None, "message": "未找到。"}


@pytest.mark.parametrize("action", ["list", "get"])
@pytest.mark.parametrize("obj", list(SEES))
@pytest.mark.parametrize(("role", "place"), ROLES)
def test_role_object_action(county, role, place, obj, action):
    client = token_client(county.user(role, place))
    item = target(county, obj)
    allowed = (role, place) in SEES[obj]
    if action == "list":
        assert (item.pk in listed_ids(client, ENDPOINTS[obj])) is allowed
    else:
        response = client.get(f"{API}{ENDPOINTS[obj]}/{item.pk}")
        if allowed:
            assert response.status_code == 200
            assert response.json()["id"] == item.pk
        else:
            assert_not_found_without_data(response)


@pytest.mark.parametrize(("role", "place"), [*ROLES, ("superuser", "")])
def test_another_countys_objects_are_404_for_everyone_but_the_superuser(county, other_county, role, place):
    if role == "superuser":
        user = get_user_model().objects.create(username="root", is_superuser=True, is_staff=True)
    else:
        user = county.user(role, place)
    client = token_client(user)
    missing = client.get(f"{API}/org/people/999999")
    assert_not_found_without_data(missing)
    for obj, endpoint in ENDPOINTS.items():
        item = target(other_county, obj)
        response = client.get(f"{API}{endpoint}/{item.pk}")
        in_list = item.pk in listed_ids(client, endpoint)
        if role == "superuser":
            assert response.status_code == 200 and in_list, obj
        else:
            assert response.content == missing.content, obj  # indistinguishable from a missing id
            assert not in_list, obj
    # Directory data of another county is out of reach too.
    region = client.get(f"{API}/org/regions/{other_county.county.adcode}")
    assert region.status_code == (200 if role == "superuser" else 404)


def test_user_without_person_sees_nothing(county):
    client = token_client(get_user_model().objects.create(username="nobody"))
    assert client.get(f"{API}/org/people").json() == {"count": 0, "items": []}
    assert client.get(f"{API}/certificates").json() == {"count": 0, "items": []}
    assert client.get(f"{API}/org/regions").json()["count"] == 0
