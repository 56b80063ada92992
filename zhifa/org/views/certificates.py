"""Certificate pages: list, detail, issue, status actions, monthly review, print and PDF.

LAW.md section 5; APL Art. 42, 52, 55, 76(5). Reads through org.selectors.certificates (scoped),
writes through org.services.certificates; managing needs Action.MANAGE_CERTIFICATES.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.errors import ServiceError
from zhifa.org.forms.certificates import (
    CertificateActionForm,
    CertificateExpireForm,
    CertificateIssueForm,
    CertificateRenewForm,
)
from zhifa.org.models import Certificate, Person
from zhifa.org.policies import Action, user_can
from zhifa.org.scoping import get_visible_or_404, visible
from zhifa.org.selectors.certificates import (
    certificate_detail,
    certificate_list,
    certificate_review,
    domain_options,
)
from zhifa.org.selectors.people import clamp_page_size, person_filter_options
from zhifa.org.services import certificates as services
from zhifa.org.services.certificate_rules import allowed_actions, can_transition
from zhifa.org.views.people_helpers import require, safe_next

LIST_FILTERS = ("q", "status", "domain", "region")
ACTION_SERVICES = {
    "suspend": services.certificate_suspend,
    "reinstate": services.certificate_reinstate,
    "revoke": services.certificate_revoke,
}


@login_required
def certificate_list_view(request: HttpRequest) -> HttpResponse:
    params = {name: request.GET.get(name, "").strip() for name in LIST_FILTERS}
    expiring = request.GET.get("expiring") in ("1", "on", "true")
    page_size = clamp_page_size(request.GET.get("page_size"))
    page = certificate_list(
        request.user, **params, expiring=expiring, page=request.GET.get("page") or 1, page_size=page_size
    )
    context = {
        "page": page,
        "filters": params,
        "expiring": expiring,
        "page_size": page_size,
        "domains": domain_options(),
        "regions": person_filter_options(request.user).regions,
        "statuses": Certificate._meta.get_field("status").choices,
        "can_manage": user_can(request.user, Action.MANAGE_CERTIFICATES),
    }
    template = "org/certificate_list.html#results" if request.htmx else "org/certificate_list.html"
    return render(request, template, context)


@login_required
def certificate_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = certificate_detail(request.user, pk)
    can_manage = user_can(request.user, Action.MANAGE_CERTIFICATES, certificate)
    return render(
        request,
        "org/certificate_detail.html",
        {
            "certificate": certificate,
            "can_manage": can_manage,
            "actions": allowed_actions(certificate) if can_manage else [],
        },
    )


@login_required
def certificate_issue_view(request: HttpRequest) -> HttpResponse:
    require(request, Action.MANAGE_CERTIFICATES)
    holder = None
    holder_id = request.GET.get("holder")
    if holder_id:
        holder = get_visible_or_404(Person.objects.all(), request.user, pk=holder_id)
    form = CertificateIssueForm(request.POST or None, user=request.user, holder=holder)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(request, Action.MANAGE_CERTIFICATES, data["holder"])
        try:
            certificate = services.certificate_issue(actor=request.user, **data)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("执法证%(number)s已发放。") % {"number": certificate.number})
            return redirect("certificate-detail", pk=certificate.pk)
    return render(request, "org/certificate_issue.html", {"form": form, "holder": holder})


def _managed_certificate(request: HttpRequest, pk: int) -> Certificate:
    certificate = certificate_detail(request.user, pk)
    require(request, Action.MANAGE_CERTIFICATES, certificate)
    return certificate


def _done(request: HttpRequest, certificate: Certificate, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(safe_next(request, reverse("certificate-detail", args=[certificate.pk])))


@login_required
def certificate_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Suspend, reinstate or revoke: a form with effective date and reason."""
    if action not in ACTION_SERVICES:
        raise Http404
    certificate = _managed_certificate(request, pk)
    form = CertificateActionForm(request.POST or None, certificate=certificate)
    if request.method == "POST" and form.is_valid():
        try:
            ACTION_SERVICES[action](actor=request.user, certificate=certificate, **form.cleaned_data)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            return _done(
                request,
                certificate,
                _("执法证%(number)s状态已变更为“%(status)s”。")
                % {"number": certificate.number, "status": certificate.get_status_display()},
            )
    return render(
        request,
        "org/certificate_action.html",
        {
            "form": form,
            "certificate": certificate,
            "action": action,
            "possible": can_transition(certificate, action),
            "next": safe_next(request, ""),
        },
    )


@login_required
def certificate_renew_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _managed_certificate(request, pk)
    form = CertificateRenewForm(request.POST or None, certificate=certificate)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_renew(actor=request.user, certificate=certificate, **form.cleaned_data)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            return _done(
                request,
                certificate,
                _("执法证%(number)s已延期至%(date)s。")
                % {"number": certificate.number, "date": certificate.valid_to.isoformat()},
            )
    return render(
        request,
        "org/certificate_action.html",
        {
            "form": form,
            "certificate": certificate,
            "action": "renew",
            "possible": can_transition(certificate, "renew"),
            "next": safe_next(request, ""),
        },
    )


@login_required
@require_POST
def certificate_expire_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _managed_certificate(request, pk)
    form = CertificateExpireForm(request.POST)
    back = safe_next(request, reverse("certificate-detail", args=[certificate.pk]))
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新后重试。"))
        return redirect(back)
    try:
        services.certificate_expire(
            actor=request.user, certificate=certificate, version=form.cleaned_data["version"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return _done(request, certificate, _("执法证%(number)s已标记为过期。") % {"number": certificate.number})


@login_required
def certificate_review_view(request: HttpRequest) -> HttpResponse:
    """The monthly review (seed 004): what needs action. Only certificate managers; others 404."""
    if not user_can(request.user, Action.MANAGE_CERTIFICATES):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "org/certificate_review.html",
        {"items": certificate_review(request.user, today), "today": today},
    )


@login_required
@require_POST
def certificate_expire_overdue_view(request: HttpRequest) -> HttpResponse:
    """Mark every overdue certificate in the user's scope as expired (one event each)."""
    if not user_can(request.user, Action.MANAGE_CERTIFICATES):
        raise Http404
    expired = services.certificate_expire_overdue(
        actor=request.user, certificates=visible(Certificate.objects.all(), request.user)
    )
    messages.success(request, _("已将%(n)d本超期证件标记为过期。") % {"n": len(expired)})
    return redirect("certificate-review")
