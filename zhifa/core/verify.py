"""Verifying the record's hash chain (全过程记录, APL Art. 47; GO118 (九) tamper-proof storage).

`verify_chain` walks every event in sequence order and reports the first broken link:

- a hash that does not match the event's content: the event was edited;
- a gap in the sequence numbers: events were deleted;
- a previous-hash that does not match the event before: events were deleted or reordered;
- a chain head that does not match the last event: events were deleted at the end (or appended
  around `record_event`).

Rows are read in batches by keyset pagination (bounded memory for millions of events), and the loop
rebuilds each event's message exactly as `zhifa.core.record.event_message` does, inlined for speed;
the tests check that both agree on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zhifa.core.models import ChainHead, Event
from zhifa.core.record import GENESIS, SEPARATOR, algorithm_name, format_time, hash_function

DEFAULT_BATCH = 5000


class BreakKind(StrEnum):
    EDITED = "edited"  # the event's own hash does not match its content
    MISSING = "missing"  # a gap in the sequence numbers
    LINK = "link"  # prev_hash does not match the hash of the event before
    HEAD = "head"  # the chain head does not match the last event


@dataclass(frozen=True)
class Problem:
    """The first broken link: the sequence number where the chain breaks, what is wrong, in words."""

    seq: int
    kind: BreakKind
    message: str


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of one verification run."""

    algorithm: str
    # Events found intact before the first problem (all of them when ok); they are numbered 1..checked.
    checked: int
    head_seq: int  # what the chain head says
    seconds: float
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str:
        if self.problem is not None:
            return self.problem.message
        return _("记录链完整：共 %(count)d 条事件，算法 %(algorithm)s，用时 %(seconds).2f 秒。") % {
            "count": self.checked,
            "algorithm": self.algorithm.upper(),
            "seconds": self.seconds,
        }


def verify_chain(*, algorithm: str | None = None, batch: int = DEFAULT_BATCH) -> VerifyResult:
    """Check the whole chain against `algorithm` (default: the ZHIFA_RECORD_HASH setting).

    Runs in one read transaction so that the head and the events are a consistent snapshot even while
    services keep appending (on PostgreSQL REPEATABLE READ when this opens the transaction; SQLite
    transactions are snapshots anyway).
    """
    name = algorithm_name(algorithm)
    if batch < 1:
        raise ValueError("batch must be at least 1")
    started = time.perf_counter()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Must be the transaction's first statement, so only when this call opened it.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        head_seq, head_hash = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, "")
        batches = _batches(batch)
        try:
            last_seq, last_hash, problem = _walk(batches, hash_function(name))
        finally:
            batches.close()  # closes the cursor when the walk stopped early
    if problem is None:
        problem = _check_head(head_seq, head_hash or GENESIS, last_seq, last_hash)
    return VerifyResult(
        algorithm=name,
        checked=last_seq,
        head_seq=head_seq,
        seconds=time.perf_counter() - started,
        problem=problem,
    )


def _time_sql(column: str) -> str:
    """SQL giving the time as text: on PostgreSQL exactly `record.format_time`, on SQLite the stored text."""
    if connection.vendor == "postgresql":
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
    if connection.vendor == "sqlite":
        return f"CAST({column} AS TEXT)"  # string functions in SQLite cost more than slicing in Python
    raise NotImplementedError(f"verify_chain supports SQLite and PostgreSQL, not {connection.vendor}")


def _sqlite_time(stored: str) -> str:
    """`record.format_time` of a time as SQLite stores it (UTC, as Django's str(naive datetime)).

    Django writes "YYYY-MM-DD HH:MM:SS.ffffff", without ".ffffff" when the microseconds are zero; any
    other form is read the way Django would read it, and text it cannot read is hashed as it is.
    """
    if stored[10:11] == " ":
        if len(stored) == 26:
            return f"{stored[:10]}T{stored[11:]}Z"
        if len(stored) == 19:
            return f"{stored[:10]}T{stored[11:]}.000000Z"
    try:
        moment = parse_datetime(stored)
    except ValueError:
        return stored
    if moment is None:
        return stored
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return format_time(moment)


def _batches(batch: int) -> Iterator[list[tuple]]:
    """Lists of events in seq order: (seq, time text, actor text, action, type, id, data, prev_hash, hash).

    Keyset pagination by seq: every round trip is a range scan of the unique seq index and memory
    stays at one batch. The database turns the actor (and on PostgreSQL the time) into text.
    """
    meta = Event._meta
    quote = connection.ops.quote_name

    def col(field: str) -> str:
        return quote(meta.get_field(field).column)

    seq = col("seq")
    columns = ", ".join(
        [seq, _time_sql(col("occurred_at")), f"COALESCE(CAST({col('actor')} AS TEXT), '')"]
        + [col(f) for f in ("action", "object_type", "object_id", "data", "prev_hash", "hash")]
    )
    select = f"SELECT {columns} FROM {quote(meta.db_table)}"
    first = f"{select} ORDER BY {seq} LIMIT %s"
    following = f"{select} WHERE {seq} > %s ORDER BY {seq} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(first, [batch])
        while True:
            chunk = cursor.fetchall()
            yield chunk
            if len(chunk) < batch:
                return
            cursor.execute(following, [chunk[-1][0], batch])


def _walk(
    batches: Iterable[list[tuple]], new_hash: Callable[[bytes], Any]
) -> tuple[int, str, Problem | None]:
    """The hot loop: every name it uses is a local, the hash constructor is bound once.

    Returns the last good sequence number (= the number of good events, as they run 1, 2, 3...),
    its hash and the first problem.
    """
    join = SEPARATOR.join
    to_text = _sqlite_time
    expected = 1
    previous = GENESIS
    for rows in batches:
        for seq, when, actor, action, object_type, object_id, data, prev_hash, digest in rows:
            if seq != expected:
                return expected - 1, previous, _bad_seq(expected, seq)
            if prev_hash != previous:
                return expected - 1, previous, _broken_link(seq)
            if when[-1:] != "Z":  # SQLite: stored text to canonical text (PostgreSQL's is canonical already)
                when = f"{when[:10]}T{when[11:]}Z" if len(when) == 26 and when[10] == " " else to_text(when)
            message = join((str(seq), when, actor, action, object_type, object_id, data, prev_hash))
            if new_hash(message.encode()).hexdigest() != digest:
                return expected - 1, previous, _edited(seq)
            previous = digest
            expected = seq + 1
    return expected - 1, previous, None


def _bad_seq(expected: int, found: int) -> Problem:
    if found < expected:  # only a tampered seq (zero or negative) sorts before the expected one
        text = _("序号为 %(found)d 的事件出现在第 %(seq)d 条的位置：序号被改动或事件被插入。")
        return Problem(expected, BreakKind.LINK, text % {"seq": expected, "found": found})
    return _missing(expected, found)


def _missing(expected: int, found: int) -> Problem:
    if expected == found - 1:
        text = _("第 %(seq)d 条事件缺失（下一条是第 %(found)d 条）：事件被删除。")
    else:
        text = _("第 %(seq)d 至 %(last)d 条事件缺失（下一条是第 %(found)d 条）：事件被删除。")
    return Problem(expected, BreakKind.MISSING, text % {"seq": expected, "last": found - 1, "found": found})


def _broken_link(seq: int) -> Problem:
    text = _("第 %(seq)d 条事件的前一哈希与第 %(prev)d 条的哈希不符：事件被删除或顺序被调换。")
    return Problem(seq, BreakKind.LINK, text % {"seq": seq, "prev": seq - 1})


def _edited(seq: int) -> Problem:
    text = _("第 %(seq)d 条事件的哈希与其内容不符：事件被修改。")
    return Problem(seq, BreakKind.EDITED, text % {"seq": seq})


def _check_head(head_seq: int, head_hash: str, last_seq: int, last_hash: str) -> Problem | None:
    """The head must name the last event: otherwise events were cut off the end (or added around it)."""
    if head_seq > last_seq:
        text = _(
            "链头记到第 %(head)d 条，最后一条事件却是第 %(last)d 条：第 %(first)d 条起的末尾事件被删除。"
        )
        return Problem(
            last_seq + 1, BreakKind.HEAD, text % {"head": head_seq, "last": last_seq, "first": last_seq + 1}
        )
    if head_seq < last_seq:
        if last_seq == head_seq + 1:
            text = _("第 %(first)d 条事件在链头（第 %(head)d 条）之后：链头被改动或事件绕过记录函数写入。")
        else:
            text = _(
                "第 %(first)d 至 %(last)d 条事件在链头（第 %(head)d 条）之后："
                "链头被改动或事件绕过记录函数写入。"
            )
        return Problem(
            head_seq + 1, BreakKind.HEAD, text % {"head": head_seq, "last": last_seq, "first": head_seq + 1}
        )
    if head_hash != last_hash:
        text = _("链头哈希与最后一条事件（第 %(seq)d 条）的哈希不符：链头或该事件被改动。")
        return Problem(last_seq, BreakKind.HEAD, text % {"seq": last_seq})
    return None
