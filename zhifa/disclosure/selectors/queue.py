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

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from zhifa.cases.deadlines import OVERDUE, warning_level
from zhifa.cases.models import Case, CaseDocument, DocType, Outcome, Procedure
from zhifa.core.calendar import Deadline
from zhifa.disclosure import rules
from zhifa.disclosure.drafting import duty_for
from zhifa.disclosure.models import Publication, PublicationKind, PublicationState
from zhifa.org.scoping import get_visible_or_404, visible

QUEUE_LIMIT = 500
RECENT_DAYS = 30


@dataclass(frozen=True)
class PendingRow:
    """A decided case waiting for publication."""

    case: Case
    kind: str
    decided_on: datetime.date
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


def _order_issued_on() -> Subquery:
    """The day a case's current rectification order was issued (a corrected order replaces it)."""
    return Subquery(
        CaseDocument.objects.filter(
            case=OuterRef("pk"), doc_type=DocType.RECTIFICATION_ORDER, superseded_by__isnull=True
        )
        .order_by("-issued_on", "-id")
        .values("issued_on")[:1]
    )


def decided_unpublished(user: Any) -> QuerySet[Case]:
    """Decided cases in the user's scope whose outcome may need publication and that have no
    publication row yet (GO118 (六); warning-only and simplified-procedure decisions are left out in SQL,
    SAMR Order 45 Art. 2).

    A rectification order (责令改正) is an enforcement decision of its own, published within 20 working
    days (GO118 (六)); the engine records no decision date for it, so its day is the order's issue date
    (`decision_day`)."""
    handled = Publication.objects.filter(case=OuterRef("pk"))
    return (
        visible(Case.objects.all(), user)
        .filter(
            Q(decided_on__isnull=False) | Q(outcome=Outcome.RECTIFICATION),
            procedure=Procedure.GENERAL,
            outcome__in=[Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.RECTIFICATION],
        )
        .exclude(outcome=Outcome.PENALTY, penalty_types=[rules.WARNING])
        .exclude(Exists(handled))
        .annotate(decision_day=Coalesce("decided_on", _order_issued_on()))
        .filter(decision_day__isnull=False)
    )


def _kind_outcomes(kind: str) -> list[str]:
    if kind == PublicationKind.PENALTY:
        return [Outcome.PENALTY]
    return [Outcome.NO_PENALTY, Outcome.RECTIFICATION]


def publication_queue(
    user: Any,
    today: datetime.date,
    *,
    agency_id: int | None = None,
    kind: str = "",
    overdue_only: bool = False,
) -> Queue:
    """The queue page's three lists, ordered by what is due first; a bounded number of queries.

    Filters: the deciding agency, the kind of publication (penalty or other decision) and, for the
    pending and withdrawal lists, only what is overdue on `today`."""
    cases_qs = decided_unpublished(user)
    withdrawals_qs = visible(Publication.objects.all(), user).filter(
        state=PublicationState.PUBLISHED, revoked_on__isnull=False
    )
    since = today - datetime.timedelta(days=RECENT_DAYS)
    recent_qs = visible(Publication.objects.all(), user).filter(created_at__date__gte=since)
    if agency_id is not None:
        cases_qs = cases_qs.filter(agency_id=agency_id)
        withdrawals_qs = withdrawals_qs.filter(agency_id=agency_id)
        recent_qs = recent_qs.filter(agency_id=agency_id)
    if kind in (PublicationKind.PENALTY, PublicationKind.OTHER):
        cases_qs = cases_qs.filter(outcome__in=_kind_outcomes(kind))
        withdrawals_qs = withdrawals_qs.filter(kind=kind)
        recent_qs = recent_qs.filter(kind=kind)
    if overdue_only:
        # At least 7 working days (7 calendar days) must have passed since the decision (GO118 (六)).
        cases_qs = cases_qs.filter(
            decision_day__lt=today - datetime.timedelta(days=rules.PENALTY_WORKING_DAYS)
        )
        withdrawals_qs = withdrawals_qs.filter(withdrawal_due_on__lt=today)

    cases = list(
        cases_qs.select_related("agency", "region", "item")
        .prefetch_related("parties")
        .order_by("decision_day", "id")[: QUEUE_LIMIT + 1]
    )
    truncated = len(cases) > QUEUE_LIMIT
    pending = []
    for case in cases[:QUEUE_LIMIT]:
        duty = duty_for(case, list(case.parties.all()))
        if not duty.required:  # e.g. the party is a minor (ZJ-PUB Art. 5)
            continue
        due = rules.publication_due(duty.kind, case.decision_day)
        level = warning_level(due.due, today)
        if overdue_only and level != OVERDUE:
            continue
        pending.append(
            PendingRow(case=case, kind=duty.kind, decided_on=case.decision_day, due=due, level=level)
        )
    pending.sort(key=lambda row: (row.due.due, row.case.pk))

    withdrawals = [
        WithdrawalRow(publication=p, level=warning_level(p.withdrawal_due_on, today))
        for p in withdrawals_qs.select_related("agency", "case").order_by("withdrawal_due_on", "id")[
            :QUEUE_LIMIT
        ]
    ]
    # Recently handled: published, withdrawn or marked not to be published (exempt) in the last 30 days.
    recent = list(recent_qs.select_related("agency", "case").order_by("-created_at", "-id")[:100])
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
