"""Geo-routing (issue 4, "Routing"): micro grid, chain up the five levels, township, outside; staleness.

The test county's grid (zhifa/org/testing.py) is the county square (0..2, 0..1), township t0's square
(0..1) and t1's (1..2), with a community cell on each. Here t0's community gets a zone grid over its
lower half and two micro grids side by side in the zone's left part:

    y=0.5  +-----------+-----------+-----------------------+
           | micro M1  | micro M2  |  zone only            |   above y=0.5: community only
    y=0    +-----------+-----------+-----------------------+
           x=0        0.25        0.5                      1 (t0 | t1 beyond)
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from zhifa.core.errors import ServiceError
from zhifa.intake import routing
from zhifa.org import grid_revision
from zhifa.org.models import GridCell, GridLevel, GridRevision, RoleCode
from zhifa.org.services.grid import grid_cell_assign, grid_cell_delete, grid_cell_update
from zhifa.org.testing import square, square_cell

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def add_micro_grids(county) -> dict[str, GridCell]:
    community = county.grid[0]
    zone = GridCell.objects.create(
        code="3501G0C-Z1",
        name="一村片区网格",
        level=GridLevel.ZONE_GRID,
        region=community.region,
        parent=community,
        geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 0.5], [0, 0.5], [0, 0]]]},
        min_x=0,
        min_y=0,
        max_x=1,
        max_y=0.5,
    )
    cells = {"zone": zone}
    for n, x in ((1, 0.0), (2, 0.25)):
        cells[f"m{n}"] = GridCell.objects.create(
            code=f"3501G0C-Z1-M{n}",
            name=f"一村{n}号微网格",
            level=GridLevel.MICRO_GRID,
            region=community.region,
            parent=zone,
            **square_cell(x, 0, 0.25),
        )
    return cells


@pytest.fixture
def cells(county) -> dict[str, GridCell]:
    return add_micro_grids(county)


@pytest.fixture(autouse=True)
def fresh_index():
    routing.reset()
    yield
    routing.reset()


def admin(county):
    return county.user(RoleCode.ADMIN, "county")


@pytest.mark.django_db
def test_a_point_in_a_micro_grid_gives_the_cell_its_ancestors_township_and_county(county, cells):
    placed = routing.place(0.1, 0.2)
    assert not placed.outside
    assert placed.micro is not None and placed.cell_id == cells["m1"].pk
    assert [(ref.code, ref.level) for ref in placed.chain] == [
        ("3501G0C-Z1-M1", 5),
        ("3501G0C-Z1", 4),
        ("3501G0C", 3),
        ("3501G0", 2),
        ("3501G", 1),
    ]
    assert placed.at_level(GridLevel.TOWNSHIP).id == county.grid[0].parent_id
    # The micro grid's region is a village: its township is the village's parent.
    assert placed.region_id == county.communities[0].pk
    assert placed.township_id == county.townships[0].pk and placed.township == county.townships[0]
    assert placed.county == county.county
    assert placed.cell == cells["m1"] and placed.cell.region == county.communities[0]


@pytest.mark.django_db
def test_the_second_micro_grid_and_the_shared_border_which_goes_to_the_lowest_code(county, cells):
    assert routing.place(0.3, 0.2).cell_id == cells["m2"].pk
    assert routing.place(0.25, 0.2).cell_id == cells["m1"].pk  # on the border of M1 and M2
    assert routing.place(0.0, 0.0).cell_id == cells["m1"].pk  # a corner counts as inside


@pytest.mark.django_db
def test_a_point_covered_only_by_coarser_cells_gets_the_finest_of_them(county, cells):
    in_zone = routing.place(0.75, 0.25)
    assert not in_zone.outside and in_zone.micro is None
    assert in_zone.cell_ref.level == GridLevel.ZONE_GRID and in_zone.cell_id == cells["zone"].pk
    in_t1 = routing.place(1.5, 0.5)
    assert in_t1.cell_id == county.grid[1].pk and in_t1.cell_ref.level == GridLevel.COMMUNITY
    assert in_t1.township_id == county.townships[1].pk and in_t1.county_id == county.county.pk


@pytest.mark.django_db
def test_a_point_outside_every_grid_is_flagged(county, cells):
    for lng, lat in ((5.0, 5.0), (118.0, 26.0), (-0.001, 0.5)):
        placed = routing.place(lng, lat)
        assert placed.outside and placed.cell_ref is None and placed.chain == ()
        assert placed.township is None and placed.county is None and placed.cell is None
        assert placed.as_dict()["outside"] is True


@pytest.mark.django_db
def test_place_many_agrees_with_place_point_by_point(county, cells):
    rng = np.random.default_rng(4)
    points = np.column_stack([rng.uniform(-0.5, 2.5, 400), rng.uniform(-0.5, 1.5, 400)])
    points[:4] = [(0.25, 0.2), (0.0, 0.0), (2.0, 1.0), (9.0, 9.0)]  # border, corner, far corner, outside
    many = routing.place_many(points)
    single = [routing.place(x, y) for x, y in points.tolist()]
    assert [p.as_dict() for p in many] == [p.as_dict() for p in single]
    # Township cells coincide with their community cells, which are finer: level 2 never wins.
    assert {p.cell_ref.level for p in many if not p.outside} == {1, 3, 4, 5}
    assert any(p.outside for p in many)


@pytest.mark.django_db
def test_without_any_grid_every_point_is_outside():
    assert routing.place(116.39, 39.9).outside
    assert [p.outside for p in routing.place_many([(1.0, 1.0), (2.0, 2.0)])] == [True, True]
    assert routing.place_many([]) == []


@pytest.mark.django_db
def test_bad_coordinates_are_refused():
    for lng, lat in ((math.nan, 1.0), (1.0, math.inf), ("abc", 1.0)):
        with pytest.raises(ServiceError) as caught:
            routing.place(lng, lat)
        assert caught.value.field == "location" and "坐标" in caught.value.message
    with pytest.raises(ServiceError):
        routing.place_many([(1.0, math.nan)])


@pytest.mark.django_db
def test_neighbouring_micro_grids(county, cells):
    assert routing.neighbouring_cells(cells["m1"].pk) == [cells["m2"].pk]
    assert routing.neighbouring_cells(cells["zone"].pk) == []  # not a micro grid


@pytest.mark.django_db
def test_a_multipolygon_micro_grid_from_the_grid_import_is_located(county):
    from pathlib import Path

    from zhifa.org.services.imports import grid_import

    before = grid_revision.current()[0]
    content = (Path(__file__).parents[2] / "org" / "tests" / "data" / "grid_ok.geojson").read_bytes()
    assert grid_import(actor=admin(county), filename="grid.geojson", content=content, commit=True).ok
    assert grid_revision.current()[0] > before  # bulk_create sends no signal: the import bumps it
    assert routing.place(118.32, 26.07).cell_ref.code == "3501G0C-Z1-M1"
    assert routing.place(118.47, 26.02).cell_ref.code == "3501G0C-Z1-M2"  # its second part
    assert routing.place(118.42, 26.07).cell_ref.code == "3501G0C-Z1"


@pytest.mark.django_db
def test_changes_inside_an_open_transaction_are_seen_there_and_forgotten_on_rollback(county, cells):
    assert routing.place(0.75, 0.25).cell_id == cells["zone"].pk
    with pytest.raises(RuntimeError), transaction.atomic():
        added = GridCell.objects.create(
            code="3501G0C-Z1-M3",
            name="一村3号微网格",
            level=GridLevel.MICRO_GRID,
            region=cells["zone"].region,
            parent=cells["zone"],
            **square_cell(0.5, 0, 0.25),
        )
        assert routing.place(0.75, 0.25).cell_id == added.pk
        raise RuntimeError("roll back")
    assert routing.place(0.75, 0.25).cell_id == cells["zone"].pk


# --- staleness across calls and processes (committed data: transactional tests) ------------------


@pytest.mark.django_db(transaction=True)
def test_a_polygon_moved_through_the_services_is_seen_by_the_next_call(county):
    cells = add_micro_grids(county)
    assert routing.place(0.1, 0.2).cell_id == cells["m1"].pk
    index = routing.current_index()
    assert routing.current_index() is index  # unchanged grid: the same index, no rebuild
    m1 = GridCell.objects.get(pk=cells["m1"].pk)
    grid_cell_update(
        actor=admin(county),
        cell=m1,
        code=m1.code,
        name=m1.name,
        level=m1.level,
        region=m1.region,
        parent=m1.parent,
        geometry=square(0.5, 0, 0.25),
        expected_version=m1.version,
    )
    assert routing.place(0.1, 0.2).cell_id == cells["zone"].pk  # M1 left: the zone is what is there
    assert routing.place(0.6, 0.2).cell_id == cells["m1"].pk
    assert routing.current_index() is not index
    grid_cell_delete(actor=admin(county), cell=GridCell.objects.get(pk=cells["m2"].pk))
    assert routing.place(0.3, 0.2).cell_id == cells["zone"].pk


@pytest.mark.django_db(transaction=True)
def test_a_leader_change_does_not_rebuild_the_index(county, settings):
    settings.ZHIFA_GRID_INDEX_TTL = 0  # every call compares the database stamp
    cells = add_micro_grids(county)
    routing.place(0.1, 0.2)
    index, revision = routing.current_index(), grid_revision.current()
    m1 = GridCell.objects.get(pk=cells["m1"].pk)
    worker = county.person(RoleCode.GRID_WORKER, "t0")
    grid_cell_assign(actor=admin(county), cell=m1, leader=worker, workers=[worker])
    assert grid_revision.current() == revision
    assert routing.place(0.1, 0.2).cell_id == m1.pk and routing.current_index() is index


@pytest.mark.django_db(transaction=True)
def test_another_process_change_is_seen_once_the_ttl_has_passed(county, settings, django_assert_num_queries):
    """Another worker's edit: rows and revision change in the database, this process's epoch does not."""
    settings.ZHIFA_GRID_INDEX_TTL = 3600
    cells = add_micro_grids(county)
    assert routing.place(0.1, 0.2).cell_id == cells["m1"].pk
    with django_assert_num_queries(0):  # within the TTL a call asks the database nothing
        assert routing.place(0.3, 0.2).cell_id == cells["m2"].pk
    epoch = grid_revision.local_epoch()
    moved = square(0.5, 0, 0.25)
    GridCell.objects.filter(pk=cells["m1"].pk).update(geometry=moved, min_x=0.5, max_x=0.75)  # no signal
    GridRevision.objects.filter(pk=GridRevision.SINGLETON_PK).update(value=F("value") + 1)
    assert grid_revision.local_epoch() == epoch
    assert routing.place(0.1, 0.2).cell_id == cells["m1"].pk  # still the cached index
    settings.ZHIFA_GRID_INDEX_TTL = 0
    assert routing.place(0.1, 0.2).cell_id == cells["zone"].pk
    assert routing.place(0.6, 0.2).cell_id == cells["m1"].pk


@pytest.mark.django_db(transaction=True)
def test_cells_bulk_inserted_without_signals_are_seen_through_the_highest_id(county, settings):
    settings.ZHIFA_GRID_INDEX_TTL = 0
    cells = add_micro_grids(county)
    assert routing.place(0.6, 0.2).cell_id == cells["zone"].pk
    revision = grid_revision.current()[0]
    GridCell.objects.bulk_create(
        [
            GridCell(
                code="3501G0C-Z1-M3",
                name="一村3号微网格",
                level=GridLevel.MICRO_GRID,
                region=cells["zone"].region,
                parent=cells["zone"],
                **square_cell(0.5, 0, 0.25),
            )
        ]
    )
    assert grid_revision.current()[0] == revision
    assert routing.place(0.6, 0.2).cell_ref.code == "3501G0C-Z1-M3"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: two connections, one transaction open")
@pytest.mark.django_db(transaction=True)
def test_an_uncommitted_change_is_not_shared_with_other_threads(county, settings):
    settings.ZHIFA_GRID_INDEX_TTL = 0
    cells = add_micro_grids(county)
    seen: list[int | None] = []

    def other_thread() -> None:
        try:
            seen.append(routing.place(0.6, 0.2).cell_id)
        finally:
            connection.close()

    with transaction.atomic():
        added = GridCell.objects.create(
            code="3501G0C-Z1-M3",
            name="一村3号微网格",
            level=GridLevel.MICRO_GRID,
            region=cells["zone"].region,
            parent=cells["zone"],
            **square_cell(0.5, 0, 0.25),
        )
        assert routing.place(0.6, 0.2).cell_id == added.pk  # this transaction sees its own cell
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join(timeout=60)
    assert seen == [cells["zone"].pk]  # the other thread only saw committed rows
    assert routing.place(0.6, 0.2).cell_id == added.pk  # committed now: everyone sees it
