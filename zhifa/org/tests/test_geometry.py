"""Grid geometry: GeoJSON validation, bounding boxes, locating a point in the finest cell."""

from __future__ import annotations

import json

import pytest

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.geometry import GridIndex, bbox, locate, validate_geometry
from zhifa.org.models import GridCell, GridLevel
from zhifa.org.testing import square

BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def test_valid_polygon_and_its_bbox():
    data, geom = validate_geometry(square(119.1, 26.0, 0.5))
    assert data["type"] == "Polygon"
    assert bbox(geom) == (119.1, 26.0, 119.6, 26.5)


def test_multipolygon_text_and_feature_are_accepted():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(0, 0, 1)["coordinates"], square(3, 3, 1)["coordinates"]],
    }
    data, geom = validate_geometry(json.dumps(multi))
    assert data["type"] == "MultiPolygon"
    assert bbox(geom) == (0.0, 0.0, 4.0, 4.0)
    data, _geom = validate_geometry({"type": "Feature", "properties": {}, "geometry": square(1, 1, 1)})
    assert data["type"] == "Polygon"


def test_blank_geometry_is_none():
    assert validate_geometry(None) == (None, None)
    assert validate_geometry("  ") == (None, None)
    assert bbox(None) == (None, None, None, None)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("{not json", "GeoJSON"),
        ({"type": "Point", "coordinates": [1, 2]}, "Polygon或MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1]]]}, "坐标"),
        (BOWTIE, "自相交"),
        (square(179.5, 10, 1), "WGS84"),
        (square(10, 89.5, 1), "WGS84"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}, "网格范围"),
    ],
)
def test_invalid_geometry_names_the_field_in_chinese(value, fragment):
    with pytest.raises(ServiceError) as exc:
        validate_geometry(value, field="geometry")
    assert exc.value.code == ErrorCode.INVALID
    assert exc.value.field == "geometry"
    assert fragment in exc.value.message
    assert "网格范围" in exc.value.message


@pytest.fixture
def micro_grid(county):
    """Two micro grids in the western half of township 0's community cell (0..1 x 0..1)."""
    community = county.grid[0]
    zone = GridCell.objects.create(
        code="Z0",
        name="片区网格",
        level=GridLevel.ZONE_GRID,
        region=community.region,
        parent=community,
        geometry=square(0, 0, 0.5),
    )
    cells = [
        GridCell.objects.create(
            code=f"M{i}",
            name=f"微网格{i}",
            level=GridLevel.MICRO_GRID,
            region=community.region,
            parent=zone,
            geometry=square(0, i * 0.25, 0.25),
        )
        for i in range(2)
    ]
    for cell in GridCell.objects.all():
        _data, geom = validate_geometry(cell.geometry)
        cell.min_x, cell.min_y, cell.max_x, cell.max_y = bbox(geom)
        cell.save(update_fields=["min_x", "min_y", "max_x", "max_y"])
    return cells


def test_locate_returns_the_finest_cell(county, micro_grid):
    assert locate(0.1, 0.1).code == "M0"
    assert locate(0.1, 0.4).code == "M1"
    assert locate(0.4, 0.4).level == GridLevel.ZONE_GRID
    assert locate(0.7, 0.7) == county.grid[0]
    assert locate(1.5, 0.5) == county.grid[1]
    assert locate(1.5, 1.5).level == GridLevel.DISTRICT  # only the county cell covers the upper half
    assert locate(5, 5) is None


def test_locate_on_a_shared_border_is_deterministic(county, micro_grid):
    assert locate(1.0, 0.5) == county.grid[0]  # lowest code among the cells that cover the border


def test_locate_can_be_limited_to_a_queryset(county, micro_grid):
    assert locate(0.1, 0.1, GridCell.objects.filter(level__lte=GridLevel.COMMUNITY)) == county.grid[0]


def test_grid_index_matches_locate(county, micro_grid):
    index = GridIndex.from_queryset(GridCell.objects.all())
    assert len(index) == GridCell.objects.count()
    points = [(0.1, 0.1), (0.1, 0.4), (0.4, 0.4), (0.7, 0.7), (1.5, 0.5), (1.5, 1.5), (5, 5)]
    expected = [getattr(locate(x, y), "pk", None) for x, y in points]
    assert index.locate_many(points) == expected
    assert index.locate(0.1, 0.1) == micro_grid[0].pk
    assert GridIndex([]).locate(0, 0) is None
