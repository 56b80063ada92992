"""A clue's page (/intake/clues/<id>/): every fact, its photos, the map of the point, the steps with late
marks, and the actions the user may take now (views/clue_actions.py decides which).

Reads through selectors.clues.clue_detail (another county's or township's clue is a 404); writes
through the services, each form posting the version the page showed (CONFLICT when someone else acted
first). Helps for the dispatcher: the ranked suggestion of items (classify.suggest_items, top 5), a
search of the catalogue, the route the resolver gives before dispatching, and duplicate candidates.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.errors import ServiceError
from zhifa.intake.models import Clue, ClueStatus, JointMeeting
from zhifa.intake.policies import can_command
from zhifa.intake.selectors.clues import clue_detail, clue_steps, duplicate_candidates
from zhifa.intake.services.dispatch import route_for
from zhifa.intake.views import clue_actions
from zhifa.intake.views.display import colour, countdown, countdown_labels, iso, require
from zhifa.org.models import Team
from zhifa.powers.models import PowerItem
from zhifa.powers.selectors.grants import power_items_search

SEARCH_LIMIT = 20
SUGGESTIONS = 5
ROUTE_LABELS = {"team": "派遣至乡镇执法队", "joint": "提交联席会商", "transfer": "线索移送至部门"}


def _route(clue: Clue) -> tuple[Any, str]:
    """The resolver's route for the classified clue, or the reason there is none yet."""
    try:
        return route_for(clue), ""
    except ServiceError as exc:
        return None, exc.message


def _suggestions(clue: Clue) -> list[Any]:
    from zhifa.intake.classify import suggest_items

    return suggest_items(clue.text, limit=SUGGESTIONS)


def _chosen_items(clue: Clue, form: Any) -> list[PowerItem]:
    if form is not None and form.is_bound:
        ids = [v for v in form.data.getlist(f"{form.prefix}-items") if v.isdigit()]
        return list(PowerItem.objects.filter(pk__in=ids).order_by("code"))
    return list(clue.items.order_by("code"))


def _map_data(clue: Clue) -> dict[str, Any]:
    features = []
    if clue.grid_cell_id and clue.grid_cell.geometry:
        features.append(
            {
                "type": "Feature",
                "geometry": clue.grid_cell.geometry,
                "properties": {"name": clue.grid_cell.name, "role": "cell"},
            }
        )
    if clue.lat is not None and clue.lng is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [clue.lng, clue.lat]},
                "properties": {"name": clue.code, "role": "clue", "colour": colour(clue.status)},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _steps(clue: Clue) -> list[Any]:
    """The steps, each with the item codes and routing reasons its data holds (for the timeline)."""
    steps = clue_steps(clue)
    for step in steps:
        data = step.data if isinstance(step.data, dict) else {}
        step.item_codes = data.get("items") or []
        step.reasons = data.get("reasons") or []
    return steps


def clue_context(request: HttpRequest, clue: Clue, failed: tuple[str, Any] | None = None) -> dict[str, Any]:
    """Everything the clue page shows; `failed` is (action, bound form) after a refused post."""
    user = request.user
    now = timezone.now()
    names = clue_actions.available(user, clue)
    route, route_error = (None, "")
    teams = None
    if "dispatch" in names:
        route, route_error = _route(clue) if clue.items.exists() else (None, "")
        if route is not None and route.kind == "team":
            teams = Team.objects.filter(agency=route.agency).order_by("pk")
    forms = {name: clue_actions.build_form(name, clue, teams=teams) for name in names}
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
    text, over = countdown(clue.step_due_at, now) if clue.is_open else ("", False)
    commander = "classify" in names or can_command(user, clue)
    return {
        "clue": clue,
        "colour": colour(clue.status),
        "countdown": text,
        "overdue": over,
        "due_iso": iso(clue.step_due_at) if clue.is_open else "",
        "server_now": iso(now),
        "labels": countdown_labels(),
        "steps": _steps(clue),
        "photos": list(clue.photos.all()),
        "items": list(clue.items.order_by("code")),
        "transfers": list(clue.transfers.select_related("to_agency")),
        "meeting": JointMeeting.objects.filter(clue=clue).select_related("lead_agency").first(),
        "merged": list(clue.merged.order_by("reported_at")) if commander else [],
        "show_contact": commander,
        "map_data": _map_data(clue),
        "tile_url": settings.ZHIFA_MAP_TILE_URL,
        "forms": forms,
        "failed": failed[1] if failed is not None else None,
        "failed_hidden": failed is not None and forms.get(failed[0]) is not failed[1],
        "failed_action": clue_actions.ACTIONS[failed[0]].label if failed is not None else "",
        "suggestions": _suggestions(clue) if "classify" in names else [],
        "usual_items": list(clue.category.items.filter(is_active=True).order_by("code"))
        if "classify" in names
        else [],
        "chosen": _chosen_items(clue, forms.get("classify")) if "classify" in names else [],
        "route": route,
        "route_label": _(ROUTE_LABELS[route.kind]) if route is not None else "",
        "route_error": route_error,
        "duplicates": duplicate_candidates(clue, user) if "merge" in names else [],
    }


@login_required
@require_GET
def clue_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One clue the user may read (404 otherwise) with the actions open to them now."""
    clue = clue_detail(request.user, pk)
    return render(request, "intake/clue.html", clue_context(request, clue))


@login_required
@require_POST
def clue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Post one action; success goes back to the page, a refusal shows it with the errors."""
    clue = clue_detail(request.user, pk)
    spec = clue_actions.ACTIONS.get(action)
    if spec is None:
        raise Http404
    require(spec.allowed(request.user, clue))
    outcome = clue_actions.perform(action, request.user, clue, request.POST, request.FILES)
    if outcome.clue is None:
        fresh = clue_detail(request.user, pk)
        context = clue_context(request, fresh, failed=(action, outcome.form))
        return render(request, "intake/clue.html", context, status=outcome.status)
    messages.success(request, _done_message(action, outcome.clue))
    return redirect("intake-clue", pk=pk)


def _done_message(action: str, clue: Clue) -> str:
    if action in ("dispatch", "joint"):
        if clue.status == ClueStatus.JOINT:
            return _("线索 %(code)s 已提交联席会商。") % {"code": clue.code}
        if clue.status == ClueStatus.TRANSFERRED:
            agency = clue.assigned_agency
            return _("线索 %(code)s 已移送%(agency)s。") % {"code": clue.code, "agency": agency}
        target = clue.assigned_team or clue.assigned_agency
        return _("线索 %(code)s 已派遣至%(team)s。") % {"code": clue.code, "team": target}
    label = clue_actions.ACTIONS[action].label
    return _("线索 %(code)s：%(action)s完成，当前状态“%(status)s”。") % {
        "code": clue.code,
        "action": label,
        "status": clue.get_status_display(),
    }


@login_required
@require_GET
def clue_item_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the catalogue for items to add while classifying (dispatchers; htmx partial)."""
    clue = clue_detail(request.user, pk)
    require(can_command(request.user, clue))
    q = request.GET.get("classify-q", request.GET.get("q", "")).strip()[:100]
    results = list(power_items_search(q)[:SEARCH_LIMIT]) if q else []
    return render(request, "intake/clue_items.html", {"results": results, "q": q})
