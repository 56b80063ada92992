"""Grant list pages: versions per county, a version's detail and steps, the township selection form,
the difference between two versions and a township's claims page.

APL Art. 24; seeds 000/002 (乡镇梳理 → 县级确认 → 市级统筹 → 发布, then 认领). Reads through
powers.selectors.grants (org.scoping.visible: another county's version is a 404); writes through
powers.services; who may act is decided by powers.policies.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.models import Region, RegionLevel
from zhifa.org.scoping import get_visible_or_404
from zhifa.powers.forms_grants import ClaimForm, GrantListCreateForm, PublishForm, StepForm, WithdrawForm
from zhifa.powers.models import Claim, GrantEntry, GrantListStatus
from zhifa.powers.policies import can_act_for_county, can_act_for_township
from zhifa.powers.selectors import grants as sel
from zhifa.powers.services import claims as claim_services
from zhifa.powers.services import grants as services

# The county step each status allows (action name, service, form); "return" is offered alongside.
STEPS: dict[str, tuple[str, Callable[..., Any], type[StepForm]]] = {
    GrantListStatus.DRAFTING: ("confirm", services.grant_list_confirm, StepForm),
    GrantListStatus.CONFIRMED: ("coordinate", services.grant_list_coordinate, StepForm),
    GrantListStatus.COORDINATED: ("publish", services.grant_list_publish, PublishForm),
}
ACTION_SERVICES: dict[str, tuple[Callable[..., Any], type[StepForm]]] = {
    "confirm": (services.grant_list_confirm, StepForm),
    "coordinate": (services.grant_list_coordinate, StepForm),
    "publish": (services.grant_list_publish, PublishForm),
    "return": (services.grant_list_return, StepForm),
}


@login_required
def grant_list_index(request: HttpRequest) -> HttpResponse:
    versions = list(sel.grant_lists_visible(request.user))
    counties: dict[int, dict[str, Any]] = {}
    for version in versions:
        group = counties.setdefault(version.county_id, {"county": version.county, "versions": []})
        group["versions"].append(version)
    creatable = [
        region
        for region in _counties_in_scope(request)
        if can_act_for_county(request.user, region) and region.pk not in counties
    ]
    for group in counties.values():
        group["can_create"] = can_act_for_county(request.user, group["county"])
    return render(
        request, "powers/grant_list_index.html", {"counties": counties.values(), "creatable": creatable}
    )


def _counties_in_scope(request: HttpRequest) -> list[Region]:
    person = getattr(request.user, "person", None)
    region = getattr(person, "region", None)
    return [region] if region is not None and region.level == RegionLevel.COUNTY else []


@login_required
def grant_list_create(request: HttpRequest, adcode: str) -> HttpResponse:
    county = get_visible_or_404(Region.objects.all(), request.user, adcode=adcode, level=RegionLevel.COUNTY)
    if not can_act_for_county(request.user, county):
        raise PermissionDenied
    versions = sel.grant_lists_visible(request.user, county=county.adcode)
    form = GrantListCreateForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            grant_list = services.grant_list_create_version(
                actor=request.user, county=county, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已新建%(list)s。") % {"list": grant_list})
            return redirect("grant-list-detail", pk=grant_list.pk)
    return render(request, "powers/grant_list_create.html", {"form": form, "county": county})


@login_required
def grant_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant_list = sel.grant_list_detail(request.user, pk)
    groups = sel.entries_by_township(grant_list)
    county_actor = can_act_for_county(request.user, grant_list.county)
    step_action, _service, step_form = STEPS.get(grant_list.status, (None, None, None))
    initial = {"version": grant_list.version}
    context = {
        "grant_list": grant_list,
        "groups": groups,
        "steps": grant_list.steps.all(),
        "step_action": step_action if county_actor else None,
        "step_form": step_form(initial=initial) if county_actor and step_form else None,
        "can_return": county_actor
        and grant_list.status in (GrantListStatus.CONFIRMED, GrantListStatus.COORDINATED),
        "return_form": StepForm(initial=initial, prefix="r"),
        "can_create": county_actor,
        "editable_townships": {
            g.township.adcode
            for g in groups
            if grant_list.status == GrantListStatus.DRAFTING
            and can_act_for_township(request.user, g.township)
        },
        "is_published": grant_list.status == GrantListStatus.PUBLISHED,
    }
    return render(request, "powers/grant_list_detail.html", context)


@login_required
@require_POST
def grant_list_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_SERVICES:
        raise Http404
    grant_list = sel.grant_list_detail(request.user, pk)
    if not can_act_for_county(request.user, grant_list.county):
        raise PermissionDenied
    service, form_class = ACTION_SERVICES[action]
    form = form_class(request.POST, prefix="r" if action == "return" else None)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("grant-list-detail", pk=pk)
    try:
        service(actor=request.user, grant_list=grant_list, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(list)s：%(status)s。") % {"list": grant_list, "status": grant_list.get_status_display()},
        )
    return redirect("grant-list-detail", pk=pk)


@login_required
def grant_township_select(request: HttpRequest, pk: int, adcode: str) -> HttpResponse:
    """乡镇梳理: the township ticks the items it proposes to take on, with an optional note each."""
    grant_list = sel.grant_list_detail(request.user, pk)
    township = sel.township_of_county_or_404(request.user, adcode, grant_list.county_id)
    if not can_act_for_township(request.user, township):
        raise PermissionDenied
    options = list(sel.selectable_items(grant_list))
    current = {e.item_id: e.note for e in grant_list.entries.all() if e.township_id == township.pk}
    error = None
    comment = ""
    if request.method == "POST":
        chosen_ids = {int(v) for v in request.POST.getlist("items") if v.isdigit()}
        current = {pk: request.POST.get(f"note_{pk}", "") for pk in chosen_ids}
        comment = request.POST.get("comment", "")
        by_id = {item.pk: item for item in options}
        unknown = chosen_ids - set(by_id)
        version = request.POST.get("version", "")
        try:
            if unknown:
                raise ServiceError(ErrorCode.INVALID, _("所选事项不在可选范围内。"), field="items")
            services.grant_entries_set_for_township(
                actor=request.user,
                grant_list=grant_list,
                township=township,
                items=[(by_id[i], current[i][:300]) for i in sorted(chosen_ids)],
                comment=comment[:2000],
                version=int(version) if version.isdigit() else None,
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(township)s的梳理结果已提交。") % {"township": township.name})
            return redirect("grant-list-detail", pk=pk)
    context = {
        "grant_list": grant_list,
        "township": township,
        "options": [(item, item.pk in current, current.get(item.pk, "")) for item in options],
        "error": error,
        "comment": comment,
        "editable": grant_list.status == GrantListStatus.DRAFTING,
    }
    return render(request, "powers/grant_township_select.html", context)


@login_required
def grant_list_diff(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """Differences from version `other` (older) to version `pk` (newer) of the same county."""
    new = sel.grant_list_detail(request.user, pk)
    old = sel.grant_list_detail(request.user, other)
    if old.county_id != new.county_id:
        raise Http404
    return render(request, "powers/grant_list_diff.html", {"diff": sel.grant_list_diff(old, new)})


@login_required
def grant_claims(request: HttpRequest, adcode: str) -> HttpResponse:
    """认领: the granted items of the township's current published version, with claim buttons."""
    township = sel.township_of_county_or_404(request.user, adcode)
    today = datetime.date.today()
    grant_list = sel.current_version_for_claims(township.parent, today)
    can_claim = can_act_for_township(request.user, township)
    if request.method == "POST":
        if not can_claim or grant_list is None:
            raise PermissionDenied
        _handle_claim_post(request, grant_list, township)
        return redirect("grant-claims", adcode=adcode)
    default_date = max(today, grant_list.effective_from) if grant_list else today
    context = {
        "township": township,
        "grant_list": grant_list,
        "rows": sel.claim_rows(grant_list, township, today),
        "can_claim": can_claim,
        "default_date": default_date.isoformat(),
        "today": today,
    }
    return render(request, "powers/grant_claims.html", context)


def _handle_claim_post(request: HttpRequest, grant_list: Any, township: Region) -> None:
    try:
        if "withdraw" in request.POST:
            form = WithdrawForm(request.POST)
            if not form.is_valid():
                raise ServiceError(ErrorCode.INVALID, _("请填写有效的撤回日期。"))
            claim = Claim.objects.filter(pk=form.cleaned_data["claim"], township=township).first()
            if claim is None:
                raise Http404
            claim_services.claim_withdraw(
                actor=request.user,
                claim=claim,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("已撤回认领。"))
        else:
            form = ClaimForm(request.POST)
            if not form.is_valid():
                raise ServiceError(ErrorCode.INVALID, _("请填写有效的认领日期。"))
            entry = (
                GrantEntry.objects.filter(
                    grant_list=grant_list, township=township, item_id=form.cleaned_data["item"]
                )
                .select_related("item")
                .first()
            )
            if entry is None:
                raise ServiceError(ErrorCode.INVALID, _("该事项未赋予本乡镇（街道），不能认领。"))
            claim_services.claim_create(
                actor=request.user,
                grant_list=grant_list,
                township=township,
                item=entry.item,
                claimed_on=form.cleaned_data["claimed_on"],
            )
            messages.success(request, _("已认领“%(item)s”。") % {"item": entry.item.name})
    except ServiceError as exc:
        messages.error(request, exc.message)
