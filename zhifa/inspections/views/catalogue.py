"""Catalogue pages: inspection items (list, detail, create, edit, rules) and scenarios (list, detail,
create, edit, join, leave). Thin: parse, call the service, render; reads go through the selectors
(data scoping: another county's item or scenario by id gives 404, a page the user may not use 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.errors import ServiceError
from zhifa.inspections import policies
from zhifa.inspections.forms_catalogue import (
    ItemForm,
    RulesForm,
    ScenarioForm,
    checklist_from_post,
    checklist_rows,
    power_item_suggestions,
)
from zhifa.inspections.models import InspectionItem
from zhifa.inspections.selectors import catalogue as sel
from zhifa.inspections.services import catalogue as svc
from zhifa.inspections.services import scenarios as scenario_svc
from zhifa.org.selectors.people import clamp_page_size

ITEM_FILTERS = ("department", "industry", "q")


def _require_see(request: HttpRequest) -> None:
    if not policies.can_see(request.user):
        raise PermissionDenied


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
def item_list_view(request: HttpRequest) -> HttpResponse:
    """Items with filters (department, industry, text); htmx swaps only the results."""
    _require_see(request)
    params = {name: request.GET.get(name, "").strip() for name in ITEM_FILTERS}
    page_size = clamp_page_size(request.GET.get("page_size"))
    page = sel.item_list(request.user, **params, page=request.GET.get("page") or 1, page_size=page_size)
    context = {
        "page": page,
        "filters": params,
        "options": sel.item_filter_options(request.user),
        "can_create": bool(sel.editable_departments(request.user)),
    }
    template = "inspections/catalogue_item_list.html"
    return render(request, template + "#results" if request.htmx else template, context)


def _item_form_page(request: HttpRequest, item: InspectionItem | None) -> HttpResponse:
    departments = sel.editable_departments(request.user)
    if not departments:
        raise PermissionDenied
    county = sel.user_county(request.user)
    keeper = county is not None and policies.can_edit_catalogue(request.user, county)
    data = request.POST if request.method == "POST" else None
    form = ItemForm(data, departments=departments, item=item)
    rules_form = RulesForm(data, keeper=keeper) if item is None else None
    checklist = (
        checklist_from_post(request.POST) if data is not None else list(item.checklist if item else [])
    )
    checklist_error = ""
    if data is not None and form.is_valid() and (rules_form is None or rules_form.is_valid()):
        try:
            if item is None:
                item = svc.item_create(
                    actor=request.user, data=form.item_input(checklist), rules=rules_form.rules()
                )
                messages.success(request, _("检查事项“%(name)s”已创建。") % {"name": item.name})
            else:
                item = svc.item_update(
                    actor=request.user,
                    item=item,
                    version=form.cleaned_data["version"],
                    data=form.item_input(checklist),
                )
                messages.success(request, _("检查事项已保存。"))
            return redirect("inspections-item-detail", pk=item.pk)
        except ServiceError as exc:
            if exc.field == "checklist":
                checklist_error = exc.message
            elif rules_form is not None and exc.field in rules_form.fields:
                rules_form.add_service_error(exc)
            else:
                form.add_service_error(exc)
    context = {
        "form": form,
        "rules_form": rules_form,
        "item": item if item is not None and item.pk else None,
        "checklist": checklist_rows(checklist),
        "checklist_error": checklist_error,
        "suggestions": power_item_suggestions(),
    }
    return render(request, "inspections/catalogue_item_form.html", context)


@login_required
def item_create_view(request: HttpRequest) -> HttpResponse:
    _require_see(request)
    return _item_form_page(request, None)


@login_required
def item_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = sel.item_detail(request.user, pk)
    if not policies.can_edit_item(request.user, item.department):
        raise PermissionDenied
    return _item_form_page(request, item)


def _item_page(
    request: HttpRequest, item: InspectionItem, rules_form: RulesForm | None = None
) -> HttpResponse:
    can_edit = policies.can_edit_item(request.user, item.department)
    if can_edit and rules_form is None:
        keeper = policies.can_edit_catalogue(request.user, item.department.region)
        rules_form = RulesForm(item=item, keeper=keeper)
    context = {"item": item, "can_edit": can_edit, "rules_form": rules_form if can_edit else None}
    return render(request, "inspections/catalogue_item_detail.html", context)


@login_required
def item_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: checklist with basis, rules, power items, scenarios; the rules form for its keepers."""
    _require_see(request)
    return _item_page(request, sel.item_detail(request.user, pk))


@login_required
@require_POST
def item_rules_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = sel.item_detail(request.user, pk)
    if not policies.can_edit_item(request.user, item.department):
        raise PermissionDenied
    keeper = policies.can_edit_catalogue(request.user, item.department.region)
    form = RulesForm(request.POST, item=item, keeper=keeper)
    if form.is_valid():
        try:
            svc.frequency_rules_set(
                actor=request.user, item=item, version=form.cleaned_data["version"], rules=form.rules()
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("检查频次规则已保存。"))
            return redirect("inspections-item-detail", pk=item.pk)
    return _item_page(request, item, form)


@login_required
def scenario_list_view(request: HttpRequest) -> HttpResponse:
    """Scenarios with their items grouped by department and the department count."""
    _require_see(request)
    q = request.GET.get("q", "").strip()
    page = sel.scenario_list(request.user, q=q, page=request.GET.get("page") or 1)
    county = sel.user_county(request.user)
    context = {
        "page": page,
        "q": q,
        "can_create": county is not None and policies.can_edit_catalogue(request.user, county),
    }
    template = "inspections/catalogue_scenario_list.html"
    return render(request, template + "#results" if request.htmx else template, context)


@login_required
def scenario_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A scenario; a department's leader sees join (with own items) and leave."""
    _require_see(request)
    scenario = sel.scenario_detail(request.user, pk)
    context = {
        "scenario": scenario,
        "can_edit": policies.can_edit_catalogue(request.user, scenario.county),
        "memberships": sel.membership_choices(request.user, scenario),
    }
    return render(request, "inspections/catalogue_scenario_detail.html", context)


def _scenario_form_page(request: HttpRequest, scenario=None) -> HttpResponse:
    county = scenario.county if scenario is not None else sel.user_county(request.user)
    if county is None or not policies.can_edit_catalogue(request.user, county):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ScenarioForm(data, county=county, items=sel.scenario_item_choices(county), scenario=scenario)
    if data is not None and form.is_valid():
        try:
            if scenario is None:
                scenario = scenario_svc.scenario_create(
                    actor=request.user, county=county, data=form.scenario_input()
                )
                messages.success(request, _("检查场景“%(name)s”已创建。") % {"name": scenario.name})
            else:
                scenario = scenario_svc.scenario_update(
                    actor=request.user,
                    scenario=scenario,
                    version=form.cleaned_data["version"],
                    data=form.scenario_input(),
                )
                messages.success(request, _("检查场景已保存。"))
            return redirect("inspections-scenario-detail", pk=scenario.pk)
        except ServiceError as exc:
            form.add_service_error(exc)
    context = {"form": form, "scenario": scenario if scenario is not None and scenario.pk else None}
    return render(request, "inspections/catalogue_scenario_form.html", context)


@login_required
def scenario_create_view(request: HttpRequest) -> HttpResponse:
    _require_see(request)
    return _scenario_form_page(request)


@login_required
def scenario_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _scenario_form_page(request, sel.scenario_detail(request.user, pk))


def _department(request: HttpRequest, scenario):
    """The department the user acts for, among those they may keep (else 403; the service checks again)."""
    wanted = request.POST.get("department", "")
    for department in sel.editable_departments(request.user):
        if str(department.pk) == wanted and department.region_id == scenario.county_id:
            return department
    raise PermissionDenied


@login_required
@require_POST
def scenario_join_view(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = sel.scenario_detail(request.user, pk)
    department = _department(request, scenario)
    ids = [i for i in request.POST.getlist("items") if i.isdigit()]
    items = list(InspectionItem.objects.filter(pk__in=ids).select_related("department"))
    try:
        scenario_svc.scenario_join(
            actor=request.user,
            scenario=scenario,
            department=department,
            items=items,
            version=_version(request),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(dept)s已加入本场景。") % {"dept": department.name})
    return redirect("inspections-scenario-detail", pk=scenario.pk)


@login_required
@require_POST
def scenario_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = sel.scenario_detail(request.user, pk)
    department = _department(request, scenario)
    try:
        scenario_svc.scenario_leave(
            actor=request.user, scenario=scenario, department=department, version=_version(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(dept)s已退出本场景。") % {"dept": department.name})
    return redirect("inspections-scenario-detail", pk=scenario.pk)
