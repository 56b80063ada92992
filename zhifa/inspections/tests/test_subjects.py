"""Subjects: create/update/validation/scope, conflict declarations, and the register import (issue 7)."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.inspections.imports import import_subjects
from zhifa.inspections.models import InspectorConflict, RiskLevel, Subject, SubjectKind
from zhifa.inspections.services.subjects import (
    SubjectInput,
    conflict_declare,
    subject_create,
    subject_update,
)
from zhifa.inspections.testing import uscc_for
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def _input(insp, n: int = 900, **changes) -> SubjectInput:
    data = SubjectInput(
        uscc=uscc_for(n),
        name="新开饭店",
        kind=SubjectKind.ENTERPRISE,
        address="东湖镇新街1号",
        industry=insp.industries["catering"],
        risk_level=RiskLevel.B,
        township=insp.county.townships[0],
        contact_name="张三",
        contact_phone="13800000000",
    )
    return replace(data, **changes)


def _admin(insp, place: str = "t0"):
    return insp.county.user(RoleCode.ADMIN, place)


def test_create_writes_subject_and_one_event(insp):
    subject = subject_create(actor=_admin(insp), data=_input(insp))
    subject.refresh_from_db()
    assert subject.township == insp.county.townships[0]
    assert subject.risk_level == "B" and subject.version == 1
    assert Event.objects.filter(action="inspections.subject.create").count() == 1


def test_create_with_position_is_placed_in_grid(insp):
    subject = subject_create(actor=_admin(insp), data=_input(insp, township=None, lng=0.3, lat=0.4))
    assert subject.township == insp.county.townships[0]
    assert subject.grid_cell == insp.county.grid[0]


def test_position_outside_scope_is_refused(insp):
    with pytest.raises(ServiceError) as exc:
        subject_create(actor=_admin(insp, "t1"), data=_input(insp, township=None, lng=0.3, lat=0.4))
    assert exc.value.field == "lng"
    assert not Subject.objects.filter(uscc=uscc_for(900)).exists()


def test_position_contradicting_township(insp):
    with pytest.raises(ServiceError) as exc:
        subject_create(actor=_admin(insp, "county"), data=_input(insp, lng=1.5, lat=0.4))
    assert exc.value.field == "township" and "不一致" in exc.value.message


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"uscc": ""}, "uscc", "统一社会信用代码"),
        ({"uscc": "123"}, "uscc", "统一社会信用代码"),
        ({"name": " "}, "name", "名称"),
        ({"name": "名" * 201}, "name", "名称"),
        ({"kind": "合伙"}, "kind", "主体类型"),
        ({"address": ""}, "address", "经营地址"),
        ({"industry": "不存在的行业"}, "industry", "行业"),
        ({"industry": None}, "industry", "行业"),
        ({"risk_level": "E"}, "risk_level", "风险等级"),
        ({"township": None}, "township", "乡镇（街道）"),
        ({"lng": "abc", "lat": 1}, "lng", "经度"),
        ({"lng": 181, "lat": 1}, "lng", "经度"),
        ({"lng": 1, "lat": 91}, "lat", "纬度"),
        ({"lng": 1}, "lat", "纬度"),
        ({"contact_name": "名" * 51}, "contact_name", "联系人"),
        ({"contact_phone": "电话"}, "contact_phone", "联系电话"),
    ],
)
def test_validation_messages_name_the_field(insp, changes, field, text):
    with pytest.raises(ServiceError) as exc:
        subject_create(actor=_admin(insp), data=_input(insp, **changes))
    assert exc.value.field == field
    assert text in exc.value.message
    assert not Event.objects.filter(action="inspections.subject.create").exists()


def test_township_must_be_township_level(insp):
    with pytest.raises(ServiceError) as exc:
        subject_create(actor=_admin(insp, "county"), data=_input(insp, township=insp.county.county))
    assert exc.value.field == "township" and "乡镇（街道）级" in exc.value.message


def test_duplicate_uscc(insp):
    existing = insp.subjects[0]
    with pytest.raises(ServiceError) as exc:
        subject_create(actor=_admin(insp), data=_input(insp, uscc=existing.uscc))
    assert exc.value.code == ErrorCode.DUPLICATE and exc.value.field == "uscc"


@pytest.mark.parametrize(
    ("role", "place", "township", "allowed"),
    [
        (RoleCode.ADMIN, "t0", 0, True),
        (RoleCode.ADMIN, "t1", 0, False),
        (RoleCode.ADMIN, "t1", 1, True),
        (RoleCode.TEAM_LEADER, "t0", 0, True),
        (RoleCode.OFFICER, "t0", 0, False),
        (RoleCode.ADMIN, "county", 1, True),
    ],
)
def test_scope_matrix(insp, role, place, township, allowed):
    data = _input(insp, township=insp.county.townships[township])
    actor = insp.county.user(role, place)
    if allowed:
        assert subject_create(actor=actor, data=data).pk
    else:
        with pytest.raises(ServiceError) as exc:
            subject_create(actor=actor, data=data)
        assert exc.value.code == ErrorCode.NOT_ALLOWED
        assert not Subject.objects.filter(uscc=data.uscc).exists()


def test_other_county_admin_cannot_create_or_update(insp, other_insp):
    actor = other_insp.county.user(RoleCode.ADMIN, "county")
    with pytest.raises(ServiceError):
        subject_create(actor=actor, data=_input(insp))
    subject = insp.subjects[0]
    with pytest.raises(ServiceError) as exc:
        subject_update(actor=actor, subject=subject, data=_input(insp, uscc=subject.uscc), version=1)
    assert exc.value.code == ErrorCode.NOT_ALLOWED


def test_update_bumps_version_and_refuses_stale(insp):
    subject = insp.subjects[0]
    data = _input(insp, uscc=subject.uscc, name="东湖大饭店", lng=0.2, lat=0.2)
    updated = subject_update(actor=_admin(insp), subject=subject, data=data, version=1)
    assert updated.version == 2 and updated.name == "东湖大饭店"
    subject.refresh_from_db()
    assert subject.name == "东湖大饭店" and subject.version == 2
    events = Event.objects.filter(action="inspections.subject.update")
    assert events.count() == 1
    with pytest.raises(ServiceError) as exc:
        subject_update(actor=_admin(insp), subject=subject, data=replace(data, name="旧"), version=1)
    assert exc.value.code == ErrorCode.CONFLICT
    subject.refresh_from_db()
    assert subject.name == "东湖大饭店" and events.count() == 1


def test_update_cannot_take_another_uscc(insp):
    subject = insp.subjects[0]
    with pytest.raises(ServiceError) as exc:
        subject_update(
            actor=_admin(insp), subject=subject, data=_input(insp, uscc=insp.subjects[1].uscc), version=1
        )
    assert exc.value.code == ErrorCode.DUPLICATE


# Conflicts of interest (APL Art. 43)


def test_conflict_declared_by_person_or_team_leader(insp):
    person = insp.officers["market"][0]
    subject = insp.subjects[0]
    conflict_declare(actor=person.user, person=person, subject=subject, reason="亲属经营")
    assert InspectorConflict.objects.filter(person=person, subject=subject).exists()
    assert Event.objects.filter(action="inspections.conflict.declare").count() == 1
    with pytest.raises(ServiceError) as exc:
        conflict_declare(actor=person.user, person=person, subject=subject, reason="再次")
    assert exc.value.code == ErrorCode.DUPLICATE
    other = insp.officers["market"][1]
    conflict_declare(actor=insp.user("market-leader"), person=other, subject=subject, reason="曾任职")
    assert InspectorConflict.objects.count() == 2


def test_conflict_refused_for_others(insp):
    person = insp.officers["market"][0]
    for actor in (insp.officers["market"][1].user, insp.user("safety-leader")):
        with pytest.raises(ServiceError) as exc:
            conflict_declare(actor=actor, person=person, subject=insp.subjects[0], reason="x")
        assert exc.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(ServiceError) as exc:
        conflict_declare(actor=person.user, person=person, subject=insp.subjects[0], reason=" ")
    assert exc.value.field == "reason"
    assert not InspectorConflict.objects.exists()


# Import

HEADER = [
    "统一社会信用代码",
    "名称",
    "主体类型",
    "经营地址",
    "行业",
    "风险等级",
    "乡镇（街道）",
    "经度",
    "纬度",
    "联系人",
    "联系电话",
]


def _rows(insp) -> list[list]:
    t0, t1 = insp.county.townships
    return [
        [uscc_for(901), "甲饭店", "企业", "东湖镇一路", "餐饮", "A", t0.name, "", "", "李四", "13900000000"],
        [uscc_for(902), "乙小店", "个体工商户", "西山二路", "retail", "d", t1.adcode, 1.5, 0.5, "", ""],
        [insp.subjects[0].uscc, "东湖饭店（新）", "企业", "东湖镇三路", "餐饮", "B", t0.name, "", "", "", ""],
    ]


def _xlsx(rows: list[list]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list], encoding: str) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in row) for row in rows]
    return "\r\n".join(lines).encode(encoding)


def test_import_xlsx_commits_in_one_event(insp):
    content = _xlsx(_rows(insp))
    dry = import_subjects(actor=_admin(insp, "county"), content=content, filename="s.xlsx", commit=False)
    assert dry.ok and dry.total == 3 and not dry.committed
    assert not Subject.objects.filter(uscc=uscc_for(901)).exists()
    result = import_subjects(actor=_admin(insp, "county"), content=content, filename="s.xlsx", commit=True)
    assert result.ok and result.committed
    assert result.counts == {"created": 2, "updated": 1}
    b = Subject.objects.get(uscc=uscc_for(902))
    assert b.kind == SubjectKind.INDIVIDUAL and b.risk_level == "D" and b.grid_cell == insp.county.grid[1]
    first = Subject.objects.get(pk=insp.subjects[0].pk)
    assert first.name == "东湖饭店（新）" and first.version == 2
    events = Event.objects.filter(action="inspections.subject.import")
    assert events.count() == 1
    after = json.loads(events.get().data)["after"]
    assert after["file_sha256"] == result.sha256 and after["counts"] == result.counts
    assert not Event.objects.filter(action="inspections.subject.create").exists()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_import_csv_encodings(insp, encoding):
    content = _csv(_rows(insp), encoding)
    result = import_subjects(actor=_admin(insp, "county"), content=content, filename="s.csv", commit=True)
    assert result.ok, [e.text for e in result.errors]
    assert Subject.objects.get(uscc=uscc_for(901)).name == "甲饭店"


def test_import_row_errors_write_nothing(insp):
    rows = _rows(insp)
    rows[0][5] = "X"
    rows[1][0] = "123"
    rows.append([uscc_for(901), "重复", "企业", "地址", "餐饮", "C", insp.county.townships[0].name])
    rows.append([uscc_for(903), "丙店", "合伙", "地址", "餐饮", "C", insp.county.townships[0].name])
    before = Subject.objects.count()
    result = import_subjects(
        actor=_admin(insp, "county"), content=_xlsx(rows), filename="s.xlsx", commit=True
    )
    assert not result.committed
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(2, "风险等级"), (3, "统一社会信用代码"), (5, "统一社会信用代码"), (6, "主体类型")}
    assert any("与第2行重复" in e.message for e in result.errors)
    assert Subject.objects.count() == before
    assert Subject.objects.get(pk=insp.subjects[0].pk).name == "东湖饭店"
    assert not Event.objects.filter(action="inspections.subject.import").exists()


def test_import_scope_is_checked_per_row(insp):
    result = import_subjects(
        actor=_admin(insp, "t1"), content=_xlsx(_rows(insp)), filename="s.xlsx", commit=True
    )
    assert {(e.row, e.column) for e in result.errors} == {(2, "乡镇（街道）"), (4, "统一社会信用代码")}
    assert not result.committed and not Subject.objects.filter(uscc=uscc_for(902)).exists()


def test_import_refused_for_officer_and_bad_file(insp):
    with pytest.raises(ServiceError) as exc:
        import_subjects(
            actor=insp.county.user(RoleCode.OFFICER), content=b"x", filename="s.csv", commit=False
        )
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(ServiceError) as exc:
        import_subjects(actor=_admin(insp), content=b"a,b\n1,2", filename="s.csv", commit=False)
    assert exc.value.field == "file" and "统一社会信用代码" in exc.value.message
