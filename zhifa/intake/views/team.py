"""The team's page (待办线索, issue 4 point 5): what is assigned to the user's agency and team and waits
for it (sign for, handle, feed back), with countdowns to each step's limit and status colours, refreshed
without reloading like the command centre's queue.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhifa.intake.selectors.clues import team_queue
from zhifa.intake.views.command import refresh_seconds
from zhifa.intake.views.display import countdown_labels, is_team_member, iso, require, rows
from zhifa.org.scoping import person_of

TEAM_LIMIT = 200


def team_context(user: Any) -> dict[str, Any]:
    now = timezone.now()
    queue = team_queue(user)
    shown = list(queue[:TEAM_LIMIT])
    return {
        "rows": rows(shown, now),
        "total": queue.count() if len(shown) == TEAM_LIMIT else len(shown),
        "overdue_count": sum(1 for c in shown if c.step_due_at is not None and c.step_due_at < now),
        "server_now": iso(now),
    }


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    """Officers and team leaders: the clues assigned to their agency (and team)."""
    require(is_team_member(request.user))
    person = person_of(request.user)
    context = team_context(request.user) | {
        "person": person,
        "refresh": refresh_seconds(),
        "labels": countdown_labels(),
        "queue_url": reverse("intake-team-queue"),
    }
    return render(request, "intake/team.html", context)


@login_required
def team_queue_partial(request: HttpRequest) -> HttpResponse:
    require(is_team_member(request.user))
    return render(request, "intake/team_queue.html", team_context(request.user))
