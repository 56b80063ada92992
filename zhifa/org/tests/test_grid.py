"""Services of the five-level grid: cells with polygons, levels, regions, leaders and workers."""

from __future__ import annotations

import json

import pytest

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import GridCell, GridLevel, PersonStatus, RoleCode
from zhifa.org.services.grid import grid_cell_assign, grid_cell_create, grid_cell_delete, grid_cell_update
from zhifa.org.testing import square

BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [0.5, 0.5], [0.5, 0], [0, 0.5], [0, 0]]]}


def only_event(action: str) -> Event:
    events = list(Event.objects.all())
    assert [e.action for e in events] == [action]
    return events[0]


def create_zone_grid(county, actor, **overrides):
    community = county.grid[0]
    values = {
        "code": "3501G0C-Z1",
        "name": "一村片区网格",
        "level": GridLevel.ZONE_GRID,
        "region": community.region,
        "parent": community,
        "geometry": square(0, 0, 0.5),
    }
    values.update(overrides)
    return grid_cell_create(actor=actor, **values)


def test_grid_cell_create_fills_the_bbox_and_writes_one_event(county, actor):
    cell = create_zone_grid(county, actor)
    cell.refresh_from_db()
    assert (cell.min_x, cell.min_y, cell.max_x, cell.max_y) == (0, 0, 0.5, 0.5)
    assert cell.geometry["type"] == "Polygon"
    event = only_event("grid_cell.create")
    assert '"level":4' in event.data


def test_geojson_text_is_accepted_and_stored_as_json(county, actor):
    cell = create_zone_grid(county, actor, geometry=json.dumps(square(0.1, 0.1, 0.2)))
    cell.refresh_from_db()
    assert isinstance(cell.geometry, dict) and cell.max_x == pytest.approx(0.3)


def test_a_cell_may_wait_for_its_polygon(county, actor):
    cell = create_zone_grid(county, actor, geometry=None)
    assert cell.geometry is None and cell.min_x is None


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"geometry": BOWTIE}, "geometry", "自相交"),
        ({"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]}}, "geometry", "网格范围"),
        ({"geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}, "geometry", "Polygon"),
        ({"geometry": square(200, 0, 1)}, "geometry", "经度"),
        ({"geometry": "{"}, "geometry", "GeoJSON"),
        ({"level": GridLevel.MICRO_GRID}, "level", "下一级"),
        ({"level": GridLevel.COMMUNITY}, "level", "下一级"),
        ({"level": 9}, "level", "层级"),
        ({"parent": None}, "parent", "上级网格"),
        ({"region": "other_township"}, "region", "上级网格的区划"),
        ({"code": "3501G0C"}, "code", "已存在"),
        ({"name": ""}, "name", "名称"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(county, actor, overrides, field, fragment):
    if overrides.get("region") == "other_township":
        overrides["region"] = county.communities[1]
    cells = GridCell.objects.count()
    with pytest.raises(ServiceError) as exc:
        create_zone_grid(county, actor, **overrides)
    assert exc.value.field == field
    assert fragment in exc.value.message
    assert GridCell.objects.count() == cells
    assert not Event.objects.exists()


def test_region_must_fit_the_level(county, actor):
    """A community grid sits on a community or village, not on the township itself."""
    with pytest.raises(ServiceError) as exc:
        grid_cell_create(
            actor=actor,
            code="X",
            name="社区网格",
            level=GridLevel.COMMUNITY,
            region=county.townships[0],
            parent=GridCell.objects.get(code="3501G0"),
        )
    assert exc.value.field == "region" and "社区网格" in exc.value.message


def test_grid_cell_update_changes_polygon_and_version(county, actor):
    cell = create_zone_grid(county, actor)
    Event.objects.all().delete()
    grid_cell_update(
        actor=actor,
        cell=cell,
        code=cell.code,
        name="改名片区",
        level=cell.level,
        region=cell.region,
        parent=cell.parent,
        geometry=square(0.5, 0.5, 0.25),
        expected_version=1,
    )
    cell.refresh_from_db()
    assert cell.name == "改名片区" and cell.version == 2 and cell.min_x == 0.5 and cell.max_y == 0.75
    event = only_event("grid_cell.update")
    assert "一村片区网格" in event.data and "改名片区" in event.data


def test_grid_cell_update_conflict_and_level_with_children(county, actor):
    cell = county.grid[0]
    with pytest.raises(ServiceError) as exc:
        grid_cell_update(
            actor=actor,
            cell=cell,
            code=cell.code,
            name="x",
            level=cell.level,
            region=cell.region,
            parent=cell.parent,
            geometry=cell.geometry,
            expected_version=5,
        )
    assert exc.value.code == ErrorCode.CONFLICT
    township_cell = cell.parent
    with pytest.raises(ServiceError) as exc:
        grid_cell_update(
            actor=actor,
            cell=township_cell,
            code=township_cell.code,
            name=township_cell.name,
            level=GridLevel.COMMUNITY,
            region=township_cell.region,
            parent=township_cell.parent,
            geometry=township_cell.geometry,
        )
    assert exc.value.field == "level"
    assert not Event.objects.exists()
    cell.refresh_from_db()
    assert cell.version == 1


def test_grid_cell_assign_sets_leader_and_workers(county, actor):
    cell = county.grid[0]
    leader = county.person(RoleCode.TEAM_LEADER, "t0")
    worker = county.person(RoleCode.GRID_WORKER, "t0")
    grid_cell_assign(actor=actor, cell=cell, leader=leader, workers=[worker], expected_version=1)
    cell.refresh_from_db()
    assert cell.leader == leader and list(cell.workers.all()) == [worker] and cell.version == 2
    event = only_event("grid_cell.assign")
    assert f'"workers":[{worker.pk}]' in event.data and '"before":{"leader":null,"workers":[]}' in event.data


def test_grid_cell_assign_refuses_inactive_and_outside_people(county, other_county, actor):
    cell = county.grid[0]
    worker = county.person(RoleCode.GRID_WORKER, "t0")
    worker.status = PersonStatus.TRANSFERRED
    worker.save()
    with pytest.raises(ServiceError) as exc:
        grid_cell_assign(actor=actor, cell=cell, leader=None, workers=[worker])
    assert exc.value.field == "workers" and "不在岗" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        grid_cell_assign(
            actor=actor, cell=cell, leader=other_county.person(RoleCode.OFFICER, "t0"), workers=[]
        )
    assert exc.value.field == "leader" and "县（区）" in exc.value.message
    assert not Event.objects.exists()
    assert cell.workers.count() == 0


def test_grid_cell_delete(county, actor):
    cell = create_zone_grid(county, actor)
    Event.objects.all().delete()
    with pytest.raises(ServiceError):
        grid_cell_delete(actor=actor, cell=county.grid[0].parent)  # has a child
    grid_cell_delete(actor=actor, cell=cell)
    assert not GridCell.objects.filter(pk=cell.pk).exists()
    only_event("grid_cell.delete")
