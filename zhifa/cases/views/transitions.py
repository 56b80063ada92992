"""One step of the procedure through a page (/cases/<pk>/act/<name>/): its form, then engine.perform.

GET shows the form of the transition (zhifa.cases.forms; in the workspace's modal for htmx requests),
or, when the step may not be taken now, every reason with the article. POST validates the input and
calls engine.perform with the version the page showed; the engine's refusals come back in Chinese: at
the field they name, the guards' reasons (named after the guard, not a field) above the form, and a
case that moved on meanwhile as "已被他人办理" (CONFLICT). Outsiders get a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhifa.cases.engine import available_actions, moved_on, perform
from zhifa.cases.forms import ActionForm, action_form
from zhifa.cases.procedure import BY_NAME, Transition
from zhifa.cases.views.workspace import case_queryset
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.org.scoping import get_visible_or_404

STATUS = {ErrorCode.CONFLICT: 409, ErrorCode.NOT_ALLOWED: 403, ErrorCode.INVALID_STATE: 409}


def show_errors(form: ActionForm, exc: ServiceError) -> bool:
    """Put the engine's errors on the form: at the field they name, else above the form. Returns
    whether the case had moved on (CONFLICT)."""
    errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
    conflict = False
    for error in errors:
        if error.code == ErrorCode.CONFLICT:
            conflict = True
            form.conflict_message = error.message
            continue
        field = error.field if error.field in form.fields and error.field != "version" else None
        form.add_error(field, error.message)
        form._mark_invalid(field)
    return conflict


def _context(case: Any, transition: Transition, form: ActionForm, option: Any) -> dict[str, Any]:
    return {
        "case": case,
        "transition": transition,
        "form": form,
        "option": option,
        "refused": option is not None and not option.allowed,
        "out_of_state": option is None,
        "conflict": getattr(form, "conflict_message", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The form of step `name` (GET) and taking it (POST); success goes back to the workspace."""
    case = get_visible_or_404(case_queryset(), request.user, pk=pk)
    transition = BY_NAME.get(name)
    if transition is None or transition.system:
        raise Http404
    option = next((o for o in available_actions(request.user, case) if o.name == name), None)
    if request.method == "GET":
        form = action_form(transition, case)
        template = (
            "cases/action_form.html#body" if getattr(request, "htmx", False) else "cases/action_form.html"
        )
        return render(request, template, _context(case, transition, form, option))
    form = action_form(transition, case, request.POST)
    status = 400
    if form.is_valid():
        version = form.cleaned_data["version"]
        try:
            if version != case.version:
                raise moved_on(case)
            done = perform(
                actor=request.user, case=case, action=name, version=version, payload=form.payload()
            )
        except ServiceError as exc:
            show_errors(form, exc)
            status = STATUS.get(exc.code, 400)
        else:
            messages.success(
                request,
                _("案件 %(code)s：%(action)s已办理，当前状态“%(state)s”。")
                % {"code": done.code, "action": transition.label, "state": done.get_state_display()},
            )
            return redirect("case-detail", pk=case.pk)
    return render(request, "cases/action_form.html", _context(case, transition, form, option), status=status)
