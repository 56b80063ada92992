"""Benchmark: generate a province (1,000 townships, 100,000 grid cells, 20,000 people, 25,000 certificates).

Times `generate_province` (the code behind `manage.py generate_province`) on a fresh database, one
transaction. The database is kept (var/bench/province.sqlite3, or PostgreSQL `zhifa_bench`) so that
`people_list` can measure on it without generating again.

    .venv/bin/python bench/generate_province.py
    BENCH_SCALE=0.01 .venv/bin/python bench/generate_province.py   # 10 townships, 1,000 cells
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, fresh_database, metric, scaled, timer, write_result

NAME = "generate_province"
DATABASE = "province"  # shared with bench/people_list.py


def province_size():
    """The province at BENCH_SCALE (full size by default)."""
    from zhifa.org.generate.province import ProvinceSize

    return ProvinceSize(
        townships=scaled(1000, 2),
        grid_cells=scaled(100_000, 200),
        people=scaled(20_000, 100),
        certificates=scaled(25_000, 100),
    )


def generate(size) -> tuple[float, dict[str, int]]:
    """Generate on a fresh database; returns (seconds, counts by model)."""
    from zhifa.org.generate.province import generate_province

    fresh_database()
    with timer() as elapsed:
        result = generate_province(size, seed=1)
    return elapsed["seconds"], result.counts


def main() -> int:
    django_setup(DATABASE)
    size = province_size()
    seconds, counts = generate(size)
    rows = sum(counts.values())
    metrics = [
        metric("generation time", seconds, "s"),
        metric("rows written", rows, "rows"),
        metric("rows per second", rows / seconds if seconds else 0.0, "rows/s"),
        metric("townships", size.townships, "count"),
        metric("grid cells", counts.get("org.gridcell", 0), "count"),
        metric("people", counts.get("org.person", 0), "count"),
        metric("certificates", counts.get("org.certificate", 0), "count"),
    ]
    write_result(NAME, metrics)
    return 0


if __name__ == "__main__":
    sys.exit(main())
