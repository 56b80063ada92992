"""The clue API: report (idempotent), the loop by HTTP, errors naming the field, scoping by id."""

from __future__ import annotations

import base64

import pytest

from zhifa.intake.models import Clue
from zhifa.intake.tests.helpers import INSIDE_T0
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


def as_user(client, world, role, place):
    client.force_login(world.user(role, place))
    return client


def report(client, **overrides):
    body = {"category": "street", "text": "菜市场门口占道经营", "lng": INSIDE_T0[0], "lat": INSIDE_T0[1]}
    body.update(overrides)
    return client.post("/api/v1/clues", body, content_type="application/json")


def test_report_and_retry_with_the_same_key(client, world, media):
    as_user(client, world, RoleCode.GRID_WORKER, "t0")
    photo = {"name": "a.jpg", "content_base64": base64.b64encode(JPEG).decode()}
    first = report(client, client_key="k-1", photos=[photo])
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["township"]["adcode"] == world.county.townships[0].adcode and body["status"] == "reported"
    again = report(client, client_key="k-1", photos=[photo])
    assert again.status_code == 200 and again.json()["id"] == body["id"] and Clue.objects.count() == 1


def test_bad_input_names_the_field(client, world):
    as_user(client, world, RoleCode.GRID_WORKER, "t0")
    response = report(client, category="nope", text="短")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"category", "text"} <= fields
    assert report(client, lat=95).status_code == 422
    bad_photo = report(client, photos=[{"content_base64": "***"}])
    assert bad_photo.status_code == 400 and bad_photo.json()["field"] == "photos"


def test_the_loop_by_http(client, world):
    as_user(client, world, RoleCode.GRID_WORKER, "t0")
    clue_id = report(client).json()["id"]
    as_user(client, world, RoleCode.DISPATCHER, "county")
    url = f"/api/v1/clues/{clue_id}"
    assert (
        client.post(
            f"{url}/classify", {"items": [world.claimed.code]}, content_type="application/json"
        ).status_code
        == 200
    )
    stale = client.get(url).json()["version"] - 1
    conflict = client.post(f"{url}/dispatch", {"version": stale}, content_type="application/json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"
    done = client.post(f"{url}/dispatch", {}, content_type="application/json").json()
    assert done["status"] == "dispatched" and done["assigned_team"]["id"] == world.county.teams[0].pk
    as_user(client, world, RoleCode.OFFICER, "t0")
    assert client.post(f"{url}/accept", {}, content_type="application/json").json()["status"] == "handling"
    detail = client.get(url).json()
    assert [s["kind"] for s in detail["steps"]] == ["report", "classify", "dispatch", "accept"]


def test_another_countys_clue_is_a_404(client, world, other_county):
    as_user(client, world, RoleCode.GRID_WORKER, "t0")
    clue_id = report(client).json()["id"]
    client.force_login(other_county.user(RoleCode.DISPATCHER, "county"))
    assert client.get(f"/api/v1/clues/{clue_id}").status_code == 404
    assert (
        client.post(
            f"/api/v1/clues/{clue_id}/dismiss", {"note": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/clues").json()["count"] == 0
