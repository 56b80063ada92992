"""Open311 errors (issue 4: "An Open311 client sending garbage gets Open311-shaped errors, never a 500"):
every error path answers the spec's list of {code, description} with 400/403/404/405/429, in JSON or
XML as the path asks; hypothesis throws random parameters, bodies and paths at every endpoint."""

from __future__ import annotations

import json
import string
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from zhifa.intake.models import Clue
from zhifa.intake.tests.helpers import INSIDE_T0
from zhifa.intake.tests.open311_helpers import (
    BASE,
    CREATED_SCHEMA,
    ERRORS_SCHEMA,
    assert_errors,
    make_key,
    post,
    validate,
    xml,
)

pytestmark = pytest.mark.django_db
FUZZ = hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    cache.clear()
    settings.ZHIFA_OPEN311_RATE_LIMIT = 0
    yield
    cache.clear()


@pytest.fixture
def key(world) -> str:
    return make_key(world)[1]


BAD_CREATES = [
    ({"lat": "abc"}, "lat 必须是十进制数字"),
    ({"lat": "1e5"}, "lat 必须是十进制数字"),
    ({"long": "NaN"}, "long 必须是十进制数字"),
    ({"lat": "9" * 4000}, "lat 必须是十进制数字"),
    ({"long": ""}, "lat 和 long 须同时提供"),
    ({"lat": "95", "long": "118"}, "lat/long："),
    ({"lat": "0", "long": "0"}, "lat/long："),
    ({"lat": "48.85", "long": "2.35"}, "lat/long："),  # Paris: not in China
    ({"description": ""}, "description 必填"),
    ({"description": "短"}, "description："),
    ({"description": "占" * 2001}, "description："),
    ({"description": "占" * 4001}, "过长"),
    ({"service_code": ""}, "service_code 必填"),
    ({"service_code": "nope"}, "service_code“nope”不存在"),
    ({"service_code": "../../etc"}, "service_code"),
    ({"email": "not-an-email"}, "email"),
    ({"media_url": "javascript:alert(1)"}, "media_url"),
    ({"phone": "call me maybe"}, "phone"),
    ({"address_string": "路" * 201}, "address_string"),
    ({"first_name": "名" * 51}, "first_name"),
    ({"device_id": "d" * 101}, "device_id"),
    ({"attribute[colour]": "red"}, "attribute[colour]"),
    ({"attribute[coord_system]": "bd09"}, "attribute[coord_system]"),
    ({"attribute[township]": "123"}, "attribute[township]"),
    ({"attribute[township]": "999999999999"}, "attribute[township]"),
    ({"attribute": "x"}, "attribute[代码]"),
    ({"description": "占道\x00经营"}, "NUL"),
    ({"x\x00y": "1"}, "NUL"),
    ({"HTTP_IDEMPOTENCY_KEY": "a b"}, "Idempotency-Key"),
    ({f"p{i}": "1" for i in range(101)}, "参数过多"),
]


@pytest.mark.parametrize(("values", "expected"), BAD_CREATES)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_create_parameters(client, world, key, values, expected, fmt):
    assert_errors(post(client, key, fmt, **values), 400, fmt, contains=expected)
    assert Clue.objects.count() == 0


def test_several_problems_are_answered_at_once(client, world, key):
    response = post(client, key, lat="x", description="", email="@", service_code="")
    descriptions = assert_errors(response, 400)
    assert len(descriptions) == 4


BAD_BODIES = [
    ("text/plain", b"api_key=x", "内容类型"),
    ("application/xml", b"<request/>", "内容类型"),
    ("application/json", b"{not json", "JSON"),
    ("application/json", b"[1, 2]", "对象"),
    ("application/json", b'{"description": {"nested": 1}}', "文字或数字"),
    ("application/json", b"\xff\xfe", "JSON"),
    ("application/json", b"[" * 100_000, "JSON"),
    ("multipart/form-data", b"--x\r\ngarbage", "无法读取"),
]


@pytest.mark.parametrize(("content_type", "body", "expected"), BAD_BODIES)
def test_unreadable_bodies(client, content_type, body, expected):
    response = client.generic("POST", f"{BASE}requests.xml", body, content_type=content_type)
    assert_errors(response, 400, "xml", contains=expected)


def test_oversized_and_crowded_bodies(client):
    huge = client.post(
        f"{BASE}requests.json",
        "description=" + "x" * (11 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert_errors(huge, 400, contains="无法读取")
    crowded = client.post(
        f"{BASE}requests.json", "&".join(f"f{i}=1" for i in range(1500)),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert_errors(crowded, 400)
    assert_errors(client.get(f"{BASE}requests.json?" + "&".join(f"f{i}=1" for i in range(1500))), 400)


BAD_QUERIES = [
    ({"start_date": "yesterday"}, "start_date"),
    ({"start_date": "2026-02-30"}, "start_date"),
    ({"start_date": "0001-01-01T00:00:00Z"}, "start_date"),
    ({"end_date": "9999-12-31T23:59:59-14:00"}, "end_date"),
    ({"start_date": "2026-01-02", "end_date": "2026-01-01"}, "不能晚于"),
    ({"status": "pending"}, "status"),
    ({"service_request_id": ",".join(f"XS{i}" for i in range(101))}, "service_request_id"),
    ({"service_request_id": "a b"}, "service_request_id"),
    ({"service_code": "<script>"}, "service_code"),
    ({"service_code": "a\x00b"}, "NUL"),
    ({"jurisdiction_id": "j" * 101}, "jurisdiction_id"),
]


@pytest.mark.parametrize(("query", "expected"), BAD_QUERIES)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_list_parameters(client, query, expected, fmt):
    assert_errors(client.get(f"{BASE}requests.{fmt}", query), 400, fmt, contains=expected)


@pytest.mark.parametrize(
    ("path", "fmt", "expected"),
    [
        ("services.csv", "json", "csv"),
        ("services", "json", ".json 或 .xml"),
        ("", "json", ".json 或 .xml"),
        ("services/street/extra.json", "json", "没有这个接口"),
        ("requests/.xml", "xml", "没有这个接口"),
        ("nothing.xml", "xml", "没有这个接口"),
        ("services/%00.json", "json", "没有这个接口"),
        ("services/%E5%8D%A0.xml", "xml", "不存在"),
        ("requests/XS-%3Cb%3E.json", "json", "不存在"),
        ("tokens/" + "A" * 300 + ".json", "json", "不存在"),
        ("SERVICES.JSON", "json", "没有这个接口"),
    ],
)
def test_unknown_paths_and_formats(client, world, path, fmt, expected):
    assert_errors(client.get(BASE + path), 404, fmt, contains=expected)


def test_wrong_methods(client):
    for method, path in (("PUT", "requests.json"), ("DELETE", "requests.xml"), ("POST", "services.json")):
        fmt = path.rsplit(".", 1)[1]
        response = client.generic(method, BASE + path)
        assert_errors(response, 405, fmt, contains=method)
        assert "GET" in response["Allow"]
    assert client.head(f"{BASE}services.json").status_code == 200


def test_errors_never_break_the_xml(client, world, key):
    response = post(client, key, "xml", **{"attribute[\x01\x02<&]": "x"})
    descriptions = assert_errors(response, 400, "xml")
    assert "<&" in descriptions[0]


# --- Fuzzing: whatever a client sends, the answer is Open311-shaped and never a 500. -----------------

NAMES = st.sampled_from(
    [
        "api_key", "service_code", "lat", "long", "address_string", "description", "email", "phone",
        "first_name", "last_name", "media_url", "device_id", "account_id", "address_id",
        "jurisdiction_id", "attribute[coord_system]", "attribute[township]", "attribute[x][]",
        "service_request_id", "start_date", "end_date", "status",
    ]
) | st.text(max_size=15)  # fmt: skip
VALUES = (
    st.text(max_size=80)
    | st.sampled_from(
        [
            "VALID",
            "street",
            "26.005",
            "118.005",
            "gcj02",
            "open,closed",
            "2026-01-01T00:00:00+08:00",
            "\x00",
            "9" * 5000,
            "NaN",
            "-0",
            "1e308",
            "",
            " ",
            "%",
            "&",
            "<x/>",
            "东湖镇",
        ]
    )
    | st.floats(allow_nan=True, allow_infinity=True).map(str)
    | st.integers().map(str)
)
PARAMS = st.dictionaries(NAMES, VALUES, max_size=10)


def _check(response, fmt: str, ok: tuple[int, ...]) -> None:
    assert response.status_code in ok, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        if fmt == "xml":
            xml(response, "errors")
        else:
            validate(response.json(), ERRORS_SCHEMA)
    elif fmt == "json":
        json.loads(response.content)
    else:
        ElementTree.fromstring(response.content)


@FUZZ
@given(
    params=PARAMS,
    fmt=st.sampled_from(["json", "xml"]),
    start=st.sampled_from(["nothing", "api_key", "valid request", "valid request"]),
)
def test_fuzz_create(client, world, key, params, fmt, start):
    body = {k: (key if v == "VALID" else v) for k, v in params.items()}
    if start == "api_key":
        body = {"api_key": key, **body}
    elif start == "valid request":  # some parameters of a valid request replaced or added
        body = {"api_key": key, "service_code": "street", "lat": str(INSIDE_T0[1]),
                "long": str(INSIDE_T0[0]), "description": "门口有商贩占道经营", **body}  # fmt: skip
    response = client.post(f"{BASE}requests.{fmt}", body)
    _check(response, fmt, (200, 201, 400, 403))
    if response.status_code in (200, 201) and fmt == "json":
        validate(response.json(), CREATED_SCHEMA)


@FUZZ
@given(params=PARAMS, fmt=st.sampled_from(["json", "xml"]))
def test_fuzz_list(client, world, params, fmt):
    response = client.get(f"{BASE}requests.{fmt}", params)
    _check(response, fmt, (200, 400))
    if response.status_code == 200 and fmt == "json":
        validate(response.json(), "requests.json")


@FUZZ
@given(
    path=st.text(alphabet=string.printable + "占道.é\x00/", max_size=40),
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD"]),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=b",
            "text/plain",
            "",
        ]
    ),
)
def test_fuzz_paths_and_bodies(client, world, path, method, body, content_type):
    response = client.generic(method, BASE + quote(path, safe="/."), body, content_type=content_type)
    assert response.status_code in (200, 400, 403, 404, 405), (response.status_code, response.content[:300])
    if response.status_code != 200 and method != "HEAD":
        _stem, dot, extension = path.rpartition(".")
        fmt = "xml" if dot and extension.lower() == "xml" else "json"
        if fmt == "xml":
            xml(response, "errors")
        else:
            validate(response.json(), ERRORS_SCHEMA)
