"""Visit pages for the inspector's phone: the list, one visit, and its actions (plain POST, htmx for
the checklist). Views are thin: reads go through selectors.visits_list (data scoping: another
agency's or county's visit is a 404), writes through services.visits / services.findings, which check
who may work the visit (APL Art. 42, 55) and write the record.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.cases.policies import can_open_case
from zhifa.core.errors import ServiceError
from zhifa.inspections import policies
from zhifa.inspections.models import CheckOutcome, Finding, FindingPhoto, VisitResult, VisitState
from zhifa.inspections.selectors.visits import repeat_visit_warnings
from zhifa.inspections.selectors.visits_list import (
    PointRow,
    checklist_rows,
    parse_filters,
    publish_deadline,
    visit_detail,
    visit_page,
)
from zhifa.inspections.services import findings as finding_svc
from zhifa.inspections.services import visits as svc
from zhifa.intake.models import ClueCategory
from zhifa.org.views.certificate_print import qr_svg


def public_url(code: str) -> str:
    """The absolute address the visit's QR code opens (settings.ZHIFA_PUBLIC_BASE_URL + /v/<code>/)."""
    return settings.ZHIFA_PUBLIC_BASE_URL.rstrip("/") + reverse("inspections-public-visit", args=[code])


def _back(pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("inspections-visit-detail", args=[pk]) + (f"#{anchor}" if anchor else ""))


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@login_required
@require_GET
def visit_list_view(request: HttpRequest) -> HttpResponse:
    """Today / upcoming / done, mine / my agency / all in scope, with state, result and date filters."""
    if not policies.can_see(request.user):
        raise PermissionDenied
    filters = parse_filters(request.GET)
    page = visit_page(request.user, filters, request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "tabs": (("today", _("今日")), ("upcoming", _("待检查")), ("done", _("已完成")), ("all", _("全部"))),
        "whos": (("mine", _("我的")), ("agency", _("本单位")), ("all", _("全部可见"))),
        "states": VisitState.choices,
        "results": VisitResult.choices,
    }
    template = "inspections/visit_list.html#results" if request.htmx else "inspections/visit_list.html"
    return render(request, template, context)


def _finding_rows(request: HttpRequest, visit, can_work: bool) -> list[dict]:
    rows = []
    for finding in visit.findings.all():
        agency = getattr(finding.item.department, "agency", None)
        may_case = can_work and agency is not None and can_open_case(request.user, agency)
        rows.append(
            {
                "finding": finding,
                "case_items": list(finding_svc.case_items_for(finding.item))
                if may_case and not finding.case_id
                else [],
                "may_case": may_case,
            }
        )
    return rows


@login_required
@require_GET
def visit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page of one visit: team and certificates, checklist, findings, finish form, QR code."""
    visit = visit_detail(request.user, pk)
    can_work = policies.can_work_visit(request.user, visit)
    url = public_url(visit.code)
    context = {
        "visit": visit,
        "can_work": can_work,
        "in_progress": visit.state == VisitState.IN_PROGRESS,
        "items": checklist_rows(visit),
        "outcomes": CheckOutcome.choices,
        "findings": _finding_rows(request, visit, can_work),
        "categories": list(ClueCategory.objects.filter(is_active=True).order_by("sort", "code")),
        "results": VisitResult.choices,
        "warnings": repeat_visit_warnings(visit),
        "public_url": url,
        "qr": qr_svg(url),
        "publish_deadline": publish_deadline(visit),
        "tomorrow": timezone.localdate() + datetime.timedelta(days=1),
    }
    return render(request, "inspections/visit_detail.html", context)


def _fail(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)


@login_required
@require_POST
def visit_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_detail(request.user, pk)
    try:
        svc.visit_start(actor=request.user, visit=visit, version=_int(request.POST.get("version")) or 0)
    except ServiceError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("检查已开始，请向检查对象出示执法证件。"))
    return _back(pk)


@login_required
@require_POST
def visit_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap on a checklist point; htmx swaps only that point, without JS the page reloads."""
    visit = visit_detail(request.user, pk)
    item_id, point = _int(request.POST.get("item")), _int(request.POST.get("point"))
    outcome, note = request.POST.get("outcome", ""), request.POST.get("note", "").strip()
    error = ""
    try:
        check = svc.visit_check(
            actor=request.user,
            visit=visit,
            item=item_id or 0,
            point=point if point is not None else -1,
            outcome=outcome,
            note=note,
        )
    except ServiceError as exc:
        error, check = exc.message, None
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _back(pk, f"point-{item_id}-{point}")
    if check is None:
        return HttpResponse(
            format_html(
                '<div class="alert alert-danger py-1 small mb-0" data-testid="check-error">{}</div>', error
            ),
            status=200,
            headers={"HX-Reswap": "innerHTML", "HX-Retarget": f"#point-error-{item_id}-{point}"},
        )
    entry = next(((i, rows) for i, rows in checklist_rows(visit) if i.pk == item_id), None)
    row = entry[1][point] if entry else PointRow(item_id or 0, point or 0, "", "", outcome, note)
    row.outcome, row.note = check.outcome, check.note
    return render(
        request,
        "inspections/visit_detail.html#point",
        {"visit": visit, "row": row, "outcomes": CheckOutcome.choices, "can_work": True, "in_progress": True},
    )


@login_required
@require_POST
def finding_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_detail(request.user, pk)
    try:
        finding = svc.finding_add(
            actor=request.user,
            visit=visit,
            item=_int(request.POST.get("item")) or 0,
            text=request.POST.get("text", ""),
        )
    except ServiceError as exc:
        _fail(request, exc)
        return _back(pk, "findings")
    messages.success(request, _("已记录发现的问题，可继续拍照上传。"))
    return _back(pk, f"finding-{finding.pk}")


def _finding(request: HttpRequest, pk: int, finding_pk: int) -> Finding:
    visit = visit_detail(request.user, pk)
    return get_object_or_404(Finding.objects.select_related("visit", "item"), pk=finding_pk, visit=visit)


@login_required
@require_POST
def finding_photo_view(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    finding = _finding(request, pk, finding_pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("请选择或拍摄一张照片。"))
        return _back(pk, f"finding-{finding_pk}")
    # One byte past the limit is enough for the service to refuse it by size: never read a huge file.
    content = upload.read(finding_svc.MAX_PHOTO_BYTES + 1)
    try:
        finding_svc.finding_photo_add(
            actor=request.user,
            finding=finding,
            photo=finding_svc.PhotoUpload(name=upload.name[:100], content=content),
        )
    except ServiceError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("照片已上传。"))
    return _back(pk, f"finding-{finding_pk}")


@login_required
@require_GET
def finding_photo_file(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A finding's photo, only to those who may read the visit (404 otherwise)."""
    visit = visit_detail(request.user, pk)
    photo = get_object_or_404(FindingPhoto, pk=photo_pk, finding__visit=visit)
    path = finding_svc.photo_path(photo).resolve()
    root = Path(settings.MEDIA_ROOT).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def finding_clue_view(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    finding = _finding(request, pk, finding_pk)
    category = ClueCategory.objects.filter(pk=_int(request.POST.get("category")) or 0, is_active=True).first()
    try:
        finding = svc.finding_to_clue(actor=request.user, finding=finding, category=category)
    except ServiceError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已转为线索 %(code)s。") % {"code": finding.clue.code})
    return _back(pk, f"finding-{finding_pk}")


@login_required
@require_POST
def finding_case_view(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    finding = _finding(request, pk, finding_pk)
    try:
        finding = finding_svc.finding_to_case(
            actor=request.user, finding=finding, power_item=_int(request.POST.get("power_item")) or 0
        )
    except ServiceError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已立案（案源登记）%(code)s。") % {"code": finding.case.code})
    return _back(pk, f"finding-{finding_pk}")


@login_required
@require_POST
def visit_finish_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_detail(request.user, pk)
    rectify_by = None
    if request.POST.get("rectify_by"):
        try:
            rectify_by = datetime.date.fromisoformat(request.POST["rectify_by"])
        except ValueError:
            messages.error(request, _("整改期限日期格式不正确。"))
            return _back(pk, "finish")
    try:
        svc.visit_finish(
            actor=request.user,
            visit=visit,
            result=request.POST.get("result", ""),
            rectify_by=rectify_by,
            note=request.POST.get("note", "").strip(),
            version=_int(request.POST.get("version")) or 0,
        )
    except ServiceError as exc:
        _fail(request, exc)
        return _back(pk, "finish")
    messages.success(request, _("检查已完成，结果将在20个工作日内公示。"))
    return _back(pk)
