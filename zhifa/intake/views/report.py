"""The staff report page (线索上报): the grid worker's phone form, also used by the command centre for
hotline and 12345 entries and referrals, and by officers for what they find on inspection.

Seeds 000/002: a grid worker reports from the street with a photo, the position and a few words.
The page works on a 375-px screen and on a slow connection (static/intake/report.js): what was typed
is kept on the phone until the clue is created, and the form carries a client key, so sending again
after a lost answer returns the clue already created (services.report, idempotent by client_key).
Without JavaScript the form posts normally and errors come back next to the fields.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhifa.core.errors import ServiceError
from zhifa.intake.forms import (
    DISPATCHER_SOURCES,
    OFFICER_SOURCES,
    StaffReportForm,
    apply_errors,
    errors_json,
    photo_uploads,
    township_queryset,
)
from zhifa.intake.models import Clue, ClueSource, Priority
from zhifa.intake.policies import can_command, can_report
from zhifa.intake.services.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from zhifa.intake.services.report import ClueInput, clue_report
from zhifa.intake.views.mine import reader_clue
from zhifa.org.models import GridCell, RoleCode
from zhifa.org.scoping import has_role, person_of, visible

MAX_OUTLINES = 200


def wants_json(request: HttpRequest) -> bool:
    """The page's script asks for JSON (errors as data, the form stays as typed)."""
    return "application/json" in request.headers.get("Accept", "")


def script_messages() -> dict[str, str]:
    """The texts report.js shows (translated here, so the script has no strings of its own)."""
    return {
        "restored": _("已恢复上次未发送的内容。照片未保存，如需要请重新拍摄或选择。"),
        "locating": _("正在定位……"),
        "located": _("已定位：纬度 {lat}，经度 {lng}"),
        "accuracy": _("（精度约 {acc} 米）"),
        "picked": _("已选点：纬度 {lat}，经度 {lng}"),
        "none": _("未定位"),
        "denied": _("未获得定位权限。请在地图上点选位置，或选择事发乡镇（街道）。"),
        "failed": _("定位失败。请到开阔处重试，或在地图上点选位置。"),
        "unsupported": _("此浏览器不支持定位，请在地图上点选位置。"),
        "photos": _("已选 {n} 张照片（{size}）"),
        "sending": _("正在发送……"),
        "sent": _("已提交，正在打开……"),
        "network": _(
            "发送失败：网络不通或信号太弱。已填写的内容保存在本机，网络恢复后请再点“提交”（不会重复上报）。"
        ),
        "expired": _("页面已过期或登录已失效。已填写的内容保存在本机，请刷新页面（或重新登录）后再提交。"),
        "server": _("服务器暂时无法处理。已填写的内容保存在本机，请稍后再点“提交”。"),
        "fix": _("请更正标红的内容后再提交。"),
    }


def grid_outlines(user) -> dict[str, Any]:
    """GeoJSON of the grid cells the user works (and the micro grids under them): the map's outlines."""
    person = person_of(user)
    features: list[dict[str, Any]] = []
    if person is not None and has_role(user, RoleCode.GRID_WORKER):
        mine = GridCell.objects.filter(Q(workers=person) | Q(parent__workers=person)).values("pk")
        cells = visible(GridCell.objects.filter(pk__in=mine, geometry__isnull=False), user)
        for cell in cells.order_by("level", "code")[:MAX_OUTLINES]:
            features.append(
                {
                    "type": "Feature",
                    "geometry": cell.geometry,
                    "properties": {"name": cell.name, "code": cell.code},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def report_context(**extra: Any) -> dict[str, Any]:
    """What both report pages (staff and public) give the template and the script."""
    return {
        "tile_url": settings.ZHIFA_MAP_TILE_URL,
        "script_messages": script_messages(),
        "max_photos": MAX_PHOTOS,
        "max_photo_mb": MAX_PHOTO_BYTES // 1024 // 1024,
        **extra,
    }


def _sources(user) -> tuple[tuple[str, ...], bool]:
    """The sources the user may choose and whether the command centre's extra fields are shown."""
    if user.is_superuser or has_role(user, RoleCode.DISPATCHER, RoleCode.ADMIN):
        return DISPATCHER_SOURCES, True
    if has_role(user, RoleCode.OFFICER, RoleCode.TEAM_LEADER):
        return OFFICER_SOURCES, False
    return (ClueSource.GRID,), False


def _form(request: HttpRequest) -> StaffReportForm:
    sources, extras = _sources(request.user)
    townships = visible(township_queryset(), request.user) if extras else None
    if request.method == "POST":
        return StaffReportForm(
            request.POST, request.FILES, sources=sources, extras=extras, townships=townships
        )
    return StaffReportForm(
        initial={"client_key": str(uuid.uuid4()), "source": sources[0]},
        sources=sources,
        extras=extras,
        townships=townships,
    )


def _input(form: StaffReportForm) -> ClueInput:
    data = form.cleaned_data
    return ClueInput(
        source=data["source"],
        category=data["category"],
        text=data["text"],
        lng=data["lng"],
        lat=data["lat"],
        address=data["address"],
        region=data.get("region"),
        priority=data.get("priority") or Priority.NORMAL,
        reporter_name=data.get("reporter_name", ""),
        reporter_phone=data.get("reporter_phone", ""),
        client_key=data["client_key"],
        photos=photo_uploads(data["photos"]),
    )


def _created(request: HttpRequest, clue: Clue, status: int = 201) -> HttpResponse:
    url = reverse("intake-report-done", args=[clue.pk])
    if wants_json(request):
        return JsonResponse({"id": clue.pk, "code": clue.code, "url": url}, status=status)
    return redirect(url)


def _submit(request: HttpRequest, form: StaffReportForm) -> HttpResponse | None:
    """Create the clue (or find the one this key created); None when the form has errors."""
    if not form.is_valid():
        return None
    key = form.cleaned_data["client_key"]
    existing = Clue.objects.filter(client_key=key).first() if key else None
    if existing is not None:
        if existing.reported_by_id == request.user.pk:
            return _created(request, existing, status=200)  # a retry after a lost answer
        form.add_error(None, _("该表单已提交过，请刷新页面后重新填写。"))
        return None
    try:
        clue = clue_report(actor=request.user, data=_input(form))
    except ServiceError as exc:
        apply_errors(form, exc)
        return None
    return _created(request, clue)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """GET: the form (with a fresh client key). POST: report; JSON for the script, else redirect/errors."""
    if not can_report(request.user):
        raise PermissionDenied
    form = _form(request)
    if request.method == "POST":
        done = _submit(request, form)
        if done is not None:
            return done
        if wants_json(request):
            return JsonResponse({"errors": errors_json(form)}, status=400)
    context = report_context(
        form=form,
        outlines=grid_outlines(request.user),
        draft_key=f"zhifa.report.{request.user.pk}",
        # On patrol the phone's position is the place; at the command centre's desk it is not.
        auto_locate=not form.extras,
    )
    return render(request, "intake/report_form.html", context, status=400 if form.errors else 200)


@login_required
def report_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The clue's number after reporting, with links to its page and to report the next one."""
    clue = reader_clue(request.user, pk)
    return render(
        request, "intake/report_done.html", {"clue": clue, "can_command": can_command(request.user, clue)}
    )
