"""Helpers shared by the benchmarks: Django setup on a throw-away database, timing, result files.

Each benchmark is a script `bench/<name>.py` that

1. calls `django_setup(name)` (before importing any model), then `fresh_database()` (or `prepare(name)`
   for both);
2. generates its data and measures;
3. calls `write_result(name, metrics)`, which prints a table and writes `bench/results/<name>.json`:
   a list of {metric, value, unit, baseline, ratio, scale, database}, comparable across commits.

Database: with DATABASE_URL pointing at PostgreSQL the benchmark runs on that server in a database of
its own, `zhifa_bench` (or BENCH_DB_NAME), dropped and recreated each run: the database named in
DATABASE_URL is never touched. Otherwise it runs on SQLite in `var/bench/<name>.sqlite3`.
BENCH_SCALE (a fraction, default 1.0) shrinks every generated size, so tests can run a benchmark tiny.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
SQLITE_DIR = ROOT / "var" / "bench"
DEFAULT_PG_NAME = "zhifa_bench"
_POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


def scale() -> float:
    """BENCH_SCALE from the environment: the fraction of the full size to generate (default 1.0)."""
    raw = os.environ.get("BENCH_SCALE", "1.0")
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"BENCH_SCALE must be a number, not {raw!r}") from None
    if not 0 < value <= 100:
        raise SystemExit(f"BENCH_SCALE must be in (0, 100], not {raw!r}")
    return value


def scaled(full_size: int, minimum: int = 1) -> int:
    """`full_size` times BENCH_SCALE, at least `minimum`."""
    return max(minimum, round(full_size * scale()))


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in _POSTGRES_SCHEMES


def bench_database_url(name: str) -> str:
    """The URL of the benchmark's own database (see the module docstring)."""
    url = os.environ.get("DATABASE_URL", "")
    if url and _is_postgres(url):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path="/" + os.environ.get("BENCH_DB_NAME", DEFAULT_PG_NAME)))
    return f"sqlite:///{SQLITE_DIR / f'{name}.sqlite3'}"


def django_setup(name: str = "bench") -> None:
    """Configure Django (zhifa.settings) on the benchmark database of `name`. Call before importing models."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    os.environ["DATABASE_URL"] = bench_database_url(name)
    os.environ.setdefault("ZHIFA_LOG_LEVEL", "ERROR")
    import django

    django.setup()


def fresh_database(name: str | None = None) -> None:
    """Drop and recreate the benchmark database configured by `django_setup(name)`, then migrate it.

    Passing `name` (optional) checks that it is the one `django_setup` was given.
    """
    from django.core.management import call_command
    from django.db import connection, connections

    settings_dict = connection.settings_dict
    if name is not None and connection.vendor == "sqlite" and Path(settings_dict["NAME"]).stem != name:
        raise SystemExit(f"fresh_database({name!r}) but django_setup configured {settings_dict['NAME']}")
    connections.close_all()
    if connection.vendor == "sqlite":
        path = Path(settings_dict["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        _recreate_postgres(settings_dict)
    else:
        raise SystemExit(f"unsupported database for benchmarks: {connection.vendor}")
    call_command("migrate", verbosity=0, interactive=False)


def _recreate_postgres(settings_dict: dict[str, Any]) -> None:
    import psycopg
    from psycopg import sql

    params = {
        "dbname": "postgres",
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    name = settings_dict["NAME"]
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(name: str) -> None:
    """`django_setup(name)` and `fresh_database()`: the usual start of a benchmark."""
    django_setup(name)
    fresh_database(name)


def database_label() -> str:
    """ "sqlite" or "postgresql": the `database` field of every result."""
    from django.db import connection

    return connection.vendor


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    """`with timer() as t: ...` then `t["seconds"]` is the wall-clock time of the block."""
    box: dict[str, float] = {}
    started = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - started


def metric(name: str, value: float, unit: str, baseline: float | None = None) -> dict[str, Any]:
    """One result entry; `ratio` is value/baseline when there is a baseline."""
    ratio = value / baseline if baseline else None
    return {"metric": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio}


def write_result(name: str, metrics: list[dict[str, Any]]) -> Path:
    """Print `metrics` as a table and write them to bench/results/<name>.json.

    Each entry needs metric, value and unit; baseline and ratio are optional (ratio is computed from
    the baseline when missing); scale and database are filled in here.
    """
    scale_value, database = scale(), database_label()
    entries = []
    for item in metrics:
        baseline = item.get("baseline")
        ratio = item.get("ratio")
        if ratio is None and baseline:
            ratio = item["value"] / baseline
        entries.append(
            {
                "metric": item["metric"],
                "value": item["value"],
                "unit": item["unit"],
                "baseline": baseline,
                "ratio": ratio,
                "scale": item.get("scale", scale_value),
                "database": item.get("database", database),
            }
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(name, entries))
    print(f"written to {path.relative_to(ROOT)}")
    return path


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def format_table(name: str, entries: list[dict[str, Any]]) -> str:
    """A plain-text table of result entries."""
    head = ("metric", "value", "unit", "baseline", "ratio")
    rows = [
        (e["metric"], _number(e["value"]), e["unit"], _number(e["baseline"]), _number(e["ratio"]))
        for e in entries
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    first = entries[0] if entries else {"database": database_label(), "scale": scale()}
    out = [f"== {name} ({first['database']}, scale {first['scale']}) ==", line]
    out.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    out.append(line)
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            str(c).rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells))
    out.append(line)
    return "\n".join(out)
