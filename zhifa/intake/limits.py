"""Time limits of the closed loop's steps (环节时限), configurable per category and priority.

No statute fixes how fast a command centre dispatches or a team signs for a clue; seeds 002/003 speak of
minutes, not days, and local rules differ (LAW.md, "What Zhifa keeps configurable"). The most specific
StepLimit wins: (category, priority), then (category, any priority), then (any category, priority),
then (any, any); DEFAULT_MINUTES applies when nothing is configured. Limits run on the clock, not on
working days: command centres are staffed around the clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from zhifa.intake.models import StepKind

# Defaults for a normal-priority clue (minutes); urgent halves them, critical quarters them.
DEFAULT_MINUTES: dict[str, int] = {
    StepKind.DISPATCH: 30,
    StepKind.JOINT_DECIDE: 3 * 24 * 60,
    StepKind.ACCEPT: 30,
    StepKind.HANDLE: 24 * 60,
    StepKind.FEEDBACK: 2 * 60,
    StepKind.VERIFY: 24 * 60,
    StepKind.CLOSE: 2 * 60,
}
PRIORITY_FACTOR = {"normal": 1.0, "urgent": 0.5, "critical": 0.25}


def limit_minutes(
    limits: Iterable[tuple[int | None, str, str, int]], category_id: int | None, priority: str, step: str
) -> int | None:
    """Minutes allowed for `step` given rows (category_id, priority, step, minutes); None if no limit.

    >>> limit_minutes([(None, "", "dispatch", 20), (7, "urgent", "dispatch", 5)], 7, "urgent", "dispatch")
    5
    """
    best: tuple[int, int] | None = None
    for row_category, row_priority, row_step, minutes in limits:
        if row_step != step:
            continue
        if row_category not in (None, category_id) or row_priority not in ("", priority):
            continue
        rank = (2 if row_category is not None else 0) + (1 if row_priority else 0)
        if best is None or rank > best[0]:
            best = (rank, minutes)
    if best is not None:
        return best[1]
    default = DEFAULT_MINUTES.get(step)
    if default is None:
        return None
    return max(1, round(default * PRIORITY_FACTOR.get(priority, 1.0)))


def due_at(start: datetime.datetime, minutes: int | None) -> datetime.datetime | None:
    """When a step started at `start` with `minutes` allowed is due (None without a limit)."""
    return None if minutes is None else start + datetime.timedelta(minutes=minutes)
