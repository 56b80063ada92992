"""Plausible polygons for generated regions and grid cells (lon/lat, WGS 84, GeoJSON order x=lon, y=lat).

The demo county is an irregular outline split into townships by Voronoi cells of seeded random points
(clipped to the county), townships into communities the same way, and so on down to micro grids, so
that every child lies inside its parent. At province scale `split_rectangles` cuts boxes into rows and
columns instead: valid, nested and much cheaper.
"""

from __future__ import annotations

import math
import random

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.prepared import prep

DIGITS = 7  # ~1 cm at these latitudes: enough, and keeps GeoJSON short
_LLOYD_ROUNDS = 1
_ORDERED = shapely.geos_version >= (3, 12, 0)


def county_outline(rng: random.Random, lon: float, lat: float, radius: float, vertices: int = 28) -> Polygon:
    """An irregular star-shaped (hence simple, valid) outline of about `radius` degrees around a centre."""
    bumps = [rng.uniform(0.72, 1.0) for _ in range(vertices)]
    # Smooth neighbouring radii so the outline wanders rather than spikes.
    radii = [(bumps[i - 1] + 2 * bumps[i] + bumps[(i + 1) % vertices]) / 4 for i in range(vertices)]
    points = []
    for i, r in enumerate(radii):
        angle = 2 * math.pi * i / vertices + rng.uniform(-0.08, 0.08)
        # A degree of longitude is shorter than one of latitude: stretch x so the county looks round.
        points.append(
            (
                lon + r * radius * math.cos(angle) / math.cos(math.radians(lat)),
                lat + r * radius * math.sin(angle),
            )
        )
    return Polygon(points)


def _random_points(rng: random.Random, area: Polygon, count: int) -> list[Point]:
    """`count` distinct random points inside `area` (rejection sampling in its bounding box)."""
    min_x, min_y, max_x, max_y = area.bounds
    prepared = prep(area)
    points: list[Point] = []
    for _attempt in range(count * 200):
        if len(points) == count:
            break
        point = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if prepared.contains(point):
            points.append(point)
    centre = area.representative_point()
    while len(points) < count:  # a sliver: fall back to points between its inner point and its boundary
        edge = area.exterior.interpolate(len(points) / count, normalized=True)
        points.append(Point((centre.x + edge.x) / 2, (centre.y + edge.y) / 2))
    return points


def _largest_polygon(geometry: BaseGeometry) -> Polygon | None:
    polygons = [
        g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon) and not g.is_empty
    ]
    return max(polygons, key=lambda g: g.area) if polygons else None


def _voronoi_cells(area: Polygon, seeds: list[Point]) -> list[Polygon | None]:
    """The Voronoi cell of each seed, clipped to `area`, in seed order."""
    if _ORDERED:
        cells = list(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=area, ordered=True).geoms)
    else:  # GEOS < 3.12: match cells to seeds
        unordered = list(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=area).geoms)
        tree = shapely.STRtree(unordered)
        cells = [unordered[int(tree.query(seed, predicate="within")[0])] for seed in seeds]
    clipped = shapely.intersection(cells, area)
    return [_largest_polygon(cell) for cell in clipped]


def split_voronoi(rng: random.Random, area: Polygon, count: int) -> list[Polygon]:
    """Split `area` into `count` valid polygons inside it (Voronoi cells, relaxed once towards centroids)."""
    if count <= 1:
        return [area]
    seeds = _random_points(rng, area, count)
    cells = _voronoi_cells(area, seeds)
    for _round in range(_LLOYD_ROUNDS):
        # Lloyd relaxation: even out cell sizes, as real townships are neither slivers nor giants.
        moved = [
            c.centroid if c is not None and area.contains(c.centroid) else s
            for c, s in zip(cells, seeds, strict=True)
        ]
        if len({(p.x, p.y) for p in moved}) < count:
            break
        seeds = moved
        cells = _voronoi_cells(area, seeds)
    result = []
    for cell, seed in zip(cells, seeds, strict=True):
        # A seed whose cell vanished (degenerate input) gets a tiny square around it, still inside.
        result.append(cell if cell is not None and cell.area > 0 else _tiny_square(area, seed))
    return result


def _tiny_square(area: Polygon, seed: Point) -> Polygon:
    size = math.sqrt(area.area) / 100
    square = box(seed.x - size, seed.y - size, seed.x + size, seed.y + size).intersection(area)
    return _largest_polygon(square) or area


def split_rectangles(bounds: tuple[float, float, float, float], count: int) -> list[Polygon]:
    """Cut a box into `count` rectangles: rows of near-equal columns, all inside the box."""
    min_x, min_y, max_x, max_y = bounds
    if count <= 1:
        return [box(min_x, min_y, max_x, max_y)]
    rows = max(1, round(math.sqrt(count * (max_y - min_y) / max(max_x - min_x, 1e-9))))
    rows = min(rows, count)
    per_row = [count // rows + (1 if r < count % rows else 0) for r in range(rows)]
    height = (max_y - min_y) / rows
    cells: list[Polygon] = []
    for r, columns in enumerate(per_row):
        width = (max_x - min_x) / columns
        y0 = min_y + r * height
        cells.extend(box(min_x + c * width, y0, min_x + (c + 1) * width, y0 + height) for c in range(columns))
    return cells


def split(rng: random.Random, area: Polygon, count: int, style: str) -> list[Polygon]:
    """Split by `style`: "voronoi" (plausible shapes) or "rect" (province scale)."""
    if style == "rect":
        return split_rectangles(area.bounds, count)
    return split_voronoi(rng, area, count)


def to_geojson(polygon: Polygon) -> dict:
    """GeoJSON of a polygon with rounded coordinates, kept valid (rounding can pinch a thin sliver)."""
    rounded = shapely.set_precision(orient(polygon, 1.0), 10**-DIGITS)
    if not isinstance(rounded, Polygon) or rounded.is_empty or not rounded.is_valid:
        rounded = _largest_polygon(shapely.make_valid(rounded)) or polygon
    rings = [rounded.exterior, *rounded.interiors]
    return {
        "type": "Polygon",
        "coordinates": [[[round(x, DIGITS), round(y, DIGITS)] for x, y in ring.coords] for ring in rings],
    }


def rectangle_geojson(polygon: Polygon) -> dict:
    """GeoJSON of an axis-aligned rectangle straight from its bounds (province scale: 100,000 of them)."""
    x0, y0, x1, y1 = (round(v, DIGITS) for v in polygon.bounds)
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def bbox(polygon: Polygon) -> tuple[float, float, float, float]:
    """(min_x, min_y, max_x, max_y) for the grid cell's bounding-box columns."""
    min_x, min_y, max_x, max_y = polygon.bounds
    return round(min_x, DIGITS), round(min_y, DIGITS), round(max_x, DIGITS), round(max_y, DIGITS)
