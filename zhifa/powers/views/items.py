"""Power catalogue pages: the searchable list, one item's page, create and edit.

Every logged-in user reads the catalogue (public reference data, not scoped); creating and editing
needs Action.EDIT_ORG (administrators). Writes go through powers.services.items.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhifa.core.errors import ServiceError
from zhifa.org.policies import Action, user_can
from zhifa.org.selectors.people import clamp_page_size
from zhifa.org.views.people_helpers import require
from zhifa.powers.forms import PowerItemForm
from zhifa.powers.selectors.items import (
    format_basis_ref,
    power_item_detail,
    power_item_filter_options,
    power_item_list,
)
from zhifa.powers.services.items import power_item_create, power_item_update

LIST_FILTERS = ("q", "power_type", "domain", "active")


@login_required
def item_list_view(request: HttpRequest) -> HttpResponse:
    """The catalogue with search, filters and pagination; htmx swaps only the results."""
    params = {name: request.GET.get(name, "").strip() for name in LIST_FILTERS}
    page_size = clamp_page_size(request.GET.get("page_size"))
    page = power_item_list(request.user, **params, page=request.GET.get("page") or 1, page_size=page_size)
    context = {
        "page": page,
        "filters": params,
        "page_size": page_size,
        "page_sizes": (10, 20, 50, 100),
        "options": power_item_filter_options(),
        "can_edit": user_can(request.user, Action.EDIT_ORG),
        "can_import": user_can(request.user, Action.IMPORT),
    }
    template = "powers/item_list.html#results" if request.htmx else "powers/item_list.html"
    return render(request, template, context)


@login_required
def item_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = power_item_detail(request.user, pk)
    refs = [format_basis_ref(ref) for ref in item.basis_refs]
    return render(
        request,
        "powers/item_detail.html",
        {"item": item, "refs": refs, "can_edit": user_can(request.user, Action.EDIT_ORG)},
    )


@login_required
def item_create_view(request: HttpRequest) -> HttpResponse:
    require(request, Action.EDIT_ORG)
    form = PowerItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = power_item_create(actor=request.user, **form.item_fields())
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("事项“%(name)s”已创建。") % {"name": item.name})
            return redirect("power-item-detail", pk=item.pk)
    return render(request, "powers/item_form.html", {"form": form, "item": None})


@login_required
def item_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = power_item_detail(request.user, pk)
    require(request, Action.EDIT_ORG)
    form = PowerItemForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = power_item_update(
                actor=request.user, item=item, version=form.cleaned_data["version"], **form.item_fields()
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("事项信息已保存。"))
            return redirect("power-item-detail", pk=item.pk)
    return render(request, "powers/item_form.html", {"form": form, "item": item})
