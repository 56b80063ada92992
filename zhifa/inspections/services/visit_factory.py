"""Creating visit rows for draws and plans. Callers (draw_run, plan_confirm) hold the transaction and
write the one record event of their operation; this module writes rows only."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from zhifa.inspections.codes import visit_code
from zhifa.inspections.models import InspectionItem, Visit, VisitInspector
from zhifa.org.models import Agency, Person


@dataclass(frozen=True)
class TeamMember:
    person: Person
    agency: Agency
    certificate_number: str = ""


def create_visit(
    *,
    actor: Any,
    subject_id: int,
    agency: Agency,
    items: Iterable[InspectionItem | int],
    planned_on: datetime.date,
    team: Iterable[TeamMember],
    plan_id: int | None = None,
    draw_id: int | None = None,
    scenario_id: int | None = None,
) -> Visit:
    """One planned visit with its items and inspectors (must run inside the caller's transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("create_visit must run inside the caller's transaction")
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a clash of random codes retries with another one
                visit = Visit.objects.create(
                    code=visit_code(),
                    subject_id=subject_id,
                    agency=agency,
                    plan_id=plan_id,
                    draw_id=draw_id,
                    scenario_id=scenario_id,
                    planned_on=planned_on,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("could not allocate a unique visit code")
    visit.items.set(list(items))
    VisitInspector.objects.bulk_create(
        [
            VisitInspector(
                visit=visit, person=m.person, agency=m.agency, certificate_number=m.certificate_number
            )
            for m in team
        ]
    )
    return visit
