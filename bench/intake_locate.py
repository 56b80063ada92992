"""Benchmark: placing points in the grid at province scale (issue 4, Benchmark; zhifa/intake/routing.py).

The province generator (zhifa/org/generate/province.py) with 1,000 townships and 137 grid cells per
township (itself, 12 communities, 24 zone grids, 100 micro grids) plus the 80 county cells gives
exactly 100,000 micro grids (137,080 cells in all). Generation is not timed, and the database is kept
(var/bench/intake_locate.sqlite3, or PostgreSQL `zhifa_bench_locate` unless BENCH_DB_NAME says
otherwise) so that a rerun skips it.

Measured, on 100,000 random points in the province's bounding box (about a third fall between
counties, outside every grid):

- index build: `routing.current_index()` from scratch (two queries, shapely.from_geojson, two STRtrees),
  and the growth of the process's resident memory;
- the stamp check a call makes when its TTL has run out (`grid_revision.current`, one query);
- throughput of `place_many` (one index check, one vectorised tree query, one Placement per point):
  the headline, which must reach the issue's 20,000 points/s;
- `place()` one point at a time: p50/p95 per call and throughput; every answer must equal place_many's.

Baseline: a linear scan over the polygons (vectorised `shapely.covers` over all micro polygons, then
over the coarser cells when none covers the point: the fastest linear scan there is), timed on a sample
of 200 points and extrapolated (ratio = index / linear). `zhifa.org.geometry.locate`, the database path
(bounding-box columns in SQL, then shapely), is timed on the same sample. Every sampled answer of both
must equal the index's: the benchmark fails on any disagreement or when the throughput is too low.
BENCH_SCALE shrinks the province, the points and the sample.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, fresh_database, metric, scaled, timer, write_result
from bench.people_list import _percentile, _province_ready

NAME = "intake_locate"
PG_DATABASE = "zhifa_bench_locate"
CELLS_PER_TOWNSHIP = 137  # 1 + 12 communities + 24 zone grids + 100 micro grids (province.township_plan)
TARGET_POINTS_PER_SECOND = 20_000
SEED = 4


def locate_size():
    """The province at BENCH_SCALE: 100 micro grids per township, few people, no certificates."""
    from zhifa.org.generate.province import TOWNSHIPS_PER_COUNTY, ProvinceSize

    townships = scaled(1000, 2)
    counties = max(1, round(townships / TOWNSHIPS_PER_COUNTY))
    return ProvinceSize(
        townships=townships,
        grid_cells=counties + CELLS_PER_TOWNSHIP * townships,
        people=scaled(2000, 100),
        certificates=0,
    )


def _rss_mb() -> float:
    """Resident memory of this process now (Linux /proc), in MB, after returning freed memory to the OS."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def linear_scan(index, x: float, y: float) -> int:
    """The baseline: test every polygon (micro first, then coarser), as the index would answer."""
    import numpy as np
    import shapely

    point = shapely.Point(x, y)
    hits = np.nonzero(shapely.covers(index.micro_geoms, point))[0]
    if hits.size:
        return int(index.micro_pos[hits].min())
    coarse = index.coarse_tree.geometries
    hits = np.nonzero(shapely.covers(coarse, point))[0]
    return int(index.coarse_pos[hits].min()) if hits.size else -1


def main() -> int:
    os.environ.setdefault("BENCH_DB_NAME", PG_DATABASE)
    django_setup(NAME)
    import numpy as np
    from django.db.models import Max, Min

    from zhifa.intake import routing
    from zhifa.org import geometry, grid_revision
    from zhifa.org.generate.province import generate_province
    from zhifa.org.models import GridCell, GridLevel

    size = locate_size()
    if not _province_ready(size):
        print(f"generating the province ({size.grid_cells:,} grid cells; not timed) ...", flush=True)
        fresh_database()
        with timer() as generated:
            generate_province(size, seed=1)
        print(f"generated in {generated['seconds']:.1f} s", flush=True)
    micro = GridCell.objects.filter(level=GridLevel.MICRO_GRID)
    micro_count = micro.count()
    box = micro.aggregate(x0=Min("min_x"), y0=Min("min_y"), x1=Max("max_x"), y1=Max("max_y"))
    failures: list[str] = []

    routing.reset()
    rss_before = _rss_mb()
    with timer() as built:
        index = routing.current_index()
    rss_growth = _rss_mb() - rss_before
    checks = 1000
    with timer() as stamp:
        for _ in range(checks):
            grid_revision.current()

    rng = np.random.default_rng(SEED)
    n = scaled(100_000, 1000)
    points = np.column_stack([rng.uniform(box["x0"], box["x1"], n), rng.uniform(box["y0"], box["y1"], n)])
    with timer() as bulk:
        placed = routing.place_many(points)
    throughput = n / bulk["seconds"]
    outside = sum(p.outside for p in placed)
    in_micro = sum(p.micro is not None for p in placed)

    single_us: list[float] = []
    disagree_single = 0
    for (x, y), expected in zip(points.tolist(), placed, strict=True):
        started = time.perf_counter()
        one = routing.place(x, y)
        single_us.append((time.perf_counter() - started) * 1e6)
        disagree_single += one.cell_id != expected.cell_id
    single_throughput = 1e6 / statistics.fmean(single_us)
    if disagree_single:
        failures.append(f"place() and place_many() disagree on {disagree_single} points")

    sample = points[: scaled(200, 50)].tolist()
    expected_ids = [p.cell_id for p in placed[: len(sample)]]
    linear_ms, linear_ids = [], []
    for x, y in sample:
        started = time.perf_counter()
        pos = linear_scan(index, x, y)
        linear_ms.append((time.perf_counter() - started) * 1000)
        linear_ids.append(int(index.ids[pos]) if pos >= 0 else None)
    linear_throughput = 1000 / statistics.fmean(linear_ms)
    wrong = sum(a != b for a, b in zip(linear_ids, expected_ids, strict=True))
    if wrong:
        failures.append(f"the index and the linear scan disagree on {wrong} of {len(sample)} points")
    db_ms, db_ids = [], []
    for x, y in sample:
        started = time.perf_counter()
        cell = geometry.locate(x, y)
        db_ms.append((time.perf_counter() - started) * 1000)
        db_ids.append(cell.pk if cell is not None else None)
    db_throughput = 1000 / statistics.fmean(db_ms)
    wrong = sum(a != b for a, b in zip(db_ids, expected_ids, strict=True))
    if wrong:
        failures.append(f"the index and org.geometry.locate disagree on {wrong} of {len(sample)} points")
    if throughput < TARGET_POINTS_PER_SECOND:
        failures.append(f"place_many: {throughput:,.0f} points/s, under {TARGET_POINTS_PER_SECOND:,}")

    metrics = [
        metric("micro grids", micro_count, "count"),
        metric("grid cells", len(index), "count"),
        metric("index build", built["seconds"], "s"),
        metric("index memory (RSS growth)", rss_growth, "MB"),
        metric("stamp check (TTL expired)", stamp["seconds"] / checks * 1e6, "µs"),
        metric("points", n, "count"),
        metric("points outside every grid", outside, "count"),
        metric("points in a micro grid", in_micro, "count"),
        metric("place_many throughput", throughput, "points/s", baseline=linear_throughput),
        metric("place() throughput", single_throughput, "points/s", baseline=linear_throughput),
        metric("place() p50", _percentile(single_us, 0.5), "µs"),
        metric("place() p95", _percentile(single_us, 0.95), "µs"),
        metric(f"linear scan per point ({len(sample)} sampled)", statistics.fmean(linear_ms), "ms"),
        metric("linear scan throughput (extrapolated)", linear_throughput, "points/s"),
        metric("org.geometry.locate p50 (DB bbox)", _percentile(db_ms, 0.5), "ms"),
        metric("org.geometry.locate p95 (DB bbox)", _percentile(db_ms, 0.95), "ms"),
        metric("org.geometry.locate throughput", db_throughput, "points/s"),
        metric("place_many / locate (DB bbox)", throughput / db_throughput, "ratio"),
    ]
    write_result(NAME, metrics)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
