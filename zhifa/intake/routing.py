"""Geo-routing of clues (issue 4, "Routing"): a WGS84 position -> its grid cell, up the five levels, township.

`place(lng, lat)` answers with a `Placement`: the finest grid cell covering the point (normally its micro
grid, 微网格), the chain of its ancestors up to the district grid, the township (乡镇/街道) and county
regions, and ``outside=True`` when no cell covers the point, so that the dispatcher is told. Positions
from Chinese map SDKs are GCJ-02: convert them first (zhifa.core.coords.to_wgs84).

One index per process: two shapely STRtrees, one over the micro grids and one over levels 1 to 4 (asked
only for a point no micro grid covers), plus flat numpy arrays of all cells (id, level, parent, region,
township, county, code as UTF-8 bytes) loaded with one values_list query, regions with another. A point
on a border shared by several cells goes to the finest level, then the lowest code (as
zhifa.org.geometry.locate). Memory at 100,000 micro grids (137,080 cells): ~70-90 MB, mostly the GEOS
polygons (~470 bytes each); build ~1.1 s on SQLite, ~1.5 s on PostgreSQL (bench/intake_locate.py).

Staleness (zhifa/org/grid_revision.py explains the stamp): a call uses the process's index as is while
the local epoch is unchanged and the last database check is younger than ``settings.ZHIFA_GRID_INDEX_TTL``
seconds (default 2); otherwise it reads the stamp (one primary-key query) and rebuilds if it moved.
So a change is seen at once by the process that made it and within the TTL by the others. `place_many`
checks once per call. The rebuild holds a lock: concurrent threads wait for it instead of each
building their own. A thread whose open transaction changed the grid gets a private index of what
that transaction sees, never shared (it may roll back).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org import grid_revision
from zhifa.org.models import GridCell, GridLevel, Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS

DEFAULT_TTL = 2.0  # seconds between database checks of the stamp (settings.ZHIFA_GRID_INDEX_TTL)
NONE = -1


@dataclass(frozen=True, slots=True)
class GridRef:
    """A grid cell as routing knows it."""

    id: int
    code: str
    level: int


@dataclass(eq=False)
class Placement:
    """Where a WGS84 point falls: its finest grid cell, the chain up the five levels, township, county.

    The plain fields cost no query: `cell_ref` (finest covering cell, normally the micro grid),
    `chain` (from `cell_ref` up to the district grid), ids of the cell's region, township and county.
    `cell`, `township` and `county` are the model instances, each read once on first use (one query).
    `outside` is True when no grid cell covers the point: the dispatcher must place the clue.
    """

    lng: float
    lat: float
    cell_ref: GridRef | None
    chain: tuple[GridRef, ...] = ()
    region_id: int | None = None  # the region of the cell (community, village or township)
    township_id: int | None = None
    county_id: int | None = None

    @property
    def outside(self) -> bool:
        return self.cell_ref is None

    @property
    def cell_id(self) -> int | None:
        return None if self.cell_ref is None else self.cell_ref.id

    @property
    def micro(self) -> GridRef | None:
        """The micro grid (level 5), or None when the finest covering cell is coarser."""
        ref = self.cell_ref
        return ref if ref is not None and ref.level == GridLevel.MICRO_GRID else None

    def at_level(self, level: int) -> GridRef | None:
        """The cell of the chain at `level` (1 district ... 5 micro grid), if any."""
        return next((ref for ref in self.chain if ref.level == level), None)

    @cached_property
    def cell(self) -> GridCell | None:
        """The finest covering GridCell with its region (one query on first use)."""
        if self.cell_ref is None:
            return None
        return GridCell.objects.select_related("region").filter(pk=self.cell_ref.id).first()

    @cached_property
    def township(self) -> Region | None:
        """The township (乡镇/街道) Region (one query on first use)."""
        return Region.objects.filter(pk=self.township_id).first() if self.township_id else None

    @cached_property
    def county(self) -> Region | None:
        """The county Region (one query on first use)."""
        return Region.objects.filter(pk=self.county_id).first() if self.county_id else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "lng": self.lng,
            "lat": self.lat,
            "outside": self.outside,
            "cell": _ref_dict(self.cell_ref),
            "chain": [_ref_dict(ref) for ref in self.chain],
            "region_id": self.region_id,
            "township_id": self.township_id,
            "county_id": self.county_id,
        }


def _ref_dict(ref: GridRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"id": ref.id, "code": ref.code, "level": ref.level}


def _region_tables() -> tuple[dict[int, int], dict[int, int]]:
    """{region id: its township id} and {region id: its county id}, walking up region parents."""
    parent: dict[int, int | None] = {}
    level: dict[int, str] = {}
    for rid, pid, lvl in Region.objects.values_list("id", "parent_id", "level").iterator(chunk_size=10_000):
        parent[rid], level[rid] = pid, lvl

    def first_up(rid: int, wanted: tuple[str, ...]) -> int:
        seen = 0
        current: int | None = rid
        while current is not None and seen < 8:
            if level.get(current) in wanted:
                return current
            current, seen = parent.get(current), seen + 1
        return NONE

    townships = {rid: first_up(rid, TOWNSHIP_LEVELS) for rid in parent}
    counties = {rid: first_up(rid, (RegionLevel.COUNTY,)) for rid in parent}
    return townships, counties


@dataclass(eq=False)
class PointIndex:
    """The grid of the whole database, ready for point location (build it with `PointIndex.load`)."""

    stamp: tuple[int, int]
    ids: np.ndarray  # cells sorted by (level descending, code): position -> id
    codes: np.ndarray  # UTF-8 bytes
    levels: np.ndarray
    parents: np.ndarray  # position of the parent cell, or -1
    regions: np.ndarray
    townships: np.ndarray  # township region id per cell, or -1
    counties: np.ndarray
    micro_tree: shapely.STRtree
    micro_pos: np.ndarray  # tree index -> cell position
    coarse_tree: shapely.STRtree
    coarse_pos: np.ndarray
    micro_geoms: np.ndarray
    epoch: int = -1
    build_seconds: float = 0.0
    id_order: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    sorted_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @classmethod
    def load(cls, stamp: tuple[int, int] | None = None) -> PointIndex:
        """Read every cell (one query) and every region (one query) and build the trees."""
        started = time.perf_counter()
        stamp = grid_revision.current() if stamp is None else stamp
        rows = list(
            GridCell.objects.annotate(geo=Cast("geometry", output_field=TextField()))
            .values_list("id", "code", "level", "parent_id", "region_id", "geo")
            .iterator(chunk_size=20_000)
        )
        rows.sort(key=lambda r: (-r[2], r[1]))
        n = len(rows)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        levels = np.fromiter((r[2] for r in rows), dtype=np.int8, count=n)
        parent_ids = np.fromiter((r[3] or 0 for r in rows), dtype=np.int64, count=n)
        regions = np.fromiter((r[4] for r in rows), dtype=np.int64, count=n)
        codes = np.array([r[1].encode() for r in rows], dtype=bytes)  # compact: ~20 bytes a code
        texts = np.array([r[5] for r in rows], dtype=object)
        del rows
        id_order = np.argsort(ids, kind="stable")
        sorted_ids = ids[id_order]
        parents = np.full(n, NONE, dtype=np.int32)
        children = np.nonzero(parent_ids > 0)[0]
        if children.size:
            found = np.searchsorted(sorted_ids, parent_ids[children]).clip(0, n - 1)
            known = sorted_ids[found] == parent_ids[children]
            parents[children[known]] = id_order[found[known]]
        region_township, region_county = _region_tables()
        townships = np.full(n, NONE, dtype=np.int64)
        counties = np.full(n, NONE, dtype=np.int64)
        for pos in np.argsort(levels, kind="stable").tolist():  # coarse levels first: parents before children
            region = int(regions[pos])
            parent = int(parents[pos])
            township = region_township.get(region, NONE)
            county = region_county.get(region, NONE)
            if parent >= 0:
                township = township if township != NONE else int(townships[parent])
                county = county if county != NONE else int(counties[parent])
            townships[pos], counties[pos] = township, county
        has_geom = np.array([t is not None for t in texts], dtype=bool)
        geoms = np.full(n, None, dtype=object)
        if has_geom.any():
            geoms[has_geom] = shapely.from_geojson(texts[has_geom], on_invalid="ignore")
        del texts
        usable = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
        micro_mask = usable & (levels == GridLevel.MICRO_GRID)
        coarse_mask = usable & (levels != GridLevel.MICRO_GRID)
        micro_pos = np.nonzero(micro_mask)[0].astype(np.int64)
        coarse_pos = np.nonzero(coarse_mask)[0].astype(np.int64)
        micro_geoms = geoms[micro_pos]
        index = cls(
            stamp=stamp,
            ids=ids,
            codes=codes,
            levels=levels,
            parents=parents,
            regions=regions,
            townships=townships,
            counties=counties,
            micro_tree=shapely.STRtree(micro_geoms),
            micro_pos=micro_pos,
            coarse_tree=shapely.STRtree(geoms[coarse_pos]),
            coarse_pos=coarse_pos,
            micro_geoms=micro_geoms,
            id_order=id_order,
            sorted_ids=sorted_ids,
        )
        index.build_seconds = time.perf_counter() - started
        return index

    def __len__(self) -> int:
        return len(self.ids)

    # --- location ------------------------------------------------------------------------------

    def locate(self, lng: float, lat: float) -> int:
        """The position of the finest cell covering the point (ties: lowest code), or -1."""
        point = shapely.Point(lng, lat)
        hits = self.micro_tree.query(point, predicate="covered_by")
        if hits.size:
            return int(self.micro_pos[hits].min())
        hits = self.coarse_tree.query(point, predicate="covered_by")
        if hits.size:
            return int(self.coarse_pos[hits].min())
        return NONE

    def locate_many(self, coords: np.ndarray) -> np.ndarray:
        """`locate` for an (n, 2) array of (lng, lat): cell positions, -1 where no cell covers."""
        n = len(coords)
        best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        if n == 0:
            return best
        points = shapely.points(coords)
        point_idx, tree_idx = self.micro_tree.query(points, predicate="covered_by")
        np.minimum.at(best, point_idx, self.micro_pos[tree_idx])
        missing = np.nonzero(best == np.iinfo(np.int64).max)[0]
        if missing.size and len(self.coarse_pos):
            point_idx, tree_idx = self.coarse_tree.query(points[missing], predicate="covered_by")
            np.minimum.at(best, missing[point_idx], self.coarse_pos[tree_idx])
        best[best == np.iinfo(np.int64).max] = NONE
        return best

    def position_of(self, cell_id: int) -> int:
        """The position of a cell id, or -1."""
        at = int(np.searchsorted(self.sorted_ids, cell_id))
        return (
            int(self.id_order[at]) if at < len(self.sorted_ids) and self.sorted_ids[at] == cell_id else NONE
        )

    # --- answers -------------------------------------------------------------------------------

    def ref(self, pos: int) -> GridRef:
        return GridRef(int(self.ids[pos]), self.codes[pos].decode(), int(self.levels[pos]))

    def placement(self, pos: int, lng: float, lat: float) -> Placement:
        """The Placement for a located cell position (-1: outside every grid)."""
        if pos < 0:
            return Placement(lng=lng, lat=lat, cell_ref=None)
        chain = []
        current, steps = pos, 0
        while current >= 0 and steps < 8:  # five levels; the bound guards against a cycle in bad data
            chain.append(self.ref(current))
            current, steps = int(self.parents[current]), steps + 1
        township, county = int(self.townships[pos]), int(self.counties[pos])
        return Placement(
            lng=lng,
            lat=lat,
            cell_ref=chain[0],
            chain=tuple(chain),
            region_id=int(self.regions[pos]),
            township_id=township if township != NONE else None,
            county_id=county if county != NONE else None,
        )

    def neighbours(self, cell_id: int) -> list[int]:
        """Ids of the micro grids whose polygons touch or overlap the given micro grid (itself excluded)."""
        pos = self.position_of(cell_id)
        if pos < 0:
            return []
        at = np.nonzero(self.micro_pos == pos)[0]
        if not at.size:
            return []
        hits = self.micro_tree.query(self.micro_geoms[int(at[0])], predicate="intersects")
        return sorted(int(self.ids[p]) for p in self.micro_pos[hits].tolist() if p != pos)


# --- the per-process index ---------------------------------------------------------------------

_lock = threading.Lock()
_shared: PointIndex | None = None
_checked_at = 0.0
_private = threading.local()


def _ttl() -> float:
    return float(getattr(settings, "ZHIFA_GRID_INDEX_TTL", DEFAULT_TTL))


def current_index() -> PointIndex:
    """This process's index, checked against the grid revision (see the module docstring)."""
    global _shared, _checked_at
    epoch = grid_revision.local_epoch()  # read first: a change from now on triggers another check
    if grid_revision.pending_transaction():
        return _private_index(epoch)
    shared = _shared
    if shared is not None and shared.epoch == epoch and time.monotonic() - _checked_at < _ttl():
        return shared
    with _lock:
        shared = _shared
        if shared is not None and shared.epoch == epoch and time.monotonic() - _checked_at < _ttl():
            return shared  # another thread checked meanwhile
        stamp = grid_revision.current()
        if shared is None or shared.stamp != stamp:
            shared = PointIndex.load(stamp)
        shared.epoch = epoch
        _shared, _checked_at = shared, time.monotonic()
        return shared


def _private_index(epoch: int) -> PointIndex:
    """An index of what this thread's open transaction sees (it changed the grid and may roll back)."""
    stamp = grid_revision.current()
    index = getattr(_private, "index", None)
    if index is None or index.stamp != stamp or index.epoch != epoch:
        index = PointIndex.load(stamp)
        index.epoch = epoch
        _private.index = index
    return index


def reset() -> None:
    """Drop this process's index (the next call rebuilds it); for benchmarks and tests."""
    global _shared, _checked_at
    with _lock:
        _shared, _checked_at = None, 0.0
    _private.index = None


def _check(lng: Any, lat: Any) -> tuple[float, float]:
    try:
        x, y = float(lng), float(lat)
    except (TypeError, ValueError):
        x = y = math.nan
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ServiceError(ErrorCode.INVALID, _("位置坐标不是有效的数值。"), field="location")
    return x, y


def place(lng: float, lat: float) -> Placement:
    """Place one WGS84 point (longitude, latitude): grid cell, its chain, township, county or outside."""
    x, y = _check(lng, lat)
    index = current_index()
    return index.placement(index.locate(x, y), x, y)


def place_many(points: Sequence[tuple[float, float]] | np.ndarray) -> list[Placement]:
    """`place` for many (lng, lat) points with one index check and one vectorised tree query."""
    coords = np.asarray(points, dtype=float).reshape(-1, 2)
    if not np.isfinite(coords).all():
        raise ServiceError(ErrorCode.INVALID, _("位置坐标不是有效的数值。"), field="location")
    index = current_index()
    positions = index.locate_many(coords).tolist()
    return [index.placement(p, x, y) for p, (x, y) in zip(positions, coords.tolist(), strict=True)]


def neighbouring_cells(cell_id: int) -> list[int]:
    """Ids of the micro grids next to a micro grid (for duplicate search: same or neighbouring grid)."""
    return current_index().neighbours(cell_id)
