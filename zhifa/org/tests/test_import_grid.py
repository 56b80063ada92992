"""Grid import from GeoJSON: five levels, polygons checked with shapely (issue 2, point 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhifa.core.errors import ServiceError
from zhifa.core.models import Event
from zhifa.org.models import GridCell, RoleCode
from zhifa.org.services.imports import grid_import
from zhifa.org.testing import square

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def admin(county):
    return county.user(RoleCode.ADMIN, "county")


def feature(code, level, parent, region, geometry, **extra) -> dict:
    properties = {
        "code": code,
        "name": f"网格{code}",
        "level": level,
        "parent_code": parent,
        "region_code": region,
    }
    properties.update(extra)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def test_committed_file_creates_cells_with_parents_bboxes_leader_and_one_event(county):
    content = (DATA / "grid_ok.geojson").read_bytes()
    events = Event.objects.count()
    result = grid_import(actor=admin(county), filename="grid_ok.geojson", content=content, commit=True)
    assert result.ok, [e.text for e in result.errors]
    assert Event.objects.count() == events + 1
    assert Event.objects.order_by("-seq").first().action == "grid_cell.import"
    zone = GridCell.objects.get(code="3501G0C-Z1")
    micro = GridCell.objects.get(code="3501G0C-Z1-M1")
    assert zone.parent == county.grid[0] and micro.parent == zone  # the child came first in the file
    assert (micro.min_x, micro.min_y, micro.max_x, micro.max_y) == (118.3, 26.05, 118.35, 26.1)
    assert micro.region == county.communities[0]
    assert micro.leader == county.person(RoleCode.GRID_WORKER, "t0")
    multi = GridCell.objects.get(code="3501G0C-Z1-M2")
    assert multi.geometry["type"] == "MultiPolygon" and multi.max_x == 118.5


def test_invalid_polygon_and_bad_properties_are_reported_and_nothing_is_written(county, other_county):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    content = collection(
        feature("N1", 4, "3501G0C", "350102001001", square(0.1, 0.1, 0.1)),  # 1: fine
        feature("N2", 5, "N1", "350102001001", bowtie),  # 2: self-intersection
        feature("N3", 5, "N1", "350102001001", square(200, 0, 1)),  # 3: longitude out of range
        feature("N4", 5, "NOPE", "350102001001", square(0, 0, 1)),  # 4: unknown parent
        feature("N5", 9, "N1", "350102001001", square(0, 0, 1)),  # 5: bad level
        feature("N6", 5, "N1", "350202001001", square(0, 0, 1)),  # 6: another county's region
        feature("N1", 5, "N1", "350102001001", square(0, 0, 1)),  # 7: duplicate code
        feature("N8", 5, "N1", "350102001001", {"type": "Point", "coordinates": [0, 0]}),  # 8: not a polygon
        feature(
            "N9", 5, "N1", "350102001001", square(0, 0, 1), leader_username="nobody"
        ),  # 9: no such person
        feature("3501G0C", 3, "3501G0", "350102001001", square(0, 0, 1)),  # 10: code exists
        feature("N11", 3, "N1", "350102001001", square(0, 0, 1)),  # 11: parent level not higher
    )
    before = (GridCell.objects.count(), Event.objects.count())
    result = grid_import(actor=admin(county), filename="bad.geojson", content=content, commit=True)
    assert not result.committed
    assert (GridCell.objects.count(), Event.objects.count()) == before
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "geometry"),
        (3, "geometry"),
        (4, "parent_code"),
        (5, "level"),
        (6, "region_code"),
        (7, "code"),
        (8, "geometry"),
        (9, "leader_username"),
        (10, "code"),
        (11, "parent_code"),
    }
    texts = {e.text for e in result.errors}
    assert any(t.startswith("第2个要素「geometry」：") and "自相交" in t for t in texts)
    assert "第4个要素「parent_code」：未找到上级网格“NOPE”" in texts
    assert "第7个要素「code」：与第1个要素重复" in texts


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "JSON 格式错误"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "没有任何要素"),
    ],
)
def test_unreadable_geojson_gives_a_clear_message(county, content, message):
    with pytest.raises(ServiceError) as caught:
        grid_import(actor=admin(county), filename="grid.geojson", content=content)
    assert message in caught.value.message


def test_wrong_file_type_is_refused(county):
    with pytest.raises(ServiceError) as caught:
        grid_import(actor=admin(county), filename="grid.csv", content=b"a,b")
    assert ".geojson" in caught.value.message
