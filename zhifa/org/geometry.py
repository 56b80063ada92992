"""Grid geometry with shapely 2: validate GeoJSON polygons, bounding boxes, and point location.

Polygons are stored as GeoJSON (WGS84 longitude/latitude) in `GridCell.geometry`, with the bounding box
in min_x..max_y so that a point query reads only the few cells whose box holds the point (DESIGN.md:
no PostGIS requirement). `GridIndex` builds an STRtree for bulk lookups (imports, benchmarks).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from zhifa.core.errors import ErrorCode, ServiceError

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
Bbox = tuple[float, float, float, float]


def _invalid(message: str, field: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field=field)


def parse_geojson(value: dict | str | None, *, field: str = "geometry") -> dict | None:
    """A GeoJSON geometry dict from a dict, a JSON text or a Feature; None/blank stays None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _invalid(_("网格范围不是有效的GeoJSON文本。"), field) from None
    if not isinstance(value, dict):
        raise _invalid(_("网格范围必须是GeoJSON对象。"), field)
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise _invalid(_("网格范围的Feature没有几何对象。"), field)
    return value


def validate_geometry(
    value: dict | str | None, *, field: str = "geometry"
) -> tuple[dict | None, BaseGeometry | None]:
    """Check a grid polygon and return (GeoJSON dict, shapely geometry); (None, None) when blank.

    Accepts a Polygon or MultiPolygon in WGS84 (longitude -180..180, latitude -90..90) that is valid
    (closed rings, no self-intersection) and not empty. Raises ServiceError naming `field` otherwise.
    """
    data = parse_geojson(value, field=field)
    if data is None:
        return None, None
    kind = data.get("type")
    if kind not in GEOMETRY_TYPES:
        raise _invalid(_("网格范围必须是Polygon或MultiPolygon，而不是“%(kind)s”。") % {"kind": kind}, field)
    try:
        geom = shape(data)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.GEOSException):
        raise _invalid(_("网格范围的坐标格式不正确。"), field) from None
    if not isinstance(geom, Polygon | MultiPolygon) or geom.is_empty:
        raise _invalid(_("网格范围为空。"), field)
    if geom.has_z:
        geom = shapely.force_2d(geom)
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise _invalid(_("网格范围含有无效的坐标数值。"), field)
    lon_ok = ((coords[:, 0] >= -180) & (coords[:, 0] <= 180)).all()
    lat_ok = ((coords[:, 1] >= -90) & (coords[:, 1] <= 90)).all()
    if not (lon_ok and lat_ok):
        raise _invalid(_("网格范围的坐标超出WGS84经纬度范围（经度-180至180，纬度-90至90）。"), field)
    if not geom.is_valid:
        reason = explain_validity(geom)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            raise _invalid(_("网格范围的边界自相交，请检查各点顺序。"), field)
        raise _invalid(_("网格范围不是有效的多边形（%(reason)s）。") % {"reason": reason}, field)
    if geom.area <= 0:
        raise _invalid(_("网格范围的面积为零。"), field)
    # Store the normalised 2-D form (lists, no z), so what is saved is exactly what was checked.
    return json.loads(shapely.to_geojson(geom)), geom


def bbox(geom: BaseGeometry | None) -> Bbox | tuple[None, None, None, None]:
    """(min_x, min_y, max_x, max_y) of a geometry; all None for no geometry."""
    if geom is None or geom.is_empty:
        return None, None, None, None
    min_x, min_y, max_x, max_y = geom.bounds
    return float(min_x), float(min_y), float(max_x), float(max_y)


def geometry_of(data: dict | None) -> BaseGeometry | None:
    """The shapely geometry of a stored (already validated) GeoJSON dict."""
    if not data:
        return None
    try:
        return shape(data)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.GEOSException):
        return None


def locate(x: float, y: float, queryset: QuerySet | None = None) -> Any:
    """The finest grid cell whose polygon covers the point (x=longitude, y=latitude), or None.

    The bounding-box columns narrow the candidates in SQL (index org_grid_bbox_idx); shapely then
    tests the polygons, finest level first. A point on a shared border belongs to the cell with the
    lowest code, so the answer does not depend on row order.
    """
    from zhifa.org.models import GridCell

    qs = GridCell.objects.all() if queryset is None else queryset
    candidates = qs.filter(min_x__lte=x, max_x__gte=x, min_y__lte=y, max_y__gte=y).order_by("-level", "code")
    point = shapely.Point(x, y)
    for cell in candidates.only("id", "code", "name", "level", "geometry", "region_id", "parent_id"):
        geom = geometry_of(cell.geometry)
        if geom is not None and geom.covers(point):
            return cell
    return None


class GridIndex:
    """An STRtree over grid polygons for locating many points at once (imports, benchmarks).

    Build it from `(cell_id, level, geojson)` rows, e.g. ``GridIndex.from_queryset(GridCell.objects.all())``.
    """

    def __init__(self, rows: Iterable[tuple[int, int, dict | None]]) -> None:
        ids: list[int] = []
        levels: list[int] = []
        geoms: list[BaseGeometry] = []
        for cell_id, level, data in rows:
            geom = geometry_of(data)
            if geom is None or geom.is_empty:
                continue
            ids.append(cell_id)
            levels.append(level)
            geoms.append(geom)
        self.ids = np.array(ids, dtype=np.int64)
        self.levels = np.array(levels, dtype=np.int64)
        self.geometries = geoms
        self.tree = shapely.STRtree(geoms)

    @classmethod
    def from_queryset(cls, queryset: QuerySet) -> GridIndex:
        return cls(queryset.exclude(geometry__isnull=True).values_list("id", "level", "geometry").iterator())

    def __len__(self) -> int:
        return len(self.geometries)

    def locate(self, x: float, y: float) -> int | None:
        """The id of the finest cell covering the point, or None."""
        return self.locate_many([(x, y)])[0]

    def locate_many(self, points: Sequence[tuple[float, float]]) -> list[int | None]:
        """For each (x, y), the id of the finest cell covering it (ties: the lowest id), or None."""
        result: list[int | None] = [None] * len(points)
        if not points or not len(self):
            return result
        geoms = shapely.points(np.asarray(points, dtype=float))
        # predicate "covered_by": point.covered_by(polygon), i.e. the polygon covers the point.
        point_idx, tree_idx = self.tree.query(geoms, predicate="covered_by")
        best: dict[int, tuple[int, int]] = {}
        for p, t in zip(point_idx.tolist(), tree_idx.tolist(), strict=True):
            key = (int(self.levels[t]), -int(self.ids[t]))
            if p not in best or key > best[p]:
                best[p] = key
        for p, (_level, neg_id) in best.items():
            result[p] = -neg_id
        return result
