"""Regions import: division codes (统计用区划代码) with name, level and parent.

The 12-digit code is hierarchical (2 province, 2 city, 2 county, 3 township, 3 village digits): a
region's code ends in zeros after its level's prefix, and its parent's code is its own prefix padded
with zeros. Parents may be in the database or anywhere in the same file (order does not matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhifa.org.imports.common import Column, ErrorReport, Table, chunks
from zhifa.org.models import Region, RegionLevel
from zhifa.org.models.structure import PREFIX_LENGTH
from zhifa.org.scoping import scope_for, visible

COLUMNS: tuple[Column, ...] = (
    Column("adcode", N_("区划代码"), ("adcode", "code", "代码"), required=True, help=N_("必填，12位数字")),
    Column("name", N_("名称"), ("name", "区划名称"), required=True, help=N_("必填")),
    Column(
        "level",
        N_("层级"),
        ("level", "级别"),
        required=True,
        help=N_("省、市、县、区、乡、镇、街道、社区或村"),
    ),
    Column(
        "parent",
        N_("上级区划代码"),
        ("parent", "parent_code", "parent code", "上级代码"),
        help=N_("选填；留空时按代码前缀推算"),
    ),
)

ADCODE = re.compile(r"^\d{12}$")
NAME_MAX = Region._meta.get_field("name").max_length

LEVEL_NAMES: dict[str, str] = {
    "省": RegionLevel.PROVINCE,
    "自治区": RegionLevel.PROVINCE,
    "直辖市": RegionLevel.PROVINCE,
    "市": RegionLevel.CITY,
    "地级市": RegionLevel.CITY,
    "州": RegionLevel.CITY,
    "县": RegionLevel.COUNTY,
    "区": RegionLevel.COUNTY,
    "县级市": RegionLevel.COUNTY,
    "县（区）": RegionLevel.COUNTY,
    "乡": RegionLevel.TOWNSHIP,
    "镇": RegionLevel.TOWNSHIP,
    "乡镇": RegionLevel.TOWNSHIP,
    "街道": RegionLevel.STREET,
    "社区": RegionLevel.COMMUNITY,
    "居委会": RegionLevel.COMMUNITY,
    "村": RegionLevel.VILLAGE,
    "行政村": RegionLevel.VILLAGE,
    "村委会": RegionLevel.VILLAGE,
}


def level_lookup() -> dict[str, str]:
    names = dict(LEVEL_NAMES)
    for level in RegionLevel:
        names[str(level.value)] = level.value
        names[str(level.label)] = level.value
        names[_(str(level.label)).lower()] = level.value
    return names


@dataclass
class RegionRow:
    row: int
    adcode: str
    name: str
    level: str
    parent_code: str | None


def _code_problem(adcode: str, level: str) -> str:
    """Why `adcode` cannot be a region of `level`, or "" (e.g. a township's last 3 digits are zeros)."""
    length = PREFIX_LENGTH[RegionLevel(level)]
    if adcode[length:].strip("0"):
        return _("与层级不符：%(level)s的代码第%(n)d位之后应全为0") % {
            "level": _(RegionLevel(level).label),
            "n": length,
        }
    segment_start = max((n for n in (0, 2, 4, 6, 9) if n < length), default=0)
    if not adcode[segment_start:length].strip("0"):
        return _("与层级不符：本级代码段（第%(a)d-%(b)d位）不能全为0") % {"a": segment_start + 1, "b": length}
    return ""


def validate_regions(actor: Any, table: Table) -> tuple[list[RegionRow], ErrorReport]:
    """Check every row of a regions table; returns the rows in parent-first order and the errors."""
    levels = level_lookup()
    report = ErrorReport()
    scope = scope_for(actor)
    allowed = scope.region_prefixes + scope.county_prefixes
    first_row_of: dict[str, int] = {}
    candidates: list[RegionRow] = []
    codes = sorted({v.get("adcode", "") for _n, v in table.rows})
    codes = [c for c in codes if ADCODE.match(c)]
    taken: set[str] = set()
    for part in chunks(codes):
        taken.update(Region.objects.filter(adcode__in=part).values_list("adcode", flat=True))

    for number, values in table.rows:
        before = len(report.errors)

        def error(key: str, message: str, number: int = number) -> None:
            report.add(number, table.label(key), message)

        adcode = values.get("adcode", "")
        name = values.get("name", "")
        level_text = values.get("level", "")
        level = levels.get(level_text) or levels.get(level_text.lower()) if level_text else None
        if not level_text:
            error("level", _("不能为空"))
        elif level is None:
            error("level", _("应为省、市、县、区、乡、镇、街道、社区或村"))
        if not adcode:
            error("adcode", _("不能为空"))
        elif not ADCODE.match(adcode):
            error("adcode", _("应为12位数字"))
        elif adcode in first_row_of:
            error("adcode", _("与第%(row)d行重复") % {"row": first_row_of[adcode]})
        elif adcode in taken:
            error("adcode", _("区划代码“%(code)s”已存在") % {"code": adcode})
        elif not scope.everything and not any(adcode.startswith(p) for p in allowed):
            error("adcode", _("不在您管理的区划范围内"))
        elif level is not None and (problem := _code_problem(adcode, level)):
            error("adcode", problem)
        if adcode:
            first_row_of.setdefault(adcode, number)
        if not name:
            error("name", _("不能为空"))
        elif len(name) > NAME_MAX:
            error("name", _("最长%(n)d个字符") % {"n": NAME_MAX})
        parent = values.get("parent", "")
        if parent and not ADCODE.match(parent):
            error("parent", _("应为12位数字"))
        if len(report.errors) == before:
            candidates.append(RegionRow(number, adcode, name, level, parent or None))

    # Parents: in the file or among the regions the importer may read; checked once all rows are known.
    # Shorter prefixes first: a parent is settled before its children, whatever the file's order.
    candidates.sort(key=lambda r: (PREFIX_LENGTH[RegionLevel(r.level)], r.adcode))
    candidate_levels = {r.adcode: r.level for r in candidates}
    wanted = sorted(
        {r.parent_code or _implied_parent(r.adcode, PREFIX_LENGTH[RegionLevel(r.level)]) for r in candidates}
        - {None}
    )
    existing: dict[str, Region] = {}
    for part in chunks(wanted):
        existing.update({r.adcode: r for r in visible(Region.objects.filter(adcode__in=part), actor)})
    in_file: dict[str, RegionRow] = {}
    ordered: list[RegionRow] = []
    for region in candidates:
        label_key = "parent" if region.parent_code else "adcode"
        length = PREFIX_LENGTH[RegionLevel(region.level)]
        parent_code = region.parent_code or _implied_parent(region.adcode, length)
        if parent_code is None:
            in_file[region.adcode] = region
            ordered.append(region)
            continue
        parent_level = (
            in_file[parent_code].level
            if parent_code in in_file
            else (existing[parent_code].level if parent_code in existing else None)
        )
        shorter_in_file = (
            parent_code in candidate_levels and PREFIX_LENGTH[candidate_levels[parent_code]] < length
        )
        if parent_level is None and parent_code in candidate_levels and not shorter_in_file:
            parent_level = candidate_levels[parent_code]  # not a shorter code: refused as inconsistent below
        elif parent_level is None and parent_code in first_row_of:
            report.add(
                region.row,
                table.label(label_key),
                _("上级区划（第%(row)d行）有误") % {"row": first_row_of[parent_code]},
            )
            continue
        if parent_level is None:
            report.add(
                region.row, table.label(label_key), _("上级区划“%(code)s”不存在") % {"code": parent_code}
            )
            continue
        parent_length = PREFIX_LENGTH[RegionLevel(parent_level)]
        if parent_length >= length or not region.adcode.startswith(parent_code[:parent_length]):
            report.add(
                region.row,
                table.label(label_key),
                _("上级区划“%(code)s”与区划代码不一致") % {"code": parent_code},
            )
            continue
        region.parent_code = parent_code
        in_file[region.adcode] = region
        ordered.append(region)
    return ordered, report


def _implied_parent(adcode: str, length: int) -> str | None:
    """The nearest enclosing code: village -> township, township -> county, county -> city, city -> province.

    A directly administered level whose digits are zeros is skipped (e.g. a county right under a
    province has no city segment).
    """
    for shorter in (9, 6, 4, 2):
        if shorter < length and adcode[shorter - (3 if shorter == 9 else 2) : shorter].strip("0"):
            return adcode[:shorter].ljust(12, "0")
    return None
