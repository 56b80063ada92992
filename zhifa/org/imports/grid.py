"""Grid import from GeoJSON: a FeatureCollection of grid cells (five levels) with their polygons.

Each feature's properties: code, name, level (1-5), parent_code, region_code (12-digit division code),
optional leader_username. Geometry: a valid Polygon or MultiPolygon in longitude/latitude (shapely).
Parents may be in the database or in the same file; a parent is always one level up or more, so
writing level by level puts every parent before its children.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from zhifa.core.errors import ServiceError
from zhifa.org.geometry import bbox, validate_geometry
from zhifa.org.imports.common import MAX_GEOJSON_BYTES, ErrorReport, chunks, extension, file_error
from zhifa.org.models import GridCell, GridLevel, Person, Region
from zhifa.org.scoping import visible

CODE_MAX = GridCell._meta.get_field("code").max_length
NAME_MAX = GridCell._meta.get_field("name").max_length
ADCODE = re.compile(r"^\d{12}$")
PROPERTIES = ("code", "name", "level", "parent_code", "region_code", "leader_username")


@dataclass
class CellRow:
    """A validated feature, ready to be written."""

    index: int
    code: str
    name: str
    level: int
    parent_code: str | None
    region: Region
    leader: Person | None
    geometry: dict
    bbox: tuple[float, float, float, float]


def read_features(filename: str, content: bytes) -> list[Any]:
    """The features of a GeoJSON FeatureCollection; file-level problems raise a ServiceError."""
    if extension(filename) not in ("geojson", "json"):
        raise file_error(_("不支持的文件类型，请上传 .geojson 文件。"))
    if not content:
        raise file_error(_("文件是空的。"))
    if len(content) > MAX_GEOJSON_BYTES:
        raise file_error(_("文件过大：最大%(mb)d MB。") % {"mb": MAX_GEOJSON_BYTES // (1024 * 1024)})
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise file_error(_("文件不是有效的 GeoJSON（JSON 格式错误）。")) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise file_error(_("GeoJSON 的顶层应为 FeatureCollection。"))
    features = data.get("features")
    if not isinstance(features, list):
        raise file_error(_("GeoJSON 缺少 features 列表。"))
    if not features:
        raise file_error(_("GeoJSON 中没有任何要素。"))
    return features


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_geometry(geometry: Any) -> tuple[dict | None, tuple[float, float, float, float] | None, str]:
    """Validate a GeoJSON geometry: (geometry, bbox, "") or (None, None, why it is refused).

    The rule is the grid form's (org.geometry.validate_geometry), so a polygon refused on the page is
    refused in a file too; a file must give every cell a polygon.
    """
    if not geometry:
        return None, None, _("缺少范围（geometry）")
    if not isinstance(geometry, dict):
        return None, None, _("应为 Polygon 或 MultiPolygon")
    try:
        data, geom = validate_geometry(geometry)
    except ServiceError as exc:
        return None, None, exc.message
    if data is None or geom is None:
        return None, None, _("缺少范围（geometry）")
    return data, bbox(geom), ""


def validate_grid(actor: Any, features: list[Any]) -> tuple[list[CellRow], ErrorReport]:
    """Check every feature; returns the cells ordered level by level, and the errors found."""
    report = ErrorReport(unit="feature")
    props: list[dict] = [
        f.get("properties") if isinstance(f, dict) and isinstance(f.get("properties"), dict) else {}
        for f in features
    ]
    codes = sorted({_text(p.get(k)) for p in props for k in ("code", "parent_code")} - {""})
    region_codes = sorted({_text(p.get("region_code")) for p in props} - {""})
    usernames = sorted({_text(p.get("leader_username")) for p in props} - {""})
    taken: set[str] = set()
    parents: dict[str, int] = {}
    regions: dict[str, Region] = {}
    leaders: dict[str, Person] = {}
    for part in chunks(codes):
        taken.update(GridCell.objects.filter(code__in=part).values_list("code", flat=True))
        parents.update(visible(GridCell.objects.filter(code__in=part), actor).values_list("code", "level"))
    for part in chunks(region_codes):
        regions.update({r.adcode: r for r in visible(Region.objects.filter(adcode__in=part), actor)})
    for part in chunks(usernames):
        people = visible(Person.objects.filter(user__username__in=part).select_related("user"), actor)
        leaders.update({p.user.username: p for p in people})

    first_of: dict[str, int] = {}
    valid: list[CellRow] = []
    levels_in_file: dict[str, int] = {}
    for index, (feature, prop) in enumerate(zip(features, props, strict=True), start=1):
        before = len(report.errors)

        def error(name: str, message: str, index: int = index) -> None:
            report.add(index, name, message)

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            error("", _("不是 GeoJSON Feature"))
            continue
        code = _text(prop.get("code"))
        if not code:
            error("code", _("不能为空"))
        elif len(code) > CODE_MAX:
            error("code", _("最长%(n)d个字符") % {"n": CODE_MAX})
        elif code in first_of:
            error("code", _("与第%(n)d个要素重复") % {"n": first_of[code]})
        elif code in taken:
            error("code", _("网格编码“%(code)s”已存在") % {"code": code})
        if code:
            first_of.setdefault(code, index)
        name = _text(prop.get("name"))
        if not name:
            error("name", _("不能为空"))
        elif len(name) > NAME_MAX:
            error("name", _("最长%(n)d个字符") % {"n": NAME_MAX})
        level_text = _text(prop.get("level"))
        level = int(level_text) if level_text.isdigit() and int(level_text) in GridLevel.values else None
        if level is None:
            error("level", _("应为1-5的整数（1区县、2街道乡镇、3社区、4片区网格、5微网格）"))
        elif code and code not in levels_in_file:
            levels_in_file[code] = level
        region_code = _text(prop.get("region_code"))
        region = regions.get(region_code)
        if not region_code:
            error("region_code", _("不能为空"))
        elif not ADCODE.match(region_code):
            error("region_code", _("应为12位数字的区划代码"))
        elif region is None:
            error("region_code", _("未找到区划代码“%(code)s”") % {"code": region_code})
        leader = None
        leader_name = _text(prop.get("leader_username"))
        if leader_name:
            leader = leaders.get(leader_name)
            if leader is None:
                error("leader_username", _("未找到用户名为“%(name)s”的人员") % {"name": leader_name})
        parent_code = _text(prop.get("parent_code")) or None
        if level is not None and level > GridLevel.DISTRICT and not parent_code:
            error("parent_code", _("第%(level)d级网格须填写上级网格编码") % {"level": level})
        geometry, bbox, problem = check_geometry(feature.get("geometry"))
        if problem:
            error("geometry", problem)
        if len(report.errors) == before:
            valid.append(CellRow(index, code, name, level, parent_code, region, leader, geometry, bbox))

    # Parents are checked once every feature is known, so the file's order does not matter. A parent is
    # always a higher level (a smaller number), so going level by level settles every parent first.
    valid.sort(key=lambda c: (c.level, c.index))
    accepted: dict[str, int] = {}
    ordered: list[CellRow] = []
    for cell in valid:
        parent = cell.parent_code
        if parent:
            # An accepted feature of this file, else a cell in the database the importer may read.
            parent_level = accepted.get(parent, parents.get(parent))
            if parent_level is None and parent in first_of:
                parent_level = levels_in_file.get(parent)
                if parent_level is None or parent_level < cell.level:
                    report.add(
                        cell.index,
                        "parent_code",
                        _("上级网格（第%(n)d个要素）有误") % {"n": first_of[parent]},
                    )
                    continue
            if parent_level is None:
                report.add(cell.index, "parent_code", _("未找到上级网格“%(code)s”") % {"code": parent})
                continue
            if parent_level >= cell.level:
                report.add(cell.index, "parent_code", _("上级网格的层级应高于本网格"))
                continue
        accepted[cell.code] = cell.level
        ordered.append(cell)
    return ordered, report
