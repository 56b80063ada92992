"""The case list (/cases/): filters, state tabs, each case's state and nearest time limit, pages.

Reads through zhifa.cases.selectors.cases (scoped by org.scoping.visible; outsiders see nothing). The
query count does not grow with the page size: the selector's bounded count, page, parties and lead
officers, and the filter options. The state tabs' counts come from their own request (case-tabs,
loaded by htmx as soon as the rows are shown): counting is the slowest read of the list, and the table
does not wait for it. htmx swaps the results (tabs, table, pagination) when a filter changes; without
JavaScript the form submits as a normal GET and the state select stands in for the tabs.

What each row and option shows (labels, colours, the level of the nearest limit, selected options) is
worked out here once, in Python, so the templates only print attributes: a filter or a
get_FOO_display() per cell costs more than the database at 100 rows and 300 options
(bench/cases_list.py measures the page).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from zhifa.cases.models import Case, CaseState, Procedure
from zhifa.cases.selectors.cases import (
    DATE_CREATED,
    DATE_FIELDS,
    CaseFilters,
    case_counts_by_state,
    case_list,
)
from zhifa.cases.templatetags.case_display import due_label, due_level, level_class, state_colour
from zhifa.cases.views.open import acting_agencies, agency_items, penalty_items
from zhifa.org.models import Agency
from zhifa.org.scoping import person_of, visible

ITEM_OPTIONS_LIMIT = 300


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` characters, the last one an ellipsis when cut (as |truncatechars)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _options(rows: list[tuple[Any, str]], chosen: str, width: int = 0) -> str:
    """The <option> elements of a select (escaped), the chosen value selected, labels cut to `width`
    characters when given: one join here instead of a template loop over up to 300 items."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (
                value,
                mark_safe(" selected") if str(value) == chosen else "",
                _cut(str(label), width) if width else label,
            )
            for value, label in rows
        ),
    )


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


def _decorate(rows: list[Case], today: Any) -> None:
    """Give each row what its cells print: state label and colour, procedure label, the nearest
    limit's name, level and class, and cut title and item name."""
    # The template filters of case_display, called once per row; labels translated once per page.
    state_labels = {value: str(label) for value, label in CaseState.choices}
    procedure_labels = {value: str(label) for value, label in Procedure.choices}
    for case in rows:
        case.state_label = state_labels.get(case.state, case.state)
        case.state_colour = state_colour(case.state)
        case.procedure_label = procedure_labels.get(case.procedure, case.procedure)
        case.short_title = _cut(case.title, 40)
        case.short_item = _cut(case.item.name, 24)
        case.due_level = due_level(case.next_due_on, today)
        case.due_class = level_class(case.due_level)
        case.due_name = due_label(case.next_due_key)


def _current_state(selected: dict[str, Any]) -> str:
    """The state whose tab is active: the one state filtered on, else none ("全部")."""
    return selected["states"][0] if len(selected["states"]) == 1 else ""


def list_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the list and its results partial show."""
    user = request.user
    filters = CaseFilters.from_params(request.GET)
    page = case_list(
        user, filters=filters, page=request.GET.get("page"), page_size=request.GET.get("page_size")
    )
    selected = _selected(request)
    _decorate(page.rows, timezone.localdate())
    query = request.GET.urlencode()
    return {
        "page": page,
        "rows": page.rows,
        "tabs_url": reverse("case-tabs") + (f"?{query}" if query else ""),
        "current_state": _current_state(selected),
        "filters": filters,
        "selected": selected,
        "can_open": bool(acting_agencies(user)),
    }


@login_required
@require_GET
def case_tabs(request: HttpRequest) -> HttpResponse:
    """The state tabs of the list under the same filters, with their bounded counts (tabs without a
    case are left out, but for the active one)."""
    filters = CaseFilters.from_params(request.GET)
    state = _current_state(_selected(request))
    tabs = case_counts_by_state(request.user, filters)
    context = {"tabs": [t for t in tabs if t.count or t.state == state], "current_state": state}
    return render(request, "cases/list_tabs.html", context)


@login_required
@require_GET
def case_list_page(request: HttpRequest) -> HttpResponse:
    """The cases the user may read; the results partial alone for htmx requests."""
    context = list_context(request)
    if getattr(request, "htmx", False):
        return render(request, "cases/list_rows.html", context)
    selected = context["selected"]
    state = selected["states"][0] if selected["states"] else ""  # the select shows the first one
    context.update(
        {
            "agency_options": _options(_agency_options(request.user), selected["agency"]),
            "item_options": _options(
                _item_options(request.user, context["filters"].item), selected["item"], width=40
            ),
            "state_options": _options(CaseState.choices, state),
            "procedure_options": _options(Procedure.choices, selected["procedure"]),
            "date_options": _options(list(DATE_FIELDS.items()), selected["date_on"] or DATE_CREATED),
        }
    )
    return render(request, "cases/list.html", context)
