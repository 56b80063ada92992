"""Reading clues: the scoped list and queue, one clue, overdue warnings, duplicates, the public status.

Every read goes through org.scoping.visible (DESIGN.md): a dispatcher sees the clues of the command
centre's region, a township its own, a department the clues assigned or transferred to it, a grid
worker those of their community. Queries per page do not grow with the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.intake.codes import normalise_tracking
from zhifa.intake.models import OPEN_STATUSES, Clue, ClueStatus, ClueStep, StepKind
from zhifa.org.scoping import get_visible_or_404, person_of, visible

DUPLICATE_DAYS_DEFAULT = 7
DUPLICATE_SIMILARITY = 0.3  # Jaccard similarity of character bigrams; "占道经营" texts share most bigrams
MAX_TERMS = 5


def clue_queryset() -> QuerySet[Clue]:
    """Clues with what list rows show, in one query."""
    return Clue.objects.select_related(
        "category", "township", "region", "grid_cell", "assigned_agency", "assigned_team"
    )


def clues_visible(
    user,
    *,
    township: str | None = None,
    status: str | None = None,
    category: str | None = None,
    overdue: bool = False,
    open_only: bool = False,
    q: str | None = None,
) -> QuerySet[Clue]:
    """The clues `user` may read, filtered: township code, status, category code, overdue, text words."""
    qs = visible(clue_queryset(), user)
    if township:
        qs = qs.filter(township__adcode=township)
    if status:
        qs = qs.filter(status=status) if status in ClueStatus.values else qs.none()
    if category:
        qs = qs.filter(category__code=category)
    if open_only or overdue:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if overdue:
        qs = qs.filter(step_due_at__lt=timezone.now())
    for term in (q or "").split()[:MAX_TERMS]:
        qs = qs.filter(Q(code__icontains=term) | Q(text__icontains=term) | Q(address__icontains=term))
    return qs


def command_queue(user, **filters) -> QuerySet[Clue]:
    """The command centre's queue: open clues, the most pressing limit first (no limit last)."""
    from django.db.models import F

    return clues_visible(user, open_only=True, **filters).order_by(
        F("step_due_at").asc(nulls_last=True), "reported_at"
    )


def team_queue(user) -> QuerySet[Clue]:
    """What is assigned to the user's agency (and team) and waits for it: sign for, handle, feed back."""
    person = person_of(user)
    if person is None or person.agency_id is None:
        return Clue.objects.none()
    qs = clue_queryset().filter(
        assigned_agency_id=person.agency_id,
        status__in=(ClueStatus.DISPATCHED, ClueStatus.HANDLING, ClueStatus.HANDLED),
    )
    if person.team_id is not None:
        qs = qs.filter(Q(assigned_team_id=person.team_id) | Q(assigned_team__isnull=True))
    return qs.order_by("step_due_at", "reported_at")


def my_clues(user) -> QuerySet[Clue]:
    """The clues the user reported (a grid worker's own list), newest first."""
    if not getattr(user, "is_authenticated", False):
        return Clue.objects.none()
    return clue_queryset().filter(reported_by=user).order_by("-reported_at")


def overdue_warnings(user) -> QuerySet[Clue]:
    """Open clues whose current step is past its limit, within the user's scope (dispatcher, leader)."""
    return clues_visible(user, overdue=True).order_by("step_due_at")


def clue_detail(user, pk: int) -> Clue:
    """One clue the user may read (404 otherwise), with its steps and photos prefetched."""
    clue = get_visible_or_404(clue_queryset(), user, pk=pk)
    return clue


def clue_steps(clue: Clue) -> list[ClueStep]:
    return list(clue.steps.select_related("actor").prefetch_related("photos").order_by("at", "id"))


def _bigrams(text: str) -> set[str]:
    compact = "".join(ch for ch in text if not ch.isspace())
    return {compact[i : i + 2] for i in range(len(compact) - 1)} or ({compact} if compact else set())


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character bigrams of two texts (0..1); Chinese has no word spaces."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


@dataclass(frozen=True)
class Duplicate:
    clue: Clue
    similarity: float
    same_cell: bool


def duplicate_candidates(clue: Clue, user, days: int | None = None) -> list[Duplicate]:
    """Open clues near this one (the same micro grid or one touching it) within `days` days and with
    similar text: offered to the dispatcher for merging, most similar first."""
    from zhifa.intake.routing import neighbouring_cells

    if clue.grid_cell_id is None:
        return []
    days = days or getattr(settings, "ZHIFA_DUPLICATE_DAYS", DUPLICATE_DAYS_DEFAULT)
    since = clue.reported_at - datetime.timedelta(days=days)
    cells = [clue.grid_cell_id, *neighbouring_cells(clue.grid_cell_id)]
    candidates = (
        clues_visible(user, open_only=True)
        .filter(grid_cell_id__in=cells, reported_at__gte=since, merged_into__isnull=True)
        .exclude(pk=clue.pk)
        .order_by("-reported_at")[:50]
    )
    found = []
    for other in candidates:
        score = similarity(clue.text, other.text)
        if score >= DUPLICATE_SIMILARITY:
            found.append(Duplicate(other, round(score, 2), other.grid_cell_id == clue.grid_cell_id))
    return sorted(found, key=lambda d: (-d.similarity, d.clue.pk))


@dataclass(frozen=True)
class PublicStep:
    kind: str
    label: str
    at: datetime.datetime


@dataclass(frozen=True)
class PublicStatus:
    """What the public sees by tracking code: no names, phones, notes or photos of anyone."""

    tracking_code: str
    status: str
    status_label: str
    category: str
    reported_at: datetime.datetime
    steps: list[PublicStep]
    merged: bool
    can_evaluate: bool
    rating: int | None


PUBLIC_STEPS = (
    StepKind.REPORT,
    StepKind.DISPATCH,
    StepKind.ACCEPT,
    StepKind.HANDLE,
    StepKind.FEEDBACK,
    StepKind.VERIFY,
    StepKind.CLOSE,
    StepKind.TRANSFER,
    StepKind.DISMISS,
    StepKind.EVALUATE,
)


def public_status(tracking: str) -> PublicStatus | None:
    """The status behind a tracking code (a merged clue shows the clue it was merged into)."""
    code = normalise_tracking(tracking)
    clue = Clue.objects.select_related("category").filter(tracking_code=code).first() if code else None
    if clue is None:
        return None
    followed = clue
    while followed.merged_into_id is not None:
        followed = Clue.objects.select_related("category").get(pk=followed.merged_into_id)
    steps = [
        PublicStep(step.kind, str(StepKind(step.kind).label), step.at)
        for step in followed.steps.filter(kind__in=PUBLIC_STEPS).order_by("at", "id")
    ]
    return PublicStatus(
        tracking_code=clue.tracking_code,
        status=followed.status,
        status_label=str(followed.get_status_display()),
        category=followed.category.name,
        reported_at=clue.reported_at,
        steps=steps,
        merged=followed.pk != clue.pk,
        can_evaluate=clue.reported_by_id is None and clue.status == ClueStatus.CLOSED and clue.rating is None,
        rating=clue.rating,
    )
