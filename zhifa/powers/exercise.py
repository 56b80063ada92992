"""How often a township exercised a granted item in a period: a registry of counting sources.

The capacity assessment (承接能力评估, APL Art. 24: periodic evaluation of whether townships can carry
the powers handed to them) weighs what a township actually did with each item. What it did lives in
apps further down the flow, which powers must not import (DESIGN.md: imports point down the flow).
So those apps register a counting function here, and the assessment sums whatever is registered:

- ``cases`` (处罚案件): the cases app (issue 4) registers the penalty cases filed by the township
  under the item, by filing date;
- ``clues`` (线索): the intake app (issue 5) registers the clues routed to the township for the item,
  by report date.

Register from the app's ``AppConfig.ready()``::

    register_exercise_source(CASES, _("案件"), count_cases)

A source is ``fn(township_ids, item_ids, start, end) -> {(township_id, item_id): count}`` over the
closed date range [start, end]; it must answer in a fixed number of queries (one GROUP BY), whatever
the number of townships and items. With nothing registered every count is zero: the report still
works and lists every item as never exercised.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

CASES = "cases"
CLUES = "clues"

Key = tuple[int, int]  # (township_id, item_id)
ExerciseFn = Callable[[Collection[int], Collection[int], datetime.date, datetime.date], Mapping[Key, int]]


@dataclass(frozen=True)
class ExerciseSource:
    key: str
    label: str | Promise
    fn: ExerciseFn


_SOURCES: dict[str, ExerciseSource] = {}


def register_exercise_source(key: str, label: str | Promise, fn: ExerciseFn) -> None:
    """Register (or replace, so that ``ready()`` may run twice) the counting source `key`."""
    if not key or not callable(fn):
        raise ValueError("register_exercise_source needs a key and a callable")
    _SOURCES[key] = ExerciseSource(key, label, fn)


def unregister_exercise_source(key: str) -> None:
    """Remove a source (tests register their own and clean up)."""
    _SOURCES.pop(key, None)


def exercise_sources() -> list[ExerciseSource]:
    """The registered sources, the well-known ones (cases, clues) first, then by key."""
    order = {CASES: 0, CLUES: 1}
    return sorted(_SOURCES.values(), key=lambda s: (order.get(s.key, 2), s.key))


@dataclass
class ExerciseCounts:
    """Counts per source and (township, item); `total` sums the sources."""

    by_source: dict[str, dict[Key, int]] = field(default_factory=dict)

    def count(self, source: str, township_id: int, item_id: int) -> int:
        return self.by_source.get(source, {}).get((township_id, item_id), 0)

    def per_source(self, township_id: int, item_id: int) -> dict[str, int]:
        return {key: counts.get((township_id, item_id), 0) for key, counts in self.by_source.items()}

    def total(self, township_id: int, item_id: int) -> int:
        return sum(counts.get((township_id, item_id), 0) for counts in self.by_source.values())


def exercise_counts(
    township_ids: Collection[int],
    item_ids: Collection[int],
    start: datetime.date,
    end: datetime.date,
) -> ExerciseCounts:
    """Ask every registered source for its counts over [start, end]; unknown pairs are dropped."""
    townships, items = set(township_ids), set(item_ids)
    result = ExerciseCounts()
    if not townships or not items:
        return result
    for source in exercise_sources():
        counts = source.fn(townships, items, start, end) or {}
        result.by_source[source.key] = {
            (t, i): int(n) for (t, i), n in counts.items() if t in townships and i in items and n
        }
    return result
