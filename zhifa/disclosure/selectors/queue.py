"""The publication queue of a user's scope: decisions to publish, withdrawals due, recent publications.

A decided case appears here the moment it is decided (the queue is worked out from the cases, so there
is nothing to forget to enqueue), with the GO118 (六) due date (7 working days for penalties, 20 for
other decisions) and a warning level; it leaves when published or marked exempt. A publication whose
decision was revoked stays here until it is withdrawn, with the APL Art. 48 limit of 3 working days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from zhifa.cases.deadlines import warning_level
from zhifa.cases.models import Case, Outcome, Procedure
from zhifa.core.calendar import Deadline
from zhifa.disclosure import rules
from zhifa.disclosure.drafting import duty_for
from zhifa.disclosure.models import Publication, PublicationState
from zhifa.org.scoping import get_visible_or_404, visible

QUEUE_LIMIT = 500
RECENT_DAYS = 30


@dataclass(frozen=True)
class PendingRow:
    """A decided case waiting for publication."""

    case: Case
    kind: str
    due: Deadline
    level: str


@dataclass(frozen=True)
class WithdrawalRow:
    publication: Publication
    level: str


@dataclass(frozen=True)
class Queue:
    pending: list[PendingRow]
    withdrawals: list[WithdrawalRow]
    recent: list[Publication]
    truncated: bool


def decided_unpublished(user: Any) -> QuerySet[Case]:
    """Decided cases in the user's scope whose outcome may need publication and that have no
    publication row yet (GO118 (六); warning-only and simplified-procedure decisions are left out in SQL,
    SAMR Order 45 Art. 2)."""
    handled = Publication.objects.filter(case=OuterRef("pk"))
    return (
        visible(Case.objects.all(), user)
        .filter(
            decided_on__isnull=False,
            procedure=Procedure.GENERAL,
            outcome__in=[Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.RECTIFICATION],
        )
        .exclude(outcome=Outcome.PENALTY, penalty_types=[rules.WARNING])
        .exclude(Exists(handled))
    )


def publication_queue(user: Any, today: datetime.date) -> Queue:
    """The queue page's three lists, ordered by what is due first; a bounded number of queries."""
    cases = list(
        decided_unpublished(user)
        .select_related("agency", "region", "item")
        .prefetch_related("parties")
        .order_by("decided_on", "id")[: QUEUE_LIMIT + 1]
    )
    truncated = len(cases) > QUEUE_LIMIT
    pending = []
    for case in cases[:QUEUE_LIMIT]:
        duty = duty_for(case, list(case.parties.all()))
        if not duty.required:  # e.g. the party is a minor (ZJ-PUB Art. 5)
            continue
        due = rules.publication_due(duty.kind, case.decided_on)
        pending.append(PendingRow(case=case, kind=duty.kind, due=due, level=warning_level(due.due, today)))
    pending.sort(key=lambda row: (row.due.due, row.case.pk))

    withdrawals = [
        WithdrawalRow(publication=p, level=warning_level(p.withdrawal_due_on, today))
        for p in visible(Publication.objects.all(), user)
        .filter(state=PublicationState.PUBLISHED, revoked_on__isnull=False)
        .select_related("agency", "case")
        .order_by("withdrawal_due_on", "id")[:QUEUE_LIMIT]
    ]
    since = today - datetime.timedelta(days=RECENT_DAYS)
    recent = list(
        visible(Publication.objects.all(), user)
        .filter(published_on__gte=since)
        .select_related("agency", "case")
        .order_by("-published_on", "-id")[:100]
    )
    return Queue(pending=pending, withdrawals=withdrawals, recent=recent, truncated=truncated)


def publishable_case_or_404(user: Any, case_pk: int) -> Case:
    """A case of the user's scope, for the review page (404 outside the scope)."""
    return get_visible_or_404(Case.objects.select_related("agency", "region", "item"), user, pk=case_pk)


def publication_or_404(user: Any, pk: int) -> Publication:
    """A publication of the user's scope, whatever its state (404 outside the scope)."""
    return get_visible_or_404(
        Publication.objects.select_related("agency", "region", "case", "published_by", "withdrawn_by"),
        user,
        pk=pk,
    )
