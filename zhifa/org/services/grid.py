"""Writes to the five-level grid (五级网格): cells with GeoJSON polygons, grid leaders and workers.

Each service runs in one transaction and writes exactly one record event; updates check `version`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode
from zhifa.core.record import record_change, snapshot
from zhifa.org.geometry import bbox, validate_geometry
from zhifa.org.models import GridCell, GridLevel, Person, PersonStatus, Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.services.structure_rules import (
    clean_text,
    county_prefix,
    delete_recorded,
    invalid,
    lock,
    require,
    save_recorded,
    update_recorded,
    within,
)

GRID_FIELDS = ("code", "name", "level", "parent", "region", "geometry")
ASSIGN_FIELDS = ("leader", "workers")

# The region level each grid level sits on: district = county, street = township, community = village;
# zone and micro grids subdivide a community (or a township without communities).
REGION_LEVELS: dict[int, tuple[str, ...]] = {
    GridLevel.DISTRICT: (RegionLevel.COUNTY,),
    GridLevel.TOWNSHIP: TOWNSHIP_LEVELS,
    GridLevel.COMMUNITY: (RegionLevel.COMMUNITY, RegionLevel.VILLAGE),
    GridLevel.ZONE_GRID: (RegionLevel.COMMUNITY, RegionLevel.VILLAGE, *TOWNSHIP_LEVELS),
    GridLevel.MICRO_GRID: (RegionLevel.COMMUNITY, RegionLevel.VILLAGE, *TOWNSHIP_LEVELS),
}


def _grid_values(
    *,
    code: Any,
    name: Any,
    level: Any,
    region: Region | None,
    parent: GridCell | None,
    geometry: Any,
    current: GridCell | None,
) -> dict:
    code = clean_text(code, field="code", label=_("编码"), model=GridCell)
    name = clean_text(name, field="name", label=_("名称"), model=GridCell)
    try:
        level = GridLevel(int(level))
    except (TypeError, ValueError):
        raise invalid(_("请选择网格层级。"), "level", ErrorCode.REQUIRED) from None
    require(region, field="region", label=_("区划"))
    if GridCell.objects.filter(code=code).exclude(pk=getattr(current, "pk", None)).exists():
        raise invalid(_("网格编码“%(code)s”已存在。") % {"code": code}, "code", ErrorCode.DUPLICATE)
    if parent is None:
        if level != GridLevel.DISTRICT:
            raise invalid(
                _("只有区（县）网格可以没有上级网格，请选择上级网格。"), "parent", ErrorCode.REQUIRED
            )
    else:
        if current is not None and parent.pk == current.pk:
            raise invalid(_("上级网格不能是自己。"), "parent")
        if level != parent.level + 1:
            expected = GridLevel(parent.level + 1).label if parent.level < GridLevel.MICRO_GRID else None
            message = (
                _("层级应为上级网格“%(parent)s”的下一级：%(expected)s。")
                % {"parent": parent.name, "expected": expected}
                if expected
                else _("微网格是最末一级，不能再有下级网格。")
            )
            raise invalid(message, "level")
        if not within(region, parent.region):
            raise invalid(
                _("网格所在区划必须在上级网格的区划“%(name)s”之内。") % {"name": parent.region.name}, "region"
            )
    if region.level not in REGION_LEVELS[level]:
        raise invalid(
            _("%(level)s不能设在%(region_level)s“%(name)s”。")
            % {"level": level.label, "region_level": region.get_level_display(), "name": region.name},
            "region",
        )
    if current is not None:
        children = current.children.select_related("region")
        if level != current.level and children.exists():
            raise invalid(_("“%(name)s”已有下级网格，不能修改层级。") % {"name": current.name}, "level")
        stray = next((c for c in children if not within(c.region, region)), None)
        if stray is not None:
            raise invalid(_("下级网格“%(name)s”不在新区划之内。") % {"name": stray.name}, "region")
    data, geom = validate_geometry(geometry, field="geometry")
    min_x, min_y, max_x, max_y = bbox(geom)
    return {
        "code": code,
        "name": name,
        "level": int(level),
        "region": region,
        "parent": parent,
        "geometry": data,
        "min_x": min_x,
        "min_y": min_y,
        "max_x": max_x,
        "max_y": max_y,
    }


def grid_cell_create(
    *,
    actor: Any,
    code: str,
    name: str,
    level: int,
    region: Region,
    parent: GridCell | None = None,
    geometry: dict | str | None = None,
) -> GridCell:
    """Create a grid cell one level below its parent, with a valid WGS84 Polygon/MultiPolygon (or none yet).

    The bounding box columns are filled from the polygon, for point location (org.geometry.locate).
    """
    with transaction.atomic():
        values = _grid_values(
            code=code, name=name, level=level, region=region, parent=parent, geometry=geometry, current=None
        )
        return save_recorded(
            actor=actor, obj=GridCell(**values), action="grid_cell.create", fields=GRID_FIELDS, before=None
        )


def grid_cell_update(
    *,
    actor: Any,
    cell: GridCell,
    code: str,
    name: str,
    level: int,
    region: Region,
    parent: GridCell | None = None,
    geometry: dict | str | None = None,
    expected_version: int | None = None,
) -> GridCell:
    """Change a grid cell: name, code, place in the tree, polygon."""
    with transaction.atomic():
        current = lock(GridCell, cell, expected_version)
        values = _grid_values(
            code=code,
            name=name,
            level=level,
            region=region,
            parent=parent,
            geometry=geometry,
            current=current,
        )
        return update_recorded(
            actor=actor, obj=current, action="grid_cell.update", fields=GRID_FIELDS, values=values
        )


def _grid_person(person: Person, cell: GridCell, field: str, label: str) -> Person:
    if person.status != PersonStatus.ACTIVE:
        raise invalid(_("%(label)s“%(name)s”不在岗。") % {"label": label, "name": person.name}, field)
    if not person.region.adcode.startswith(county_prefix(cell.region)):
        raise invalid(
            _("%(label)s“%(name)s”不在本网格所在的县（区）工作。") % {"label": label, "name": person.name},
            field,
        )
    return person


def grid_cell_assign(
    *,
    actor: Any,
    cell: GridCell,
    leader: Person | None,
    workers: Iterable[Person],
    expected_version: int | None = None,
) -> GridCell:
    """Set a cell's grid leader (网格长) and grid workers (网格员): active people of the same county."""
    with transaction.atomic():
        current = lock(GridCell, cell, expected_version)
        before = snapshot(current, ASSIGN_FIELDS)
        workers = list(workers)
        if leader is not None:
            _grid_person(leader, current, "leader", _("网格长"))
        for worker in workers:
            _grid_person(worker, current, "workers", _("网格员"))
        current.leader = leader
        current.save(update_fields=["leader"])
        current.workers.set(workers)
        record_change(
            actor=actor, action="grid_cell.assign", obj=current, fields=ASSIGN_FIELDS, before=before
        )
        return current


def grid_cell_delete(*, actor: Any, cell: GridCell) -> None:
    """Delete a grid cell without sub-cells."""
    with transaction.atomic():
        delete_recorded(actor=actor, obj=lock(GridCell, cell), action="grid_cell.delete", fields=GRID_FIELDS)
