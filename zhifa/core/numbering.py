"""Gap-free, unique sequence numbers for document numbers (文号).

A number is taken from a `NumberSeries` row inside the caller's transaction, so it is consumed only if
that transaction commits: a rolled-back document leaves no gap, and the next caller gets the same
number. Two concurrent transactions never get the same number, because the increment holds the row's
write lock until the caller's transaction ends (later callers of the same series wait for it).

The series key is opaque here (core imports no domain app); org builds it from agency, document type
and year.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from zhifa.core.models import NumberSeries

KEY_MAX_LENGTH = NumberSeries._meta.get_field("key").max_length
# Creating a missing row can lose a race to a concurrent creator; after that the row exists, so a
# second round always finds it. A third guards against a creator that rolled back in between.
_ATTEMPTS = 3


def allocate(series_key: str) -> int:
    """Take the next number (1, 2, 3, ...) of the series `series_key`.

    Must run inside the caller's `transaction.atomic()`: the number belongs to that transaction and is
    released if it rolls back. Raises RuntimeError when called in autocommit mode, ValueError for an
    empty or over-long key.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate must run inside the caller's transaction")
    if not series_key or len(series_key) > KEY_MAX_LENGTH:
        raise ValueError(f"series key must be 1-{KEY_MAX_LENGTH} characters, got {series_key!r}")
    for _attempt in range(_ATTEMPTS):
        # The UPDATE takes the row's write lock before anything is read (the SELECT ... FOR UPDATE
        # effect, in one statement): on PostgreSQL a concurrent caller blocks here until this
        # transaction ends and then increments the committed value; on SQLite the write takes the
        # database write lock up front (waiting for the busy timeout) instead of failing when a read
        # lock is upgraded.
        if NumberSeries.objects.filter(key=series_key).update(last=F("last") + 1):
            # We hold the lock, so the row cannot change under us; FOR UPDATE makes that explicit.
            return NumberSeries.objects.select_for_update().values_list("last", flat=True).get(key=series_key)
        try:
            # A savepoint, so that losing the creation race does not break the caller's transaction.
            with transaction.atomic():
                NumberSeries.objects.create(key=series_key, last=1)
        except IntegrityError:
            continue  # a concurrent transaction created the row first: increment theirs
        return 1
    raise RuntimeError(f"could not allocate a number in series {series_key!r}")
