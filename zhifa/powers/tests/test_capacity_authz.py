"""Authorization matrix of the capacity assessment pages: role x object x action.

Written out by hand from powers.policies and the scoping rules: 200 (or 302 after a successful post)
when the role may act, 403 when it may see the round but not act, 404 when the round or township is
outside its scope (another county's round reached by id: no data, not even its existence).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from zhifa.org.models import RoleCode
from zhifa.powers.models import AssessmentStatus, CapacityRating, Proposal
from zhifa.powers.tests.grant_helpers import county_admin
from zhifa.powers.tests.test_capacity_helpers import build_world, start_round

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "officer_t0": (RoleCode.OFFICER, "t0"),
    "leader_t0": (RoleCode.TEAM_LEADER, "t0"),
    "leader_t1": (RoleCode.TEAM_LEADER, "t1"),
    "admin_t0": (RoleCode.ADMIN, "t0"),
    "officer_dept": (RoleCode.OFFICER, "dept"),
    "zone_leader": (RoleCode.ZONE_LEADER, "county"),
    "justice": (RoleCode.JUSTICE_BUREAU, "county"),
    "admin_county": (RoleCode.ADMIN, "county"),
    "other_admin": None,  # the administrator of another county
    "superuser": None,
}

# Actions on this county's round A: view the report, export it, open township 0's rating form, post a
# rating for township 0, post a proposal, conclude, open the start page of this county.
ACTIONS = ("view", "export", "rate_form", "rate_post", "propose", "conclude", "start")
MATRIX = {
    #               view export rate_f rate_p propose concl start
    "officer_t0": (200, 200, 403, 403, 403, 403, 403),
    "leader_t0": (200, 200, 200, 302, 403, 403, 403),
    "leader_t1": (200, 200, 403, 403, 403, 403, 403),
    "admin_t0": (200, 200, 200, 302, 403, 403, 403),
    "officer_dept": (200, 200, 403, 403, 403, 403, 403),
    "zone_leader": (200, 200, 403, 403, 403, 403, 403),
    "justice": (200, 200, 403, 403, 302, 302, 200),
    "admin_county": (200, 200, 403, 403, 302, 302, 200),
    "other_admin": (404, 404, 404, 404, 404, 404, 404),
    "superuser": (200, 200, 200, 302, 302, 302, 200),
}


def subject_user(name, county, other_county):
    if name == "superuser":
        return get_user_model().objects.create(username="root", is_superuser=True, is_staff=True)
    if name == "other_admin":
        return county_admin(other_county)
    role, place = SUBJECTS[name]
    return county.user(role, place)


def perform(client: Client, action: str, world, assessment) -> int:
    pk, t0 = assessment.pk, world.t0
    gx0 = world.items[0]
    if action == "view":
        return client.get(reverse("capacity-detail", args=[pk])).status_code
    if action == "export":
        return client.get(reverse("capacity-export", args=[pk])).status_code
    if action == "rate_form":
        return client.get(reverse("capacity-rate", args=[pk, t0.adcode])).status_code
    if action == "rate_post":
        return client.post(
            reverse("capacity-rate", args=[pk, t0.adcode]), {f"rating_{gx0.pk}": "able"}
        ).status_code
    if action == "propose":
        return client.post(
            reverse("capacity-proposal", args=[pk]),
            {"row_township": t0.adcode, "item": gx0.pk, "proposal": "keep"},
        ).status_code
    if action == "conclude":
        return client.post(reverse("capacity-conclude", args=[pk])).status_code
    return client.get(reverse("capacity-start", args=[world.county.county.adcode])).status_code


@pytest.mark.parametrize("subject", list(MATRIX))
def test_matrix(county, other_county, subject):
    world = build_world(county)
    assessment = start_round(world)
    client = Client()
    client.force_login(subject_user(subject, county, other_county))
    got = tuple(perform(client, action, world, assessment) for action in ACTIONS)
    assert got == MATRIX[subject]
    # What was allowed happened; what was refused left no trace.
    row = CapacityRating.objects.get(assessment=assessment, township=world.t0, item=world.items[0])
    assessment.refresh_from_db()
    assert (row.rating == "able") == (MATRIX[subject][3] == 302)
    assert (row.proposal == Proposal.KEEP) == (MATRIX[subject][4] == 302)
    assert (assessment.status == AssessmentStatus.CONCLUDED) == (MATRIX[subject][5] == 302)


def test_reports_show_only_the_rows_in_scope(county, other_county):
    world = build_world(county)
    assessment = start_round(world)
    url = reverse("capacity-detail", args=[assessment.pk])

    def rows(user) -> set[str]:
        client = Client()
        client.force_login(user)
        page = client.get(url).content.decode()
        return {t.adcode for t in county.townships if f'data-testid="row-{t.adcode}-' in page}

    assert rows(county.user(RoleCode.TEAM_LEADER, "t0")) == {world.t0.adcode}
    assert rows(county.user(RoleCode.OFFICER, "t1")) == {world.t1.adcode}
    assert rows(county.user(RoleCode.ZONE_LEADER, "county")) == {world.t0.adcode}  # the zone's township
    assert rows(county.user(RoleCode.OFFICER, "dept")) == set()
    assert rows(county.user(RoleCode.JUSTICE_BUREAU, "county")) == {world.t0.adcode, world.t1.adcode}
