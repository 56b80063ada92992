"""Open311 GeoReport v2 (issue 4): discovery, services, definitions, create -> list/get/token, in JSON
(validated against the spec's JSON schemas) and XML; what the public sees; the api_key; placement."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from zhifa.core import coords
from zhifa.core.models import ApiToken, Event
from zhifa.intake.models import Clue, ClueSource, ClueStep, StepKind
from zhifa.intake.services import dispatch
from zhifa.intake.services.report import clue_report
from zhifa.intake.tests.helpers import INSIDE_T0, INSIDE_T1, OUTSIDE, clue_input
from zhifa.intake.tests.open311_helpers import (
    BASE,
    CREATED_SCHEMA,
    TOKEN_SCHEMA,
    assert_errors,
    make_key,
    post,
    validate,
    xml,
)
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters
    yield
    cache.clear()


@pytest.fixture
def key(world) -> str:
    return make_key(world)[1]


def created(response) -> dict:
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    validate(body, CREATED_SCHEMA)
    return body[0]


def test_discovery_in_both_formats(client):
    body = client.get(f"{BASE}discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"} and body["key_service"]
    root = xml(client.get(f"{BASE}discovery.xml"), "discovery")
    formats = [f.text for f in root.find("endpoints/endpoint/formats")]
    assert formats == ["text/xml", "application/json"] and root.findtext("changeset")


def test_services_are_the_active_categories(client, world):
    world.category.is_active = True
    world.category.save()
    body = client.get(f"{BASE}services.json").json()
    validate(body, "services.json")
    for service in body:
        validate(service, "service.json")
    street = next(s for s in body if s["service_code"] == "street")
    assert street["service_name"] == "占道经营" and street["metadata"] is True
    assert street["type"] == "realtime" and street["group"] == world.category.domain.name
    root = xml(client.get(f"{BASE}services.xml"), "services")
    assert [s.findtext("service_code") for s in root] == [s["service_code"] for s in body]
    assert {s.tag for s in root} == {"service"} and root[0].findtext("metadata") == "true"
    world.category.is_active = False
    world.category.save()
    assert "street" not in {s["service_code"] for s in client.get(f"{BASE}services.json").json()}
    assert_errors(client.get(f"{BASE}services/street.json"), 404, contains="street")


def test_service_definition(client, world):
    body = client.get(f"{BASE}services/street.json").json()
    validate(body, "service-definition.json")
    attributes = {a["code"]: a for a in body["attributes"]}
    assert body["service_code"] == "street" and set(attributes) == {"coord_system", "township"}
    assert {v["key"] for v in attributes["coord_system"]["values"]} == {"wgs84", "gcj02"}
    assert {v["key"] for v in attributes["township"]["values"]} == {t.adcode for t in world.county.townships}
    assert not any(a["required"] for a in body["attributes"])
    root = xml(client.get(f"{BASE}services/street.xml"), "service_definition")
    first = root.find("attributes/attribute")
    assert first.findtext("code") == "coord_system" and first.findtext("required") == "false"
    assert [v.findtext("key") for v in first.find("values")] == ["wgs84", "gcj02"]
    assert_errors(client.get(f"{BASE}services/nope.xml"), 404, "xml", contains="nope")


def test_create_then_list_get_and_token(client, world, key):
    response = post(
        client, key, email="zhang@example.cn", first_name="三", last_name="张", phone="13800000000",
        media_url="https://example.cn/a.jpg", device_id="dev-1", account_id="acc-9",
    )  # fmt: skip
    answer = created(response)
    clue = Clue.objects.get(code=answer["service_request_id"])
    assert answer["token"] == clue.tracking_code and answer["account_id"] == "acc-9"
    assert clue.source == ClueSource.OPEN311 and clue.reporter_name == "Open311:12345热线对接"
    assert clue.grid_cell == world.micro[0] and clue.township == world.county.townships[0]
    assert clue.reporter_phone == "13800000000" and clue.text == "菜市场门口有商贩占道经营"
    step = ClueStep.objects.get(clue=clue, kind=StepKind.REPORT)
    assert step.data["open311"]["email"] == "zhang@example.cn"
    assert step.data["open311"]["media_url"] == "https://example.cn/a.jpg"
    assert Event.objects.filter(action="clue.report", object_id=str(clue.pk)).count() == 1

    listed = client.get(f"{BASE}requests.json").json()
    validate(listed, "requests.json")
    assert [r["service_request_id"] for r in listed] == [clue.code]
    one = client.get(f"{BASE}requests/{clue.code}.json").json()
    validate(one, "requests.json")
    validate(one[0], "request.json")
    assert one == listed
    request = one[0]
    assert request["status"] == "open" and request["status_notes"] == "待派遣"
    assert request["service_code"] == "street" and request["service_name"] == "占道经营"
    # Public fields only: no text, address, contact or tracking code; the position to ~100 m.
    assert request["description"] is None and request["address"] is None
    assert "13800000000" not in str(listed) and clue.tracking_code not in str(listed)
    assert (request["lat"], request["long"]) == (round(INSIDE_T0[1], 3), round(INSIDE_T0[0], 3))

    token = client.get(f"{BASE}tokens/{clue.tracking_code.lower()}.json").json()
    validate(token, TOKEN_SCHEMA)
    assert token == [{"service_request_id": clue.code, "token": clue.tracking_code}]
    root = xml(client.get(f"{BASE}tokens/{clue.tracking_code}.xml"), "service_requests")
    assert root.find("request").findtext("service_request_id") == clue.code
    root = xml(client.get(f"{BASE}requests/{clue.code}.xml"), "service_requests")
    item = root.find("request")
    assert item.findtext("status") == "open" and item.find("description").text is None
    assert [child.tag for child in item] == list(request)
    assert_errors(client.get(f"{BASE}tokens/NOTATOKEN2.json"), 404)
    assert_errors(client.get(f"{BASE}requests/XS20990101-AAAAAA.xml"), 404, "xml")


def test_create_in_xml_and_with_an_idempotency_key(client, world, key):
    first = client.post(
        f"{BASE}requests.xml",
        {"api_key": key, "service_code": "street", "lat": INSIDE_T1[1], "long": INSIDE_T1[0],
         "description": "路口有人占道摆摊"},
        HTTP_IDEMPOTENCY_KEY="retry-1",
    )  # fmt: skip
    assert first.status_code == 201
    code = xml(first, "service_requests").find("request").findtext("service_request_id")
    assert Clue.objects.get(code=code).township == world.county.townships[1]
    again = post(
        client, key, "xml", point=INSIDE_T1, description="路口有人占道摆摊", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert again.status_code == 201  # another key, another clue
    retry = client.post(
        f"{BASE}requests.json",
        {"api_key": key, "service_code": "street", "lat": INSIDE_T1[1], "long": INSIDE_T1[0],
         "description": "路口有人占道摆摊"},
        HTTP_IDEMPOTENCY_KEY="retry-1",
    )  # fmt: skip
    assert retry.status_code == 200 and retry.json()[0]["service_request_id"] == code
    assert Clue.objects.count() == 2


def test_json_body_and_csrf_exemption(world, key):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user(RoleCode.DISPATCHER, "county"))  # a session must not bring CSRF in
    body = {
        "api_key": key,
        "service_code": "street",
        "lat": INSIDE_T0[1],
        "long": INSIDE_T0[0],
        "description": "门口占道经营，堵塞消防通道",
        "attribute": {"coord_system": "wgs84"},
    }
    answer = created(client.post(f"{BASE}requests.json", body, content_type="application/json"))
    assert Clue.objects.get(code=answer["service_request_id"]).grid_cell == world.micro[0]


def test_gcj02_positions_are_converted(client, world, key):
    lng, lat = coords.wgs84_to_gcj02(*INSIDE_T0)
    assert abs(lng - INSIDE_T0[0]) > 1e-3  # the shift is hundreds of metres here
    answer = created(post(client, key, point=(lng, lat), **{"attribute[coord_system]": "gcj02"}))
    clue = Clue.objects.get(code=answer["service_request_id"])
    assert abs(clue.lng - INSIDE_T0[0]) < 1e-7 and abs(clue.lat - INSIDE_T0[1]) < 1e-7
    step = ClueStep.objects.get(clue=clue, kind=StepKind.REPORT)
    assert step.data["open311"]["attributes"] == {"coord_system": "gcj02"}


def test_placement_outside_every_grid(client, world, key):
    response = post(client, key, point=OUTSIDE)
    assert_errors(response, 400, contains="无法确定事发地")
    assert_errors(post(client, key, point=None, address_string=""), 400, contains="lat 和 long")
    named = created(post(client, key, point=OUTSIDE, address_string="测试县东湖镇河滨路12号"))
    clue = Clue.objects.get(code=named["service_request_id"])
    assert clue.outside_grid and clue.region == world.county.townships[0] and clue.grid_cell is None
    assert "不在任何网格内" in named["service_notice"]
    by_attribute = created(
        post(client, key, point=None, **{"attribute[township]": world.county.townships[1].adcode})
    )
    assert Clue.objects.get(code=by_attribute["service_request_id"]).region == world.county.townships[1]
    # One county installed: an address naming no township still lands in the county (the dispatcher
    # places it); with a second county it cannot be told where it is.
    county_only = created(post(client, key, point=None, address_string="河滨路12号"))
    assert Clue.objects.get(code=county_only["service_request_id"]).region == world.county.county


def test_an_address_names_no_place_among_two_counties(client, world, key, other_county):
    assert_errors(post(client, key, point=None, address_string="河滨路12号"), 400, contains="无法确定事发地")
    # Both counties have a 东湖镇: the county's name must come with it.
    assert_errors(post(client, key, point=None, address_string="东湖镇河滨路"), 400)
    other_county.county.name = "另一县"
    other_county.county.save()
    answer = created(post(client, key, point=None, address_string="另一县东湖镇河滨路"))
    assert Clue.objects.get(code=answer["service_request_id"]).region == other_county.townships[0]


def test_status_mapping_filters_and_agency(client, world, key):
    first = created(post(client, key))["service_request_id"]
    second = created(post(client, key, description="又有人在门口占道经营了"))["service_request_id"]
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    clue = dispatch.clue_classify(actor=dispatcher, clue=Clue.objects.get(code=first), items=[world.claimed])
    dispatch.clue_dispatch(actor=dispatcher, clue=clue)
    dispatch.clue_dismiss(actor=dispatcher, clue=Clue.objects.get(code=second), reason="私人纠纷")
    by_id = {r["service_request_id"]: r for r in client.get(f"{BASE}requests.json").json()}
    assert by_id[first]["status"] == "open" and by_id[first]["status_notes"] == "待签收"
    assert by_id[first]["agency_responsible"] == world.county.township_agencies[0].name
    assert by_id[second]["status"] == "closed" and by_id[second]["status_notes"] == "不予受理"
    assert "私人纠纷" not in str(by_id)  # the dismissal's reason is not public
    assert by_id[first]["updated_datetime"] >= by_id[first]["requested_datetime"]
    opened = client.get(f"{BASE}requests.json", {"status": "open"}).json()
    assert [r["service_request_id"] for r in opened] == [first]
    closed = client.get(f"{BASE}requests.xml", {"status": "closed"})
    assert [r.findtext("service_request_id") for r in xml(closed, "service_requests")] == [second]
    both = client.get(f"{BASE}requests.json", {"status": "open,closed", "service_code": "street"}).json()
    assert len(both) == 2
    assert client.get(f"{BASE}requests.json", {"service_code": "refuse"}).json() == []
    ids = client.get(f"{BASE}requests.json", {"service_request_id": f"{first},{second}", "status": "open"})
    assert len(ids.json()) == 2  # ids override every other filter (the spec)


def test_dates_default_to_90_days(client, world, key):
    old = created(post(client, key))["service_request_id"]
    new = created(post(client, key, description="门口又有占道经营"))["service_request_id"]
    long_ago = timezone.now() - datetime.timedelta(days=100)
    Clue.objects.filter(code=old).update(reported_at=long_ago)
    assert [r["service_request_id"] for r in client.get(f"{BASE}requests.json").json()] == [new]
    start = (long_ago - datetime.timedelta(days=1)).isoformat(timespec="seconds")
    end = (long_ago + datetime.timedelta(days=1)).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    window = {"start_date": start, "end_date": end.isoformat(timespec="seconds")}
    assert [r["service_request_id"] for r in client.get(f"{BASE}requests.json", window).json()] == [old]
    # An unescaped "+" of the offset arrives as a space: still understood.
    raw = f"{BASE}requests.json?end_date={end.isoformat(timespec='seconds')}"
    assert [r["service_request_id"] for r in client.get(raw).json()] == [old]
    assert client.get(f"{BASE}requests.json", {"start_date": start}).json()[0]["service_request_id"] == old
    day = timezone.localdate().isoformat()
    assert [
        r["service_request_id"] for r in client.get(f"{BASE}requests.json", {"start_date": day}).json()
    ] == [new]
    too_long = {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"}
    assert_errors(client.get(f"{BASE}requests.json", too_long), 400, contains="90")


def test_only_public_channels_are_listed(client, world, key):
    grid_clue = clue_report(actor=world.user(RoleCode.GRID_WORKER, "t0"), data=clue_input(world))
    answer = created(post(client, key))
    listed = client.get(f"{BASE}requests.json").json()
    assert [r["service_request_id"] for r in listed] == [answer["service_request_id"]]
    assert_errors(client.get(f"{BASE}requests/{grid_clue.code}.json"), 404)
    assert_errors(client.get(f"{BASE}tokens/{grid_clue.tracking_code}.json"), 404)


def test_api_key_is_required_and_checked(client, world, key):
    assert_errors(post(client, ""), 403, contains="api_key")
    assert_errors(post(client, "zf_wrong", "xml"), 403, "xml", contains="api_key")
    assert_errors(post(client, "x" * 3000), 403)
    token, raw = make_key(world, "另一个")
    from zhifa.core.services.tokens import api_token_revoke

    api_token_revoke(actor=None, token=token)
    assert_errors(post(client, raw), 403)
    expiring, raw = make_key(world, "将过期")
    expiring.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    expiring.save()
    assert_errors(post(client, raw), 403)
    officer = world.user(RoleCode.OFFICER, "t0")
    _token, raw = make_key(world, "停用用户", user=officer)
    officer.is_active = False
    officer.save()
    assert_errors(post(client, raw), 403)
    assert Clue.objects.count() == 0
    created(post(client, key))
    assert ApiToken.objects.get(name="12345热线对接").last_used_at is not None  # the usage stamp


def test_rate_limit_per_api_key(client, world, key, settings):
    settings.ZHIFA_OPEN311_RATE_LIMIT = 2
    settings.ZHIFA_OPEN311_RATE_WINDOW = 3600
    created(post(client, key))
    assert_errors(post(client, key, description=""), 400)  # a refused request counts too
    limited = post(client, key)
    assert_errors(limited, 429, contains="频繁")
    assert 1 <= int(limited["Retry-After"]) <= 3601
    other = make_key(world, "另一个客户端")[1]
    created(post(client, other))
    assert Clue.objects.count() == 2
    settings.ZHIFA_OPEN311_RATE_LIMIT = 0  # no limit
    created(post(client, key))
