"""People pages: list, detail, create, edit, status change (transfer/retire), secondments.

Reads go through org.selectors (scoped: another township's person by id gives 404); writes through
org.services.people; editing needs Action.EDIT_ORG on the object (visible but not allowed: 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.errors import ServiceError
from zhifa.org.forms.people import PersonForm, PersonStatusForm, SecondmentEndForm, SecondmentForm
from zhifa.org.models import PersonStatus
from zhifa.org.policies import Action, user_can
from zhifa.org.selectors.people import clamp_page_size, person_detail, person_filter_options, person_list
from zhifa.org.services.people import (
    live_certificates,
    person_change_status,
    person_create,
    person_update,
    secondment_create,
    secondment_end,
)
from zhifa.org.views.people_helpers import require

LIST_FILTERS = ("q", "region", "agency", "status", "role")


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    """The scoped people list with filters and pagination; htmx swaps only the results."""
    params = {name: request.GET.get(name, "").strip() for name in LIST_FILTERS}
    page_size = clamp_page_size(request.GET.get("page_size"))
    page = person_list(request.user, **params, page=request.GET.get("page") or 1, page_size=page_size)
    context = {
        "page": page,
        "filters": params,
        "page_size": page_size,
        "options": person_filter_options(request.user),
        "can_edit": user_can(request.user, Action.EDIT_ORG),
        "can_manage_certificates": user_can(request.user, Action.MANAGE_CERTIFICATES),
        "page_sizes": (10, 20, 50, 100),
    }
    template = "org/people_list.html#results" if request.htmx else "org/people_list.html"
    return render(request, template, context)


@login_required
def person_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_detail(request.user, pk)
    return render(
        request,
        "org/people_detail.html",
        {
            "person": person,
            "can_edit": user_can(request.user, Action.EDIT_ORG, person),
            "can_manage_certificates": user_can(request.user, Action.MANAGE_CERTIFICATES, person),
        },
    )


def _person_fields(form: PersonForm) -> dict:
    data = form.cleaned_data
    return {
        name: data[name] for name in ("name", "phone", "region", "agency", "team", "command_center", "roles")
    }


@login_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    require(request, Action.EDIT_ORG)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                **_person_fields(form),
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("人员“%(name)s”已创建。") % {"name": person.name})
            return redirect("person-detail", pk=person.pk)
    return render(request, "org/people_form.html", {"form": form, "person": None})


@login_required
def person_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_detail(request.user, pk)
    require(request, Action.EDIT_ORG, person)
    form = PersonForm(request.POST or None, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_update(
                actor=request.user,
                person=person,
                version=form.cleaned_data["version"],
                **_person_fields(form),
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("人员信息已保存。"))
            return redirect("person-detail", pk=person.pk)
    return render(request, "org/people_form.html", {"form": form, "person": person})


@login_required
def person_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Transfer or retire (revoking the person's certificates), or return to active duty."""
    person = person_detail(request.user, pk)
    require(request, Action.EDIT_ORG, person)
    form = PersonStatusForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_change_status(
                actor=request.user,
                person=person,
                status=data["status"],
                date=data["date"],
                reason=data["reason"],
                version=data["version"],
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("人员状态已变更为“%(status)s”。") % {"status": person.get_status_display()}
            )
            return redirect("person-detail", pk=person.pk)
    return render(
        request,
        "org/people_status.html",
        {
            "form": form,
            "person": person,
            "to_revoke": live_certificates(person) if person.status == PersonStatus.ACTIVE else [],
        },
    )


@login_required
def secondment_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_detail(request.user, pk)
    require(request, Action.EDIT_ORG, person)
    form = SecondmentForm(request.POST or None, user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            secondment_create(actor=request.user, person=person, **form.cleaned_data)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("下沉派驻已登记。"))
            return redirect("person-detail", pk=person.pk)
    return render(request, "org/people_secondment.html", {"form": form, "person": person})


@login_required
@require_POST
def secondment_end_view(request: HttpRequest, pk: int, secondment_id: int) -> HttpResponse:
    person = person_detail(request.user, pk)
    require(request, Action.EDIT_ORG, person)
    secondment = get_object_or_404(person.secondments.all(), pk=secondment_id)
    form = SecondmentEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的结束日期。"))
    else:
        try:
            secondment_end(actor=request.user, secondment=secondment, end_date=form.cleaned_data["end_date"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("下沉派驻已结束。"))
    return redirect("person-detail", pk=person.pk)
