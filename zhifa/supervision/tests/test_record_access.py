"""Who reads the record (GO118 (十): supervisors retrieve it; DESIGN.md: data scoping, outsiders 404).

Role x object x action: each county user (and a superuser) against a case and a clue of township t0,
of township t1 and of another county, on the case page, the clue page and the case-file PDF.
Supervisors (justice bureau, administrators: org.policies Action.VIEW_RECORD) read their scope; team
leaders their own agency's cases and clues; everyone else has no record pages (403, whatever the id).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.org.models import RoleCode
from zhifa.supervision.policies import can_supervise, record_cases
from zhifa.supervision.tests.test_record_world import URLS, build_record_world, orm_case, superuser

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

OK, DENIED, HIDDEN = 200, 403, 404
# (role, place): expected status for the objects of (t0, t1, other county).
MATRIX = {
    (RoleCode.JUSTICE_BUREAU, "county"): (OK, OK, HIDDEN),
    (RoleCode.ADMIN, "county"): (OK, OK, HIDDEN),
    (RoleCode.ADMIN, "t0"): (OK, HIDDEN, HIDDEN),
    (RoleCode.TEAM_LEADER, "t0"): (OK, HIDDEN, HIDDEN),
    (RoleCode.OFFICER, "t0"): (DENIED, DENIED, DENIED),
    (RoleCode.LEGAL_REVIEWER, "t0"): (DENIED, DENIED, DENIED),
    (RoleCode.GRID_WORKER, "t0"): (DENIED, DENIED, DENIED),
    (RoleCode.OFFICER, "dept"): (DENIED, DENIED, DENIED),
    (RoleCode.DISPATCHER, "county"): (DENIED, DENIED, DENIED),
    (RoleCode.ZONE_LEADER, "county"): (DENIED, DENIED, DENIED),
    ("superuser", ""): (OK, OK, OK),
}


@pytest.fixture
def world(county, other_county):
    return build_record_world(county, other_county)


def user_for(world, role: str, place: str):
    return superuser() if role == "superuser" else world.county.user(role, place)


@pytest.mark.parametrize(("role", "place"), list(MATRIX))
def test_role_object_action_matrix(client, world, role, place):
    """GO118 (十) and DESIGN.md scoping: each role sees the record it supervises, outsiders get 404."""
    client.force_login(user_for(world, role, place))
    cases = (world.case_t0, world.case_t1, world.case_other)
    clues = (world.clue_t0, world.clue_t1, world.clue_other)
    for expected, case, clue in zip(MATRIX[(role, place)], cases, clues, strict=True):
        pages = {
            "case page": reverse("supervision-case-record", args=[case.pk]),
            "clue page": reverse("supervision-clue-record", args=[clue.pk]),
            "case file": reverse("supervision-case-file", args=[case.pk]),
        }
        for action, url in pages.items():
            response = client.get(url)
            assert response.status_code == expected, (role, place, action, case.code)
            if action == "case file" and expected == OK:
                assert response["Content-Type"] == "application/pdf"
                assert response.content.startswith(b"%PDF")
    search = client.get(reverse("supervision-record"))
    assert search.status_code == (DENIED if MATRIX[(role, place)][0] == DENIED else OK)


def test_anonymous_users_are_sent_to_the_login(client, world):
    for url in (
        reverse("supervision-record"),
        reverse("supervision-case-record", args=[world.case_t0.pk]),
        reverse("supervision-clue-record", args=[world.clue_t0.pk]),
        reverse("supervision-case-file", args=[world.case_t0.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_team_leader_does_not_supervise_another_agencys_case_in_the_township(client, world, county):
    """Team leaders supervise their own team: a department's case in their township is not theirs,
    though the township's administrator and the justice bureau see it (scope: the township)."""
    case = orm_case(county, "C2026-0301", place=0)
    Case.objects.filter(pk=case.pk).update(agency=county.department_agency)
    url = reverse("supervision-case-record", args=[case.pk])
    expected = {
        (RoleCode.TEAM_LEADER, "t0"): HIDDEN,
        (RoleCode.ADMIN, "t0"): OK,
        (RoleCode.JUSTICE_BUREAU, "county"): OK,
    }
    for (role, place), status in expected.items():
        client.force_login(county.user(role, place))
        assert client.get(url).status_code == status, role


def test_an_inactive_supervisor_reads_nothing(client, world, county):
    from zhifa.org.models import PersonStatus

    user = county.user(RoleCode.JUSTICE_BUREAU, "county")
    user.person.status = PersonStatus.RETIRED
    user.person.save(update_fields=["status"])
    assert not can_supervise(user)
    client.force_login(user)
    assert client.get(reverse("supervision-case-record", args=[world.case_t0.pk])).status_code == DENIED


def test_record_cases_is_the_scope_of_a_supervisor(world, county):
    assert set(record_cases(county.user(RoleCode.JUSTICE_BUREAU, "county"))) == {world.case_t0, world.case_t1}


def test_bad_ids_are_404_not_500(client, world, county):
    client.force_login(county.user(RoleCode.JUSTICE_BUREAU, "county"))
    assert client.get(reverse("supervision-case-record", args=[999999])).status_code == HIDDEN
    assert client.get(reverse("supervision-clue-record", args=[999999])).status_code == HIDDEN
    assert client.get("/supervision/record/case/abc/").status_code == HIDDEN
