"""Staff pages of double-random draws (双随机抽查): list, create, detail, commit, run, cancel.

GO118 (四): the task, the frozen pools and the seed's commitment are fixed before the draw; (六): the
result is published after. Reads go through selectors.draws (org.scoping.visible: another county's draw
by id is a 404); writes through services.draws; who may act is policies.can_organise_draw (the
organising agency's team leaders and administrators). The seed is never shown before the draw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.inspections.forms_draws import DrawCreateForm, DrawStepForm
from zhifa.inspections.models import DrawState
from zhifa.inspections.policies import can_organise_draw, can_see
from zhifa.inspections.selectors import draws as sel
from zhifa.inspections.services import draws as services


def _require_see(request: HttpRequest) -> None:
    if not can_see(request.user):
        raise PermissionDenied


@login_required
def draw_list_view(request: HttpRequest) -> HttpResponse:
    """The draws of the user's scope, filterable by state; htmx swaps the results only."""
    _require_see(request)
    state = request.GET.get("state", "").strip()
    if state not in DrawState.values:
        state = ""
    page = sel.draw_list(
        request.user, state=state, page=request.GET.get("page") or 1, page_size=request.GET.get("page_size")
    )
    context = {
        "page": page,
        "state": state,
        "states": DrawState.choices,
        "can_create": bool(sel.creatable_agencies(request.user)),
    }
    template = "inspections/draw_list.html#results" if request.htmx else "inspections/draw_list.html"
    return render(request, template, context)


@login_required
def draw_create_view(request: HttpRequest) -> HttpResponse:
    """A new draft task. Officers and other agencies' staff may not organise one (GO118 (四))."""
    agencies = sel.creatable_agencies(request.user)
    if not agencies:
        raise PermissionDenied
    form = DrawCreateForm(
        request.POST or None,
        agencies=agencies,
        regions=sel.regions_for(agencies),
        items=sel.item_choices(request.user),
        scenarios=sel.scenario_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = list(data["items"])
        if not items and data["scenario"] is not None:
            items = list(sel.item_choices(request.user).filter(scenarios=data["scenario"]))
        if not sel.region_allowed(data["agency"], data["region"]):
            form.add_error("region", _("抽查范围不在组织单位的辖区内。"))
        else:
            try:
                draw = services.draw_create(
                    actor=request.user,
                    title=data["title"],
                    agency=data["agency"],
                    region=data["region"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    items=items,
                    ratio=data["ratio"],
                    subject_filter=form.subject_filter(),
                    inspectors_per_subject=data["inspectors_per_subject"],
                    scenario=data["scenario"],
                )
            except ServiceError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("抽查任务“%(title)s”已创建。") % {"title": draw.title})
                return redirect("inspections-draw-detail", pk=draw.pk)
    return render(request, "inspections/draw_form.html", {"form": form})


@login_required
def draw_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The task, its state steps, the pools' sizes, hash and commitment; after the draw the result."""
    _require_see(request)
    draw = sel.draw_detail(request.user, pk)
    organiser = can_organise_draw(request.user, draw.agency)
    context = {
        "draw": draw,
        "view": sel.draw_view(draw, preview=True),
        "can_commit": organiser and draw.state == DrawState.DRAFT,
        "can_run": organiser and draw.state == DrawState.COMMITTED,
        "can_cancel": organiser and draw.state in (DrawState.DRAFT, DrawState.COMMITTED),
        "step_form": DrawStepForm(initial={"version": draw.version}),
        "is_public": sel.is_public(draw),
    }
    return render(request, "inspections/draw_detail.html", context)


def _step(request: HttpRequest, pk: int, service: Callable[..., Any], done: str) -> HttpResponse:
    draw = sel.draw_detail(request.user, pk)  # 404 outside the user's scope
    if not can_organise_draw(request.user, draw.agency):
        raise PermissionDenied
    form = DrawStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return redirect("inspections-draw-detail", pk=pk)
    try:
        service(actor=request.user, draw=draw, version=form.cleaned_data["version"])
    except ServiceError as exc:
        if exc.code == ErrorCode.NOT_ALLOWED:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("inspections-draw-detail", pk=pk)


@login_required
@require_POST
def draw_commit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the pools and publish the seed's commitment (the seed itself stays secret)."""
    return _step(request, pk, services.draw_commit, _("名录库已固定，随机种子承诺值已公布。"))


@login_required
@require_POST
def draw_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw once with the committed seed; the visits are created and the seed revealed."""
    return _step(request, pk, services.draw_run, _("已完成抽取，检查任务已生成，随机种子已公开。"))


@login_required
@require_POST
def draw_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a draft or committed task (a drawn one stands)."""
    return _step(request, pk, services.draw_cancel, _("抽查任务已撤销。"))
