"""Home page per role with navigation to what that role does (issue 2, point 2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db

ROLE_PLACES = [
    (RoleCode.DISPATCHER, "county"),
    (RoleCode.OFFICER, "t0"),
    (RoleCode.TEAM_LEADER, "t0"),
    (RoleCode.LEGAL_REVIEWER, "t0"),
    (RoleCode.ZONE_LEADER, "county"),
    (RoleCode.JUSTICE_BUREAU, "county"),
    (RoleCode.ADMIN, "county"),
    (RoleCode.GRID_WORKER, "t0"),
]


@pytest.mark.parametrize(("role", "place"), ROLE_PLACES)
def test_each_role_gets_its_home_card(client, county, role, place):
    client.force_login(county.user(role, place))
    html = client.get(reverse("home")).content.decode()
    assert f'data-role="{role}"' in html
    others = {r for r, _ in ROLE_PLACES} - {role}
    for other in others:
        assert f'data-role="{other}"' not in html


def test_officer_home_shows_own_certificate_and_township_counts_only(client, county):
    officer = county.user(RoleCode.OFFICER, "t0")
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    own = officer.person.certificates.get()
    other = county.person(RoleCode.OFFICER, "t1").certificates.get()
    assert own.number in html
    assert other.number not in html


def test_team_leader_sees_team_members(client, county):
    client.force_login(county.user(RoleCode.TEAM_LEADER, "t0"))
    html = client.get(reverse("home")).content.decode()
    assert county.person(RoleCode.OFFICER, "t0").name in html
    assert county.person(RoleCode.OFFICER, "t1").name not in html


def test_zone_leader_sees_zone_townships(client, county):
    client.force_login(county.user(RoleCode.ZONE_LEADER, "county"))
    html = client.get(reverse("home")).content.decode()
    assert county.zone.name in html and county.townships[0].name in html


def test_home_query_count_does_not_depend_on_role_cards(client, county, django_assert_max_num_queries):
    client.force_login(county.user(RoleCode.TEAM_LEADER, "t0"))
    with django_assert_max_num_queries(25):
        client.get(reverse("home"))
