"""The case API's authorization matrix: role x object x action, objects addressed by id.

Outcomes, written out rather than computed from the scoping code so that the table checks it:
- "ok": the request goes through (200, or 201 for a new party);
- "guard": the caller may take the step but a guard refuses it (400 "invalid", e.g. t1 has one
  certified officer and no grant for the item: APL Art. 22-24, 42);
- "not_allowed": the caller reads the case but may not act (400 with code "not_allowed": the API
  answers a role without the power with the shared error shape, not with 403);
- "404": an outsider, the same answer as for an id that does not exist (never 403: another township's
  case does not even exist for them);
- "401": anonymous.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhifa.cases.models import Case, CaseState, Party
from zhifa.cases.tests.api_builders import CASES
from zhifa.cases.tests.factories import add_evidence, add_party, build_case_world, open_case, ready_case
from zhifa.core.api_testing import token_client
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db

ROLES = [
    (RoleCode.OFFICER, "t0"),
    (RoleCode.OFFICER, "t1"),
    (RoleCode.OFFICER, "dept"),
    (RoleCode.TEAM_LEADER, "t0"),
    (RoleCode.TEAM_LEADER, "t1"),
    (RoleCode.LEGAL_REVIEWER, "t0"),
    (RoleCode.JUSTICE_BUREAU, "county"),
    (RoleCode.DISPATCHER, "county"),
    (RoleCode.GRID_WORKER, "t0"),
    ("anonymous", ""),
]
ACTIONS = ["detail", "actions", "documents", "propose_filing", "decline", "add_party"]
# Who reads each case: its township's staff and the county-wide roles (justice bureau; the county
# command centre's dispatcher). Not the department, not the other township, not a grid worker (who sees
# their community only).
READERS = {
    "case_t0": {
        (RoleCode.OFFICER, "t0"),
        (RoleCode.TEAM_LEADER, "t0"),
        (RoleCode.LEGAL_REVIEWER, "t0"),
        (RoleCode.JUSTICE_BUREAU, "county"),
        (RoleCode.DISPATCHER, "county"),
    },
    "case_t1": {
        (RoleCode.OFFICER, "t1"),
        (RoleCode.TEAM_LEADER, "t1"),
        (RoleCode.JUSTICE_BUREAU, "county"),
        (RoleCode.DISPATCHER, "county"),
    },
}
# Among the readers, who may act (anyone else reading gets "not_allowed").
ACTORS = {
    # APL Art. 54: officers on the case and team leaders of the agency propose filing.
    ("case_t0", "propose_filing"): {(RoleCode.OFFICER, "t0"): "ok", (RoleCode.TEAM_LEADER, "t0"): "ok"},
    ("case_t1", "propose_filing"): {(RoleCode.OFFICER, "t1"): "guard", (RoleCode.TEAM_LEADER, "t1"): "guard"},
    # Declining to file is the team leader's (APL Art. 54).
    ("case_t0", "decline"): {(RoleCode.TEAM_LEADER, "t0"): "ok"},
    ("case_t1", "decline"): {(RoleCode.TEAM_LEADER, "t1"): "ok"},
    # Parties are registered by the case's team (officers and team leaders in scope).
    ("case_t0", "add_party"): {(RoleCode.OFFICER, "t0"): "ok", (RoleCode.TEAM_LEADER, "t0"): "ok"},
    ("case_t1", "add_party"): {(RoleCode.OFFICER, "t1"): "ok", (RoleCode.TEAM_LEADER, "t1"): "ok"},
}
PARTY = {
    "kind": "person",
    "name": "李某",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "address": "东湖镇一村5号",
}


def expected(role: tuple[str, str], obj: str, action: str) -> str:
    if role[0] == "anonymous":
        return "401"
    if role not in READERS[obj]:
        return "404"
    if action in ("detail", "actions", "documents"):
        return "ok"
    return ACTORS[(obj, action)].get(role, "not_allowed")


def make_case(world, obj: str) -> Case:
    if obj == "case_t0":
        return ready_case(world)
    county = world.county
    case = open_case(
        world,
        actor=county.user(RoleCode.OFFICER, "t1"),
        agency=county.township_agencies[1],
        region=county.townships[1],
        address="西山街道1号",
    )
    add_party(case)
    add_evidence(case, world)
    return case


def request(client: Client, case_id: int, action: str, version: int):
    url = f"{CASES}/{case_id}"
    if action == "detail":
        return client.get(url)
    if action in ("actions", "documents"):
        return client.get(f"{url}/{action}")
    if action == "add_party":
        return client.post(f"{url}/parties", json.dumps(PARTY), content_type="application/json")
    payload = {"reason": "违法事实不成立"} if action == "decline" else {"note": "提请立案"}
    body = {"version": version, "payload": payload}
    return client.post(f"{url}/actions/{action}", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("obj", ["case_t0", "case_t1"])
@pytest.mark.parametrize("role", ROLES, ids=lambda r: "-".join(r) if isinstance(r, tuple) else r)
def test_role_object_action(world, media, role, obj, action):
    case = make_case(world, obj)
    client = Client() if role[0] == "anonymous" else token_client(world.county.user(*role))
    before = (case.state, case.version, case.parties.count())
    response = request(client, case.pk, action, case.version)
    outcome = expected(role, obj, action)
    case.refresh_from_db()
    if outcome == "ok":
        assert response.status_code in (200, 201), response.content
        if action in ("propose_filing", "decline"):
            assert case.state == {"propose_filing": CaseState.FILING, "decline": CaseState.TERMINATED}[action]
        if action == "add_party":
            assert Party.objects.filter(case=case, name="李某").exists()
        return
    if outcome == "401":
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    elif outcome == "404":
        missing = request(client, 999_999, action, 1)
        assert response.status_code == 404
        assert response.content == missing.content  # indistinguishable from a case that does not exist
        assert case.code not in response.content.decode()
    elif outcome == "not_allowed":
        assert response.status_code == 400 and response.json()["code"] == "not_allowed", response.content
    else:  # guard
        body = response.json()
        assert response.status_code == 400 and body["code"] == "invalid", response.content
        assert {"competent", "two_certified_officers"} <= {e["field"] for e in body["errors"]}
    assert (case.state, case.version, case.parties.count()) == before


@pytest.mark.parametrize("role", [r for r in ROLES if r[0] != "anonymous"], ids=lambda r: "-".join(r))
def test_list_shows_only_the_cases_each_role_reads(world, role):
    cases = {obj: make_case(world, obj) for obj in READERS}
    listed = {item["id"] for item in token_client(world.county.user(*role)).get(CASES).json()["items"]}
    assert listed == {cases[obj].pk for obj in READERS if role in READERS[obj]}


def test_another_countys_case_is_404_for_every_role(world, other_county, media):
    """Even the county-wide roles (justice bureau, dispatcher) see nothing of another county."""
    elsewhere = ready_case(build_case_world(other_county))
    for role in ROLES[:-1]:
        client = token_client(world.county.user(*role))
        for action in ACTIONS:
            response = request(client, elsewhere.pk, action, elsewhere.version)
            assert response.status_code == 404, (role, action)
            assert response.content == request(client, 999_999, action, 1).content
    elsewhere.refresh_from_db()
    assert elsewhere.state == CaseState.SOURCE and elsewhere.version == 1
