"""Pages of the legal review (法制审核) and the collective discussion (集体讨论).

- /cases/reviews/: the reviewer's queue (legal reviewers and the justice bureau): pending reviews at the
  tiers they may review, nearest time limit first, coloured by deadline level;
- /cases/reviews/<id>/: one review: the case summary, facts, evidence, intended penalty, documents,
  the GO118 (十三) checklist with the system's findings, pass/fail and opinion per check, the overall
  opinion, the panel members at the panel tier; posts "decide", "raise", "extend", "first_opinion";
- /cases/<case id>/discussion/: the heads' collective discussion (APL Art. 57 para 2), posted from the
  workspace section cases/ws_reviews.html, through the engine's "discuss" transition.

Outsiders get a 404 (the review is read through its case's scope); the services refuse what the user's
tier does not allow. Every form carries the case's version (CONFLICT when someone acted first).
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
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.cases.engine import perform
from zhifa.cases.forms import DiscussionForm
from zhifa.cases.models import TIER_ORDER, Case, CaseState, ReviewStatus, ReviewTier
from zhifa.cases.procedure import BY_NAME
from zhifa.cases.review_checklist import CHECKS, findings
from zhifa.cases.selectors.reviews import (
    answer_rows,
    first_opinions,
    may_add_first_opinion,
    may_decide,
    opinion_documents,
    review_detail,
    review_queue,
)
from zhifa.cases.services import review as services
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.org.models import RoleCode
from zhifa.org.scoping import get_visible_or_404, has_role, person_of

PANEL_ROWS = 7


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _errors(exc: ServiceError) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in exc.errors if isinstance(exc, ValidationErrors) else [exc]:
        found.setdefault(error.field or "__all__", []).append(error.message)
    return found


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def case_url(case: Case) -> str:
    """The case's workspace (the ui helper's "case-detail"), else the case's pending review."""
    try:
        return reverse("case-detail", args=[case.pk])
    except NoReverseMatch:
        return reverse("case-review-queue")


@login_required
def review_queue_page(request: HttpRequest) -> HttpResponse:
    """The reviewer's queue (legal reviewers, the justice bureau)."""
    user = request.user
    _require(user.is_superuser or has_role(user, RoleCode.LEGAL_REVIEWER, RoleCode.JUSTICE_BUREAU))
    rows = review_queue(user)
    return render(
        request,
        "cases/review_queue.html",
        {
            "rows": rows,
            "overdue": sum(1 for r in rows if r.level == "overdue"),
            "today": timezone.localdate(),
        },
    )


def _posted_answers(data: Any) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {}
    for check in CHECKS:
        choice = data.get(f"check-{check.key}")
        if choice in ("pass", "fail"):
            answers[check.key] = {"passed": choice == "pass", "opinion": data.get(f"opinion-{check.key}", "")}
    return answers


def _posted_panel(data: Any) -> list[dict[str, str]]:
    return [
        {"name": data.get(f"panel-name-{i}", ""), "role": data.get(f"panel-role-{i}", "")}
        for i in range(PANEL_ROWS)
    ]


def _form_context(
    request: HttpRequest, review: Any, posted: Any = None, errors: Any = None
) -> dict[str, Any]:
    user = request.user
    case = review.case
    pending = review.status == ReviewStatus.PENDING and case.state == CaseState.REVIEW
    can_decide = pending and may_decide(user, review)
    found = findings(case) if can_decide else {}
    data = posted if posted is not None else {}
    checks = [
        {
            "check": check,
            "finding": found.get(check.key),
            "choice": data.get(f"check-{check.key}", ""),
            "opinion": data.get(f"opinion-{check.key}", ""),
            "errors": (errors or {}).get(check.key, []),
        }
        for check in CHECKS
    ]
    panel = [
        {"name": data.get(f"panel-name-{i}", ""), "role": data.get(f"panel-role-{i}", "")}
        for i in range(PANEL_ROWS)
    ]
    higher = [t for t in ReviewTier if TIER_ORDER[t] > TIER_ORDER[ReviewTier(review.tier)]]
    return {
        "review": review,
        "case": case,
        "checks": checks,
        "answers": answer_rows(review),
        "panel_rows": panel,
        "panel_roles": list(services.PANEL_ROLES.items()),
        "parties": list(case.parties.order_by("id")),
        "evidence": list(case.evidence.order_by("collected_at", "id")),
        "documents": list(case.documents.filter(superseded_by__isnull=True).order_by("issued_on", "id")),
        "opinion_document": opinion_documents(case).get(review.pk),
        "first_opinions": first_opinions(review),
        "pending": pending,
        "can_decide": can_decide,
        "can_first_opinion": pending and may_add_first_opinion(user, review),
        "can_raise": pending and bool(higher) and services.may_raise(user, review),
        "can_extend": pending and (can_decide or services.can_lead(user, case)),
        "higher_tiers": higher,
        "needs_qualification": can_decide and services.is_first_review(person_of(user)),
        "overall_opinion": data.get("opinion", ""),
        "errors": errors or {},
        "case_url": case_url(case),
        "today": timezone.localdate(),
    }


def _act(request: HttpRequest, review: Any) -> Any:
    data = request.POST
    action = data.get("action")
    version = _int(data.get("version"))
    if action == "decide":
        return services.review_decide(
            actor=request.user,
            review=review,
            answers=_posted_answers(data),
            opinion=data.get("opinion", ""),
            panel=_posted_panel(data) if review.tier == ReviewTier.PANEL else None,
            qualified=data.get("qualified") == "1",
            version=version,
        )
    if action == "raise":
        return services.review_raise_tier(
            actor=request.user,
            case=review.case,
            tier=data.get("tier", ""),
            reason=data.get("reason", ""),
            version=version,
        )
    if action == "extend":
        return services.review_extend(actor=request.user, review=review, reason=data.get("reason", ""))
    if action == "first_opinion":
        return services.review_first_opinion(
            actor=request.user, review=review, opinion=data.get("first_opinion", "")
        )
    raise ServiceError(ErrorCode.INVALID, _("没有这个操作。"), field="action")


DONE_MESSAGES = {
    "raise": gettext_lazy("已提高审核层级。"),
    "extend": gettext_lazy("已延长审核期限。"),
    "first_opinion": gettext_lazy("已提出初审意见。"),
}


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One review (404 unless the user may read its case); the form for those who may act on it."""
    review = review_detail(request.user, pk)
    if request.method == "GET":
        return render(request, "cases/review_form.html", _form_context(request, review))
    action = request.POST.get("action", "")
    try:
        done = _act(request, review)
    except ServiceError as exc:
        review = review_detail(request.user, pk)
        status = 409 if exc.code == ErrorCode.CONFLICT else 403 if exc.code == ErrorCode.NOT_ALLOWED else 400
        context = _form_context(request, review, request.POST, _errors(exc)) | {"failed_action": action}
        return render(request, "cases/review_form.html", context, status=status)
    if action == "decide":
        if done.status == ReviewStatus.PASSED:
            messages.success(
                request, _("审核通过，案件 %(code)s 已转入下一环节。") % {"code": done.case.code}
            )
        else:
            messages.warning(
                request, _("审核未通过，案件 %(code)s 已退回调查补正。") % {"code": done.case.code}
            )
        return redirect("case-review-queue")
    messages.success(request, DONE_MESSAGES.get(action, _("已办理。")))
    return redirect("case-review", pk=pk)


def _next_url(request: HttpRequest, case: Case) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return case_url(case)


@login_required
@require_POST
def case_discussion(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record the heads' collective discussion (APL Art. 57 para 2) through the engine's "discuss"."""
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_pk)
    form = DiscussionForm(request.POST, case=case, transition=BY_NAME["discuss"], prefix="discussion")
    if form.is_valid():
        try:
            perform(
                actor=request.user,
                case=case,
                action="discuss",
                version=form.cleaned_data["version"],
                payload=form.payload(),
            )
        except ServiceError as exc:
            for found in _errors(exc).values():
                for message in found:
                    messages.error(request, message)
        else:
            messages.success(request, _("集体讨论已记录。"))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(_next_url(request, case))
