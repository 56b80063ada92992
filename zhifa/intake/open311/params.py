"""The parameters of the Open311 endpoints: read from the query string or the POST body, checked, typed.

A client may send anything: NUL characters, megabytes in one field, `lat=abc`, dates in any shape,
an unsupported content type. Every problem becomes an Open311Error (400) naming the parameter, in
Chinese; nothing reaches the database unchecked (PostgreSQL refuses NUL in text, and an absurd date
would overflow when converted to UTC). POST bodies are `application/x-www-form-urlencoded` (the spec),
`multipart/form-data`, or a JSON object (a convenience; `attribute` may then be an object).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from zhifa.intake.open311.render import Open311Error, echo

MAX_VALUE = 4000  # characters of any one value (the spec's description is at most 4000)
MAX_PARAMS = 100
MAX_IDS = 100  # service_request_id values in one list call
MAX_SPAN_DAYS = 90  # the spec: a date range "may not span more than 90 days"
NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{0,20})?|\.\d{1,20})$")
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,40})\](\[\])?$")
PHONE = re.compile(r"^[0-9+\-() ]{3,20}$")
CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# "2026-01-05T10:00:00 08:00": the "+" of the offset, unescaped in a URL, arrives as a space.
SPACE_FOR_PLUS = re.compile(r"^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")
YEARS = (1900, 2200)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SHORT_FIELDS = {"device_id": 100, "account_id": 100, "address_id": 100, "jurisdiction_id": 100}
NAME_MAX = 50


@dataclass
class Params:
    """The parameters of one call: plain values (the last one wins) and `attribute[code]` values."""

    values: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()


def _collect(pairs: Iterable[tuple[str, str]]) -> Params:
    params = Params()
    for count, (key, value) in enumerate(pairs, start=1):
        if count > MAX_PARAMS:
            raise Open311Error(400, _("参数过多（最多%(n)d个）。") % {"n": MAX_PARAMS})
        if "\x00" in key or "\x00" in value:
            raise Open311Error(400, _("参数“%(name)s”含有空字符（NUL）。") % {"name": echo(key)})
        if len(key) > 60:
            raise Open311Error(400, _("参数名“%(name)s”过长。") % {"name": echo(key)})
        if len(value) > MAX_VALUE:
            raise Open311Error(
                400, _("参数“%(name)s”过长（最多%(n)d个字符）。") % {"name": echo(key), "n": MAX_VALUE}
            )
        match = ATTRIBUTE.match(key)
        if match:
            params.attributes.setdefault(match.group(1), []).append(value)
        elif key.startswith("attribute"):
            raise Open311Error(400, _("参数“%(name)s”的格式应为 attribute[代码]。") % {"name": echo(key)})
        else:
            params.values[key] = value
    return params


def read_query(request: HttpRequest) -> Params:
    """The query string's parameters."""
    return _collect((key, value) for key, values in request.GET.lists() for value in values)


def _json_pairs(body: bytes) -> list[tuple[str, str]]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Open311Error(400, _("请求内容不是有效的JSON。")) from None
    if not isinstance(data, dict):
        raise Open311Error(400, _("JSON请求内容必须是一个对象。"))
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if key == "attribute" and isinstance(value, dict):
            for code, attr in value.items():
                for one in attr if isinstance(attr, list) else [attr]:
                    pairs.append((f"attribute[{code}]", _scalar(f"attribute[{code}]", one)))
        else:
            pairs.append((key, _scalar(key, value)))
    return pairs


def _scalar(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise Open311Error(400, _("参数“%(name)s”必须是文字或数字。") % {"name": echo(key)})


def read_body(request: HttpRequest) -> Params:
    """The POST body's parameters (form, multipart or JSON); another content type is a 400."""
    content_type = (request.content_type or "").lower()
    if content_type in FORM_TYPES:
        return _collect((key, value) for key, values in request.POST.lists() for value in values)
    if content_type == "application/json":
        return _collect(_json_pairs(request.body))
    if not content_type and not request.body:
        return Params()
    raise Open311Error(
        400,
        _("不支持的请求内容类型“%(type)s”，请使用 application/x-www-form-urlencoded。")
        % {"type": echo(content_type)},
    )


def number(params: Params, name: str, problems: list[str]) -> float | None:
    """A decimal number such as 26.4123 (no exponent, no NaN), or None when absent."""
    raw = params.get(name)
    if not raw:
        return None
    if not NUMBER.match(raw):
        problems.append(_("%(name)s 必须是十进制数字（如 26.4123）。") % {"name": name})
        return None
    return float(raw)


def text(params: Params, name: str, limit: int, problems: list[str]) -> str:
    """A trimmed text of at most `limit` characters."""
    value = params.get(name)
    if len(value) > limit:
        problems.append(_("%(name)s 最多%(n)d个字符。") % {"name": name, "n": limit})
        return ""
    return value


@dataclass
class CreateInput:
    """A POST requests call, checked (api_key apart: access.py checks it first)."""

    service_code: str
    lat: float | None
    long: float | None
    address_string: str
    description: str
    phone: str
    extras: dict[str, str]  # first_name, last_name, email, media_url, device_id ... (kept on the step)
    attributes: dict[str, list[str]]


def create_input(params: Params) -> CreateInput:
    """Every problem of a POST requests call at once (one error per problem)."""
    problems: list[str] = []
    service_code = params.get("service_code")
    if not service_code:
        problems.append(_("service_code 必填。"))
    elif not CODE.match(service_code):
        problems.append(_("service_code“%(code)s”不存在。") % {"code": echo(service_code)})
    lat, long = number(params, "lat", problems), number(params, "long", problems)
    if (params.get("lat") == "") != (params.get("long") == ""):
        problems.append(_("lat 和 long 须同时提供。"))
    address = text(params, "address_string", 200, problems)
    description = params.get("description")
    if not description:
        problems.append(_("description 必填：请描述情况。"))
    phone = text(params, "phone", 20, problems)
    if phone and not PHONE.match(phone):
        problems.append(_("phone 不是有效的电话号码。"))
    extras: dict[str, str] = {}
    for name in ("first_name", "last_name"):
        extras[name] = text(params, name, NAME_MAX, problems)
    email = text(params, "email", 254, problems)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("email 不是有效的电子邮件地址。"))
    extras["email"] = email
    media_url = text(params, "media_url", 500, problems)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.append(_("media_url 不是有效的 http(s) 网址。"))
    extras["media_url"] = media_url
    for name, limit in SHORT_FIELDS.items():
        extras[name] = text(params, name, limit, problems)
    if problems:
        raise Open311Error(400, *problems)
    return CreateInput(
        service_code=service_code,
        lat=lat,
        long=long,
        address_string=address,
        description=description,
        phone=phone,
        extras={k: v for k, v in extras.items() if v},
        attributes=params.attributes,
    )


def moment(params: Params, name: str, problems: list[str]) -> datetime.datetime | None:
    """A W3C date-time (2026-01-05T10:00:00+08:00, ...Z) or date; without an offset, local time."""
    raw = params.get(name)
    if not raw:
        return None
    spaced = SPACE_FOR_PLUS.match(raw)
    if spaced:
        raw = f"{spaced.group(1)}+{spaced.group(2)}"
    value = None
    if len(raw) <= 40:
        try:
            value = parse_datetime(raw)
            if value is None:
                day = parse_date(raw)
                value = datetime.datetime.combine(day, datetime.time()) if day else None
        except ValueError:
            value = None
    if value is None or not YEARS[0] <= value.year <= YEARS[1]:
        problems.append(_("%(name)s 不是有效的时间（如 2026-01-05T10:00:00+08:00）。") % {"name": name})
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def code_list(params: Params, name: str, problems: list[str], limit: int = MAX_IDS) -> list[str]:
    """A comma-separated list of codes (service_code, service_request_id)."""
    raw = params.get(name)
    if not raw:
        return []
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if len(codes) > limit:
        problems.append(_("%(name)s 最多%(n)d个。") % {"name": name, "n": limit})
        return []
    bad = [c for c in codes if not CODE.match(c)]
    if bad:
        problems.append(_("%(name)s“%(code)s”无效。") % {"name": name, "code": echo(bad[0])})
        return []
    return codes


@dataclass
class ListInput:
    """A GET requests call: ids override every other filter (the spec)."""

    ids: list[str]
    service_codes: list[str]
    start: datetime.datetime | None
    end: datetime.datetime | None
    statuses: set[str]


def list_input(params: Params) -> ListInput:
    problems: list[str] = []
    ids = code_list(params, "service_request_id", problems)
    codes = code_list(params, "service_code", problems)
    start, end = moment(params, "start_date", problems), moment(params, "end_date", problems)
    statuses = {s.strip().lower() for s in params.get("status").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        problems.append(_("status 只能是 open 或 closed（可用逗号分隔）。"))
    if start and end and start > end:
        problems.append(_("start_date 不能晚于 end_date。"))
    elif start and end and end - start > datetime.timedelta(days=MAX_SPAN_DAYS):
        problems.append(_("start_date 到 end_date 不能超过%(n)d天。") % {"n": MAX_SPAN_DAYS})
    text(params, "jurisdiction_id", SHORT_FIELDS["jurisdiction_id"], problems)
    if problems:
        raise Open311Error(400, *problems)
    return ListInput(ids, codes, start, end, statuses)
