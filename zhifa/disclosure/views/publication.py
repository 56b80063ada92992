"""One publication (/disclosure/<pk>/): the public version as published, its state, due and publication
dates (on time or late), its record events, the portal link, and the withdrawal forms.

APL Art. 48 with Art. 85: a published decision that was revoked, changed, confirmed illegal or void is
withdrawn within 3 working days with a public notice. "登记撤销" records the day the decision was revoked
or changed (the limit starts), "撤回" takes the publication off the portal with its notice; the row and
its events stay (zhifa.disclosure.services). Every form carries the version the page showed: of two
reviewers acting at once, one wins and the other is told to reload (CONFLICT).

Outsiders get a 404 (data scoping), roles without the queue a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zhifa.cases.deadlines import warning_level
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.selectors.record import event_page
from zhifa.disclosure import rules, services
from zhifa.disclosure.forms import RevocationForm, WithdrawForm, service_error_messages
from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.policies import can_see_queue, can_withdraw
from zhifa.disclosure.selectors.queue import publication_or_404
from zhifa.disclosure.views.queue import level_of

OBJECT_TYPE = "disclosure.publication"
STATUS = {ErrorCode.CONFLICT: 409, ErrorCode.NOT_ALLOWED: 403, ErrorCode.INVALID_STATE: 409}
ACTION_LABELS = {
    "publication.publish": gettext_lazy("公示"),
    "publication.exempt": gettext_lazy("登记不予公开"),
    "publication.revocation": gettext_lazy("登记撤销（变更）"),
    "publication.withdraw": gettext_lazy("撤回"),
}


def portal_url(publication: Publication) -> str | None:
    """The public portal's page of a published decision (when the portal is mounted)."""
    if publication.state != PublicationState.PUBLISHED:
        return None
    try:
        return reverse("portal-decision", args=[publication.pk])
    except NoReverseMatch:
        return None


def _events(publication: Publication) -> list[dict[str, Any]]:
    page = event_page(object_type=OBJECT_TYPE, object_id=str(publication.pk))
    return [
        {"event": row, "label": ACTION_LABELS.get(row.action, row.action)}
        for row in sorted(page.object_list, key=lambda r: r.seq)
    ]


def publication_context(
    request: HttpRequest,
    publication: Publication,
    *,
    revocation_form: RevocationForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """What the publication page shows to the request's user."""
    today = timezone.localdate()
    published = publication.state == PublicationState.PUBLISHED
    may_withdraw = published and can_withdraw(request.user, publication)
    withdrawal_due = rules.withdrawal_due(publication.revoked_on) if publication.revoked_on else None
    withdrawn_on = timezone.localdate(publication.withdrawn_at) if publication.withdrawn_at else None
    initial = {"version": publication.version}
    return {
        "publication": publication,
        "due_basis": rules.publication_due(publication.kind, publication.decided_on).basis,
        "late": bool(
            publication.published_on and publication.due_on and publication.published_on > publication.due_on
        ),
        "withdrawal_due": withdrawal_due,
        "withdrawal_level": (
            level_of(warning_level(withdrawal_due.due, today)) if withdrawal_due and published else None
        ),
        "withdrawn_on": withdrawn_on,
        "withdrawn_late": bool(withdrawn_on and withdrawal_due and withdrawn_on > withdrawal_due.due),
        "events": _events(publication),
        "portal_url": portal_url(publication),
        "can_revoke": may_withdraw and publication.revoked_on is None,
        "can_withdraw": may_withdraw,
        "revocation_form": revocation_form or RevocationForm(prefix="revocation", initial=initial),
        "withdraw_form": withdraw_form
        or WithdrawForm(
            prefix="withdraw", initial=initial, revocation_recorded=publication.revoked_on is not None
        ),
        "errors": errors or [],
        "case_url": reverse("case-detail", args=[publication.case_id]) if publication.case_id else None,
    }


def _record_revocation(request: HttpRequest, publication: Publication) -> HttpResponse:
    form = RevocationForm(request.POST, prefix="revocation")
    status, errors = 400, []
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = services.publication_record_revocation(
                actor=request.user,
                publication_pk=publication.pk,
                revoked_on=data["revoked_on"],
                reason=data["reason"],
                version=data.get("version"),
            )
        except ServiceError as exc:
            errors, status = service_error_messages(form, exc), STATUS.get(exc.code, 400)
        else:
            messages.success(
                request,
                _("已登记撤销（变更），请于 %(due)s 前撤回（《行政处罚法》第四十八条）。")
                % {"due": done.withdrawal_due_on},
            )
            return redirect("disclosure-publication", pk=publication.pk)
    publication = publication_or_404(request.user, publication.pk)
    context = publication_context(request, publication, revocation_form=form, errors=errors)
    return render(request, "disclosure/publication.html", context, status=status)


def _withdraw(request: HttpRequest, publication: Publication) -> HttpResponse:
    form = WithdrawForm(
        request.POST, prefix="withdraw", revocation_recorded=publication.revoked_on is not None
    )
    status, errors = 400, []
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.publication_withdraw(
                actor=request.user,
                publication_pk=publication.pk,
                notice=data["notice"],
                reason=data.get("reason") or "",
                revoked_on=data.get("revoked_on"),
                version=data.get("version"),
            )
        except ServiceError as exc:
            errors, status = service_error_messages(form, exc), STATUS.get(exc.code, 400)
        else:
            messages.success(request, _("已撤回，公示网站不再显示该决定；撤回说明已公开。"))
            return redirect("disclosure-publication", pk=publication.pk)
    publication = publication_or_404(request.user, publication.pk)
    context = publication_context(request, publication, withdraw_form=form, errors=errors)
    return render(request, "disclosure/publication.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def publication_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The publication (GET); "revocation" and "withdraw" (POST)."""
    publication = publication_or_404(request.user, pk)
    if not can_see_queue(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "disclosure/publication.html", publication_context(request, publication))
    action = request.POST.get("action", "")
    if action == "revocation":
        return _record_revocation(request, publication)
    if action == "withdraw":
        return _withdraw(request, publication)
    context = publication_context(request, publication, errors=[_("没有这个操作。")])
    return render(request, "disclosure/publication.html", context, status=400)
