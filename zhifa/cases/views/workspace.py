"""The case workspace (/cases/<pk>/): where the case stands, what may be done now and why not the rest.

- head: code, title, state, procedure, agency, item with its basis, parties, officers, outcome, the clue;
- actions (issue 5, point 1): engine.available_actions; the allowed steps as buttons opening their form,
  the others greyed with every reason and the article of the step;
- time limits (point 4): limits.case_deadlines, each with its date, working or calendar days, article,
  provisional mark, colour by level, and the local settings it depends on with their value and source;
- the sections of the other parts of the case (officers, parties, evidence, statements, extensions,
  measures, reviews, service, payment): each is a template `cases/ws_<section>.html` with a selector
  `zhifa.cases.selectors.<module>.<section>_context(user, case)`, included when both exist;
- the documents with their print and PDF links, and the timeline of steps (APL Art. 47).

Outsiders get a 404 (org.scoping.get_visible_or_404).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhifa.cases.engine import available_actions
from zhifa.cases.limits import case_deadlines
from zhifa.cases.models import Case, CaseState
from zhifa.cases.policies import can_lead, can_work_on
from zhifa.cases.procedure import BY_NAME
from zhifa.cases.settings_defaults import settings_for
from zhifa.org.scoping import get_visible_or_404

# (selector module, section): template cases/ws_<section>.html, selector <section>_context(user, case).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("acts", "officers"),
    ("acts", "parties"),
    ("acts", "evidence"),
    ("acts", "statements"),
    ("acts", "extensions"),
    ("acts", "measures"),
    ("reviews", "reviews"),
    ("execution", "service"),
    ("execution", "payment"),
)

# The local settings (settings_defaults.DEFAULTS) each time limit depends on.
DEADLINE_SETTINGS: dict[str, tuple[str, ...]] = {
    "filing": ("filing_days",),
    "statement": ("statement_days",),
    "hearing_request": ("hearing_fine_person", "hearing_fine_organisation"),
    "review": ("review_days",),
}


def case_queryset():
    return Case.objects.select_related(
        "agency__region", "item__domain", "region", "team", "clue", "transferred_from"
    )


def template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def section_context(user: Any, case: Case) -> tuple[list[str], dict[str, Any]]:
    """The other parts' sections present in this installation, and their data."""
    templates: list[str] = []
    context: dict[str, Any] = {}
    for module_name, section in SECTIONS:
        template = f"cases/ws_{section}.html"
        if not template_exists(template):
            continue
        full = f"zhifa.cases.selectors.{module_name}"
        if importlib.util.find_spec(full) is not None:
            selector = getattr(importlib.import_module(full), f"{section}_context", None)
            if callable(selector):
                context.update(selector(user, case))
        templates.append(template)
    return templates, context


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def deadline_rows(case: Case) -> list[dict[str, Any]]:
    """The case's time limits with the local settings each depends on (value and source)."""
    settings = settings_for(case.agency)
    rows = []
    for view in case_deadlines(case):
        keys = DEADLINE_SETTINGS.get(view.key, ())
        if view.key == "decision" and case.extension_days:
            keys = ("extension_days",)
        rows.append({"view": view, "deadline": view.deadline, "settings": [settings[k] for k in keys]})
    return rows


def document_rows(case: Case) -> list[dict[str, Any]]:
    rows = []
    for document in case.documents.order_by("issued_on", "id"):
        rows.append(
            {
                "doc": document,
                "url": _url("case-document", case.pk, document.pk),
                "pdf_url": _url("case-document-pdf", case.pk, document.pk) if document.file else None,
            }
        )
    return rows


def timeline(case: Case) -> list[dict[str, Any]]:
    states = dict(CaseState.choices)
    rows = []
    for step in case.steps.order_by("at", "id"):
        transition = BY_NAME.get(step.action)
        rows.append(
            {
                "step": step,
                # Acts that are not transitions carry their own label (zhifa/cases/services/acts.py).
                "label": transition.label
                if transition is not None
                else (step.data or {}).get("label", step.action),
                "article": transition.article if transition is not None else "",
                "from_label": states.get(step.from_state, ""),
                "to_label": states.get(step.to_state, ""),
            }
        )
    return rows


def action_rows(user: Any, case: Case) -> tuple[list[Any], list[Any]]:
    """(allowed, refused): the steps that leave the current state, each with its form's URL."""
    allowed, refused = [], []
    for option in available_actions(user, case):
        option_url = reverse("case-act", args=[case.pk, option.name])
        row = {"option": option, "transition": option.transition, "url": option_url}
        (allowed if option.allowed else refused).append(row)
    return allowed, refused


def workspace_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    allowed, refused = action_rows(user, case)
    sections, extra = section_context(user, case)
    officers = list(
        case.officers.filter(withdrawn_on__isnull=True).select_related("person").order_by("role", "id")
    )
    context: dict[str, Any] = {
        "case": case,
        "perms": {"can_work": can_work_on(user, case), "can_lead": can_lead(user, case)},
        "allowed_actions": allowed,
        "refused_actions": refused,
        "deadlines": deadline_rows(case),
        "documents": document_rows(case),
        "steps": timeline(case),
        "head_parties": list(case.parties.order_by("id")),
        "head_officers": officers,
        "ws_sections": sections,
        "clue_url": _url("intake-clue", case.clue_id) if case.clue_id else None,
        "transferred_from_url": _url("case-detail", case.transferred_from_id)
        if case.transferred_from_id
        else None,
        "today": timezone.localdate(),
    }
    # The sections' own data may not replace the page's (their keys are theirs, ours are fixed).
    return {**extra, **context}


@login_required
@require_GET
def case_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """The workspace of one case the user may read (404 otherwise)."""
    case = get_visible_or_404(case_queryset(), request.user, pk=pk)
    return render(request, "cases/workspace.html", workspace_context(request, case))
