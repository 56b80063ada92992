"""Authorization matrix for the pages: role x object x action (issue 2, point 5).

The expected answers are written out by hand from the scoping rules (docs/architecture.md): 200 when
the role may act, 403 when it may see the object but not act, 404 when the object is outside its scope
(another township's or county's object reached by id: no data, not even its existence).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhifa.org.models import Certificate, GridLevel, RoleCode

pytestmark = pytest.mark.django_db

# Subjects: (role, place). Objects: P0/P1 = the officer of township 0/1, C1 = the certificate of P1,
# T1 = township 1's team, G1 = township 1's community grid cell, X = an officer of another county.
SUBJECTS = {
    "officer_t0": (RoleCode.OFFICER, "t0"),
    "leader_t0": (RoleCode.TEAM_LEADER, "t0"),
    "reviewer_t0": (RoleCode.LEGAL_REVIEWER, "t0"),
    "grid_worker_t0": (RoleCode.GRID_WORKER, "t0"),
    "admin_t0": (RoleCode.ADMIN, "t0"),
    "officer_dept": (RoleCode.OFFICER, "dept"),
    "zone_leader": (RoleCode.ZONE_LEADER, "county"),
    "dispatcher": (RoleCode.DISPATCHER, "county"),
    "justice": (RoleCode.JUSTICE_BUREAU, "county"),
    "admin_county": (RoleCode.ADMIN, "county"),
}

#            P0   P1   C1   T1   G1   X
VIEW = {
    "officer_t0": (200, 404, 404, 404, 404, 404),
    "leader_t0": (200, 404, 404, 404, 404, 404),
    "reviewer_t0": (200, 404, 404, 404, 404, 404),
    "grid_worker_t0": (404, 404, 404, 404, 404, 404),
    "admin_t0": (200, 404, 404, 404, 404, 404),
    "officer_dept": (404, 404, 404, 404, 404, 404),
    "zone_leader": (200, 404, 404, 404, 404, 404),
    "dispatcher": (200, 200, 200, 200, 200, 404),
    "justice": (200, 200, 200, 200, 200, 404),
    "admin_county": (200, 200, 200, 200, 200, 404),
    "superuser": (200, 200, 200, 200, 200, 200),
}
#            P0   P1   T1   G1   X      (edit pages)
EDIT = {
    "officer_t0": (403, 404, 404, 404, 404),
    "leader_t0": (403, 404, 404, 404, 404),
    "reviewer_t0": (403, 404, 404, 404, 404),
    "grid_worker_t0": (404, 404, 404, 404, 404),
    "admin_t0": (200, 404, 404, 404, 404),
    "officer_dept": (404, 404, 404, 404, 404),
    "zone_leader": (403, 404, 404, 404, 404),
    "dispatcher": (403, 403, 403, 403, 404),
    "justice": (403, 403, 403, 403, 404),
    "admin_county": (200, 200, 200, 200, 404),
    "superuser": (200, 200, 200, 200, 200),
}
#            C1 revoke form, C1 print, X's certificate print
CERTIFICATE_ACTIONS = {
    "officer_t0": (404, 404, 404),
    "grid_worker_t0": (404, 404, 404),
    "admin_t0": (404, 404, 404),
    "officer_dept": (404, 404, 404),
    "dispatcher": (403, 200, 404),
    "justice": (200, 200, 404),
    "admin_county": (200, 200, 404),
}


@pytest.fixture
def world(county, other_county):
    from zhifa.org.models import GridCell

    objects = {
        "P0": county.person(RoleCode.OFFICER, "t0"),
        "P1": county.person(RoleCode.OFFICER, "t1"),
        "C1": Certificate.objects.get(holder=county.person(RoleCode.OFFICER, "t1")),
        "T1": county.teams[1],
        "G1": GridCell.objects.get(region=county.communities[1], level=GridLevel.COMMUNITY),
        "X": other_county.person(RoleCode.OFFICER, "t0"),
        "XC": Certificate.objects.get(holder=other_county.person(RoleCode.OFFICER, "t0")),
    }
    return county, objects


def login(client, county, subject: str) -> None:
    if subject == "superuser":
        client.force_login(get_user_model().objects.create(username="root", is_superuser=True, is_staff=True))
    else:
        role, place = SUBJECTS[subject]
        client.force_login(county.user(role, place))


def status(client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize("subject", list(VIEW))
def test_view_matrix(client, world, subject):
    county, obj = world
    login(client, county, subject)
    urls = [
        reverse("person-detail", args=[obj["P0"].pk]),
        reverse("person-detail", args=[obj["P1"].pk]),
        reverse("certificate-detail", args=[obj["C1"].pk]),
        reverse("team-detail", args=[obj["T1"].pk]),
        reverse("grid-detail", args=[obj["G1"].pk]),
        reverse("person-detail", args=[obj["X"].pk]),
    ]
    got = tuple(status(client, url) for url in urls)
    assert got == VIEW[subject]


@pytest.mark.parametrize("subject", list(EDIT))
def test_edit_matrix(client, world, subject):
    county, obj = world
    login(client, county, subject)
    urls = [
        reverse("person-edit", args=[obj["P0"].pk]),
        reverse("person-edit", args=[obj["P1"].pk]),
        reverse("team-edit", args=[obj["T1"].pk]),
        reverse("grid-edit", args=[obj["G1"].pk]),
        reverse("person-edit", args=[obj["X"].pk]),
    ]
    got = tuple(status(client, url) for url in urls)
    assert got == EDIT[subject]


@pytest.mark.parametrize("subject", list(CERTIFICATE_ACTIONS))
def test_certificate_action_matrix(client, world, subject):
    county, obj = world
    login(client, county, subject)
    urls = [
        reverse("certificate-revoke", args=[obj["C1"].pk]),
        reverse("certificate-print", args=[obj["C1"].pk]),
        reverse("certificate-print", args=[obj["XC"].pk]),
    ]
    got = tuple(status(client, url) for url in urls)
    assert got == CERTIFICATE_ACTIONS[subject]


@pytest.mark.parametrize("subject", ["officer_t0", "dispatcher", "justice"])
def test_forbidden_post_changes_nothing(client, world, subject):
    """A POST that is refused (403/404) writes nothing and no record event."""
    from zhifa.core.models import Event

    county, obj = world
    login(client, county, subject)
    before = Event.objects.count()
    response = client.post(
        reverse("person-edit", args=[obj["P1"].pk]), {"name": "篡改", "version": obj["P1"].version}
    )
    assert response.status_code in (403, 404)
    obj["P1"].refresh_from_db()
    assert obj["P1"].name != "篡改"
    assert Event.objects.count() == before
