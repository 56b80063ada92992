"""The publication queue (/disclosure/): what to publish, what to withdraw, what was recently handled.

- 待公示: decided cases of the user's scope that the law asks to publish, the moment they are decided,
  with the GO118 (六) due date (7 working days for penalties, 20 for other decisions) and its colour;
- 待撤回: publications whose decision was revoked or changed, due within 3 working days (APL Art. 48,
  Art. 85);
- 近期公示: what was published, withdrawn or marked not to be published in the last 30 days.

Reads through zhifa.disclosure.selectors.queue (data scoping); the number of queries does not grow with
the rows. Filters that do not parse are reported next to the field and ignored, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhifa.cases.deadlines import DUE_TODAY, OK, OVERDUE, WARNING
from zhifa.cases.templatetags.case_display import LEVEL_LABELS
from zhifa.disclosure import rules
from zhifa.disclosure.forms import QueueFilterForm
from zhifa.disclosure.models import PublicationKind
from zhifa.disclosure.policies import can_see_queue
from zhifa.disclosure.selectors.queue import PendingRow, WithdrawalRow, publication_queue
from zhifa.org.models import Agency
from zhifa.org.scoping import editable

AGENCY_OPTIONS_LIMIT = 300
# The queue's colours: overdue red; due today or within the warning days amber; otherwise green.
LEVEL_COLOURS = {OVERDUE: "danger", DUE_TODAY: "warning", WARNING: "warning", OK: "success"}


@dataclass(frozen=True)
class Level:
    """A deadline level as the queue shows it: its key, Bootstrap colour and label."""

    key: str
    colour: str
    label: str


def level_of(key: str) -> Level:
    return Level(key=key, colour=LEVEL_COLOURS.get(key, "secondary"), label=str(LEVEL_LABELS.get(key, "")))


def agency_options(user: Any) -> list[tuple[int, str]]:
    """The agencies inside the user's own scope (not the whole county directory)."""
    agencies = editable(Agency.objects.filter(is_active=True), user).order_by("kind", "name")
    return list(agencies.values_list("pk", "name")[:AGENCY_OPTIONS_LIMIT])


def pending_view(row: PendingRow) -> dict[str, Any]:
    return {
        "row": row,
        "case": row.case,
        "kind_label": PublicationKind(row.kind).label,
        "level": level_of(row.level),
    }


def withdrawal_view(row: WithdrawalRow) -> dict[str, Any]:
    publication = row.publication
    return {
        "row": row,
        "publication": publication,
        "due": rules.withdrawal_due(publication.revoked_on),
        "level": level_of(row.level),
    }


@login_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """The queue of the user's scope (team leaders, legal reviewers, officers, the justice bureau,
    administrators); other roles get 403."""
    user = request.user
    if not can_see_queue(user):
        raise PermissionDenied
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None, agencies=agency_options(user))
    queue = publication_queue(user, today, **form.filters())
    pending = [pending_view(row) for row in queue.pending]
    return render(
        request,
        "disclosure/queue.html",
        {
            "form": form,
            "pending": pending,
            "overdue": sum(1 for row in queue.pending if row.level == OVERDUE),
            "withdrawals": [withdrawal_view(row) for row in queue.withdrawals],
            "recent": queue.recent,
            "truncated": queue.truncated,
            "today": today,
        },
    )
