"""The record pages (全过程记录, APL Art. 47): a read-only list of events and "verify now".

Nothing here writes: both views answer GET only and the pages carry no form that changes anything
(GO118 (九) tamper-proof storage). Outsiders get 404, not 403 (DESIGN.md, permissions).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhifa.core.selectors.record import can_view_record, event_page, object_type_options
from zhifa.core.verify import verify_chain

FILTERS = ("object_type", "object_id", "seq")


def _require_viewer(request: HttpRequest) -> None:
    if not can_view_record(request.user):
        raise Http404


@require_GET
@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """Events newest first, 50 a page, filtered by object type, object id or sequence number."""
    _require_viewer(request)
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    errors: dict[str, str] = {}
    seq: int | None = None
    if filters["seq"]:
        try:
            seq = int(filters["seq"])
        except ValueError:
            errors["seq"] = _("序号必须是整数。")
    page = event_page(
        object_type=filters["object_type"],
        object_id=filters["object_id"],
        seq=seq,
        page=request.GET.get("page") or 1,
    )
    context = {"page": page, "filters": filters, "errors": errors, "object_types": object_type_options()}
    template = "core/record_list.html#results" if request.htmx else "core/record_list.html"
    return render(request, template, context)


@require_GET
@login_required
def record_verify(request: HttpRequest) -> HttpResponse:
    """Run `verify_chain` now and show the result (the first broken link, if any)."""
    _require_viewer(request)
    result = verify_chain()
    template = "core/record_verify.html#result" if request.htmx else "core/record_verify.html"
    return render(request, template, {"result": result})
