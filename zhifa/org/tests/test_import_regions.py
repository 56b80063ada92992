"""Regions import from csv/xlsx: division codes, levels and parents (issue 2, point 3)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from zhifa.core.models import Event
from zhifa.org.models import Region, RegionLevel, RoleCode
from zhifa.org.services.imports import regions_import

pytestmark = pytest.mark.django_db


def admin(county):
    return county.user(RoleCode.ADMIN, "county")


def test_children_before_parents_in_the_file_are_imported_with_derived_parents(county):
    # Villages listed before their new township; the township's parent (the county) is in the database.
    text = "\n".join(
        [
            "区划代码,名称,层级,上级区划代码",
            "350102003001,南岭一村,村,",
            "350102003002,南岭社区,社区,350102003000",
            "350102003000,南岭镇,镇,",
        ]
    )
    events = Event.objects.count()
    result = regions_import(actor=admin(county), filename="regions.csv", content=text.encode(), commit=True)
    assert result.ok, [e.text for e in result.errors]
    town = Region.objects.get(adcode="350102003000")
    assert town.level == RegionLevel.TOWNSHIP and town.parent == county.county
    assert set(town.children.values_list("adcode", flat=True)) == {"350102003001", "350102003002"}
    assert Region.objects.get(adcode="350102003002").level == RegionLevel.COMMUNITY
    assert Event.objects.count() == events + 1
    event = Event.objects.order_by("-seq").first()
    assert event.action == "region.import" and json.loads(event.data)["after"]["counts"] == {"regions": 3}


def test_bad_rows_are_reported_and_nothing_is_written(county, other_county):
    text = "\n".join(
        [
            "区划代码,名称,层级,上级区划代码",
            "350102004000,北坡镇,镇,",  # row 2: fine on its own
            "35010200500,短码镇,镇,",  # row 3: 11 digits
            "350102001000,东湖镇,镇,",  # row 4: exists already
            "350102006000,,镇,",  # row 5: no name
            "350102007000,某镇,都,",  # row 6: unknown level
            "350102008001,某村,镇,",  # row 7: a township code must end in 000
            "350102009001,孤村,村,",  # row 8: parent 350102009000 is nowhere
            "350202003000,外县镇,镇,",  # row 9: another county: outside the importer's area
            "350102004001,北坡村,村,350102001000",  # row 10: parent inconsistent with the code
            "350102004000,北坡镇,镇,",  # row 11: duplicate in the file
        ]
    )
    before = (Region.objects.count(), Event.objects.count())
    result = regions_import(actor=admin(county), filename="regions.csv", content=text.encode(), commit=True)
    assert not result.committed
    assert (Region.objects.count(), Event.objects.count()) == before
    found = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "区划代码"),
        (4, "区划代码"),
        (5, "名称"),
        (6, "层级"),
        (7, "区划代码"),
        (8, "区划代码"),
        (9, "区划代码"),
        (10, "上级区划代码"),
        (11, "区划代码"),
    } == found
    texts = {e.text for e in result.errors}
    assert "第3行「区划代码」：应为12位数字" in texts
    assert "第4行「区划代码」：区划代码“350102001000”已存在" in texts
    assert "第8行「区划代码」：上级区划“350102009000”不存在" in texts
    assert "第9行「区划代码」：不在您管理的区划范围内" in texts


def test_child_of_a_bad_row_names_the_parent_row(county):
    text = "区划代码,名称,层级\n350102005000,,镇\n350102005001,某村,村\n"
    result = regions_import(actor=admin(county), filename="r.csv", content=text.encode())
    assert [e.text for e in result.errors] == [
        "第2行「名称」：不能为空",
        "第3行「区划代码」：上级区划（第2行）有误",
    ]


def test_xlsx_with_level_codes_and_numeric_codes(county, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["adcode", "name", "level"])
    workbook.active.append([350102007000, "新区街道", "street"])
    workbook.active.append([350102007001, "新区社区", "community"])
    path = tmp_path / "regions.xlsx"
    workbook.save(path)
    result = regions_import(actor=admin(county), filename=path.name, content=path.read_bytes(), commit=True)
    assert result.ok, [e.text for e in result.errors]
    assert Region.objects.get(adcode="350102007001").parent.adcode == "350102007000"
