"""Reading the record (全过程记录, APL Art. 47; GO118 (十) real-time retrieval by supervisors).

The record is not scoped by region: only the justice bureau, administrators and superusers read it,
and they read all of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from zhifa.core.models import Event

PAGE_SIZE = 50
VIEWER_ROLES = ("admin", "justice_bureau")
ACTIVE = "active"  # org.PersonStatus.ACTIVE
SHORT_HASH = 12


def can_view_record(user: Any) -> bool:
    """Superusers and active people with the "admin" or "justice_bureau" role read the record.

    The same rule as org.policies (Action.VIEW_RECORD), restated here because core imports no domain app:
    someone transferred or retired keeps their roles on file but acts for nobody.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    person = getattr(user, "person", None)  # RelatedObjectDoesNotExist is an AttributeError
    if person is None or getattr(person, "status", None) != ACTIVE:
        return False
    return person.roles.filter(code__in=VIEWER_ROLES).exists()


@dataclass(frozen=True)
class EventRow:
    """One line of the record page."""

    seq: int
    occurred_at: Any
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    hash: str

    @property
    def short_hash(self) -> str:
        return self.hash[:SHORT_HASH]


def _row(event: Event) -> EventRow:
    try:
        data = json.loads(event.data)
    except ValueError:  # a tampered row still shows; verify_record reports it
        data = {}
    if not isinstance(data, dict):
        data = {}
    return EventRow(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_name=str(data.get("actor_name") or ""),
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=str(data.get("object_repr") or ""),
        hash=event.hash,
    )


def events_filtered(*, object_type: str = "", object_id: str = "", seq: int | None = None) -> QuerySet[Event]:
    """Events newest first, filtered by exact object type, object id and sequence number when given."""
    events = Event.objects.order_by("-seq")
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if seq is not None:
        events = events.filter(seq=seq)
    return events


def event_page(*, object_type: str = "", object_id: str = "", seq: int | None = None, page: Any = 1) -> Page:
    """One page (PAGE_SIZE events) of the record as `EventRow`s: two queries whatever the page holds."""
    events = events_filtered(object_type=object_type, object_id=object_id, seq=seq).only(
        "seq", "occurred_at", "action", "object_type", "object_id", "data", "hash"
    )
    result = Paginator(events, PAGE_SIZE).get_page(page)
    result.object_list = [_row(event) for event in result.object_list]
    return result


def object_type_options() -> list[str]:
    """Object types to suggest in the filter: the models' labels (no query: the record may be huge)."""
    return sorted(model._meta.label_lower for model in apps.get_models())
