"""Run the benchmarks: `python bench/run.py` runs every one, `python bench/run.py people_list` one of them.

A benchmark is a module bench/<name>.py with a `main()` (returning a non-zero exit status on failure);
each runs in its own process, because each configures Django on its own database. They run on SQLite,
or on PostgreSQL when DATABASE_URL points there; with ZHIFA_BENCH_PG_URL set, on SQLite and then on that
PostgreSQL server, and bench/results/<name>.json then holds the entries of both databases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
NOT_BENCHMARKS = {"run", "common", "__init__"}
# Benchmarks that reuse another's database run after it (people_list measures the generated province).
ORDER = ("generate_province", "people_list")


def discover() -> list[str]:
    """Every bench/<name>.py defining main(), in ORDER first, then by name."""
    names = [
        path.stem
        for path in sorted(BENCH_DIR.glob("*.py"))
        if path.stem not in NOT_BENCHMARKS and "\ndef main(" in path.read_text(encoding="utf-8")
    ]
    return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def databases() -> list[tuple[str, dict[str, str]]]:
    """(label, environment) per database to run on."""
    env = dict(os.environ)
    pg_url = env.pop("ZHIFA_BENCH_PG_URL", "")
    if not pg_url:
        return [("default", dict(os.environ))]
    sqlite_env = {k: v for k, v in env.items() if k != "DATABASE_URL"}
    return [("sqlite", sqlite_env), ("postgresql", {**env, "DATABASE_URL": pg_url})]


def _snapshot() -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in RESULTS_DIR.glob("*.json")} if RESULTS_DIR.exists() else {}


def _merge(collected: dict[str, list[dict]], before: dict[str, float]) -> None:
    """Collect the entries of result files written by the run that just ended."""
    for name, mtime in _snapshot().items():
        if before.get(name) != mtime:
            collected.setdefault(name, []).extend(
                json.loads((RESULTS_DIR / name).read_text(encoding="utf-8"))
            )


def main(argv: list[str]) -> int:
    available = discover()
    wanted = [a for a in argv if a]
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr
        )
        return 2
    chosen = [n for n in available if n in wanted] if wanted else available
    runs = databases()
    collected: dict[str, list[dict]] = {}
    failed = []
    for label, env in runs:
        for name in chosen:
            print(f"\n### {name} ({label})", flush=True)
            before = _snapshot()
            status = subprocess.run(
                [sys.executable, str(BENCH_DIR / f"{name}.py")], env=env, check=False
            ).returncode
            _merge(collected, before)
            if status != 0:
                failed.append(f"{name} ({label}): exit status {status}")
    if len(runs) > 1:  # one file per benchmark with the entries of every database
        for filename, entries in collected.items():
            (RESULTS_DIR / filename).write_text(
                json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
    for line in failed:
        print(f"FAILED: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
