"""The command centre (指挥调度, issue 4 point 5): a map of open clues coloured by status, the queue with
filters (township, status, category, overdue), countdowns to each step's time limit, overdue warnings,
and live refresh without reloading: htmx polls the queue partial and command.js the markers (JSON)
every ZHIFA_COMMAND_REFRESH_SECONDS (15 s), both with the filters the dispatcher chose.

Reads go through selectors.clues (org.scoping: a dispatcher sees the command centre's county); the page
is for dispatchers and administrators (others get 403). Queries do not grow with the number of rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhifa.intake.forms_command import QueueFilterForm
from zhifa.intake.models import ClueStatus
from zhifa.intake.selectors.clues import command_queue, overdue_warnings
from zhifa.intake.views.display import (
    colour,
    countdown,
    countdown_labels,
    is_commander,
    iso,
    legend,
    require,
    rows,
)
from zhifa.org.models import GridCell, GridLevel, Region, RoleCode
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.scoping import has_role, visible

QUEUE_LIMIT = 100  # the most pressing rows; the filters narrow the rest down
WARNING_LIMIT = 8
OUTSIDE_LIMIT = 20
MARKER_LIMIT = 2000
OUTLINE_LIMIT = 300
DEFAULT_REFRESH = 15


def refresh_seconds() -> int:
    return int(getattr(settings, "ZHIFA_COMMAND_REFRESH_SECONDS", DEFAULT_REFRESH))


def _townships(user: Any) -> list[Region]:
    townships = visible(Region.objects.filter(level__in=TOWNSHIP_LEVELS), user)
    return list(townships.order_by("adcode")[:OUTLINE_LIMIT])


def _filter_form(request: HttpRequest) -> QueueFilterForm:
    return QueueFilterForm(request.GET or None, townships=_townships(request.user))


def queue_context(user: Any, filters: dict[str, Any]) -> dict[str, Any]:
    """The queue, the outside-grid list and the overdue warnings, with a fixed number of queries."""
    now = timezone.now()
    queue = command_queue(user, **filters)
    shown = list(queue[:QUEUE_LIMIT])
    outside = list(queue.filter(outside_grid=True)[:OUTSIDE_LIMIT])
    unplaced = [c for c in shown if c.lat is None and not c.outside_grid]
    warnings = overdue_warnings(user)
    return {
        "rows": rows(shown, now),
        "total": queue.count() if len(shown) == QUEUE_LIMIT else len(shown),
        "limit": QUEUE_LIMIT,
        "outside": rows(outside, now),
        "unplaced": rows(unplaced, now),
        "warnings": rows(warnings[:WARNING_LIMIT], now),
        "warning_count": warnings.count(),
        "server_now": iso(now),
    }


@login_required
def command_page(request: HttpRequest) -> HttpResponse:
    """The command centre page (dispatchers and administrators)."""
    require(is_commander(request.user))
    form = _filter_form(request)
    context = queue_context(request.user, form.filters())
    context |= {
        "form": form,
        "legend": legend(),
        "outlines": _outlines(request.user),
        "tile_url": settings.ZHIFA_MAP_TILE_URL,
        "refresh": refresh_seconds(),
        "labels": countdown_labels(),
        "markers_url": reverse("intake-command-markers"),
        "queue_url": reverse("intake-command-queue"),
    }
    return render(request, "intake/command.html", context)


@login_required
def command_queue_partial(request: HttpRequest) -> HttpResponse:
    """The queue (and, out of band, the warnings and the outside-grid list) for htmx polling."""
    require(is_commander(request.user))
    form = _filter_form(request)
    context = queue_context(request.user, form.filters()) | {"oob": True}
    return render(request, "intake/command_queue.html", context)


@login_required
def command_markers(request: HttpRequest) -> JsonResponse:
    """Open clues with a position, as map markers (same filters as the queue)."""
    require(is_commander(request.user))
    filters = _filter_form(request).filters()
    now = timezone.now()
    fields = ("id", "code", "lat", "lng", "status", "outside_grid", "step_due_at", "category__name")
    queue = command_queue(request.user, **filters).filter(lat__isnull=False, lng__isnull=False)
    markers = []
    for row in queue.values(*fields)[:MARKER_LIMIT]:
        text, over = countdown(row["step_due_at"], now)
        markers.append(
            {
                "id": row["id"],
                "code": row["code"],
                "lat": row["lat"],
                "lng": row["lng"],
                "status": row["status"],
                "status_label": str(ClueStatus(row["status"]).label),
                "colour": colour(row["status"]),
                "category": row["category__name"],
                "outside": row["outside_grid"],
                "overdue": over,
                "countdown": text,
                "url": reverse("intake-clue", args=[row["id"]]),
            }
        )
    return JsonResponse({"now": iso(now), "markers": markers})


def _outlines(user: Any) -> dict[str, Any]:
    """Township grid outlines of the user's area (the map has no tiles on an intranet without them)."""
    cells = visible(GridCell.objects.filter(level=GridLevel.TOWNSHIP), user)
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"name": name}}
        for name, geometry in cells.order_by("code").values_list("name", "geometry")[:OUTLINE_LIMIT]
        if geometry
    ]
    return {"type": "FeatureCollection", "features": features}


def home_warnings(user: Any) -> dict[str, Any] | None:
    """The overdue-warnings card of a dispatcher's or team leader's home page (None for other roles)."""
    if not has_role(user, RoleCode.DISPATCHER, RoleCode.TEAM_LEADER):
        return None
    warnings = overdue_warnings(user)
    now = timezone.now()
    url = reverse("intake-command") if is_commander(user) else reverse("intake-team")
    return {
        "rows": rows(warnings[:5], now),
        "count": warnings.count(),
        "url": url,
        "labels": countdown_labels(),
    }
