"""The generated five-level grid (五级网格): district, township, community, zone grids and micro grids.

Each child's polygon is cut from its parent's, so children lie inside parents. Codes follow the region
codes: a township cell is coded by the township's adcode, a zone grid ``<community adcode>-03``, a
micro grid ``<community adcode>-03-02``.
"""

from __future__ import annotations

from shapely.geometry import Polygon

from zhifa.org.generate import geometry
from zhifa.org.generate.plan import Shared
from zhifa.org.generate.structure import County, bulk
from zhifa.org.models import GridCell, GridLevel, Person


def _cell(
    code: str,
    name: str,
    level: int,
    region,
    parent: GridCell | None,
    shape: Polygon,
    leader: Person | None = None,
    *,
    rect: bool = False,
) -> GridCell:
    min_x, min_y, max_x, max_y = geometry.bbox(shape)
    data = geometry.rectangle_geojson(shape) if rect else geometry.to_geojson(shape)
    return GridCell(
        code=code,
        name=name,
        level=level,
        region=region,
        parent=parent,
        leader=leader,
        geometry=data,
        min_x=min_x,
        min_y=min_y,
        max_x=max_x,
        max_y=max_y,
    )


def build_grid(county: County, shared: Shared) -> None:
    """Write the county's grid level by level (a parent needs its primary key before its children)."""
    plan, rng = county.plan, shared.rng
    rect = plan.geometry == "rect"
    leader = county.dispatchers[0] if county.dispatchers else None
    district = bulk(
        shared,
        [
            _cell(
                county.region.adcode,
                f"{county.region.name}网格",
                GridLevel.DISTRICT,
                county.region,
                None,
                county.shape,
                leader,
                rect=rect,
            )
        ],
    )[0]
    township_cells = bulk(
        shared,
        [
            _cell(
                t.region.adcode,
                f"{t.region.name}网格",
                GridLevel.TOWNSHIP,
                t.region,
                district,
                t.shape,
                t.officers[0] if t.officers else None,
                rect=rect,
            )
            for t in county.townships
        ],
    )
    community_cells: list[GridCell] = []
    community_owner: list[tuple[int, int]] = []  # (township index, community index) of each community cell
    for ti, (township, tcell) in enumerate(zip(county.townships, township_cells, strict=True)):
        heads = {}
        for worker in township.grid_workers:
            heads.setdefault(worker.region_id, worker)  # the first grid worker of a community leads its grid
        for ci, (community, shape) in enumerate(
            zip(township.communities, township.community_shapes, strict=True)
        ):
            community_cells.append(
                _cell(
                    community.adcode,
                    f"{community.name}网格",
                    GridLevel.COMMUNITY,
                    community,
                    tcell,
                    shape,
                    heads.get(community.pk),
                    rect=rect,
                )
            )
            community_owner.append((ti, ci))
    bulk(shared, community_cells)
    zone_cells: list[GridCell] = []
    zone_shapes: list[Polygon] = []
    zone_workers: list[Person | None] = []
    zone_micro: list[int] = []
    zone_counter = [0] * len(county.townships)
    for ccell, (ti, ci) in zip(community_cells, community_owner, strict=True):
        township = county.townships[ti]
        micro_counts = plan.townships[ti].zone_grids[ci]
        shapes = geometry.split(rng, township.community_shapes[ci], len(micro_counts), plan.geometry)
        community = township.communities[ci]
        for z, (shape, micro) in enumerate(zip(shapes, micro_counts, strict=True)):
            zone_cells.append(
                _cell(
                    f"{community.adcode}-{z + 1:02d}",
                    f"{community.name}第{z + 1}网格",
                    GridLevel.ZONE_GRID,
                    community,
                    ccell,
                    shape,
                    rect=rect,
                )
            )
            zone_shapes.append(shape)
            workers = township.grid_workers
            zone_workers.append(workers[zone_counter[ti] % len(workers)] if workers else None)
            zone_counter[ti] += 1
            zone_micro.append(micro)
    bulk(shared, zone_cells)
    micro_cells: list[GridCell] = []
    micro_workers: list[Person | None] = []
    for zcell, shape, micro, worker in zip(zone_cells, zone_shapes, zone_micro, zone_workers, strict=True):
        for m, mshape in enumerate(geometry.split(rng, shape, micro, plan.geometry)):
            micro_cells.append(
                _cell(
                    f"{zcell.code}-{m + 1:02d}",
                    f"{zcell.name}第{m + 1}微网格",
                    GridLevel.MICRO_GRID,
                    zcell.region,
                    zcell,
                    mshape,
                    rect=rect,
                )
            )
            micro_workers.append(worker)
    bulk(shared, micro_cells)
    through = GridCell.workers.through
    bulk(
        shared,
        [
            through(gridcell_id=cell.pk, person_id=worker.pk)
            for cell, worker in zip(zone_cells + micro_cells, zone_workers + micro_workers, strict=True)
            if worker is not None
        ],
        "org.gridcell_workers",
    )
