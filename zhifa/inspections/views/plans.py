"""Joint plan pages: list, create (with department capacities), detail with confirm and cancel.

Reads through selectors.plans (org.scoping: another county's plan is a 404); writes through
services.plans; who may act is policies.can_plan. Issue 7 point 5.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhifa.core.errors import ServiceError
from zhifa.inspections import policies
from zhifa.inspections.models import PlanState
from zhifa.inspections.selectors import plans as sel
from zhifa.inspections.services import plans as services
from zhifa.org.forms.styled import DateInput, StyledForm

PAGE_SIZE = 20
SOLVER_STATUS = {
    "optimal": gettext_lazy("最优"),
    "feasible": gettext_lazy("可行（未证明最优）"),
    "infeasible": gettext_lazy("人力不足"),
}
ROWS_PER_PAGE = 50


class PlanCreateForm(StyledForm):
    """Title, region, period, and one capacity field per department (officer-days, blank = no limit)."""

    title = forms.CharField(label=gettext_lazy("计划名称"), max_length=200)
    region = forms.ChoiceField(label=gettext_lazy("范围"))
    period_start = forms.DateField(label=gettext_lazy("期间起"), widget=DateInput)
    period_end = forms.DateField(label=gettext_lazy("期间止"), widget=DateInput)

    def __init__(self, *args: Any, regions: list, departments: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {r.adcode: r for r in regions}
        self.fields["region"].choices = [(r.adcode, r.name) for r in regions]
        self.departments = departments
        for department in departments:
            self.fields[f"capacity_{department.pk}"] = forms.DecimalField(
                label=department.name,
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=1,
                help_text=_("人·日；留空表示不限"),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5", "min": "0"}),
            )

    def capacity_fields(self) -> list:
        return [self[f"capacity_{d.pk}"] for d in self.departments]

    def main_fields(self) -> list:
        return [self[name] for name in ("title", "region", "period_start", "period_end")]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "region": self.regions[data["region"]],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "capacities": {d.pk: data.get(f"capacity_{d.pk}") for d in self.departments},
        }


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _require_see(request: HttpRequest) -> None:
    if not policies.can_see(request.user):
        raise PermissionDenied


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans the user may read, newest period first."""
    _require_see(request)
    state = request.GET.get("state", "")
    if state not in PlanState.values:
        state = ""
    page = Paginator(sel.plans_visible(request.user, state), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": PlanState.choices,
        "can_create": bool(sel.plannable_regions(request.user)),
    }
    template = "inspections/plan_list.html#results" if request.htmx else "inspections/plan_list.html"
    return render(request, template, context)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    """The create form; on success the solver has run and the detail shows the proposed plan."""
    regions = sel.plannable_regions(request.user)
    if not regions:
        raise PermissionDenied
    departments = sel.plan_departments(sel.county_of(regions[0]))
    form = PlanCreateForm(request.POST or None, regions=regions, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.service_kwargs())
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已生成联合检查计划“%(title)s”。") % {"title": plan.title})
            return redirect("inspections-plan-detail", pk=plan.pk)
    return render(request, "inspections/plan_create.html", {"form": form})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Visits vs lower bound vs baseline, officer-days per department, proposed or created visits."""
    _require_see(request)
    plan = sel.plan_detail(request.user, pk)
    summary = plan.summary or {}
    proposed = Paginator(summary.get("proposed") or [], ROWS_PER_PAGE).get_page(request.GET.get("page"))
    visits_page = None
    if plan.state != PlanState.DRAFT:
        visits_page = Paginator(sel.plan_visits(plan), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    can_act = policies.can_plan(request.user, plan.region)
    context = {
        "plan": plan,
        "summary": summary,
        "status_label": SOLVER_STATUS.get(summary.get("status", ""), summary.get("status", "")),
        "reduction_pct": round(100 * summary.get("reduction", 0), 1),
        "usage": sel.usage_rows(plan),
        "proposed_page": proposed,
        "proposed": sel.proposed_rows(plan, list(proposed.object_list)) if visits_page is None else [],
        "visits_page": visits_page,
        "can_confirm": can_act and plan.state == PlanState.DRAFT,
        "can_cancel": can_act and plan.state in (PlanState.DRAFT, PlanState.CONFIRMED),
    }
    template = "inspections/plan_detail.html#rows" if request.htmx else "inspections/plan_detail.html"
    return render(request, template, context)


def _act(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    _require_see(request)
    plan = sel.plan_detail(request.user, pk)
    if not policies.can_plan(request.user, plan.region):
        raise PermissionDenied
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新后重试。"))
        return redirect("inspections-plan-detail", pk=pk)
    try:
        service(actor=request.user, plan=plan, version=form.cleaned_data["version"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("inspections-plan-detail", pk=pk)


@login_required
@require_POST
def plan_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.plan_confirm, _("计划已确定，检查任务已生成。"))


@login_required
@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.plan_cancel, _("计划已撤销。"))
