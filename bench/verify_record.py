"""Benchmark: `verify_record` over 1,000,000 events against a plain sequential SHA-256 of the same bytes.

Generates the chain in Python with the real `event_message` and `hash_function`, bulk-inserts it
(executemany on SQLite, COPY on PostgreSQL), sets the chain head, then times `verify_chain()` and the
baseline: hashing each event's exact message in a Python loop over an in-memory list. The ratio
verify/baseline is the price of reading the rows from the database and rebuilding the messages.

    .venv/bin/python bench/verify_record.py                     # SQLite, 1,000,000 events
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/verify_record.py
    BENCH_SCALE=0.001 .venv/bin/python bench/verify_record.py   # 1,000 events
"""

from __future__ import annotations

import datetime
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, fresh_database, metric, scaled, timer, write_result

NAME = "verify_record"
FULL_SIZE = 1_000_000
BATCH = 5000
ACTORS = 50
START = datetime.datetime(2026, 1, 5, 0, 30, tzinfo=datetime.UTC)
ACTIONS = [
    ("intake.clue", "clue.dispatch", {"status": "new"}, {"status": "dispatched", "team_id": 17}),
    (
        "cases.case",
        "case.file",
        {"status": "draft"},
        {"status": "filed", "number": "某综执立字〔2026〕第12号"},
    ),
    ("cases.case", "case.decide", {"status": "reviewed"}, {"status": "decided", "fine": "2000.00"}),
    ("org.certificate", "certificate.revoke", {"status": "valid"}, {"status": "revoked", "reason": "退休"}),
    ("org.person", "person.update", {"phone": "13800000000"}, {"phone": "13900000000"}),
]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴婷"]


def _vm_kib(field: str) -> int | None:
    """A VmRSS/VmHWM figure of this process in KiB (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


def create_actors() -> list[int]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    users = [user_model(username=f"bench{i:03d}", password="!") for i in range(ACTORS)]
    user_model.objects.bulk_create(users)
    return list(user_model.objects.order_by("pk").values_list("pk", flat=True))


def generate(count: int, actor_ids: list[int]) -> list[bytes]:
    """Write `count` chained events and the head; return their exact messages."""
    from django.db import connection, transaction

    from zhifa.core.models import ChainHead
    from zhifa.core.record import GENESIS, canonical_json, event_message, hash_function

    new_hash = hash_function()
    messages: list[bytes] = []
    append = messages.append
    datas = [
        canonical_json(
            {
                "actor_name": NAMES[i % len(NAMES)],
                "object_repr": f"{otype} 示例",
                "before": before,
                "after": after,
            }
        )
        for i, (otype, _action, before, after) in enumerate(ACTIONS)
    ]
    previous = GENESIS
    columns = "seq, occurred_at, actor_id, action, object_type, object_id, data, prev_hash, hash"
    with transaction.atomic():
        for start in range(1, count + 1, BATCH):
            rows = []
            for seq in range(start, min(start + BATCH, count + 1)):
                kind = seq % len(ACTIONS)
                object_type, action, _before, _after = ACTIONS[kind]
                when = START + datetime.timedelta(seconds=seq * 7, microseconds=(seq * 7919) % 1_000_000)
                actor_id = None if seq % 20 == 0 else actor_ids[seq % len(actor_ids)]
                object_id = str(seq // 4)
                message = event_message(
                    seq, when, actor_id, action, object_type, object_id, datas[kind], previous
                )
                digest = new_hash(message).hexdigest()
                append(message)
                rows.append(
                    (seq, when, actor_id, action, object_type, object_id, datas[kind], previous, digest)
                )
                previous = digest
            if connection.vendor == "postgresql":
                with (
                    connection.cursor() as cursor,
                    cursor.cursor.copy(f"COPY core_event ({columns}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            else:
                with connection.cursor() as cursor:
                    # Django's SQLite storage of an aware time: str() of the naive UTC value.
                    cursor.executemany(
                        f"INSERT INTO core_event ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        [(r[0], str(r[1])[:-6], *r[2:]) for r in rows],
                    )
        ChainHead.objects.update_or_create(pk=1, defaults={"seq": count, "hash": previous if count else ""})
    # Statistics and (on PostgreSQL) hint bits, as on a table that has been live for a while.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE core_event")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pages move from the WAL to the database
    return messages


def baseline(messages: list[bytes]) -> float:
    """Seconds for a plain sequential SHA-256 of each exact message, in memory."""
    sha256 = hashlib.sha256
    with timer() as elapsed:
        for message in messages:
            sha256(message).hexdigest()
    return elapsed["seconds"]


def main() -> int:
    django_setup(NAME)
    from django.conf import settings

    from zhifa.core.verify import verify_chain

    count = scaled(FULL_SIZE)
    print(f"verify_record: {count:,} events, algorithm {settings.ZHIFA_RECORD_HASH}")
    with timer() as setup:
        fresh_database()
    print(f"fresh database: {setup['seconds']:.1f} s")
    with timer() as generated:
        messages = generate(count, create_actors())
    print(f"generated: {generated['seconds']:.1f} s")

    rss_before = _vm_kib("VmRSS")
    peak_tracked = _reset_peak_rss()
    cpu_started = time.process_time()
    result = verify_chain()
    verify_cpu = time.process_time() - cpu_started
    peak = _vm_kib("VmHWM") if peak_tracked else None
    if not result.ok or result.checked != count:
        print(f"verify_chain failed on the generated chain: {result.message}", file=sys.stderr)
        return 1
    print(f"verified: {result.seconds:.1f} s")
    cpu_started = time.process_time()
    base = baseline(messages)
    base_cpu = time.process_time() - cpu_started
    byte_count = sum(map(len, messages))

    metrics = [
        metric("events", count, "events"),
        metric("message_bytes", byte_count, "bytes"),
        metric("generate_time", generated["seconds"], "s"),
        metric("verify_time", result.seconds, "s", baseline=base),
        metric("baseline_sha256_time", base, "s"),
        # CPU time of this process: steadier than wall time on a busy machine (SQLite works in-process;
        # PostgreSQL's server-side share is not included).
        metric("verify_cpu_time", verify_cpu, "s", baseline=base_cpu),
        metric("verify_rate", count / result.seconds, "events/s", baseline=count / base),
    ]
    if rss_before is not None and peak is not None:
        # Memory verify_chain needed above what the process already held: bounded by the batch size.
        metrics.append(metric("verify_peak_memory_growth", max(0, peak - rss_before) / 1024, "MiB"))
    write_result(NAME, metrics)
    return 0


if __name__ == "__main__":
    sys.exit(main())
