"""The grid revision: how every process tells that the grid changed, so that its point index is rebuilt.

Point location (zhifa/intake/routing.py) keeps one STRtree per process. It must see grid changes made
by any process (gunicorn workers), cheaply, without asking the database on every clue. The choice:

- The stamp is ``(GridRevision.value, MAX(GridCell.id))``, read in ONE query of two primary-key lookups
  (measured at 137,000 cells: ~20 us on SQLite, ~0.2-0.3 ms on PostgreSQL over local TCP, 0.05 ms of it
  execution). An aggregate over all cells (COUNT, MAX(id), SUM(version)) takes ~18 ms on SQLite and
  ~27 ms on PostgreSQL at that size: too slow to run per clue.
- ``GridRevision.value`` (one row) is bumped in the writer's own transaction, so other processes see
  the new value exactly when they can see the new rows. It is bumped by signals on every save/delete of
  a GridCell or Region (the grid services, the admin, test fixtures all save through the ORM; saves of
  the leader only, ``save(update_fields=["leader"])``, are skipped) and explicitly by bulk writers
  (the grid import). The row lock serialises concurrent grid edits, which are rare.
- ``MAX(GridCell.id)`` catches cells inserted with bulk_create by the generators, which send no signals.
- A local epoch (a process counter) is bumped by the same signals, after a commit that changed the
  grid, and by post_migrate (the flush of transactional tests): the process that made a change sees
  it on its next call without waiting for the routing TTL.
- A thread whose open transaction changed the grid must not publish an index built from rows that may
  be rolled back: `pending_transaction()` tells routing to build a private index for that thread.

Not covered: raw SQL and ``QuerySet.update()``/``bulk_update()`` on the grid tables; call `bump()` after
such writes.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_migrate, post_save

# A save that changes only these fields moves no polygon and no link between cells and regions.
UNROUTED_FIELDS = frozenset({"leader", "version"})

_epoch = 0
_epoch_lock = threading.Lock()
_local = threading.local()


def local_epoch() -> int:
    """This process's change counter (bumped at once, before or without any database round trip)."""
    return _epoch


def bump_local() -> None:
    """Mark every index of this process stale (the next call compares the database stamp)."""
    global _epoch
    with _epoch_lock:
        _epoch += 1


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Record a grid change in the caller's transaction (database row) and in this process."""
    from zhifa.org.models import GridRevision

    rows = GridRevision.objects.using(using).filter(pk=GridRevision.SINGLETON_PK)
    if not rows.update(value=F("value") + 1):
        # The migration creates the row; a test flush may have removed it.
        try:
            with transaction.atomic(using=using):
                GridRevision.objects.using(using).create(pk=GridRevision.SINGLETON_PK, value=1)
        except IntegrityError:  # created meanwhile by another transaction
            rows.update(value=F("value") + 1)
    _mark_pending(using)
    bump_local()


def current(using: str = DEFAULT_DB_ALIAS) -> tuple[int, int]:
    """The database stamp ``(revision value, highest cell id)``, in one query."""
    from zhifa.org.models import GridCell, GridRevision

    connection = connections[using]
    quote = connection.ops.quote_name
    # Two primary-key lookups in one statement (no FROM: SQLite and PostgreSQL both accept it).
    revisions, cells, value, pk = (
        quote(GridRevision._meta.db_table),
        quote(GridCell._meta.db_table),
        quote("value"),
        quote("id"),
    )
    sql = f"SELECT (SELECT {value} FROM {revisions} WHERE {pk} = %s), (SELECT MAX({pk}) FROM {cells})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [GridRevision.SINGLETON_PK])
        revision, max_id = cursor.fetchone()
    return int(revision or 0), int(max_id or 0)


def _mark_pending(using: str) -> None:
    connection = connections[using]
    if not (connection.in_atomic_block and connection.atomic_blocks):
        return  # autocommit: already committed
    pending = _pending()
    pending[using] = connection.atomic_blocks[0]

    def committed() -> None:
        _pending().pop(using, None)
        bump_local()  # the other threads of this process may now build from the committed rows

    transaction.on_commit(committed, using=using)


def _pending() -> dict[str, Any]:
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {}
    return pending


def pending_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True while this thread's open transaction holds grid changes that are not committed yet."""
    pending = _pending()
    marker = pending.get(using)
    if marker is None:
        return False
    blocks = connections[using].atomic_blocks
    if blocks and blocks[0] is marker:
        return True
    del pending[using]  # that transaction ended (rolled back: on_commit never ran)
    return False


def _cell_saved(sender: Any, update_fields: Any = None, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= UNROUTED_FIELDS:
        return
    bump(using)


def _changed(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    bump(using)


def _migrated(sender: Any, **kwargs: Any) -> None:
    bump_local()


def connect() -> None:
    """Connect the signals (OrgConfig.ready)."""
    from zhifa.org.models import GridCell, Region

    post_save.connect(_cell_saved, sender=GridCell, dispatch_uid="org.grid_revision.cell_saved")
    post_delete.connect(_changed, sender=GridCell, dispatch_uid="org.grid_revision.cell_deleted")
    post_save.connect(_changed, sender=Region, dispatch_uid="org.grid_revision.region_saved")
    post_delete.connect(_changed, sender=Region, dispatch_uid="org.grid_revision.region_deleted")
    post_migrate.connect(_migrated, dispatch_uid="org.grid_revision.migrated")
