"""Reject requests whose parameters carry NUL characters before they reach a view.

PostgreSQL cannot store or compare text containing NUL (0x00) and raises an error deep inside a query;
SQLite accepts it. No legitimate form or filter sends one, so a page request is refused with a 400 that
names the parameter, on both databases alike. The API validates its own parameters (422 naming the field),
and so does Open311 (400 in the spec's error shape).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

SELF_VALIDATING = ("/api/", "/open311/")


def _offending(request: HttpRequest) -> str | None:
    if "\x00" in request.path:
        return "path"
    for source in (request.GET, request.POST if request.method == "POST" else None):
        if source is None:
            continue
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key.replace("\x00", "")
    return None


class RejectNullCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = None if request.path.startswith(SELF_VALIDATING) else _offending(request)
        if field is not None:
            message = _("参数“%(field)s”含有不允许的空字符（NUL）。") % {"field": field}
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
