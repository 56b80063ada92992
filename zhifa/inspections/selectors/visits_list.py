"""Visits a user may read: the list (mine / my agency / all in scope, tabs and filters) and one visit.

Reading goes through data scoping (org.scoping.visible; Visit.scope_rule: the subject's township,
the organising agency, and every agency that sends an inspector to a joint visit). Another county's
visit by id is a 404. The list prefetches what its rows show, so its query count does not grow with
the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from zhifa.core.calendar import WORKING, Deadline, deadline
from zhifa.inspections.models import Finding, InspectionItem, Visit, VisitInspector, VisitResult, VisitState
from zhifa.inspections.policies import own_agencies
from zhifa.inspections.services.visits import PUBLISH_WORKING_DAYS
from zhifa.org.scoping import get_visible_or_404, person_of, visible

TABS = ("today", "upcoming", "done", "all")
WHO = ("mine", "agency", "all")
PAGE_SIZE = 20
# GO118 (六): results of random inspections are made public within 20 working days.
PUBLISH_BASIS = "国办发〔2018〕118号（六）"


@dataclass(frozen=True)
class VisitFilters:
    """The list's filters, already checked: unknown values fall back to the default."""

    tab: str = "today"
    who: str = "mine"
    state: str = ""
    result: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def parse_filters(params: Any) -> VisitFilters:
    """VisitFilters from a GET QueryDict (bad values are dropped, never an error page)."""
    tab = params.get("tab", "today")
    who = params.get("who", "mine")
    state = params.get("state", "")
    result = params.get("result", "")
    return VisitFilters(
        tab=tab if tab in TABS else "today",
        who=who if who in WHO else "mine",
        state=state if state in VisitState.values else "",
        result=result if result in VisitResult.values else "",
        date_from=_date(params.get("date_from")),
        date_to=_date(params.get("date_to")),
    )


def _base(user: Any) -> QuerySet[Visit]:
    return visible(Visit.objects.all(), user)


def visits_for(user: Any, filters: VisitFilters) -> QuerySet[Visit]:
    """The visits `user` may read, narrowed by `filters` (not paginated, no row data loaded)."""
    qs = _base(user)
    today = timezone.localdate()
    if filters.who == "mine":
        person = person_of(user)
        qs = qs.filter(inspectors__person_id=person.pk if person else -1)
    elif filters.who == "agency":
        agencies = sorted(own_agencies(user))
        qs = qs.filter(Q(agency_id__in=agencies) | Q(inspectors__agency_id__in=agencies))
    if filters.tab == "today":
        qs = qs.filter(planned_on__lte=today, state__in=[VisitState.PLANNED, VisitState.IN_PROGRESS])
    elif filters.tab == "upcoming":
        qs = qs.filter(planned_on__gt=today, state=VisitState.PLANNED)
    elif filters.tab == "done":
        qs = qs.filter(state=VisitState.DONE)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.result:
        qs = qs.filter(result=filters.result)
    if filters.date_from:
        qs = qs.filter(planned_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(planned_on__lte=filters.date_to)
    # Joins through inspectors can repeat a visit: keep ids only, then order the visits themselves.
    return Visit.objects.filter(pk__in=qs.values("pk"))


def publish_deadline(visit: Visit) -> Deadline | None:
    """When a finished visit's result must be public (GO118 (六), 20 working days), else None."""
    if visit.finished_at is None:
        return None
    return deadline(timezone.localdate(visit.finished_at), PUBLISH_WORKING_DAYS, WORKING, PUBLISH_BASIS)


def visit_page(user: Any, filters: VisitFilters, page: Any = 1) -> Page:
    """One page of the list with subject, agency and team loaded in a fixed number of queries."""
    order = ["planned_on", "id"] if filters.tab in ("today", "upcoming") else ["-planned_on", "-id"]
    qs = (
        visits_for(user, filters)
        .select_related("subject__township", "agency")
        .prefetch_related(
            Prefetch("inspectors", queryset=VisitInspector.objects.select_related("person").order_by("id")),
            Prefetch("items", queryset=InspectionItem.objects.order_by("code")),
        )
        .order_by(*order)
    )
    result = Paginator(qs, PAGE_SIZE).get_page(page)
    for visit in result.object_list:
        visit.publish_deadline = publish_deadline(visit)
    return result


def visit_detail(user: Any, pk: int) -> Visit:
    """One visit the user may read, with what the phone page shows; 404 outside the user's scope."""
    return get_visible_or_404(
        Visit.objects.select_related(
            "subject__township", "subject__industry", "agency", "scenario"
        ).prefetch_related(
            Prefetch(
                "inspectors",
                queryset=VisitInspector.objects.select_related("person", "agency").order_by("id"),
            ),
            Prefetch("items", queryset=InspectionItem.objects.select_related("department", "power_item")),
            "checks",
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related(
                    "item__department__agency", "clue", "case"
                ).prefetch_related("photos"),
            ),
        ),
        user,
        pk=pk,
    )


def public_visit(code: str) -> Visit | None:
    """The visit behind a public code (no login): the page shows team, items, basis and result only."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        Visit.objects.select_related("subject", "agency")
        .prefetch_related(
            Prefetch(
                "inspectors",
                queryset=VisitInspector.objects.select_related("person", "agency").order_by("id"),
            ),
            Prefetch("items", queryset=InspectionItem.objects.select_related("department", "power_item")),
        )
        .exclude(state=VisitState.CANCELLED)
        .filter(code=code)
        .first()
    )


@dataclass
class PointRow:
    """One checklist point of one item on a visit with its current answer (None: not yet checked)."""

    item_id: int
    index: int
    point: str
    basis: str
    outcome: str | None
    note: str


def checklist_rows(visit: Visit) -> list[tuple[Any, list[PointRow]]]:
    """Each item of the visit with its checklist points and answers (uses the prefetched checks)."""
    answers = {(c.item_id, c.point): c for c in visit.checks.all()}
    rows = []
    for item in sorted(visit.items.all(), key=lambda i: (i.department.name, i.code)):
        points = []
        for index, entry in enumerate(item.checklist or []):
            entry = entry if isinstance(entry, dict) else {"point": str(entry)}
            answer = answers.get((item.pk, index))
            points.append(
                PointRow(
                    item_id=item.pk,
                    index=index,
                    point=str(entry.get("point", "")),
                    basis=str(entry.get("basis", "")),
                    outcome=answer.outcome if answer else None,
                    note=answer.note if answer else "",
                )
            )
        rows.append((item, points))
    return rows
