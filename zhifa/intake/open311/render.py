"""Open311 answers as JSON or XML, in the shapes of GeoReport v2, and errors as the spec's list.

The same Python value gives both formats: a list is a JSON array and, in XML, a root element whose
children are named after it (`<services><service>`, `<service_requests><request>`,
`<errors><error>`); a dict is a JSON object and, in XML, one child element per key; None is JSON null
and an empty XML element; booleans are `true`/`false`. Text that XML 1.0 cannot carry (control
characters a client may have sent, echoed in an error) is dropped, so the XML is always well-formed.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DEFAULT_FORMAT = "json"
# The element of each item of a list, by the list's element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ECHO_MAX = 40  # characters of a client's value repeated in an error description


class Open311Error(Exception):
    """An answer in the spec's error shape: HTTP `status`, one {code, description} per description.

    The code of each error is the HTTP status (as in the spec's examples: 403 for a bad api_key).
    """

    def __init__(self, status: int, *descriptions: str, headers: dict[str, str] | None = None) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions) or [str(status)]
        self.headers = headers or {}


def echo(value: str) -> str:
    """A client's value, shortened and cleaned, for an error description."""
    text = _NOT_XML.sub("", str(value)).replace("\x00", "")
    return text if len(text) <= ECHO_MAX else text[:ECHO_MAX] + "…"


def _fill(element: ElementTree.Element, value: Any, tag: str) -> None:
    if isinstance(value, dict):
        for key, child_value in value.items():
            _fill(ElementTree.SubElement(element, key), child_value, key)
    elif isinstance(value, list | tuple):
        item_tag = ITEM_TAGS.get(tag, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, item_tag), item, item_tag)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))


def to_xml(root: str, value: Any) -> str:
    """`value` as an XML document whose root element is `root`."""
    element = ElementTree.Element(root)
    _fill(element, value, root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="unicode")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def respond(
    root: str, value: Any, fmt: str, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    """The HTTP answer: `value` in `fmt` ("json" or "xml"; anything else answers in JSON)."""
    fmt = fmt if fmt in FORMATS else DEFAULT_FORMAT
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    response = HttpResponse(body, content_type=FORMATS[fmt], status=status)
    for name, header in (headers or {}).items():
        response[name] = header
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def error_response(error: Open311Error, fmt: str) -> HttpResponse:
    """The spec's error list: `[{"code": 403, "description": "..."}]` / `<errors><error>...`."""
    errors = [{"code": error.status, "description": echo_safe(d)} for d in error.descriptions]
    return respond("errors", errors, fmt, status=error.status, headers=error.headers)


def echo_safe(text: str) -> str:
    """A description with what XML cannot carry removed (descriptions may quote a client's input)."""
    return _NOT_XML.sub("", text)
