"""Gap-free, unique sequence numbers (core.numbering.allocate)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from zhifa.core.models import NumberSeries
from zhifa.core.numbering import allocate

THREADS = 8
PER_THREAD = 25
# Decided from settings rather than inside the test, so a skipped transactional test costs no flush.
DATABASE = settings.DATABASES["default"]
ON_POSTGRESQL = DATABASE["ENGINE"] == "django.db.backends.postgresql"
ON_SQLITE = DATABASE["ENGINE"] == "django.db.backends.sqlite3"
SQLITE_TEST_NAME = str(DATABASE.get("TEST", {}).get("NAME") or ":memory:")
ON_SQLITE_FILE = ON_SQLITE and SQLITE_TEST_NAME != ":memory:" and "mode=memory" not in SQLITE_TEST_NAME


class Boom(Exception):
    """Raised inside a transaction to roll it back."""


@pytest.mark.django_db
def test_numbers_are_sequential_from_one():
    assert [allocate("7:penalty_decision:2026") for _ in range(3)] == [1, 2, 3]
    assert NumberSeries.objects.get(key="7:penalty_decision:2026").last == 3


@pytest.mark.django_db
def test_each_key_is_its_own_series():
    assert allocate("7:penalty_decision:2026") == 1
    assert allocate("7:penalty_decision:2026") == 2
    assert allocate("8:penalty_decision:2026") == 1
    assert allocate("7:filing:2026") == 1
    assert allocate("7:penalty_decision:2027") == 1
    assert allocate("7:penalty_decision:2026") == 3


@pytest.mark.django_db
def test_rolled_back_number_is_not_consumed():
    """Gap-free: a number taken in a transaction that rolls back is given to the next caller."""
    assert allocate("s") == 1
    with pytest.raises(Boom), transaction.atomic():
        assert allocate("s") == 2
        raise Boom
    assert allocate("s") == 2


@pytest.mark.django_db
def test_rolled_back_creation_leaves_no_row():
    with pytest.raises(Boom), transaction.atomic():
        assert allocate("new") == 1
        raise Boom
    assert not NumberSeries.objects.filter(key="new").exists()
    assert allocate("new") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 121])
def test_bad_key_is_refused(key):
    with pytest.raises(ValueError):
        allocate(key)


@pytest.mark.django_db(transaction=True)
def test_must_run_inside_a_transaction_and_releases_on_rollback():
    """Outside a transaction a number could not be given back, so allocate refuses to run."""
    with pytest.raises(RuntimeError):
        allocate("t")
    assert not NumberSeries.objects.exists()
    with transaction.atomic():
        assert allocate("t") == 1
    with pytest.raises(Boom), transaction.atomic():
        assert allocate("t") == 2
        raise Boom
    with transaction.atomic():
        assert allocate("t") == 2


def _allocate_concurrently(key: str) -> tuple[list[int], list[BaseException]]:
    """THREADS threads, each on its own connection, each taking PER_THREAD numbers in separate
    transactions and also rolling back one transaction in five; returns the committed numbers."""
    barrier = threading.Barrier(THREADS)
    committed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()  # start together, so the series row is also created under contention
            taken: list[int] = []
            attempt = 0
            while len(taken) < PER_THREAD:
                attempt += 1
                try:
                    with transaction.atomic():
                        number = allocate(key)
                        if attempt % 5 == 0:
                            raise Boom
                except Boom:
                    continue
                taken.append(number)
            with lock:
                committed.extend(taken)
        except BaseException as error:  # reported to the test thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return committed, errors


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: row locks under concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_is_unique_and_gap_free_on_postgresql():
    """8 threads x 25 numbers on separate connections: exactly 1..200, no duplicate, no gap."""
    assert connection.vendor == "postgresql"
    committed, errors = _allocate_concurrently("1:penalty_decision:2026")
    assert errors == []
    assert sorted(committed) == list(range(1, THREADS * PER_THREAD + 1))
    assert NumberSeries.objects.get(key="1:penalty_decision:2026").last == THREADS * PER_THREAD


# Threads share an in-memory SQLite database only through SQLite's shared cache, whose table locks fail at
# once ("database table is locked") instead of waiting for the busy timeout: the test needs a file database.
@pytest.mark.skipif(
    not ON_SQLITE_FILE,
    reason="needs a file SQLite test database (ZHIFA_TEST_SQLITE=<path>): in-memory locks do not wait",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_is_unique_and_gap_free_on_sqlite_file():
    """The same on SQLite, which serialises writers: the increment is the transaction's first write, so a
    waiting thread queues on the busy timeout instead of failing on a read-to-write lock upgrade."""
    assert connection.vendor == "sqlite" and not connection.is_in_memory_db()
    committed, errors = _allocate_concurrently("1:penalty_decision:2026")
    assert errors == []
    assert sorted(committed) == list(range(1, THREADS * PER_THREAD + 1))
