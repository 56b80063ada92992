"""The case list (/cases/): filters, state tabs, each case's state and nearest time limit, pages.

Reads through zhifa.cases.selectors.cases (scoped by org.scoping.visible; outsiders see nothing). The
query count does not grow with the page size: the selector's bounded count, page, parties and lead
officers, the tab counts in one query, and the filter options. htmx swaps the results (tabs, table,
pagination) when a filter changes; without JavaScript the form submits as a normal GET.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhifa.cases.models import CaseState, Procedure
from zhifa.cases.selectors.cases import DATE_FIELDS, CaseFilters, case_counts_by_state, case_list
from zhifa.cases.views.open import acting_agencies, agency_items, penalty_items
from zhifa.org.models import Agency
from zhifa.org.scoping import person_of, visible

ITEM_OPTIONS_LIMIT = 300


def _agency_options(user: Any) -> list[tuple[int, str]]:
    """The agencies of the user's county (the list's own scope still decides what is shown)."""
    person = person_of(user)
    agencies = visible(Agency.objects.filter(is_active=True), user)
    if person is not None:
        agencies = agencies.filter(region__adcode__startswith=person.region.adcode[:6])
    return list(agencies.order_by("kind", "name").values_list("pk", "name")[:ITEM_OPTIONS_LIMIT])


def _item_options(user: Any, chosen: int | None) -> list[tuple[int, str]]:
    """The penalty items the user's agency enforces, else the catalogue's first ones; the chosen one
    is always offered."""
    person = person_of(user)
    agency = person.agency if person is not None else None
    rows = list(agency_items(agency).values_list("pk", "code", "name")[:ITEM_OPTIONS_LIMIT])
    if not rows:  # the justice bureau, administrators: the catalogue
        rows = list(penalty_items().values_list("pk", "code", "name")[:ITEM_OPTIONS_LIMIT])
    if chosen is not None and all(pk != chosen for pk, _c, _n in rows):
        rows += list(penalty_items().filter(pk=chosen).values_list("pk", "code", "name"))
    return [(pk, f"{code} {name}") for pk, code, name in rows]


def _selected(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    return {
        "agency": get.get("agency", ""),
        "states": get.getlist("state"),
        "overdue": get.get("overdue", "") in ("1", "true", "on", "yes"),
        "item": get.get("item", ""),
        "date_on": get.get("date_on", ""),
        "date_from": get.get("date_from", ""),
        "date_to": get.get("date_to", ""),
        "q": get.get("q", ""),
        "procedure": get.get("procedure", ""),
        "page_size": get.get("page_size", ""),
    }


def list_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the list and its results partial show."""
    user = request.user
    filters = CaseFilters.from_params(request.GET)
    page = case_list(
        user, filters=filters, page=request.GET.get("page"), page_size=request.GET.get("page_size")
    )
    tabs = case_counts_by_state(user, filters)
    selected = _selected(request)
    state = selected["states"][0] if len(selected["states"]) == 1 else ""
    return {
        "page": page,
        "rows": page.rows,
        "tabs": [t for t in tabs if t.count or t.state == state],
        "current_state": state,
        "filters": filters,
        "selected": selected,
        "today": timezone.localdate(),
        "can_open": bool(acting_agencies(user)),
    }


@login_required
@require_GET
def case_list_page(request: HttpRequest) -> HttpResponse:
    """The cases the user may read; the results partial alone for htmx requests."""
    context = list_context(request)
    if getattr(request, "htmx", False):
        return render(request, "cases/list_rows.html", context)
    selected = context["selected"]
    context.update(
        {
            "agency_options": _agency_options(request.user),
            "item_options": _item_options(request.user, context["filters"].item),
            "state_options": CaseState.choices,
            "procedure_options": Procedure.choices,
            "date_options": [(k, str(v)) for k, v in DATE_FIELDS.items()],
            "selected_state": selected["states"][0] if selected["states"] else "",
        }
    )
    return render(request, "cases/list.html", context)
