"""The review page of one decided case (/disclosure/case/<case_pk>/): the original beside the redacted
version, the public summary, the due date; preview, publish, or mark "not published".

GO118 "作适当处理" and ZJ-PUB Art. 5-8: the reviewer sees what the automatic redaction masked (each
masked span highlighted by kind) and may mask more, never less: the extra masks are strings of the
original, one per line; "预览" re-renders the redacted side through htmx, "公示" publishes what was
previewed in one click (zhifa.disclosure.services.publication_publish), "不予公开" records the legal reason
(OGI Art. 14-15). The original is shown to those who may publish (the deciding agency's team leaders
and legal reviewers), as in the API; other queue roles see the public version only.

Outsiders get a 404 (the case is read through data scoping), roles without the queue a 403; the
services refuse what the user may not do, and their errors are shown at the field they name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zhifa.cases.deadlines import warning_level
from zhifa.cases.models import Case
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.disclosure import rules, services
from zhifa.disclosure.drafting import Draft, build_draft
from zhifa.disclosure.forms import ExemptForm, ExtraMasksForm, service_error_messages
from zhifa.disclosure.models import Publication, PublicationKind
from zhifa.disclosure.policies import can_publish, can_see_queue
from zhifa.disclosure.redaction import Redacted
from zhifa.disclosure.selectors.queue import publishable_case_or_404
from zhifa.disclosure.views.queue import level_of

STATUS = {ErrorCode.CONFLICT: 409, ErrorCode.DUPLICATE: 409, ErrorCode.NOT_ALLOWED: 403}
# What each kind of masked span stands for (zhifa.disclosure.redact_types.KINDS); an unknown kind is
# shown as "已遮盖".
KIND_LABELS = {
    "person": gettext_lazy("自然人姓名"),
    "id_number": gettext_lazy("身份证号码"),
    "phone": gettext_lazy("联系电话"),
    "bank_account": gettext_lazy("银行账号"),
    "address": gettext_lazy("住址"),
    "plate": gettext_lazy("车牌号码"),
    "email": gettext_lazy("电子邮箱"),
    "other_id": gettext_lazy("其他证件号码"),
    "extra": gettext_lazy("审核人补充遮盖"),
}


@dataclass(frozen=True)
class Segment:
    """A run of text; `kind` is the masked span's kind, empty for unmasked text."""

    text: str
    kind: str = ""

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.kind, gettext_lazy("已遮盖"))) if self.kind else ""


def masked_segments(original: str, redacted: Redacted, *, show: str) -> list[Segment] | None:
    """The text cut at the masked spans: `show="replacement"` gives the public text with each mask
    marked, `show="original"` the original with what is masked marked. None when the spans do not
    rebuild the redacted text (overlapping spans): the page then shows the plain text."""
    parts: list[Segment] = []
    position = 0
    for span in sorted(redacted.spans, key=lambda s: (s.start, s.end)):
        if span.start < position or span.end > len(original):
            return None
        parts.append(Segment(original[position : span.start]))
        text = span.replacement if show == "replacement" else original[span.start : span.end]
        parts.append(Segment(text, span.kind))
        position = span.end
    parts.append(Segment(original[position:]))
    if show == "replacement" and "".join(p.text for p in parts) != redacted.text:
        return None
    return [p for p in parts if p.text]


def _handled(case: Case) -> Publication | None:
    return Publication.objects.filter(case=case).order_by("-id").first()


def _draft(case: Case, masks: list[str]) -> Draft:
    """The draft with the reviewer's extra masks (checked against the original: never less)."""
    if not masks:
        return build_draft(case)
    original = build_draft(case).original
    return build_draft(case, extra_masks=services.clean_extra_masks(masks, original))


def review_context(
    request: HttpRequest,
    case: Case,
    *,
    draft: Draft | None = None,
    masks_form: ExtraMasksForm | None = None,
    exempt_form: ExemptForm | None = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """Everything the review page shows about `case` for the request's user."""
    user = request.user
    today = timezone.localdate()
    publication = _handled(case)
    draft = draft or build_draft(case)
    day = draft.public["decided_on"]
    may_publish = can_publish(user, case)
    actionable = may_publish and publication is None and draft.duty.required and day is not None
    years = draft.public["years"]
    return {
        "case": case,
        "draft": draft,
        "public": draft.public,
        "kind_label": PublicationKind(draft.duty.kind).label if draft.duty.kind else "",
        "decided": day is not None,
        "publication": publication,
        "due": draft.due,
        "level": level_of(warning_level(draft.due.due, today)) if draft.due else None,
        "expires_on": rules.expires_on(today, years=years),
        "years": years,
        "show_original": may_publish,
        "original_segments": masked_segments(draft.original, draft.redacted, show="original"),
        "redacted_segments": masked_segments(draft.original, draft.redacted, show="replacement"),
        "actionable": actionable,
        "masks_form": masks_form or ExtraMasksForm(),
        "exempt_form": exempt_form or ExemptForm(prefix="exempt"),
        "errors": errors or [],
        "review_url": reverse("disclosure-review", args=[case.pk]),
    }


def _preview(request: HttpRequest, case: Case, masks_form: ExtraMasksForm) -> HttpResponse:
    draft = None
    status = 200
    if masks_form.is_valid():
        try:
            draft = _draft(case, masks_form.masks())
        except ServiceError as exc:
            masks_form.add_service_error(exc)
            status = 400
    else:
        status = 400
    context = review_context(request, case, draft=draft, masks_form=masks_form)
    if getattr(request, "htmx", False):
        # htmx swaps only successful answers: the errors travel in a 200, as in the case workspace.
        return render(request, "disclosure/review_preview.html", context)
    return render(request, "disclosure/review.html", context, status=status)


def _publish(request: HttpRequest, case: Case, masks_form: ExtraMasksForm) -> HttpResponse:
    status = 400
    errors: list[str] = []
    if masks_form.is_valid():
        try:
            publication = services.publication_publish(
                actor=request.user, case_pk=case.pk, extra_masks=masks_form.masks()
            )
        except ServiceError as exc:
            errors = service_error_messages(masks_form, exc)
            status = STATUS.get(exc.code, 400)
        else:
            late = publication.due_on and publication.published_on > publication.due_on
            message = (
                _("已公示（超过期限 %(due)s）：%(title)s")
                if late
                else _("已公示：%(title)s（期限 %(due)s 内）")
            ) % {"title": publication.decision_number or publication.title, "due": publication.due_on}
            (messages.warning if late else messages.success)(request, message)
            return redirect("disclosure-publication", pk=publication.pk)
    draft = None
    if "extra_masks" not in masks_form.errors:
        try:
            draft = _draft(case, masks_form.masks())
        except ServiceError:
            draft = None
    context = review_context(request, case, draft=draft, masks_form=masks_form, errors=errors)
    return render(request, "disclosure/review.html", context, status=status)


def _exempt(request: HttpRequest, case: Case) -> HttpResponse:
    form = ExemptForm(request.POST, prefix="exempt")
    status = 400
    errors: list[str] = []
    if form.is_valid():
        try:
            publication = services.publication_exempt(
                actor=request.user,
                case_pk=case.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            errors = service_error_messages(form, exc)
            status = STATUS.get(exc.code, 400)
        else:
            messages.success(
                request,
                _("已登记不予公开：%(reason)s") % {"reason": publication.get_exempt_reason_display()},
            )
            return redirect("disclosure-publication", pk=publication.pk)
    context = review_context(request, case, exempt_form=form, errors=errors)
    return render(request, "disclosure/review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The review of one decided case (GET); "preview", "publish" and "exempt" (POST)."""
    case = publishable_case_or_404(request.user, case_pk)
    if not can_see_queue(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "disclosure/review.html", review_context(request, case))
    action = request.POST.get("action", "")
    if action == "exempt":
        return _exempt(request, case)
    masks_form = ExtraMasksForm(request.POST)
    if action == "publish":
        return _publish(request, case, masks_form)
    if action == "preview":
        if not can_publish(request.user, case):
            # The mask check says whether a string is in the original: only for those who may see it.
            raise PermissionDenied
        return _preview(request, case, masks_form)
    context = review_context(request, case, errors=[_("没有这个操作。")])
    return render(request, "disclosure/review.html", context, status=400)
