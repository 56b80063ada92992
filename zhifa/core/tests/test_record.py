"""Writing the record (core.record.record_event): one hash-chained event per state change."""

from __future__ import annotations

import datetime
import hashlib
import json
import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from zhifa.core.models import ChainHead, Event
from zhifa.core.record import (
    GENESIS,
    ObjectRef,
    canonical_json,
    event_message,
    format_time,
    hash_function,
    record_event,
    snapshot,
)
from zhifa.core.verify import verify_chain

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


class Boom(Exception):
    """Raised inside a transaction to roll it back."""


def append(n: int = 1, *, actor=None, object_type: str = "test.thing") -> list[Event]:
    with transaction.atomic():
        return [
            record_event(
                actor=actor,
                action="thing.update",
                obj=ObjectRef(object_type, str(i), f"物件{i}"),
                before={"n": i - 1},
                after={"n": i},
            )
            for i in range(1, n + 1)
        ]


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction():
    """APL Art. 47: the change and its event commit together, so an event outside the service's
    transaction (autocommit) is refused."""
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        record_event(actor=None, action="thing.update", obj=ObjectRef("test.thing", "1"))
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_events_are_chained_from_genesis_and_the_head_follows():
    events = append(3)
    stored = list(Event.objects.order_by("seq"))
    assert [e.seq for e in stored] == [1, 2, 3]
    assert stored[0].prev_hash == GENESIS
    assert stored[1].prev_hash == stored[0].hash
    assert stored[2].prev_hash == stored[1].hash
    assert [e.hash for e in events] == [e.hash for e in stored]
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (3, stored[2].hash)


@pytest.mark.django_db
def test_hash_is_sha256_of_the_message_rebuilt_from_the_stored_row():
    """The hashed bytes can be rebuilt from what the database returns (microseconds and all)."""
    append(2)
    for event in Event.objects.order_by("seq"):
        message = event_message(
            event.seq,
            event.occurred_at,
            event.actor_id,
            event.action,
            event.object_type,
            event.object_id,
            event.data,
            event.prev_hash,
        )
        assert hashlib.sha256(message).hexdigest() == event.hash


def test_event_message_layout():
    moment = datetime.datetime(2026, 1, 5, 8, 30, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    assert format_time(moment) == "2026-01-05T00:30:00.000000Z"
    message = event_message(7, moment, None, "case.file", "cases.case", "12", '{"a":1}', GENESIS)
    assert (
        message
        == (
            "\x1f".join(
                ["7", "2026-01-05T00:30:00.000000Z", "", "case.file", "cases.case", "12", '{"a":1}', GENESIS]
            )
        ).encode()
    )
    assert event_message(7, moment, 3, "a", "b", "c", "d", "e").split(b"\x1f")[2] == b"3"


def test_canonical_json_is_sorted_compact_and_keeps_chinese():
    value = {"b": "张三", "a": [3, 1], "d": datetime.date(2026, 1, 5), "s": {2, 1}}
    assert canonical_json(value) == '{"a":[3,1],"b":"张三","d":"2026-01-05","s":[1,2]}'


@pytest.mark.django_db
def test_data_holds_actor_name_object_and_before_after(county):
    officer = county.user("officer", "t0")
    with transaction.atomic():
        event = record_event(
            actor=officer,
            action="person.update",
            obj=officer.person,
            before={"phone": "1"},
            after={"phone": "2"},
        )
    data = json.loads(Event.objects.get(pk=event.pk).data)
    assert data == {
        "actor_name": officer.person.name,
        "object_repr": officer.person.name,
        "before": {"phone": "1"},
        "after": {"phone": "2"},
    }
    assert event.actor_id == officer.pk
    assert (event.object_type, event.object_id) == ("org.person", str(officer.person.pk))


@pytest.mark.django_db
def test_actor_without_person_is_named_by_username_and_anonymous_by_nobody():
    user = get_user_model().objects.create(username="ops")
    with transaction.atomic():
        named = record_event(actor=user, action="thing.update", obj=ObjectRef("test.thing", "1"))
        anonymous = record_event(
            actor=AnonymousUser(), action="thing.update", obj=ObjectRef("test.thing", "1")
        )
        system = record_event(actor=None, action="thing.update", obj=ObjectRef("test.thing", "1"))
    assert json.loads(named.data)["actor_name"] == "ops"
    assert (anonymous.actor_id, json.loads(anonymous.data)["actor_name"]) == (None, "")
    assert system.actor_id is None


@pytest.mark.django_db
def test_rolled_back_change_leaves_no_event_and_no_gap():
    append(1)
    with pytest.raises(Boom), transaction.atomic():
        record_event(actor=None, action="thing.update", obj=ObjectRef("test.thing", "x"))
        raise Boom
    assert Event.objects.count() == 1
    assert ChainHead.objects.get(pk=1).seq == 1
    (event,) = append(1)
    assert event.seq == 2
    assert verify_chain().ok


@pytest.mark.django_db
def test_missing_head_row_is_recreated():
    """A flushed test database has no head row (the migration made it); appending must still work."""
    ChainHead.objects.all().delete()
    append(2)
    assert ChainHead.objects.get(pk=1).seq == 2
    assert verify_chain().ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("object_type", "object_id", "action"),
    [
        ("test.thing", "a\x1fb", "thing.update"),  # the separator would make two events' bytes collide
        ("t" * 81, "1", "thing.update"),  # PostgreSQL would refuse it, SQLite would store it
        ("test.thing", "1", ""),
    ],
)
def test_bad_fields_are_refused_alike_on_both_databases(object_type, object_id, action):
    with pytest.raises(ValueError), transaction.atomic():
        record_event(actor=None, action=action, obj=ObjectRef(object_type, object_id))
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_unsaved_object_is_refused():
    with pytest.raises(ValueError, match="primary key"), transaction.atomic():
        record_event(actor=None, action="user.delete", obj=get_user_model()(username="gone"))


@pytest.mark.django_db
def test_snapshot_gives_ids_for_relations_and_iso_dates(county):
    person = county.person("officer", "t0")
    person.status_date = datetime.date(2026, 3, 1)
    result = snapshot(person, ["name", "region", "roles", "status_date"])
    assert result == {
        "name": person.name,
        "region": person.region_id,
        "roles": sorted(person.roles.values_list("pk", flat=True)),
        "status_date": "2026-03-01",
    }
    canonical_json(result)  # JSON-ready


def test_hash_function_follows_the_setting(settings):
    message = b"abc"
    assert hash_function()(message).hexdigest() == hashlib.sha256(message).hexdigest()
    settings.ZHIFA_RECORD_HASH = "SM3"
    assert hash_function()(message).hexdigest() == hashlib.new("sm3", message).hexdigest()
    settings.ZHIFA_RECORD_HASH = "md5"
    with pytest.raises(ValueError):
        hash_function()


THREADS = 6
PER_THREAD = 12


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: row locks under concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_gap_free_verifiable_chain():
    """6 threads on separate connections append at once, some transactions rolling back: the chain
    stays 1..N with every link intact, because appends queue on the head row's lock."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD + PER_THREAD // 4):
                try:
                    with transaction.atomic():
                        record_event(
                            actor=None, action="thing.update", obj=ObjectRef("test.thing", f"{worker}-{i}")
                        )
                        if i % 4 == 3:
                            raise Boom
                except Boom:
                    continue
        except BaseException as error:  # reported to the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    count = Event.objects.count()
    assert list(Event.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, count + 1))
    result = verify_chain()
    assert result.ok, result.message
    assert result.checked == count == ChainHead.objects.get(pk=1).seq
