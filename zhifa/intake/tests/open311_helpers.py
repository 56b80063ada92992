"""Helpers of the Open311 tests: the spec's JSON schemas, an error schema, XML parsing, a POST."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from xml.etree import ElementTree

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

import zhifa.intake.open311 as open311_package
from zhifa.intake.tests.helpers import INSIDE_T0

SCHEMAS = Path(open311_package.__file__).parent / "schemas" / "georeport-v2"
BASE = "/open311/v2/"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
CHECKER = FormatChecker()


@CHECKER.checks("date-time")
def _date_time(value: object) -> bool:
    """RFC 3339 (jsonschema checks date-time only with an optional package: check it here)."""
    if not isinstance(value, str) or not RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@CHECKER.checks("uri")
def _uri(value: object) -> bool:
    return isinstance(value, str) and bool(re.match(r"^[a-z][a-z0-9+.-]*:\S+$", value))


_REGISTRY = Registry().with_resources(
    (path.name, Resource.from_contents(json.loads(path.read_text("utf-8")), default_specification=DRAFT7))
    for path in SCHEMAS.glob("*.json")
)
# Not in the spec's schemas: errors, the answer to a POST and to tokens, discovery.
ERRORS_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string", "minLength": 1}},
        "additionalProperties": False,
    },
}
CREATED_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "token", "service_notice", "account_id"],
        "properties": {
            "service_request_id": {"type": "string", "minLength": 1},
            "token": {"type": "string", "minLength": 1},
            "service_notice": {"type": ["string", "null"]},
            "account_id": {"type": ["string", "null"]},
        },
    },
}
TOKEN_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
    },
}


def validate(instance: object, schema: str | dict) -> None:
    """Validate against a spec schema (by file name) or a schema of these tests; raise on failure."""
    contents = _REGISTRY.contents(schema) if isinstance(schema, str) else schema
    Draft7Validator(contents, registry=_REGISTRY, format_checker=CHECKER).validate(instance)


def assert_errors(response, status: int, fmt: str = "json", contains: str = "") -> list[str]:
    """The response is the spec's error list with HTTP `status`; returns the descriptions."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    if fmt == "xml":
        assert response["Content-Type"].startswith("text/xml")
        root = ElementTree.fromstring(response.content)
        assert root.tag == "errors" and len(root) >= 1
        assert all(e.tag == "error" and e.findtext("code") == str(status) for e in root)
        descriptions = [e.findtext("description") or "" for e in root]
    else:
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        validate(body, ERRORS_SCHEMA)
        assert {e["code"] for e in body} == {status}
        descriptions = [e["description"] for e in body]
    assert all(descriptions)
    if contains:
        assert any(contains in d for d in descriptions), descriptions
    return descriptions


def xml(response, root: str) -> ElementTree.Element:
    """The parsed XML body (well-formed, root element `root`)."""
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    element = ElementTree.fromstring(response.content)
    assert element.tag == root
    return element


def post(client, key: str, fmt: str = "json", point=INSIDE_T0, **values):
    """POST requests.<fmt> with a valid request (for `street`) unless `values` say otherwise."""
    body = {"api_key": key, "service_code": "street", "description": "菜市场门口有商贩占道经营"}
    if point is not None:
        body |= {"lat": str(point[1]), "long": str(point[0])}
    headers = {k: v for k, v in values.items() if k.startswith("HTTP_")}
    body.update({k: v for k, v in values.items() if k not in headers})
    return client.post(f"{BASE}requests.{fmt}", {k: v for k, v in body.items() if v is not None}, **headers)


def make_key(world, name: str = "12345热线对接", user=None) -> tuple[object, str]:
    """An API token (and its raw key) of the county's dispatcher, as the api_key of a client."""
    from zhifa.core.services.tokens import api_token_create
    from zhifa.org.models import RoleCode

    return api_token_create(actor=None, user=user or world.user(RoleCode.DISPATCHER, "county"), name=name)
