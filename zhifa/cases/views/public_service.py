"""The party's electronic service page, no login: /s/<token>/ (CPL Art. 90; issue 5, point 6).

The page first asks for the 6-digit code the officer sent with the link; nothing of the document (not
its type, not the party's name) is shown before. With the right code the first opening is recorded as
the time of service (services.service.service_open_electronic) and the browser's session remembers the
link, so the document can be read and downloaded; the PDF is streamed from the stored file after its
SHA-256 is checked against the one recorded when it was issued. Five wrong codes lock the link.

Guessing is limited per address as on the public report pages (zhifa.intake.views.public: counters in
the Django cache, hashed addresses): wrong codes and unknown links count towards
ZHIFA_ESERVICE_FAILURES_PER_HOUR (default 20).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.cases.documents.storage import absolute, sha256_of
from zhifa.cases.models import Service
from zhifa.cases.services.eservice import find_link, link_problem, service_open_electronic
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.intake.views.public import ROBOTS, count, over_limit

SESSION_KEY = "zhifa_eservice"
BUCKET = "eservice-fail"
FAILURES_DEFAULT = 20


def failures_per_hour() -> int:
    return int(getattr(settings, "ZHIFA_ESERVICE_FAILURES_PER_HOUR", FAILURES_DEFAULT))


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = ROBOTS
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token is in the URL: never sent to other sites
    return response


def _unlocked(request: HttpRequest, service: Service) -> bool:
    return service.pk in request.session.get(SESSION_KEY, [])


def _remember(request: HttpRequest, service: Service) -> None:
    known = [pk for pk in request.session.get(SESSION_KEY, []) if pk != service.pk][-19:]
    request.session[SESSION_KEY] = [*known, service.pk]


def _show(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    return _private(render(request, "cases/public_service.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def public_service(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the code form (or the document once unlocked in this browser). POST: check the code."""
    if over_limit(request, BUCKET, failures_per_hour()):
        return _show(request, {"blocked": True}, status=429)
    service = find_link(token)
    if service is None:
        count(request, BUCKET)
        return _show(request, {"missing": True}, status=404)
    agency = service.case.agency.name
    problem = link_problem(service)
    if problem:
        return _show(request, {"problem": problem, "agency": agency}, status=410)
    if request.method == "POST":
        try:
            service, _first = service_open_electronic(token=token, code=request.POST.get("code", ""))
        except ServiceError as exc:
            count(request, BUCKET)
            status = 403 if exc.code == ErrorCode.INVALID else 410
            return _show(request, {"error": exc.message, "agency": agency, "ask": True}, status=status)
        _remember(request, service)
        return redirect("public-service", token=token)
    if not _unlocked(request, service):
        return _show(request, {"ask": True, "agency": agency})
    return _show(
        request, {"service": service, "document": service.document, "agency": agency, "token": token}
    )


@never_cache
@require_GET
def public_service_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The served document's PDF, only in a browser that entered the code for this link; the file must
    still be the one issued (SHA-256), else nothing is shown."""
    service = find_link(token)
    if service is None or link_problem(service) or not _unlocked(request, service):
        raise Http404
    document = service.document
    try:
        content = absolute(document.file).read_bytes()
    except (OSError, ValueError):
        raise Http404 from None
    if not document.sha256 or sha256_of(content) != document.sha256:
        return _show(request, {"problem": _("文书文件校验失败，请联系送达机关。")}, status=500)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{document.number or document.title}.pdf".replace('"', "")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
