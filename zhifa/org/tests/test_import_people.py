"""People import from xlsx/csv: per-row error report and all-or-nothing commit (issue 2, point 3)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.imports.common import sha256_hex
from zhifa.org.models import Agency, AgencyKind, Person, PersonStatus, RoleCode
from zhifa.org.services.imports import people_import
from zhifa.org.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = "用户名,姓名,手机,执法主体,执法队伍,指挥中心,工作区划代码,角色,状态,初始密码"


def good_csv() -> str:
    return (
        "\n".join(
            [
                HEADER,
                "wangwu,王五,13800138001,东湖镇人民政府,东湖镇综合行政执法队,,,执法人员、队长,在岗,",
                f"zhaoliu,赵六,,县市监,,,,法制审核员,,{TEST_PASSWORD}",
                "qianqi,钱七,139 0013 8002,,,测试县指挥中心,,指挥调度员,,",
                "sunba,孙八,,西山街道办事处,,,350102002001,网格员,已退休,",
            ]
        )
        + "\n"
    )


def admin(county):
    return county.user(RoleCode.ADMIN, "county")


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Person.objects.count(), Event.objects.count()


def test_valid_csv_creates_people_with_roles_agencies_and_one_event(county):
    before_users, before_people, before_events = counts()
    content = good_csv().encode("utf-8")
    result = people_import(actor=admin(county), filename="people.csv", content=content, commit=True)
    assert result.ok and result.committed
    assert counts() == (before_users + 4, before_people + 4, before_events + 1)

    wang = Person.objects.get(user__username="wangwu")
    assert wang.agency == county.township_agencies[0]
    assert wang.team == county.teams[0]
    assert wang.region == county.townships[0]  # default: the agency's region
    assert wang.phone == "13800138001"
    assert set(wang.roles.values_list("code", flat=True)) == {RoleCode.OFFICER, RoleCode.TEAM_LEADER}
    assert not wang.user.has_usable_password()  # no initial password: an administrator resets it

    zhao = Person.objects.get(user__username="zhaoliu")
    assert zhao.agency == county.department_agency  # found by its short name
    assert zhao.user.password.startswith("argon2")
    assert zhao.user.check_password(TEST_PASSWORD)

    qian = Person.objects.get(user__username="qianqi")
    assert qian.command_center == county.command_center and qian.agency is None
    assert qian.region == county.county and qian.phone == "13900138002"

    sun = Person.objects.get(user__username="sunba")
    assert sun.region == county.communities[1]
    assert sun.status == PersonStatus.RETIRED and sun.status_date is not None

    event = Event.objects.order_by("-seq").first()
    assert event.action == "person.import" and event.object_type == "org.import"
    assert event.object_id == result.batch_id and event.actor_id == admin(county).pk
    data = json.loads(event.data)
    assert data["after"]["file_sha256"] == sha256_hex(content)
    assert data["after"]["counts"]["people"] == 4


def test_dry_run_writes_nothing_and_gives_a_preview(county):
    before = counts()
    result = people_import(actor=admin(county), filename="people.csv", content=good_csv().encode())
    assert result.ok and not result.committed and result.total == 4
    assert counts() == before
    assert result.preview_headers[0] == "用户名" and result.preview_rows[0][:3] == ["2", "wangwu", "王五"]
    # Initial passwords are never echoed back on the preview page.
    assert TEST_PASSWORD not in json.dumps(result.preview_rows)


def test_bad_rows_are_all_reported_with_row_and_column_and_nothing_is_written(county, other_county):
    Agency.objects.create(
        name="外县应急管理局", short_name="外应急", kind=AgencyKind.DEPARTMENT, region=other_county.county
    )
    existing = county.user(RoleCode.OFFICER, "t0").username
    rows = [
        HEADER,
        "ok1,正常,,东湖镇人民政府,,,,执法人员,,",  # row 2: fine
        "noname,,,东湖镇人民政府,,,,执法人员,,",  # row 3: missing name
        "badphone,甲,1234567,东湖镇人民政府,,,,执法人员,,",  # row 4: bad phone
        "foreign,乙,,外县应急管理局,,,,执法人员,,",  # row 5: another county's agency: not found
        "ok1,丙,,东湖镇人民政府,,,,执法人员,,",  # row 6: duplicate username in the file
        f"{existing},丁,,东湖镇人民政府,,,,执法人员,,",  # row 7: username already in the database
        "badrole,戊,,东湖镇人民政府,,,,执法人员、局长,,",  # row 8: unknown role
        "badteam,己,,东湖镇人民政府,西山街道综合行政执法队,,,执法人员,,",  # row 9: team of another agency
        "bad name!,庚,,东湖镇人民政府,,,,,,",  # row 10: invalid username
        "nowhere,辛,,,,,,执法人员,,",  # row 11: neither agency nor command centre
        "badstatus,壬,,东湖镇人民政府,,,3501020010,执法人员,出差,",  # row 12: region code and status
        "weakpw,癸,,东湖镇人民政府,,,,执法人员,,123",  # row 13: weak password
    ]
    before = counts()
    result = people_import(
        actor=admin(county), filename="people.csv", content="\n".join(rows).encode(), commit=True
    )
    assert not result.ok and not result.committed
    assert counts() == before  # nothing written: no users, no people, no events
    found = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "姓名"),
        (4, "手机"),
        (5, "执法主体"),
        (6, "用户名"),
        (7, "用户名"),
        (8, "角色"),
        (9, "执法队伍"),
        (10, "用户名"),
        (11, "执法主体"),
        (12, "工作区划代码"),
        (12, "状态"),
        (13, "初始密码"),
    } <= found
    assert not any(e.row == 2 for e in result.errors)
    texts = [e.text for e in result.errors]
    assert "第4行「手机」：应为11位手机号码" in texts
    assert "第3行「姓名」：不能为空" in texts
    assert any(t.startswith("第13行「初始密码」：密码太短，至少需要10个字符") for t in texts)
    assert "第5行「执法主体」：未找到执法主体“外县应急管理局”" in texts
    assert "第6行「用户名」：与第2行重复" in texts
    assert f"第7行「用户名」：用户名“{existing}”已存在" in texts
    assert "第8行「角色」：未知角色“局长”" in texts
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)


def test_gbk_csv_from_excel_is_read(county):
    content = good_csv().encode("gbk")
    result = people_import(actor=admin(county), filename="人员.csv", content=content, commit=True)
    assert result.ok, [e.text for e in result.errors]
    assert Person.objects.get(user__username="wangwu").name == "王五"


def test_utf8_bom_csv_with_english_headers_in_another_order(county):
    text = "name,username,agency,roles\n小明,xiaoming,东湖镇人民政府,officer\n"
    result = people_import(
        actor=admin(county), filename="p.csv", content=("\ufeff" + text).encode(), commit=True
    )
    assert result.ok, [e.text for e in result.errors]
    person = Person.objects.get(user__username="xiaoming")
    assert list(person.roles.values_list("code", flat=True)) == [RoleCode.OFFICER]


def test_xlsx_with_numeric_cells_and_errors_named_by_english_header(county, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["username", "姓名", "phone", "执法主体", "工作区划代码"])
    sheet.append(["li4", "李四", 13800138009, "东湖综执", 350102001001])  # numbers, as Excel stores them
    sheet.append([None, None, None, None, None])  # blank rows are skipped but keep the numbering
    sheet.append(["li5", "李五", 2800138009, "东湖综执", None])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    result = people_import(actor=admin(county), filename=path.name, content=path.read_bytes(), commit=True)
    assert [e.text for e in result.errors] == ["第4行「phone」：应为11位手机号码"]
    assert not Person.objects.filter(user__username__in=["li4", "li5"]).exists()

    sheet.delete_rows(4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = people_import(
        actor=admin(county), filename="people.xlsx", content=buffer.getvalue(), commit=True
    )
    assert result.ok, [e.text for e in result.errors]
    li4 = Person.objects.get(user__username="li4")
    assert li4.phone == "13800138009" and li4.region == county.communities[0]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("people.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("people.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        ("people.xlsx", b"PK\x03\x04 this is not really a zip", "无法读取该 Excel 文件"),
        ("people.csv", b"", "文件是空的"),
        ("people.csv", "用户名,姓名\n".encode(), "没有数据行"),
        ("people.csv", "姓名,手机\n张三,13800138000\n".encode(), "缺少必需的列：用户名"),
        ("people.csv", b"\x00\x01\x02binary", "不是文本格式"),
    ],
)
def test_unreadable_files_raise_a_clear_message(county, filename, content, message):
    with pytest.raises(ServiceError) as caught:
        people_import(actor=admin(county), filename=filename, content=content)
    assert caught.value.field == "file" and message in caught.value.message


def test_only_administrators_may_import(county):
    with pytest.raises(ServiceError) as caught:
        people_import(
            actor=county.user(RoleCode.JUSTICE_BUREAU, "county"),
            filename="p.csv",
            content=good_csv().encode(),
            commit=True,
        )
    assert caught.value.code == ErrorCode.NOT_ALLOWED
    assert not User.objects.filter(username="wangwu").exists()
