"""Who may read and act on a clue, by HTTP (issue 4; DESIGN.md: outsiders get 404, not 403).

A matrix of role × clue × action against the pages: the clue lies in township t0 (its micro grid is in
t0's first community). Reading follows org.scoping; acting follows intake.policies: the command centre
(dispatchers, administrators) classifies, dispatches and closes; the assigned team (officers, team
leaders of t0) signs for and handles; the reporting grid worker or the dispatcher verifies. A refused
action changes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.intake.models import Clue, ClueStatus
from zhifa.intake.tests.command_helpers import in_status
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db

# (role, place) -> status code of: reading the page, dispatching a classified clue, signing for a
# dispatched clue, verifying a fed-back clue.
MATRIX = {
    (RoleCode.DISPATCHER, "county"): (200, 302, 403, 302),
    (RoleCode.ADMIN, "county"): (200, 302, 403, 302),
    (RoleCode.ADMIN, "t0"): (200, 302, 403, 302),
    (RoleCode.JUSTICE_BUREAU, "county"): (200, 403, 403, 403),
    (RoleCode.OFFICER, "t0"): (200, 403, 302, 403),
    (RoleCode.TEAM_LEADER, "t0"): (200, 403, 302, 403),
    (RoleCode.GRID_WORKER, "t0"): (200, 403, 403, 302),  # the reporter verifies on site
    (RoleCode.OFFICER, "t1"): (404, 404, 404, 404),  # another township: refused, learns nothing
    (RoleCode.TEAM_LEADER, "t1"): (404, 404, 404, 404),
    (RoleCode.GRID_WORKER, "t1"): (404, 404, 404, 404),
    (RoleCode.OFFICER, "dept"): (404, 404, 404, 404),  # a department sees what is assigned to it
    (RoleCode.ZONE_LEADER, "county"): (200, 403, 403, 403),  # t0 is in the zone
}
ACTIONS = (
    (ClueStatus.REPORTED, "dispatch", {}),
    (ClueStatus.DISPATCHED, "accept", {}),
    (ClueStatus.FED_BACK, "verify", {"passed": "1", "note": "现场已整改"}),
)


def classified_clue(world) -> Clue:
    from zhifa.intake.services import dispatch
    from zhifa.intake.tests.command_helpers import classified

    clue = classified(world)
    assert clue.status == ClueStatus.REPORTED and dispatch.route_for(clue).kind == "team"
    return clue


def post(client, clue, action, data):
    payload = {f"{action}-{key}": value for key, value in data.items()} | {f"{action}-version": clue.version}
    return client.post(reverse("intake-clue-action", args=[clue.pk, action]), payload)


@pytest.mark.parametrize(("role", "place"), list(MATRIX))
def test_matrix(client, world, role, place):
    expected = MATRIX[(role, place)]
    client.force_login(world.user(role, place))
    clue = classified_clue(world)
    assert client.get(reverse("intake-clue", args=[clue.pk])).status_code == expected[0]
    for (status, action, data), code in zip(ACTIONS, expected[1:], strict=True):
        clue = classified_clue(world) if status == ClueStatus.REPORTED else in_status(world, status)
        before = (clue.status, clue.version, Event.objects.count())
        response = post(client, clue, action, data)
        assert response.status_code == code, (role, place, action)
        clue.refresh_from_db()
        if code == 302:
            assert clue.status != before[0]
        else:
            assert (clue.status, clue.version, Event.objects.count()) == before, "a refusal writes nothing"


def test_another_countys_clue_by_id_is_404_everywhere(client, world, other_county):
    clue = classified_clue(world)
    for role, place in (
        (RoleCode.DISPATCHER, "county"),
        (RoleCode.ADMIN, "county"),
        (RoleCode.OFFICER, "t0"),
    ):
        client.force_login(other_county.user(role, place))
        assert client.get(reverse("intake-clue", args=[clue.pk])).status_code == 404
        assert client.get(reverse("intake-clue-items", args=[clue.pk]), {"q": "IN"}).status_code == 404
        for action in ("classify", "dispatch", "dismiss", "accept", "close", "verify"):
            assert post(client, clue, action, {}).status_code == 404, (role, action)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPORTED and clue.version == 2


def test_township_officer_of_t1_cannot_act_on_t0s_clue(client, world):
    """Even the actions a t1 officer may take on t1's clues are refused on t0's."""
    clue = in_status(world, ClueStatus.DISPATCHED)
    client.force_login(world.user(RoleCode.OFFICER, "t1"))
    for action, data in (("accept", {}), ("send_back", {"reason": "不归我们"})):
        assert post(client, clue, action, data).status_code == 404
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED


def test_department_reads_a_clue_transferred_to_it_but_cannot_command_it(client, world):
    clue = in_status(world, ClueStatus.TRANSFERRED)
    client.force_login(world.user(RoleCode.OFFICER, "dept"))
    html = client.get(reverse("intake-clue", args=[clue.pk])).content.decode()
    assert "已移送" in html and 'data-testid="no-actions"' in html
    assert post(client, clue, "close", {}).status_code == 403


def test_merge_into_a_clue_out_of_scope_is_refused(client, world, other_county):
    """The merge target is read through scoping too: an id from another county is 'not found'."""
    from zhifa.intake.services.report import clue_report
    from zhifa.intake.tests.helpers import clue_input

    clue = classified_clue(world)
    elsewhere = clue_report(
        actor=other_county.user(RoleCode.DISPATCHER, "county"),
        data=clue_input(world, None, source="hotline", region=other_county.townships[0]),
    )
    client.force_login(world.user(RoleCode.DISPATCHER, "county"))
    response = post(client, clue, "merge", {"into": elsewhere.pk})
    assert response.status_code == 400 and "所选线索不存在" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPORTED
