"""The reporter's own clues (我的线索): what became of each report, step by step, and the reporter's
two actions in the loop: on-site verification when the team has fed back (a failed verification
reopens handling, with the reason) and the evaluation after closing (seeds 002/003: 核查 → 结案 → 评价).

A clue's page is open to its reporter and to everyone whose scope covers it (org.scoping); anyone else
gets a 404. Writes go through the loop services; their errors are shown next to the fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.intake.forms import EvaluateForm, VerifyForm, apply_errors
from zhifa.intake.models import FINAL_STATUSES, OPEN_STATUSES, Clue, ClueStatus, ClueStep
from zhifa.intake.policies import can_evaluate, can_report, can_verify
from zhifa.intake.selectors.clues import clue_detail, clue_steps, clues_visible, my_clues
from zhifa.intake.services.loop import clue_evaluate, clue_verify
from zhifa.org.models import RoleCode
from zhifa.org.scoping import has_role, person_of

PAGE_SIZE = 20
STATES = {"open": OPEN_STATUSES, "done": FINAL_STATUSES}


def reader_clue(user, pk: int) -> Clue:
    """The clue if the user reported it or may read it (org.scoping); 404 otherwise."""
    own = my_clues(user).filter(pk=pk).first()
    return own if own is not None else clue_detail(user, pk)


def _with_steps(rows: QuerySet[Clue]) -> QuerySet[Clue]:
    steps = ClueStep.objects.order_by("at", "id")
    return rows.prefetch_related(Prefetch("steps", queryset=steps, to_attr="step_list"))


def awaiting_my_verification(user) -> list[Clue]:
    """Clues fed back in the grid cells the user works (someone else reported them): to verify on site."""
    person = person_of(user)
    if person is None or not has_role(user, RoleCode.GRID_WORKER):
        return []
    rows = (
        clues_visible(user, status=ClueStatus.FED_BACK)
        .filter(grid_cell__workers=person)
        .exclude(reported_by=user)
        .order_by("step_due_at", "reported_at")
    )
    return list(_with_steps(rows)[:50])


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The user's own clues, newest first, 20 a page, each with its steps; ?state=open|done filters."""
    state = request.GET.get("state", "")
    rows = my_clues(request.user)
    if state in STATES:
        rows = rows.filter(status__in=STATES[state])
    page = Paginator(_with_steps(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/mine_page.html" if getattr(request, "htmx", False) else "intake/mine_list.html",
        {
            "page": page,
            "state": state,
            "to_verify": awaiting_my_verification(request.user),
            "can_report": can_report(request.user),
            "user_id": request.user.pk,
        },
    )


def _render_detail(
    request: HttpRequest,
    clue: Clue,
    *,
    verify_form: VerifyForm | None = None,
    evaluate_form: EvaluateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    steps = clue_steps(clue)
    may_verify = clue.status == ClueStatus.FED_BACK and can_verify(user, clue)
    may_evaluate = clue.status == ClueStatus.CLOSED and clue.rating is None and can_evaluate(user, clue)
    verify_form = verify_form or VerifyForm(initial={"version": clue.version})
    evaluate_form = evaluate_form or EvaluateForm()
    context = {
        "clue": clue,
        "steps": steps,
        "loose_photos": [p for p in clue.photos.all() if p.step_id is None],
        "may_verify": may_verify,
        "may_evaluate": may_evaluate,
        "verify_form": verify_form,
        "evaluate_form": evaluate_form,
        # Errors of an action no longer offered (someone acted first, already rated) are shown on top.
        "stale_forms": [
            f for f, shown in ((verify_form, may_verify), (evaluate_form, may_evaluate)) if not shown
        ],
        "is_reporter": clue.reported_by_id == user.pk,
    }
    return render(request, "intake/mine_detail.html", context, status=status)


@login_required
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One clue: what was reported, its photos, every step (time, who, late or not) and the actions."""
    return _render_detail(request, reader_clue(request.user, pk))


def _status_of(exc: ServiceError) -> int:
    return {ErrorCode.NOT_ALLOWED: 403, ErrorCode.CONFLICT: 409}.get(exc.code, 400)


@login_required
@require_POST
def mine_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """核查: passed closes the way to closing; failed (with the reason) reopens handling."""
    clue = reader_clue(request.user, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            clue_verify(
                actor=request.user,
                clue=clue,
                passed=data["passed"],
                note=data["note"],
                version=data["version"],
            )
        except ServiceError as exc:
            apply_errors(form, exc)
            clue.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = clue.version  # a second try acts on what the user now sees
            return _render_detail(request, clue, verify_form=form, status=_status_of(exc))
        if data["passed"]:
            messages.success(request, _("线索 %(code)s 核查通过。") % {"code": clue.code})
        else:
            messages.warning(request, _("线索 %(code)s 核查未通过，已退回重新处置。") % {"code": clue.code})
        return redirect("intake-mine-detail", pk=clue.pk)
    return _render_detail(request, clue, verify_form=form, status=400)


@login_required
@require_POST
def mine_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """评价 by the staff member who reported the clue, after it was closed."""
    clue = reader_clue(request.user, pk)
    form = EvaluateForm(request.POST)
    if form.is_valid():
        try:
            clue_evaluate(
                actor=request.user,
                clue=clue,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ServiceError as exc:
            apply_errors(form, exc)
            clue.refresh_from_db()
            return _render_detail(request, clue, evaluate_form=form, status=_status_of(exc))
        messages.success(request, _("感谢您的评价。"))
        return redirect("intake-mine-detail", pk=clue.pk)
    return _render_detail(request, clue, evaluate_form=form, status=400)
