"""Services of the organisation structure: regions, departments, agencies, enforcement domains.

Each write leaves exactly one record event (APL Art. 47, 全过程记录); bad input gives a Chinese
message naming the field and writes nothing.
"""

from __future__ import annotations

import pytest

from zhifa.core.errors import ErrorCode
from zhifa.core.models import Event
from zhifa.org.models import (
    AgencyKind,
    Department,
    EnforcementDomain,
    Region,
    RegionLevel,
)
from zhifa.org.services import structure
from zhifa.org.services.structure_rules import uscc_check_char
from zhifa.org.tests.structure_checks import one_event, refused

# --- Regions -------------------------------------------------------------------------------------


def test_region_create_writes_one_event(county, actor):
    region = structure.region_create(
        actor=actor, adcode="350102003000", name="南湖镇", level=RegionLevel.TOWNSHIP, parent=county.county
    )
    assert Region.objects.get(adcode="350102003000").parent == county.county
    event = one_event("region.create")
    assert event.object_id == str(region.pk)
    assert '"adcode":"350102003000"' in event.data


@pytest.mark.parametrize(
    ("adcode", "level", "field", "fragment"),
    [
        ("35010200300", RegionLevel.TOWNSHIP, "adcode", "12位数字"),
        ("35010200300x", RegionLevel.TOWNSHIP, "adcode", "12位数字"),
        ("350199003000", RegionLevel.TOWNSHIP, "adcode", "开头"),  # another county's prefix
        ("350102003001", RegionLevel.TOWNSHIP, "adcode", "应全为0"),  # a village code as a township
        ("350102000000", RegionLevel.TOWNSHIP, "adcode", "不能全为0"),  # township segment 000
        ("350102003001", RegionLevel.VILLAGE, "parent", "不能作为"),  # a village directly under a county
        ("350102003000", "planet", "level", "层级"),
    ],
)
def test_region_create_rejects_bad_codes(county, actor, adcode, level, field, fragment):
    with refused(field, fragment):
        structure.region_create(actor=actor, adcode=adcode, name="南湖镇", level=level, parent=county.county)


def test_region_create_rejects_a_duplicate_code(county, actor):
    with refused("adcode", "已存在", code=ErrorCode.DUPLICATE):
        structure.region_create(
            actor=actor,
            adcode=county.townships[0].adcode,
            name="重复",
            level=RegionLevel.TOWNSHIP,
            parent=county.county,
        )


def test_region_create_requires_a_name(county, actor):
    with refused("name", "名称", code=ErrorCode.REQUIRED):
        structure.region_create(
            actor=actor, adcode="350102003000", name="  ", level=RegionLevel.TOWNSHIP, parent=county.county
        )


def test_region_update_bumps_version_and_records_before_and_after(county, actor):
    township = county.townships[0]
    updated = structure.region_update(
        actor=actor,
        region=township,
        adcode=township.adcode,
        name="东湖新镇",
        level=township.level,
        parent=county.county,
        expected_version=1,
    )
    assert updated.version == 2
    township.refresh_from_db()
    assert township.name == "东湖新镇"
    event = one_event("region.update")
    assert '"before":{"adcode"' in event.data and "东湖镇" in event.data and "东湖新镇" in event.data


def test_region_update_with_a_stale_version_is_a_conflict(county, actor):
    township = county.townships[0]
    with refused(None, "已被他人修改", code=ErrorCode.CONFLICT):
        structure.region_update(
            actor=actor,
            region=township,
            adcode=township.adcode,
            name="改名",
            level=township.level,
            parent=county.county,
            expected_version=7,
        )
    township.refresh_from_db()
    assert township.name == "东湖镇" and township.version == 1


def test_region_with_children_keeps_its_code(county, actor):
    township = county.townships[0]
    with refused("adcode", "已有下级区划"):
        structure.region_update(
            actor=actor,
            region=township,
            adcode="350102009000",
            name=township.name,
            level=township.level,
            parent=county.county,
        )


def test_region_delete_records_and_protected_region_is_refused(county, actor):
    with refused(None, "仍被其他数据引用", code=ErrorCode.INVALID_STATE):
        structure.region_delete(actor=actor, region=county.townships[0])
    spare = Region.objects.create(
        adcode="350102009000", name="空镇", level=RegionLevel.TOWNSHIP, parent=county.county
    )
    structure.region_delete(actor=actor, region=spare)
    assert not Region.objects.filter(pk=spare.pk).exists()
    assert one_event("region.delete").data.count("350102009000") == 1


# --- Departments and agencies ----------------------------------------------------------------------


def test_department_create_and_update(county, actor):
    market, urban = county.domains["market"], county.domains["urban"]
    dept = structure.department_create(
        actor=actor, name="测试县应急管理局", short_name="县应急", region=county.county, domains=[market]
    )
    assert list(dept.domains.all()) == [market]
    one_event("department.create")
    Event.objects.all().delete()
    structure.department_update(
        actor=actor,
        department=dept,
        name="测试县应急管理局",
        short_name="应急",
        region=county.county,
        kind=dept.kind,
        domains=[market, urban],
        expected_version=1,
    )
    dept.refresh_from_db()
    assert dept.short_name == "应急" and dept.version == 2
    assert set(dept.domains.all()) == {market, urban}
    one_event("department.update")


def test_department_must_belong_to_a_county(county, actor):
    with refused("region", "县（区）"):
        structure.department_create(actor=actor, name="某局", short_name="某局", region=county.townships[0])


def test_department_name_is_unique_in_its_county(county, actor):
    with refused("name", "同名", code=ErrorCode.DUPLICATE):
        structure.department_create(
            actor=actor, name=county.department.name, short_name="x", region=county.county
        )


def test_agency_for_a_department(county, actor):
    dept = Department.objects.create(name="测试县交通运输局", short_name="县交通", region=county.county)
    first17 = "11350102MB0000001"
    uscc = first17 + uscc_check_char(first17)
    agency = structure.agency_create(
        actor=actor,
        name=dept.name,
        short_name="县交通",
        kind=AgencyKind.DEPARTMENT,
        region=county.county,
        department=dept,
        uscc=uscc.lower(),
    )
    assert agency.uscc == uscc and agency.is_active
    one_event("agency.create")


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"kind": AgencyKind.DEPARTMENT, "department": None}, "department", "部门"),
        ({"kind": AgencyKind.TOWNSHIP_GOVERNMENT, "department": None, "region": "county"}, "region", "乡镇"),
        (
            {"kind": AgencyKind.TOWNSHIP_GOVERNMENT, "department": None, "region": "t0"},
            "region",
            "已有执法主体",
        ),
        ({"uscc": "91350100M000100Y4X"}, "uscc", "统一社会信用代码"),
        ({"short_name": ""}, "short_name", "简称"),
    ],
)
def test_agency_rules(county, actor, kwargs, field, fragment):
    dept = Department.objects.create(name="测试县交通运输局", short_name="县交通", region=county.county)
    values = {
        "name": "某执法主体",
        "short_name": "某",
        "kind": AgencyKind.DEPARTMENT,
        "region": county.county,
        "department": dept,
        "uscc": "",
    }
    values.update(kwargs)
    values["region"] = {"county": county.county, "t0": county.townships[0]}.get(
        values["region"], values["region"]
    )
    with refused(field, fragment):
        structure.agency_create(actor=actor, **values)


def test_a_department_has_one_agency(county, actor):
    with refused("department", "已有执法主体", code=ErrorCode.DUPLICATE):
        structure.agency_create(
            actor=actor,
            name="又一个",
            short_name="x",
            kind=AgencyKind.DEPARTMENT,
            region=county.county,
            department=county.department,
        )


def test_agency_update_deactivates(county, actor):
    agency = county.township_agencies[0]
    structure.agency_update(
        actor=actor,
        agency=agency,
        name=agency.name,
        short_name=agency.short_name,
        kind=agency.kind,
        region=agency.region,
        is_active=False,
        expected_version=1,
    )
    agency.refresh_from_db()
    assert not agency.is_active
    assert '"is_active":false' in one_event("agency.update").data


def test_enforcement_domain_create_and_rename(county, actor):
    domain = structure.enforcement_domain_create(actor=actor, code="transport", name="交通运输")
    one_event("enforcement_domain.create")
    with refused("code", "已存在"):
        structure.enforcement_domain_create(actor=actor, code="transport", name="重复")
    structure.enforcement_domain_update(actor=actor, domain=domain, code="transport", name="交通")
    assert EnforcementDomain.objects.get(code="transport").name == "交通"
