"""Checks shared by the structure service tests (test_structure.py, test_units.py)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import Agency, CommandCenter, Department, Region, Team, Zone


def one_event(action: str) -> Event:
    """The single event written by the service call under test."""
    events = list(Event.objects.order_by("seq"))
    assert len(events) == 1, [e.action for e in events]
    assert events[0].action == action
    return events[0]


@contextmanager
def refused(field: str | None, *fragments: str, code: ErrorCode | None = None):
    """The block raises a ServiceError on `field` whose message contains the fragments; nothing is written."""
    counts = {
        model: model.objects.count() for model in (Region, Department, Agency, Team, Zone, CommandCenter)
    }
    events = Event.objects.count()
    with pytest.raises(ServiceError) as exc:
        yield exc
    assert exc.value.field == field
    for fragment in fragments:
        assert fragment in exc.value.message
    if code is not None:
        assert exc.value.code == code
    assert Event.objects.count() == events
    assert {model: model.objects.count() for model in counts} == counts
