"""Grid pages: the list (filter by region and level), a cell's page with its map, create/edit/assign."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhifa.org.forms.structure import GridAssignForm, GridCellForm
from zhifa.org.models import GridCell, GridLevel
from zhifa.org.policies import Action, user_can
from zhifa.org.scoping import get_visible_or_404
from zhifa.org.selectors.grid import (
    grid_assignable_people,
    grid_cell_children,
    grid_cell_list,
    grid_cell_workers,
    grid_filter_regions,
    grid_map_data,
)
from zhifa.org.services.grid import grid_cell_assign, grid_cell_create, grid_cell_update
from zhifa.org.views.crud import PAGE_SIZE, can_edit, require_edit, run_form

DETAIL_QS = GridCell.objects.select_related("region", "parent", "leader")


@login_required
def grid_list(request: HttpRequest) -> HttpResponse:
    """Grid cells the user may read, filtered by region (and below) and level, 50 a page."""
    regions = list(grid_filter_regions(request.user))
    region_id = request.GET.get("region", "")
    region = next((r for r in regions if str(r.pk) == region_id), None)
    level = request.GET.get("level", "")
    q = request.GET.get("q", "").strip()
    rows = grid_cell_list(request.user, region=region, level=level, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/grid_list.html",
        {
            "page": page,
            "regions": regions,
            "levels": GridLevel.choices,
            "region_id": region_id,
            "level": level,
            "q": q,
            "query": query.urlencode(),
            "can_create": user_can(request.user, Action.EDIT_ORG),
        },
    )


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cell with its map (polygon and sub-cells), leader and workers; 404 outside the user's scope."""
    cell = get_visible_or_404(DETAIL_QS, request.user, pk=pk)
    children = grid_cell_children(request.user, cell)
    editable = can_edit(request.user, cell)
    return render(
        request,
        "org/grid_detail.html",
        {
            "cell": cell,
            "children": children,
            "workers": grid_cell_workers(cell),
            "map_data": grid_map_data(cell, children),
            "tile_url": settings.ZHIFA_MAP_TILE_URL,
            "can_edit": editable,
            "can_add_child": editable and cell.level < GridLevel.MICRO_GRID,
        },
    )


@login_required
def grid_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a cell (under ?parent=<id>, or a district cell) or edit one."""
    cell = get_visible_or_404(DETAIL_QS, request.user, pk=pk) if pk is not None else None
    require_edit(request.user, cell)
    parent = None
    if cell is None and request.GET.get("parent"):
        parent = get_visible_or_404(DETAIL_QS, request.user, pk=request.GET["parent"])
        require_edit(request.user, parent)
    form = GridCellForm(request.POST or None, user=request.user, instance=cell, parent=parent)

    def call() -> GridCell:
        data = form.service_kwargs()
        if cell is None:
            return grid_cell_create(actor=request.user, **data)
        return grid_cell_update(
            actor=request.user, cell=cell, expected_version=form.cleaned_data.get("version"), **data
        )

    saved = run_form(request, form, call)
    if saved is not None:
        messages.success(request, _("网格“%(name)s”已保存。") % {"name": saved.name})
        return redirect("grid-detail", pk=saved.pk)
    return render(request, "org/grid_form.html", {"form": form, "cell": cell, "parent": form.parent_cell})


@login_required
def grid_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the grid leader and grid workers of a cell."""
    cell = get_visible_or_404(DETAIL_QS, request.user, pk=pk)
    require_edit(request.user, cell)
    form = GridAssignForm(
        request.POST or None,
        user=request.user,
        instance=cell,
        people=grid_assignable_people(request.user, cell),
    )
    saved = run_form(
        request,
        form,
        lambda: grid_cell_assign(
            actor=request.user,
            cell=cell,
            expected_version=form.cleaned_data.get("version"),
            **form.service_kwargs(),
        ),
    )
    if saved is not None:
        messages.success(request, _("网格“%(name)s”的网格长和网格员已保存。") % {"name": saved.name})
        return redirect("grid-detail", pk=saved.pk)
    return render(request, "org/grid_assign.html", {"form": form, "cell": cell})
