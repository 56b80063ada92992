"""Authorization matrix of the inspection API: role x object x action, and another county's objects by id.

Reads: the staff who plan, do or supervise inspections (policies.can_see) read through the same scoping
as the pages; an object outside the caller's scope is a 404 without data, like a missing one; a grid
worker gets 403 and an anonymous caller 401. Writes: the services decide (a refusal is `not_allowed`).
The tables are written out, not computed from the code under test.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from zhifa.core.api_testing import API, token_client
from zhifa.inspections.models import RandomDraw, Subject, Visit
from zhifa.inspections.services.draws import draw_create
from zhifa.inspections.services.visit_factory import TeamMember, create_visit

pytestmark = pytest.mark.django_db
INSP = f"{API}/inspections"

ROLES = [
    "officer_t0",  # township comprehensive officer
    "officer_dept",  # market supervision inspector (department)
    "team_leader",  # market supervision team leader
    "admin",  # county administrator
    "justice",  # county justice bureau
    "township_admin",  # administrator of township t0
]
EVERYONE = set(ROLES)
SEES = {
    "subject_t1": EVERYONE,  # the register is county directory data
    "item": EVERYONE,
    "scenario": EVERYONE,
    "draw": {"officer_dept", "team_leader", "admin", "justice"},  # the market agency's task
    "visit_t0": EVERYONE,  # market visit to a t0 subject: the agency, the township and the county
    "visit_t1": {"officer_dept", "team_leader", "admin", "justice"},
}
ENDPOINTS = {
    "subject_t1": "/subjects",
    "item": "/items",
    "scenario": "/scenarios",
    "draw": "/draws",
    "visit_t0": "/visits",
    "visit_t1": "/visits",
}
# Who may write (the services' rules): the subject register by administrators covering the township;
# a draw by the organising agency's team leaders; a visit by its inspectors and the agency's leaders.
WRITES = {
    "patch_subject_t0": {"admin", "township_admin"},
    "patch_subject_t1": {"admin"},
    "commit_draw": {"team_leader"},
    "start_visit_t0": {"officer_dept", "team_leader"},
}


def user_of(insp, role: str) -> Any:
    county = insp.county
    return {
        "officer_t0": lambda: county.user("officer", "t0"),
        "officer_dept": lambda: insp.user("market-0"),
        "team_leader": lambda: insp.user("market-leader"),
        "admin": lambda: county.user("admin", "county"),
        "justice": lambda: county.user("justice_bureau", "county"),
        "township_admin": lambda: county.user("admin", "t0"),
    }[role]()


def build(insp) -> dict[str, Any]:
    """One object of each kind in `insp`'s county."""
    today = timezone.localdate()
    with transaction.atomic():
        visits = [
            create_visit(
                actor=None,
                subject_id=insp.subjects[index].pk,
                agency=insp.agencies["market"],
                items=[insp.items["M1"]],
                planned_on=today,
                team=[TeamMember(p, insp.agencies["market"], "") for p in insp.officers["market"]],
            )
            for index in (0, 6)  # subjects 0-5 are in t0, 6-9 in t1
        ]
    draw = draw_create(
        actor=insp.user("market-leader"),
        title="抽查",
        agency=insp.agencies["market"],
        region=insp.county.county,
        period_start=today,
        period_end=today,
        items=[insp.items["M1"]],
        ratio="0.5",
        subject_filter={"risk_levels": ["B", "C"]},
    )
    return {
        "subject_t0": insp.subjects[0],
        "subject_t1": insp.subjects[6],
        "item": insp.items["M1"],
        "scenario": insp.scenario,
        "draw": draw,
        "visit_t0": visits[0],
        "visit_t1": visits[1],
    }


def listed(client: Client, endpoint: str) -> set[int]:
    response = client.get(f"{INSP}{endpoint}", {"limit": 100})
    assert response.status_code == 200, response.content
    assert response.json()["count"] <= 100
    return {row["id"] for row in response.json()["items"]}


def assert_not_found_without_data(response) -> None:
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "field": None, "message": "未找到。"}


@pytest.mark.parametrize("action", ["list", "get"])
@pytest.mark.parametrize("obj", list(SEES))
@pytest.mark.parametrize("role", ROLES)
def test_read(insp, role, obj, action):
    target = build(insp)[obj]
    client = token_client(user_of(insp, role))
    allowed = role in SEES[obj]
    if action == "list":
        assert (target.pk in listed(client, ENDPOINTS[obj])) is allowed
    else:
        response = client.get(f"{INSP}{ENDPOINTS[obj]}/{target.pk}")
        if allowed:
            assert response.status_code == 200 and response.json()["id"] == target.pk
        else:
            assert_not_found_without_data(response)


def _write(client: Client, action: str, objects: dict[str, Any]):
    if action.startswith("patch_subject"):
        subject = objects[action.removeprefix("patch_")]
        body = {"version": subject.version, "contact_name": "新联系人"}
        return client.patch(f"{INSP}/subjects/{subject.pk}", body, content_type="application/json")
    if action == "commit_draw":
        draw = objects["draw"]
        url = f"{INSP}/draws/{draw.pk}/commit"
        return client.post(url, {"version": draw.version}, content_type="application/json")
    visit = objects["visit_t0"]
    url = f"{INSP}/visits/{visit.pk}/start"
    return client.post(url, {"version": visit.version}, content_type="application/json")


@pytest.mark.parametrize("action", list(WRITES))
@pytest.mark.parametrize("role", ROLES)
def test_write(insp, role, action):
    objects = build(insp)
    client = token_client(user_of(insp, role))
    response = _write(client, action, objects)
    readable = (
        action.startswith("patch_subject") or role in SEES["draw" if action == "commit_draw" else "visit_t0"]
    )
    if role in WRITES[action]:
        assert response.status_code == 200, response.content
        assert response.json()["version"] == 2
    elif readable:
        assert response.status_code == 400 and response.json()["code"] == "not_allowed", response.content
    else:
        assert_not_found_without_data(response)
    model = {"commit_draw": RandomDraw, "start_visit_t0": Visit}.get(action, Subject)
    key = {"commit_draw": "draw", "start_visit_t0": "visit_t0"}.get(action, action.removeprefix("patch_"))
    assert model.objects.get(pk=objects[key].pk).version == (2 if role in WRITES[action] else 1)


@pytest.mark.parametrize("role", ROLES)
def test_another_countys_objects_are_404(insp, other_insp, role):
    foreign = build(other_insp)
    client = token_client(user_of(insp, role))
    missing = client.get(f"{INSP}/subjects/999999999")
    assert_not_found_without_data(missing)
    for obj, endpoint in ENDPOINTS.items():
        target = foreign[obj]
        response = client.get(f"{INSP}{endpoint}/{target.pk}")
        assert response.content == missing.content, obj  # indistinguishable from a missing id
        assert target.pk not in listed(client, endpoint), obj
    for action in WRITES:
        assert_not_found_without_data(_write(client, action, foreign))
    assert RandomDraw.objects.get(pk=foreign["draw"].pk).version == 1
    assert Visit.objects.get(pk=foreign["visit_t0"].pk).state == "planned"
    assert Subject.objects.get(pk=foreign["subject_t0"].pk).version == 1


def test_grid_worker_is_403_and_anonymous_401(insp):
    objects = build(insp)
    worker = token_client(insp.county.user("grid_worker", "t0"))
    anonymous = Client()
    for endpoint in ("/subjects", "/items", "/scenarios", "/draws", "/visits"):
        assert worker.get(f"{INSP}{endpoint}").status_code == 403
        assert anonymous.get(f"{INSP}{endpoint}").status_code == 401
    assert worker.get(f"{INSP}/visits/{objects['visit_t0'].pk}").status_code == 403
    assert anonymous.get(f"{INSP}/draws/{objects['draw'].pk}").status_code == 401
    refused = _write(worker, "start_visit_t0", objects)
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    assert _write(anonymous, "commit_draw", objects).status_code == 401
