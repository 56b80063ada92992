"""Reads about visits."""

from __future__ import annotations

import datetime

from zhifa.inspections.models import Visit, VisitState

REPEAT_WINDOW_DAYS = 30  # issue 7: repeat-inspection alert window


def repeat_visit_warnings(visit: Visit) -> list[Visit]:
    """Issue 7: other non-cancelled visits to the same subject within 30 days either side of
    `visit.planned_on`, organised by a different agency (repeated inspection outside a joint visit)."""
    window = datetime.timedelta(days=REPEAT_WINDOW_DAYS)
    return list(
        Visit.objects.filter(
            subject_id=visit.subject_id,
            planned_on__gte=visit.planned_on - window,
            planned_on__lte=visit.planned_on + window,
        )
        .exclude(pk=visit.pk)
        .exclude(state=VisitState.CANCELLED)
        .exclude(agency_id=visit.agency_id)
        .select_related("agency", "subject")
        .order_by("planned_on", "pk")
    )
