"""The Open311 GeoReport v2 endpoints (see the package docstring); one view dispatches every path.

Everything under /open311/v2/ comes here, so that an unknown path or format, a wrong method, an
unreadable body or a bad parameter is answered in the spec's error shape (in XML when the path ends
in .xml, else JSON), never with Django's HTML pages. CSRF-exempt: POSTs are authenticated by their
api_key, never by a browser session.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from zhifa.core.errors import ServiceError
from zhifa.intake.models import ClueCategory
from zhifa.intake.open311 import access, params, public
from zhifa.intake.open311.render import DEFAULT_FORMAT, FORMATS, Open311Error, echo, error_response, respond
from zhifa.intake.open311.services import open311_request_create
from zhifa.intake.services.report import ClueInput

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-01T00:00:00+08:00"  # when the services' shape last changed
READ = ("GET", "HEAD")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,40}$")
# Which Open311 parameter a service error's field stands for.
FIELD_PARAMS = {
    "text": "description",
    "category": "service_code",
    "lat": "lat/long",
    "lng": "lat/long",
    "address": "address_string",
    "reporter_phone": "phone",
    "coord_system": "attribute[coord_system]",
    "client_key": "Idempotency-Key",
    "photos": "media",
}


def _not_found() -> Open311Error:
    return Open311Error(
        404, _("没有这个接口。可用：discovery、services、requests、tokens（.json 或 .xml）。")
    )


def _methods(request: HttpRequest, allowed: tuple[str, ...]) -> None:
    if request.method not in allowed:
        raise Open311Error(
            405,
            _("不支持 %(method)s 方法。") % {"method": echo(request.method or "")},
            headers={"Allow": ", ".join(allowed)},
        )


def discovery(request: HttpRequest, fmt: str, base: str) -> HttpResponse:
    _methods(request, READ)
    body = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "ZHIFA_OPEN311_CONTACT", "") or _("请联系县综合行政执法指挥中心。"),
        "key_service": _(
            "api_key 即本平台的API令牌：由管理员用 manage.py create_api_token 创建，"
            "或登录后在 /api/v1/tokens 创建。"
        ),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": request.build_absolute_uri(base),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond("discovery", body, fmt)


def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _methods(request, READ)
    return respond("services", public.services(), fmt)


def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    _methods(request, READ)
    found = public.service_definition(code) if params.CODE.match(code) else None
    if found is None:
        raise Open311Error(404, _("service_code“%(code)s”不存在。") % {"code": echo(code)})
    return respond("service_definition", found, fmt)


def requests_endpoint(request: HttpRequest, fmt: str) -> HttpResponse:
    _methods(request, (*READ, "POST"))
    if request.method == "POST":
        return create_request(request, fmt)
    query = params.list_input(params.read_query(request))
    return respond("service_requests", public.find_requests(query), fmt)


def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    _methods(request, READ)
    found = public.find_request(service_request_id) if params.CODE.match(service_request_id) else None
    if found is None:
        raise Open311Error(404, _("service_request_id“%(id)s”不存在。") % {"id": echo(service_request_id)})
    return respond("service_requests", [found], fmt)


def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    _methods(request, READ)
    found = public.request_for_token(token)
    if found is None:
        raise Open311Error(404, _("token“%(token)s”不存在。") % {"token": echo(token)})
    return respond("service_requests", [found], fmt)


def _service_problems(error: ServiceError) -> list[str]:
    """Descriptions of a service's errors, named by the Open311 parameter they concern."""
    problems = []
    for one in getattr(error, "errors", None) or [error]:
        if one.field == "region":
            problems.append(
                _(
                    "无法确定事发地：lat/long 未提供或不在任何网格内，"
                    "且 address_string 中没有可识别的乡镇（街道）名称。"
                    "请提供网格内的 lat/long，或在 address_string 中写明乡镇（街道），"
                    "或提供 attribute[township]。"
                )
            )
            continue
        name = FIELD_PARAMS.get(one.field or "", "")
        problems.append(f"{name}：{one.message}" if name else one.message)
    return problems


def create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST requests: api_key (403), rate limit (429), parameters (400), then the clue (201)."""
    body = params.read_body(request)
    api_token = access.token_for_key(body.get("api_key"))
    access.check_rate(api_token)
    given = params.create_input(body)
    category = ClueCategory.objects.filter(code=given.service_code, is_active=True).first()
    problems = [] if category else [_("service_code“%(code)s”不存在。") % {"code": echo(given.service_code)}]
    try:
        coord_system, township = public.attribute_choices(given.attributes)
    except Open311Error as exc:
        problems += exc.descriptions
        coord_system, township = "wgs84", None
    if given.lat is None and not given.address_string and township is None:
        problems.append(_("请提供事发位置：lat 和 long，或 address_string。"))
    key = request.headers.get("Idempotency-Key", "").strip()
    if key and not IDEMPOTENCY_KEY.match(key):
        problems.append(_("Idempotency-Key 只能包含字母、数字和 _.:-，最多40个字符。"))
    if problems:
        raise Open311Error(400, *problems)
    data = ClueInput(
        source="open311",
        category=category,
        text=given.description,
        lng=given.long,
        lat=given.lat,
        coord_system=coord_system,
        address=given.address_string,
        region=township or public.region_from_address(given.address_string),
        reporter_phone=given.phone,
        client_key=f"o311-{api_token.pk}-{key}" if key else "",
    )
    details = dict(given.extras)
    if given.attributes:
        details["attributes"] = {code: values[-1] for code, values in given.attributes.items()}
    try:
        submitted = open311_request_create(api_token=api_token, data=data, details=details)
    except ServiceError as exc:
        raise Open311Error(400, *_service_problems(exc)) from None
    clue = submitted.clue
    notice = _("已受理。请保存 token（查询码）%(token)s，凭它查询办理进度。") % {"token": clue.tracking_code}
    if clue.outside_grid or clue.grid_cell_id is None:
        notice += _("位置不在任何网格内，将由指挥中心确定事发地后派遣。")
    created = {
        "service_request_id": clue.code,
        "token": clue.tracking_code,
        "service_notice": notice,
        "account_id": given.extras.get("account_id"),
    }
    return respond("service_requests", [created], fmt, status=201 if submitted.created else 200)


def _route(path: str) -> tuple[Callable[..., HttpResponse], tuple[str, ...]]:
    parts = path.split("/")
    if parts == ["discovery"]:
        return discovery, ()
    if parts == ["services"]:
        return services_list, ()
    if parts == ["requests"]:
        return requests_endpoint, ()
    if len(parts) == 2 and parts[1]:
        handler = {"services": service_definition, "requests": request_detail, "tokens": token_detail}
        if parts[0] in handler:
            return handler[parts[0]], (parts[1],)
    raise _not_found()


@csrf_exempt
def endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    """Every Open311 path: `<name>.<format>` or `<name>/<id>.<format>`."""
    stem, dot, extension = path.rpartition(".")
    fmt = extension.lower() if dot and extension.lower() in FORMATS else DEFAULT_FORMAT
    try:
        if "\x00" in path:
            raise _not_found()
        if not dot or "/" in extension:
            raise Open311Error(404, _("请在路径末尾注明格式：.json 或 .xml。"))
        if extension.lower() not in FORMATS:
            raise Open311Error(
                404, _("不支持的格式“%(format)s”：请使用 .json 或 .xml。") % {"format": echo(extension)}
            )
        handler, args = _route(stem)
        if handler is discovery:
            return discovery(request, fmt, request.path[: len(request.path) - len(path)])
        return handler(request, fmt, *args)
    except Open311Error as exc:
        return error_response(exc, fmt)
    except (SuspiciousOperation, MultiPartParserError, UnreadablePostError):
        # Too large, too many fields, a malformed multipart body, a bad Host header ...
        return error_response(Open311Error(400, _("无法读取请求内容。")), fmt)
