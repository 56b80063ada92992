"""Reads of the five-level grid, always through data scoping (org.scoping.visible)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from zhifa.org.models import GridCell, GridLevel, Person, PersonStatus, Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.scoping import visible


def grid_cell_list(
    user: Any, *, region: Region | None = None, level: int | str | None = None, q: str = ""
) -> QuerySet[GridCell]:
    """Grid cells the user may read, optionally within a region (and below) and at one level."""
    qs = visible(GridCell.objects.select_related("region", "parent", "leader"), user)
    if region is not None:
        qs = qs.filter(region__adcode__under=region.prefix)
    try:
        level = int(level) if level not in (None, "") else None
    except (TypeError, ValueError):
        level = None
    if level in GridLevel.values:
        qs = qs.filter(level=level)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.annotate(worker_count=Count("workers", distinct=True)).order_by("code")


def grid_filter_regions(user: Any) -> QuerySet[Region]:
    """Regions offered in the grid list's filter: counties and townships the user may read."""
    levels = (RegionLevel.COUNTY, *TOWNSHIP_LEVELS)
    return visible(Region.objects.filter(level__in=levels), user).order_by("adcode")


def grid_cell_children(user: Any, cell: GridCell) -> list[GridCell]:
    """The sub-cells of `cell` that the user may read, with their leaders."""
    return list(
        visible(cell.children.select_related("leader", "region"), user)
        .annotate(worker_count=Count("workers", distinct=True))
        .order_by("code")
    )


def grid_cell_workers(cell: GridCell) -> list[Person]:
    """The grid workers of a cell the caller has already fetched through scoping."""
    return list(cell.workers.select_related("region").order_by("name"))


def grid_assignable_people(user: Any, cell: GridCell) -> QuerySet[Person]:
    """Active people the user may read who work in the cell's township (or county, for a district cell)."""
    prefix = cell.region.adcode[:9] if cell.level >= GridLevel.TOWNSHIP else cell.region.adcode[:6]
    qs = Person.objects.filter(status=PersonStatus.ACTIVE, region__adcode__under=prefix)
    return visible(qs, user).select_related("region").order_by("name", "id")


def grid_map_data(cell: GridCell, children: list[GridCell]) -> dict:
    """A GeoJSON FeatureCollection of the cell (role "cell") and its children (role "child")."""
    features = []
    for item, role in [(cell, "cell"), *((child, "child") for child in children)]:
        if not item.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": item.geometry,
                "properties": {
                    "id": item.pk,
                    "name": item.name,
                    "code": item.code,
                    "role": role,
                    "url": reverse("grid-detail", args=[item.pk]) if role == "child" else "",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
