"""A world for the case tests: the test county with two certified officers per township, a penalty
item granted to and claimed by township t0 (fine range, Art. 9 types), one not granted, and builders
for cases at each stage.

Township officers hold certificates in the "urban" domain (zhifa/org/testing.py); the item here is in
that domain, so both officers of t0 may enforce it (APL Art. 42). t1 has only one certified officer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from zhifa.cases.models import (
    Case,
    CaseOfficer,
    Evidence,
    EvidenceKind,
    IdType,
    OfficerRole,
    Party,
    PartyKind,
    Procedure,
)
from zhifa.cases.services.cases import CaseInput, case_open
from zhifa.org.models import Certificate, Person, RoleCode
from zhifa.org.testing import TestCounty, make_person
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.services.claims import claim_create
from zhifa.powers.tests.grant_helpers import leader, published_list


@dataclass
class CaseWorld:
    county: TestCounty
    item: PowerItem  # granted to and claimed by t0: the township is competent
    ungranted: PowerItem  # not granted: the department is competent
    second_officer: Person  # t0's second certified officer
    spot_item: PowerItem  # granted to t0, small fines: the simplified procedure's cases (APL Art. 51)

    def user(self, role: str, place: str = "t0"):
        return self.county.user(role, place)

    @property
    def officer(self):
        return self.county.user(RoleCode.OFFICER, "t0")

    @property
    def leader(self):
        return self.county.user(RoleCode.TEAM_LEADER, "t0")

    @property
    def reviewer(self):
        return self.county.user(RoleCode.LEGAL_REVIEWER, "t0")


def certify(person: Person, county: TestCounty, number: str, domain: str = "urban") -> Certificate:
    today = datetime.date.today()
    cert = Certificate.objects.create(
        number=number,
        holder=person,
        issuer="测试省人民政府",
        valid_from=today - datetime.timedelta(days=365 * 2),
        valid_to=today + datetime.timedelta(days=365 * 3),
    )
    cert.domains.set([county.domains[domain]])
    return cert


def build_case_world(county: TestCounty) -> CaseWorld:
    prefix = county.county.adcode[:4]
    item = PowerItem.objects.create(
        code=f"{prefix}CS001",
        name="对未按规定配置消防器材的处罚",
        power_type=PowerType.PENALTY,
        domain=county.domains["urban"],
        original_subject="县消防救援大队",
        basis_text="《中华人民共和国消防法》第六十条第一款第（一）项",
        basis_refs=[{"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 1}],
        penalty_types=["警告", "罚款"],
        fine_min=Decimal("5000"),
        fine_max=Decimal("50000"),
    )
    ungranted = PowerItem.objects.create(
        code=f"{prefix}CS002",
        name="对销售不合格商品的处罚",
        power_type=PowerType.PENALTY,
        domain=county.domains["market"],
        original_subject="县市场监督管理局",
        basis_text="《中华人民共和国产品质量法》第四十九条",
        penalty_types=["警告", "罚款", "没收违法所得"],
        fine_min=Decimal("1000"),
        fine_max=Decimal("100000"),
    )
    spot_item = PowerItem.objects.create(
        code=f"{prefix}CS003",
        name="对擅自占用城市道路摆摊设点的处罚",
        power_type=PowerType.PENALTY,
        domain=county.domains["urban"],
        original_subject="县城市管理局",
        basis_text="《城市市容和环境卫生管理条例》第三十六条第（二）项",
        penalty_types=["警告", "罚款"],
        fine_min=Decimal("20"),
        fine_max=Decimal("2000"),
    )
    grant_list = published_list(county, {0: [item, spot_item]}, effective_from=datetime.date(2024, 1, 1))
    for granted in (item, spot_item):
        claim_create(
            actor=leader(county, "t0"),
            grant_list=grant_list,
            township=county.townships[0],
            item=granted,
            claimed_on=datetime.date(2024, 1, 1),
        )
    second = make_person(
        username=f"{prefix}-officer2-t0",
        name="东湖执法员二",
        region=county.townships[0],
        roles=[RoleCode.OFFICER],
        agency=county.township_agencies[0],
        team=county.teams[0],
    )
    certify(second, county, f"{prefix}t00002")
    return CaseWorld(county, item, ungranted, second, spot_item)


def open_case(world: CaseWorld, *, procedure: str = Procedure.GENERAL, actor=None, **overrides) -> Case:
    """A case source of t0 for the granted item, registered by t0's officer through the service."""
    today = timezone.localdate()
    values = {
        "agency": world.county.township_agencies[0],
        "item": world.item,
        "region": world.county.townships[0],
        "title": "某包装厂擅自挪用消防器材",
        "act_on": today - datetime.timedelta(days=10),
        "discovered_on": today - datetime.timedelta(days=3),
        "procedure": procedure,
        "facts": "检查发现该厂将灭火器挪作他用，疏散通道堆放杂物。",
        "address": "东湖镇工业园1号",
    }
    if procedure == Procedure.SIMPLIFIED:
        values["item"] = world.spot_item
    values.update(overrides)
    return case_open(actor=actor or world.officer, data=CaseInput(**values))


def add_party(case: Case, *, organisation: bool = True, consent: bool = False) -> Party:
    if organisation:
        return Party.objects.create(
            case=case,
            kind=PartyKind.ORGANISATION,
            name="东湖包装有限公司",
            id_type=IdType.USCC,
            id_number="91350102MA2XXXXX1X",
            legal_representative="王某",
            address="东湖镇工业园1号",
            phone="13800000000",
            e_service_consent=consent,
            e_service_address="13800000000" if consent else "",
        )
    return Party.objects.create(
        case=case,
        kind=PartyKind.PERSON,
        name="李某",
        id_type=IdType.RESIDENT_ID,
        id_number="11010519491231002X",
        address="东湖镇一村5号",
        e_service_consent=consent,
    )


def staff(case: Case, world: CaseWorld) -> None:
    """Both certified officers of t0 on the case, each having declared no ground for recusal."""
    for person, role in (
        (world.officer.person, OfficerRole.LEAD),
        (world.second_officer, OfficerRole.ASSIST),
    ):
        CaseOfficer.objects.update_or_create(
            case=case,
            person=person,
            defaults={"role": role, "assigned_on": timezone.localdate(), "no_conflict_declared": True},
        )


def add_evidence(case: Case, world: CaseWorld, kind: str = EvidenceKind.INSPECTION_RECORD) -> Evidence:
    return Evidence.objects.create(
        case=case,
        kind=kind,
        title="现场检查笔录",
        description="灭火器被挪作他用",
        collected_at=timezone.now(),
        place=case.address,
        collectors=[world.officer.person.name, world.second_officer.name],
    )


def ready_case(world: CaseWorld, **overrides) -> Case:
    """A case source with a party, both officers and one piece of evidence: ready to propose filing."""
    case = open_case(world, **overrides)
    add_party(case)
    staff(case, world)
    add_evidence(case, world)
    case.refresh_from_db()
    return case
