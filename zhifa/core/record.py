"""Writing to the record (全过程记录, APL Art. 47): one event per state change, hash-chained.

`record_event` must be called inside the service's transaction, so the change and its event commit
or roll back together. Appends are serialised by locking the single `ChainHead` row.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from zhifa.core.models import ChainHead, Event

GENESIS = "0" * 64
ALGORITHMS = ("sha256", "sm3")
# Field separator of the hashed message; refused inside the fields so that no two different events can
# produce the same bytes by moving text from one field into the next.
SEPARATOR = "\x1f"
_LIMITS = {name: Event._meta.get_field(name).max_length for name in ("action", "object_type", "object_id")}
# Creating a missing head row can lose a race to a concurrent creator; the next round then finds it.
_ATTEMPTS = 3


def algorithm_name(name: str | None = None) -> str:
    """The chain's hash algorithm: `name`, else the ZHIFA_RECORD_HASH setting (sha256 or sm3)."""
    chosen = (name or settings.ZHIFA_RECORD_HASH).lower()
    if chosen not in ALGORITHMS:
        raise ValueError(f"ZHIFA_RECORD_HASH must be sha256 or sm3, not {chosen!r}")
    return chosen


def hash_function(name: str | None = None) -> Callable[[bytes], Any]:
    """SHA-256 by default; SM3 (GB/T 32905, 国密) when ZHIFA_RECORD_HASH=sm3 (or `name`)."""
    if algorithm_name(name) == "sm3":
        return functools.partial(hashlib.new, "sm3")
    return hashlib.sha256


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def format_time(moment: datetime.datetime) -> str:
    """UTC ISO time with microseconds (2026-01-05T08:30:00.000000Z), whichever database returned it.

    `zhifa.core.verify` produces the same text in SQL; change both together.
    """
    # isoformat ends in "+00:00" after the conversion to UTC; it is faster than strftime and pads the year.
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def event_message(
    seq: int,
    occurred_at: datetime.datetime | str,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    data: str,
    prev_hash: str,
) -> bytes:
    """The exact bytes that are hashed for an event."""
    when = occurred_at if isinstance(occurred_at, str) else format_time(occurred_at)
    actor = "" if actor_id is None else str(actor_id)
    parts = [str(seq), when, actor, action, object_type, object_id, data, prev_hash]
    return SEPARATOR.join(parts).encode("utf-8")


@dataclass(frozen=True)
class ObjectRef:
    """What an event is about, when it is not a model instance (e.g. an import batch)."""

    object_type: str
    object_id: str
    label: str = ""


def _describe(obj: models.Model | ObjectRef) -> tuple[str, str, str]:
    if isinstance(obj, ObjectRef):
        return str(obj.object_type), str(obj.object_id), obj.label
    if obj.pk is None:
        # A deleted instance has lost its pk: record the deletion before `delete()`, or pass an ObjectRef.
        raise ValueError("record_event needs an object with a primary key: record a deletion before delete()")
    return obj._meta.label_lower, str(obj.pk), str(obj)


def _check_fields(**fields: str) -> None:
    """Refuse what SQLite would store but PostgreSQL would reject, and the message separator."""
    for name, value in fields.items():
        limit = _LIMITS[name]
        if len(value) > limit or SEPARATOR in value or (not value and name != "object_id"):
            raise ValueError(f"record_event: {name} must be 1-{limit} characters without \\x1f: {value!r}")


def _advance_head() -> tuple[int, str]:
    """Lock the chain head and take the next sequence number: returns (seq, hash of the previous event).

    The UPDATE takes the head row's write lock before anything is read: on PostgreSQL a concurrent
    appender blocks here until this transaction ends and then sees the committed head; on SQLite the
    write takes the database write lock up front instead of failing when a read lock is upgraded.
    """
    for _attempt in range(_ATTEMPTS):
        if ChainHead.objects.filter(pk=1).update(seq=F("seq") + 1):
            seq, prev_hash = ChainHead.objects.select_for_update().values_list("seq", "hash").get(pk=1)
            return seq, prev_hash or GENESIS
        try:
            # The row is made by migration core.0002; a flushed test database lacks it. A savepoint,
            # so that losing the creation race does not break the caller's transaction.
            with transaction.atomic():
                ChainHead.objects.create(pk=1, seq=0, hash="")
        except IntegrityError:
            continue
    raise RuntimeError("record_event could not lock the chain head")


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | ObjectRef,
    before: dict | None = None,
    after: dict | None = None,
) -> Event:
    """Append one event for a state change. Call inside the service's `transaction.atomic()`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    object_type, object_id, label = _describe(obj)
    _check_fields(action=action, object_type=object_type, object_id=object_id)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    actor_id = getattr(actor, "pk", None) if authenticated else None
    actor_name = ""
    if actor_id is not None:
        person = getattr(actor, "person", None)  # RelatedObjectDoesNotExist is an AttributeError
        actor_name = getattr(person, "name", "") or actor.get_username()
    data = canonical_json({"actor_name": actor_name, "object_repr": label, "before": before, "after": after})
    seq, prev_hash = _advance_head()
    occurred_at = timezone.now()
    digest = hash_function()(
        event_message(seq, occurred_at, actor_id, action, object_type, object_id, data, prev_hash)
    ).hexdigest()
    event = Event.objects.create(
        seq=seq,
        occurred_at=occurred_at,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data,
        prev_hash=prev_hash,
        hash=digest,
    )
    ChainHead.objects.filter(pk=1).update(hash=digest)
    return event


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A JSON-ready dict of the named fields (foreign keys as ids, many-to-many as sorted id lists)."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            result[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            result[name] = getattr(obj, field.attname)
        else:
            value = getattr(obj, name)
            result[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return result


def record_change(
    *, actor: Any, action: str, obj: models.Model, fields: Iterable[str], before: dict | None = None
) -> Event:
    """`record_event` whose `after` is the snapshot of `fields` of `obj` as it is now (after the change)."""
    return record_event(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj, fields))
