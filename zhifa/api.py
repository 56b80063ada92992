"""The JSON API (django-ninja) under /api/v1/; each app adds its router here.

Errors have one shape everywhere: {"code", "field", "message"} (the codes of zhifa.core.errors),
plus "errors" (one per field) when the input fails validation. Another township's object gives the
same 404 as a missing one, so that an outsider learns nothing, not even that it exists.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from zhifa.core.api_auth import API_AUTH
from zhifa.core.errors import ErrorCode, ServiceError

UNAUTHENTICATED = "unauthenticated"

api = NinjaAPI(
    title="Zhifa API",
    version="1",
    description=(
        "乡镇综合行政执法平台 JSON API。"
        "认证：`Authorization: Bearer <令牌>`，或浏览器会话（非安全方法需 CSRF）。"
    ),
    urls_namespace="api",
    auth=API_AUTH,
    # Swagger UI from the `ninja` app's bundled static files (ninja is in INSTALLED_APPS), never a CDN:
    # government intranets have no internet. No validator badge either: it would call swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
)


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "field": field, "message": message, **extra}


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    body = exc.as_dict()
    errors = getattr(exc, "errors", None)
    if errors:
        body["errors"] = [e.as_dict() for e in errors]
    # A stale `version` (the object changed since it was read) is a conflict, everything else bad input.
    return api.create_response(request, body, status=409 if exc.code == ErrorCode.CONFLICT else 400)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The exception's own text is not shown: it could name the object that was looked for.
    return api.create_response(request, error_body(ErrorCode.NOT_FOUND, _("未找到。")), status=404)


def _field_of(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if p not in ("query", "path", "body", "header", "cookie", "form")]
    # ninja nests a request body under the parameter name (e.g. body.payload.name): keep the last part.
    return parts[-1] if parts else ""


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(e.get("loc")), "message": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors
    ]
    first = errors[0]["field"] if errors else None
    body = error_body(ErrorCode.INVALID, _("请求参数无效。"), first or None, errors=errors)
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body(UNAUTHENTICATED, _("需要登录，或提供有效的API令牌。"))
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="zhifa"'
    return response


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, error_body(ErrorCode.NOT_ALLOWED, _("无权执行此操作。")), status=403)


@api.exception_handler(AuthorizationError)
def on_authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return on_permission_denied(request, PermissionDenied())


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403:  # e.g. the session's CSRF check
        return api.create_response(
            request, error_body(ErrorCode.NOT_ALLOWED, _("CSRF校验失败或无权执行此操作。")), status=403
        )
    return api.create_response(request, error_body(ErrorCode.INVALID, str(exc)), status=exc.status_code)


def _register_routers() -> None:
    from zhifa.cases.api import router as cases_router
    from zhifa.core.api_tokens import router as tokens_router
    from zhifa.disclosure.api import router as disclosure_router
    from zhifa.inspections.api import router as inspections_router
    from zhifa.intake.api import router as intake_router
    from zhifa.org.api import certificates_router, me_router, org_router
    from zhifa.powers.api import router as powers_router

    api.add_router("/org", org_router)
    api.add_router("/certificates", certificates_router)
    api.add_router("/me", me_router)
    api.add_router("/tokens", tokens_router)
    # Issue 3, point 7: items, grant lists, claims and /competence sit directly under /api/v1/.
    api.add_router("", powers_router)
    api.add_router("", intake_router)
    api.add_router("/cases", cases_router)
    api.add_router("/disclosure", disclosure_router)
    api.add_router("/inspections", inspections_router)


_register_routers()
