"""Benchmark: creating a clue through the API with 1,000,000 clues stored (issue 4, Benchmark).

Data (bench/intake_create_data.py, not timed): the demo county (733 micro grids) with the powers demo
(234 catalogue items), then 1,000,000 clues over two years spread over the micro grids, with a report
step for one in five. The database is kept between runs (var/bench/intake_create.sqlite3, PostgreSQL
`zhifa_bench_create` unless BENCH_DB_NAME says otherwise), so a rerun skips the generation; a second
database holding the demo county only (`..._empty`) is the baseline.

Measured on each database: `POST /api/v1/clues` through Django's test Client (the whole middleware
stack, the session of the demo grid worker, force_login), a JSON body with a category, one of the 440
labelled clue texts, a position inside a random micro grid and a fresh client_key (as the phone page
sends), followed by `zhifa.intake.classify.suggest_items(text)`: the API's create does not compute the
suggestion (the report page and the dispatcher ask for it right after: GET /clues/{id}/suggestions),
so the issue's "create (routing, classification suggestion, record event included)" is timed as create
+ suggestion. The create itself places the point (STRtree), computes the step's time limit, writes the
clue, its report step and the record event `clue.report` in one transaction. 20 warm-up requests, then
300 timed; every one must answer 201. Reported: p50 / p95 / mean of create + suggestion, of the POST
alone and of the suggestion alone; the SQL queries of one create (and of the suggestion), which must be
the same with 1,000,000 clues as with none (23 when written; one more in the request that finds the grid
index's TTL run out and reads the grid stamp, zhifa/intake/routing.py).

Baseline: the same requests on the database without the million clues (ratio = with / without).
Fails (exit status 1) when p95 of create + suggestion reaches 100 ms, when a request does not answer
201, or when the query count differs between the two databases. BENCH_SCALE shrinks the number of
clues (and the samples), in databases of their own.
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, metric, scale, scaled, write_result
from bench.intake_create_data import clue_texts, ensure_demo, generate_clues, micro_grids
from bench.people_list import _percentile

NAME = "intake_create"
PG_DATABASE = "zhifa_bench_create"
CLUES = 1_000_000
WARMUP, SAMPLES = 20, 300
TARGET_P95_MS = 100.0
GRID_WORKER = "demo_grid_worker"


def _suffix() -> str:
    return "" if scale() == 1 else "_scale" + f"{scale():g}".replace(".", "_")


def _admin_execute(statements: list) -> None:
    """Run statements on PostgreSQL's maintenance database (CREATE / DROP DATABASE)."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    params = {
        "dbname": "postgres",
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


def use_database(name: str, *, fresh: bool = False) -> None:
    """Point the default connection at database `name` (created when missing), migrated."""
    from django.core.management import call_command
    from django.db import connection, connections

    from zhifa.intake import classify, routing

    connections.close_all()
    if connection.vendor == "sqlite":
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        from psycopg import errors, sql

        drop = [sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))]
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        with contextlib.suppress(errors.DuplicateDatabase):  # kept from an earlier run
            _admin_execute([*drop, create] if fresh else [create])
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0, interactive=False)
    routing.reset()
    classify.clear_index()


def prepare(main: str, empty: str, total: int) -> float | None:
    """Both databases ready; returns the generation time when the clues were generated this run."""
    from zhifa.intake.models import Clue

    use_database(empty)
    ensure_demo()
    Clue.objects.all().delete()  # what earlier runs created
    use_database(main)
    if Clue.objects.filter(client_key__isnull=True).count() == total:
        Clue.objects.filter(client_key__startswith="bench-").delete()
        return None
    print(f"generating the demo county and {total:,} clues (not timed) ...", flush=True)
    use_database(main, fresh=True)
    started = time.perf_counter()
    ensure_demo()
    counts = generate_clues(total)
    seconds = time.perf_counter() - started
    print(f"generated {counts['clues']:,} clues and {counts['steps']:,} steps in {seconds:.1f} s", flush=True)
    return seconds


def measure(label: str, samples: int) -> dict[str, object]:
    """Warm up, then time `samples` creates + suggestions; their queries; every answer must be 201."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhifa.intake import classify
    from zhifa.intake.models import ClueCategory

    client = Client()
    client.force_login(get_user_model().objects.get(username=GRID_WORKER))
    rng = random.Random(7)
    cells = micro_grids(rng, per_cell=4)
    texts = clue_texts()
    categories = list(ClueCategory.objects.filter(is_active=True).values_list("code", flat=True))
    failures: list[str] = []

    def one() -> tuple[float, float, int, int]:
        lng, lat = rng.choice(rng.choice(cells)["points"])
        body = {
            "category": rng.choice(categories),
            "text": rng.choice(texts),
            "lng": lng,
            "lat": lat,
            "client_key": f"bench-{label}-{uuid.uuid4().hex}",
        }
        connection.queries_log.clear()  # CaptureQueriesContext counts within a log of 9,000 at most
        with CaptureQueriesContext(connection) as create_queries:
            started = time.perf_counter()
            response = client.post("/api/v1/clues", body, content_type="application/json")
            posted = time.perf_counter()
        with CaptureQueriesContext(connection) as suggest_queries:
            before = time.perf_counter()
            classify.suggest_items(body["text"])
            suggested = time.perf_counter()
        if response.status_code != 201 and len(failures) < 5:
            failures.append(f"{label}: POST answered {response.status_code}: {response.content[:200]!r}")
        return posted - started, suggested - before, len(create_queries), len(suggest_queries)

    for _ in range(WARMUP):
        one()
    posts, suggestions, create_queries, suggest_queries = [], [], set(), set()
    for _ in range(samples):
        post_s, suggest_s, n_create, n_suggest = one()
        posts.append(post_s * 1000)
        suggestions.append(suggest_s * 1000)
        create_queries.add(n_create)
        suggest_queries.add(n_suggest)
    totals = [p + s for p, s in zip(posts, suggestions, strict=True)]
    return {
        "total": totals,
        "post": posts,
        "suggest": suggestions,
        "create_queries": sorted(create_queries),
        "suggest_queries": sorted(suggest_queries),
        "failures": failures,
    }


def main() -> int:
    os.environ.setdefault("BENCH_DB_NAME", PG_DATABASE + _suffix())
    django_setup(NAME + _suffix())
    from django.db import connection

    from zhifa.intake.models import Clue

    main_db = connection.settings_dict["NAME"]
    empty_db = (
        str(Path(main_db).with_name(f"{NAME}{_suffix()}_empty.sqlite3"))
        if connection.vendor == "sqlite"
        else f"{main_db}_empty"
    )
    total = scaled(CLUES, 1000)
    samples = scaled(SAMPLES, 30)
    generated = prepare(main_db, empty_db, total)

    use_database(empty_db)
    base = measure("empty", samples)
    use_database(main_db)
    stored = Clue.objects.count()
    full = measure("full", samples)

    failures = [*base["failures"], *full["failures"]]
    p95 = _percentile(full["total"], 0.95)
    if p95 >= TARGET_P95_MS:
        failures.append(
            f"create + suggestion p95 {p95:.1f} ms with {stored:,} clues, not under {TARGET_P95_MS} ms"
        )
    # The grid index reads its stamp once every ZHIFA_GRID_INDEX_TTL seconds (one more query then).
    if full["create_queries"][0] != base["create_queries"][0]:
        failures.append(
            f"queries per create: {full['create_queries']} with the clues, {base['create_queries']} without"
        )
    for run in (base, full):
        if run["create_queries"][-1] - run["create_queries"][0] > 1:
            failures.append(f"queries per create vary beyond the stamp check: {run['create_queries']}")

    def stats(key: str, what: str) -> list[dict]:
        return [
            metric(f"{what} p50", _percentile(full[key], 0.5), "ms", _percentile(base[key], 0.5)),
            metric(f"{what} p95", _percentile(full[key], 0.95), "ms", _percentile(base[key], 0.95)),
            metric(f"{what} mean", statistics.fmean(full[key]), "ms", statistics.fmean(base[key])),
        ]

    metrics = [
        metric("clues stored", stored, "count"),
        *(
            [metric("generation (demo county + clues, not in the figures below)", generated, "s")]
            if generated
            else []
        ),
        metric("requests timed (after 20 warm-up), all 201", samples, "count"),
        *stats("total", "create + suggestion"),
        *stats("post", "POST /api/v1/clues alone"),
        *stats("suggest", "suggest_items alone"),
        metric(
            "SQL queries per create (+1 when the grid stamp is read, every 2 s)",
            full["create_queries"][0],
            "count",
            base["create_queries"][0],
        ),
        metric(
            "SQL queries per suggestion", max(full["suggest_queries"]), "count", max(base["suggest_queries"])
        ),
    ]
    write_result(NAME, metrics)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
