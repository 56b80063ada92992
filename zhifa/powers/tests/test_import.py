"""Importing power items from published lists: every problem by row and column, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from zhifa.core.errors import ServiceError
from zhifa.core.models import Event
from zhifa.core.spreadsheets import csv_bytes
from zhifa.org.models import RoleCode
from zhifa.powers.basis import parse_basis
from zhifa.powers.exports import catalog_file
from zhifa.powers.imports import normalise_subject
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.services.imports import power_items_import

HEADERS = ["序号", "事项编码", "事项名称", "职权类型", "实施依据", "原实施主体", "赋予对象", "处罚种类",
           "罚款下限", "罚款上限", "罚款计算方式", "关键词", "备注"]  # fmt: skip


def row(**values) -> list[str]:
    base = {
        "序号": "1",
        "事项编码": "SC-001",
        "事项名称": "对销售不符合食品安全标准的食品的行政处罚",
        "职权类型": "行政处罚",
        "实施依据": "《中华人民共和国食品安全法》第三十四条；"
        "《中华人民共和国食品安全法》第一百二十四条第一款第（一）项",
        "原实施主体": "县市场监督管理局",
        "赋予对象": "全县各乡镇（街道）",
        "处罚种类": "罚款、没收违法所得、没收非法财物、吊销许可证件",
        "罚款下限": "",
        "罚款上限": "",
        "罚款计算方式": "货值金额十五倍以上三十倍以下",
        "关键词": "食品、安全标准",
        "备注": "",
    }
    base.update({k: str(v) for k, v in values.items()})
    return [base[h] for h in HEADERS]


def csv_file(*rows: list[str], headers=HEADERS, encoding: str = "utf-8") -> bytes:
    lines = [",".join(headers), *(",".join(f'"{v}"' for v in r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def admin(county):
    return county.user(RoleCode.ADMIN, "county")


def test_basis_parser_reads_articles_paragraphs_and_items():
    """APL Art. 38: the basis is kept as structured references (law, article, paragraph, item)."""
    assert parse_basis("《中华人民共和国消防法》第二十八条；第六十条第一款第（三）项、第二款") == [
        {"law": "中华人民共和国消防法", "article": 28},
        {"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 3},
        {"law": "中华人民共和国消防法", "article": 60, "paragraph": 2},
    ]
    assert parse_basis("《城市市容和环境卫生管理条例》第三十四条第（一）、（二）项") == [
        {"law": "城市市容和环境卫生管理条例", "article": 34, "item": 1},
        {"law": "城市市容和环境卫生管理条例", "article": 34, "item": 2},
    ]
    assert parse_basis("《中华人民共和国安全生产法》第九十七条第七项；《某条例》第5条") == [
        {"law": "中华人民共和国安全生产法", "article": 97, "item": 7},
        {"law": "某条例", "article": 5},
    ]
    assert parse_basis("《某法》第六十条至第六十二条") == [
        {"law": "某法", "article": n} for n in (60, 61, 62)
    ]
    assert parse_basis("依照有关法律规定") == []
    assert parse_basis("第十条第一款") == []  # no statute named: nothing can be placed


def test_subject_names_lose_the_county_level():
    assert normalise_subject("县市场监督管理局") == "市场监督管理局"
    assert normalise_subject("县（市、区）市场监督管理局") == "市场监督管理局"
    assert normalise_subject(" 区 城市管理局") == "城市管理局"


def test_valid_file_creates_every_item_with_one_event(admin, county):
    content = csv_file(
        row(),
        row(**{"序号": 2, "事项编码": "SC-002", "事项名称": "对未按规定公示的检查", "职权类型": "行政检查",
               "实施依据": "《中华人民共和国食品安全法》第一百一十条", "处罚种类": "",
               "罚款计算方式": "", "关键词": "检查"}),
    )  # fmt: skip
    preview = power_items_import(actor=admin, filename="清单.csv", content=content, commit=False)
    assert preview.ok and preview.total == 2 and not preview.committed
    assert not PowerItem.objects.exists()  # the preview writes nothing
    assert preview.preview_rows[0][:3] == ["2", "1", "SC-001"]
    before = Event.objects.count()
    result = power_items_import(actor=admin, filename="清单.csv", content=content, commit=True)
    assert result.committed and result.counts == {"power_items": 2}
    item = PowerItem.objects.get(code="SC-001")
    assert item.power_type == PowerType.PENALTY
    assert item.domain == county.domains["market"]  # the department's only domain
    assert item.basis_refs == [
        {"law": "中华人民共和国食品安全法", "article": 34},
        {"law": "中华人民共和国食品安全法", "article": 124, "paragraph": 1, "item": 1},
    ]
    assert item.penalty_types == ["罚款", "没收违法所得", "没收非法财物", "吊销许可证件"]
    assert item.fine_formula == "货值金额十五倍以上三十倍以下" and item.keywords == "食品、安全标准"
    assert PowerItem.objects.get(code="SC-002").power_type == PowerType.INSPECTION
    events = list(Event.objects.order_by("seq")[before:])
    assert [e.action for e in events] == ["power_item.import"]
    assert result.sha256 in events[0].data


def test_gbk_csv_from_excel_is_read(admin):
    content = csv_file(row(), encoding="gb18030")
    result = power_items_import(actor=admin, filename="清单.csv", content=content, commit=True)
    assert result.committed and PowerItem.objects.get().name.startswith("对销售不符合")


def test_broken_rows_save_nothing_and_every_problem_is_named(admin, county):
    PowerItem.objects.create(
        code="OLD-1", name="已有事项", power_type=PowerType.PENALTY, original_subject="县市场监督管理局",
        basis_text="《某法》第一条", basis_refs=[{"law": "某法", "article": 1}],
    )  # fmt: skip
    content = csv_file(
        row(**{"事项编码": "A-1", "实施依据": ""}),
        row(**{"序号": 2, "事项编码": "A-2", "原实施主体": "县不存在局"}),
        row(**{"序号": 3, "事项编码": "A-1"}),
        row(**{"序号": 4, "事项编码": "OLD-1"}),
        row(**{"序号": 5, "事项编码": "A-5", "职权类型": "行政许愿"}),
        row(**{"序号": 6, "事项编码": "A-6", "处罚种类": "罚款、打板子"}),
        row(**{"序号": 7, "事项编码": "A-7", "罚款下限": "5000", "罚款上限": "500", "罚款计算方式": ""}),
        row(**{"序号": 8, "事项编码": "A-8", "职权类型": "行政检查", "罚款计算方式": "", "处罚种类": "罚款"}),
        row(**{"序号": 9, "事项编码": "A-9", "实施依据": "依照有关规定"}),
        row(**{"序号": 10, "事项编码": "A-10", "罚款上限": "五千"}),
    )
    before = Event.objects.count()
    result = power_items_import(actor=admin, filename="坏.csv", content=content, commit=True)
    assert not result.committed and not result.ok
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found[(2, "实施依据")] == "实施依据不能为空"
    assert found[(3, "原实施主体")] == "原实施主体“县不存在局”不是已登记的部门"
    assert found[(4, "事项编码")] == "事项编码“A-1”与第2行重复"
    assert found[(5, "事项编码")] == "事项编码“OLD-1”已存在"
    assert found[(6, "职权类型")] == "职权类型“行政许愿”无法识别"
    assert found[(7, "处罚种类")] == "处罚种类无法识别：打板子"
    assert found[(8, "罚款下限")] == "罚款下限不能大于罚款上限"
    assert found[(9, "处罚种类")] == "处罚种类和罚款幅度只适用于行政处罚事项"
    assert found[(10, "实施依据")].startswith("未能识别出法律条款")
    assert found[(11, "罚款上限")] == "罚款上限必须是金额数字"
    assert result.errors[0].text == "第2行「实施依据」：实施依据不能为空"
    assert list(PowerItem.objects.values_list("code", flat=True)) == ["OLD-1"]
    assert Event.objects.count() == before


def test_missing_required_column_is_a_file_problem(admin):
    headers = [h for h in HEADERS if h != "实施依据"]
    content = csv_file([v for h, v in zip(HEADERS, row(), strict=True) if h != "实施依据"], headers=headers)
    with pytest.raises(ServiceError) as exc:
        power_items_import(actor=admin, filename="x.csv", content=content)
    assert exc.value.field == "file" and "实施依据" in exc.value.message


def test_only_importers_may_import(county):
    officer = county.user(RoleCode.OFFICER, "t0")
    with pytest.raises(ServiceError) as exc:
        power_items_import(actor=officer, filename="x.csv", content=csv_file(row()))
    assert exc.value.code == "not_allowed"


def test_exported_catalogue_imports_back_unchanged(admin, county):
    power_items_import(
        actor=admin,
        filename="a.csv",
        content=csv_file(row(), row(**{"序号": 2, "事项编码": "SC-9", "罚款计算方式": "",
                                       "罚款下限": "2000", "罚款上限": "20000.5", "备注": "=1+1"})),
        commit=True,
    )  # fmt: skip
    fields = ["code", "name", "power_type", "domain_id", "basis_text", "basis_refs", "original_subject",
              "penalty_types", "fine_min", "fine_max", "fine_formula", "keywords", "note"]  # fmt: skip
    original = list(PowerItem.objects.order_by("code").values(*fields))
    for fmt, name in (("xlsx", "export.xlsx"), ("csv", "export.csv")):
        content = catalog_file(PowerItem.objects.all(), fmt)
        PowerItem.objects.all().delete()
        result = power_items_import(actor=admin, filename=name, content=content, commit=True)
        assert result.committed, [e.text for e in result.errors]
        assert list(PowerItem.objects.order_by("code").values(*fields)) == original
    assert original[1]["fine_max"] == Decimal("20000.50") and original[1]["note"] == "=1+1"


def test_export_neutralises_formulas(admin):
    power_items_import(
        actor=admin, filename="a.csv", content=csv_file(row(**{"备注": "=HYPERLINK(1)"})), commit=True
    )
    sheet = openpyxl.load_workbook(io.BytesIO(catalog_file(PowerItem.objects.all(), "xlsx"))).active
    note_column = [c.value for c in sheet[1]].index("备注")
    assert sheet.cell(row=2, column=note_column + 1).value == "'=HYPERLINK(1)"
    assert sheet.cell(row=2, column=note_column + 1).data_type == "s"
    assert b"'=HYPERLINK(1)" in csv_bytes(["x"], [["=HYPERLINK(1)"]])
