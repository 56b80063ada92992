"""`manage.py verify_record` and core.verify.verify_chain: the first broken link of the record.

GO118 (九) asks for tamper-proof (防删改) storage of the full-process record (APL Art. 47): every
edit, deletion or reordering of an event must be found and named by its sequence number.
"""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from zhifa.core.models import ChainHead, Event
from zhifa.core.record import GENESIS, ObjectRef, event_message, format_time, hash_function, record_event
from zhifa.core.verify import BreakKind, _batches, _sqlite_time, verify_chain

pytestmark = pytest.mark.django_db

N = 6


def append(n: int = N, *, start: int = 1) -> None:
    with transaction.atomic():
        for i in range(start, start + n):
            record_event(
                actor=None,
                action="thing.update",
                obj=ObjectRef("test.thing", str(i), f"物件{i}"),
                before={"n": i - 1},
                after={"n": i, "名称": "张三"},
            )


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_record", *args, stdout=out)
    return out.getvalue()


def broken(kind: BreakKind, seq: int, batch: int = 5000) -> str:
    """Assert the chain first breaks at `seq` because of `kind`, also via the command; return the message."""
    result = verify_chain(batch=batch)
    assert not result.ok
    assert (result.problem.kind, result.problem.seq) == (kind, seq), result.message
    with pytest.raises(CommandError) as raised:
        run_command()
    assert raised.value.returncode == 1  # the exit status of manage.py
    assert str(raised.value) == result.message
    assert f"第 {seq} " in result.message
    return result.message


def set_seq(old: int, new: int) -> None:
    Event.objects.filter(seq=old).update(seq=new)


def test_intact_chain_verifies_and_the_command_exits_zero():
    append()
    result = verify_chain()
    assert result.ok and result.checked == N and result.head_seq == N
    assert result.algorithm == "sha256"
    assert f"共 {N} 条事件" in run_command()


def test_empty_chain_verifies():
    assert verify_chain().ok
    assert "共 0 条事件" in run_command()


@pytest.mark.parametrize("batch", [1, 2, 5000])
def test_batches_cover_the_whole_chain(batch):
    append()
    result = verify_chain(batch=batch)
    assert result.ok and result.checked == N


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("data", '{"actor_name":"","after":{"n":999},"before":{"n":2},"object_repr":"物件3"}'),
        ("action", "thing.delete"),
        ("object_id", "999"),
        ("object_type", "test.other"),
        ("hash", "f" * 64),
        ("occurred_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
    ],
)
def test_editing_a_field_of_an_event_is_reported_at_that_event(field, value):
    """GO118 (九): an edited event is found and named (hash mismatch)."""
    append()
    Event.objects.filter(seq=3).update(**{field: value})
    message = broken(BreakKind.EDITED, 3)
    assert "被修改" in message


def test_editing_through_raw_sql_is_reported():
    append()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_event SET data = %s WHERE seq = %s", ['{"after":{"fine":"1"}}', 4])
    broken(BreakKind.EDITED, 4)


def test_editing_the_actor_is_reported(county):
    append()
    Event.objects.filter(seq=2).update(actor=county.user("officer", "t0"))
    broken(BreakKind.EDITED, 2)


@pytest.mark.parametrize("batch", [2, 5000])
def test_deleting_an_event_is_reported_as_a_gap(batch):
    """GO118 (九): a deleted event is found (gap in the sequence)."""
    append()
    Event.objects.filter(seq=4).delete()
    message = broken(BreakKind.MISSING, 4, batch=batch)
    assert "被删除" in message


def test_deleting_the_first_events_is_reported():
    append()
    Event.objects.filter(seq__lte=2).delete()
    message = broken(BreakKind.MISSING, 1)
    assert "第 1 至 2 条" in message


def test_deleting_an_event_and_renumbering_the_rest_is_reported_as_a_broken_link():
    append()
    Event.objects.filter(seq=3).delete()
    for seq in range(4, N + 1):
        set_seq(seq, seq - 1)
    ChainHead.objects.filter(pk=1).update(seq=N - 1)
    message = broken(BreakKind.LINK, 3)
    assert "删除或顺序被调换" in message


def test_swapping_two_events_seqs_is_reported():
    """GO118 (九): reordering two events is found (previous-hash mismatch)."""
    append()
    set_seq(3, -1)
    set_seq(4, 3)
    set_seq(-1, 4)
    broken(BreakKind.LINK, 3)


def test_swapping_the_content_of_two_rows_is_reported():
    append()
    fields = ["occurred_at", "actor_id", "action", "object_type", "object_id", "data", "prev_hash", "hash"]
    third, fourth = (Event.objects.filter(seq=seq).values(*fields).get() for seq in (3, 4))
    Event.objects.filter(seq=3).update(**fourth)
    Event.objects.filter(seq=4).update(**third)
    broken(BreakKind.LINK, 3)


def test_deleting_the_last_events_is_reported_by_the_head():
    """Truncation at the end leaves a valid chain: only the head still knows how long it was."""
    append()
    Event.objects.filter(seq__gte=5).delete()
    message = broken(BreakKind.HEAD, 5)
    assert f"链头记到第 {N} 条" in message and "最后一条事件却是第 4 条" in message


def test_deleting_all_events_is_reported_by_the_head():
    append()
    Event.objects.all().delete()
    broken(BreakKind.HEAD, 1)


def test_editing_the_last_event_and_its_hash_is_reported_by_the_head():
    append()
    last = Event.objects.get(seq=N)
    last.data = '{"after":{"n":0}}'
    message = event_message(
        last.seq,
        last.occurred_at,
        None,
        last.action,
        last.object_type,
        last.object_id,
        last.data,
        last.prev_hash,
    )
    Event.objects.filter(seq=N).update(data=last.data, hash=hashlib.sha256(message).hexdigest())
    broken(BreakKind.HEAD, N)


def test_event_written_around_record_event_is_reported_by_the_head():
    append()
    last = Event.objects.get(seq=N)
    when = last.occurred_at + datetime.timedelta(seconds=1)
    message = event_message(N + 1, when, None, "thing.update", "test.thing", "x", "{}", last.hash)
    Event.objects.create(
        seq=N + 1,
        occurred_at=when,
        action="thing.update",
        object_type="test.thing",
        object_id="x",
        data="{}",
        prev_hash=last.hash,
        hash=hashlib.sha256(message).hexdigest(),
    )
    broken(BreakKind.HEAD, N + 1)


def test_an_event_with_a_seq_before_one_is_reported():
    append()
    set_seq(1, 0)
    broken(BreakKind.LINK, 1)


@override_settings(ZHIFA_RECORD_HASH="sm3")
def test_sm3_chain_verifies():
    """SM3 (GB/T 32905, 国密) by setting: the chain is hashed and verified with it."""
    append()
    first = Event.objects.get(seq=1)
    message = event_message(
        1, first.occurred_at, None, first.action, first.object_type, first.object_id, first.data, GENESIS
    )
    assert first.hash == hashlib.new("sm3", message).hexdigest()
    result = verify_chain()
    assert result.ok and result.algorithm == "sm3" and result.checked == N
    assert "SM3" in run_command()
    # Verifying the SM3 chain as SHA-256 fails at once: the algorithm is really used.
    assert verify_chain(algorithm="sha256").problem.seq == 1
    Event.objects.filter(seq=2).update(action="thing.delete")
    broken(BreakKind.EDITED, 2)


def test_command_algorithm_option():
    append(2)
    assert "SHA256" in run_command("--algorithm", "sha256")
    with pytest.raises(CommandError):
        run_command("--algorithm", "sm3")
    with pytest.raises(CommandError):
        run_command("--batch", "0")


def test_rows_the_database_builds_match_event_message(county):
    """The verifier rebuilds the hashed message partly in SQL (time, actor): it must equal
    record.event_message for every kind of value (actor or none, zero microseconds, Chinese text)."""
    officer = county.user("officer", "t0")
    with transaction.atomic():
        record_event(actor=officer, action="person.update", obj=officer.person, after={"名称": "张三\n"})
        record_event(actor=None, action="thing.update", obj=ObjectRef("test.thing", ""))
    append(1, start=3)
    last = Event.objects.order_by("seq").last()
    when = datetime.datetime(2026, 5, 1, 9, 0, 0, 0, tzinfo=datetime.UTC)  # zero microseconds
    message = event_message(last.seq + 1, when, officer.pk, "a.b", "c.d", "1", "{}", last.hash)
    Event.objects.create(
        seq=last.seq + 1,
        occurred_at=when,
        actor=officer,
        action="a.b",
        object_type="c.d",
        object_id="1",
        data="{}",
        prev_hash=last.hash,
        hash=hash_function()(message).hexdigest(),
    )
    ChainHead.objects.filter(pk=1).update(seq=last.seq + 1, hash=hash_function()(message).hexdigest())
    rows = [row for batch in _batches(2) for row in batch]
    events = list(Event.objects.order_by("seq"))
    assert len(rows) == len(events) == 4
    for row, event in zip(rows, events, strict=True):
        seq, when_text, actor, action, object_type, object_id, data, prev_hash, _digest = row
        if connection.vendor == "sqlite":
            when_text = _sqlite_time(when_text)
        expected = event_message(
            event.seq,
            event.occurred_at,
            event.actor_id,
            event.action,
            event.object_type,
            event.object_id,
            event.data,
            event.prev_hash,
        )
        assert "\x1f".join(
            [str(seq), when_text, actor, action, object_type, object_id, data, prev_hash]
        ).encode() == (expected)
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-01-05 00:30:07.007919", "2026-01-05T00:30:07.007919Z"),
        ("2026-01-05 00:30:07", "2026-01-05T00:30:07.000000Z"),
        ("2026-01-05T08:30:07.5+08:00", "2026-01-05T00:30:07.500000Z"),  # read as Django would
        ("not a time", "not a time"),  # hashed as it is, so the event shows as edited
        ("", ""),
    ],
)
def test_sqlite_time_text(stored, expected):
    assert _sqlite_time(stored) == expected


def test_format_time_of_a_stored_time_equals_the_sqlite_text():
    moment = datetime.datetime(2026, 1, 5, 0, 30, 7, 7919, tzinfo=datetime.UTC)
    assert _sqlite_time(str(moment.replace(tzinfo=None))) == format_time(moment)
