"""A small inspection world on top of the test county (zhifa.org.testing), shared by the tests.

Three departments (market supervision, emergency management, urban management), each with an agency
and two certified officers; a township officer certified in two domains; three industries; five
items with checklists and frequency rules; one catering scenario bundling four items across three
departments; ten subjects in the two townships.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from zhifa.inspections.models import (
    FrequencyMode,
    FrequencyRule,
    Industry,
    InspectionItem,
    RiskLevel,
    Scenario,
    Subject,
    SubjectKind,
)
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    Department,
    EnforcementDomain,
    Person,
    RoleCode,
)
from zhifa.org.services.structure_rules import uscc_check_char
from zhifa.org.testing import TestCounty, make_person
from zhifa.powers.models import PowerItem, PowerType

# Risk level -> (mode, ratio, floor): A is checked every year, the others by a sampled share.
DEFAULT_RULES = {
    RiskLevel.A: (FrequencyMode.EVERY, Decimal("1"), Decimal("1")),
    RiskLevel.B: (FrequencyMode.SAMPLE, Decimal("0.3"), Decimal("0.1")),
    RiskLevel.C: (FrequencyMode.SAMPLE, Decimal("0.1"), Decimal("0.05")),
    RiskLevel.D: (FrequencyMode.SAMPLE, Decimal("0.03"), Decimal("0.01")),
}


def uscc_for(n: int, prefix: str = "91") -> str:
    """A syntactically valid USCC (GB 32100-2015 check character) for test number `n`."""
    body = f"{prefix}350102{n:09d}"[:17]
    return body + uscc_check_char(body)


@dataclass
class InspectionWorld:
    county: TestCounty
    industries: dict[str, Industry]
    departments: dict[str, Department]
    agencies: dict[str, Agency]
    officers: dict[str, list[Person]]  # by department key, plus "t0" (the township's multi-domain officer)
    items: dict[str, InspectionItem]
    scenario: Scenario
    subjects: list[Subject]
    users: dict[str, object] = field(default_factory=dict)

    def user(self, key: str):
        return self.users[key]


def certify(
    person: Person, number: str, domains: list[EnforcementDomain], *, days_left: int = 365
) -> Certificate:
    today = datetime.date.today()
    certificate = Certificate.objects.create(
        number=number,
        holder=person,
        issuer="测试省人民政府",
        valid_from=today - datetime.timedelta(days=365),
        valid_to=today + datetime.timedelta(days=days_left),
    )
    certificate.domains.set(domains)
    return certificate


def build_inspection_world(county: TestCounty) -> InspectionWorld:
    prefix = county.county.adcode[:4]
    domains = dict(county.domains)
    domains["safety"] = EnforcementDomain.objects.get_or_create(code="safety", defaults={"name": "应急管理"})[
        0
    ]
    industries = {
        code: Industry.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("catering", "餐饮"), ("lodging", "住宿"), ("retail", "零售")]
    }
    departments = {"market": county.department}
    agencies = {"market": county.department_agency}
    for key, name, domain in (
        ("safety", "测试县应急管理局", "safety"),
        ("urban", "测试县城市管理局", "urban"),
    ):
        department = Department.objects.create(name=name, short_name=name[3:6], region=county.county)
        department.domains.set([domains[domain]])
        departments[key] = department
        agencies[key] = Agency.objects.create(
            name=name,
            short_name=name[3:6],
            kind=AgencyKind.DEPARTMENT,
            region=county.county,
            department=department,
        )
    officers: dict[str, list[Person]] = {}
    users: dict[str, object] = {}
    n = 0
    for key, agency in agencies.items():
        officers[key] = []
        for i in range(2):
            n += 1
            person = make_person(
                username=f"{prefix}-insp-{key}-{i}",
                name=f"{agency.short_name}检查员{i + 1}",
                region=county.county,
                roles=[RoleCode.OFFICER],
                agency=agency,
            )
            certify(person, f"{prefix}I{n:04d}", [domains[department_domain(key)]])
            officers[key].append(person)
            users[f"{key}-{i}"] = person.user
        leader = make_person(
            username=f"{prefix}-insp-{key}-leader",
            name=f"{agency.short_name}队长",
            region=county.county,
            roles=[RoleCode.TEAM_LEADER],
            agency=agency,
        )
        users[f"{key}-leader"] = leader.user
    # The township's comprehensive officer holds certificates for urban management and market supervision.
    township_officer = make_person(
        username=f"{prefix}-insp-t0",
        name="东湖综合执法员",
        region=county.townships[0],
        roles=[RoleCode.OFFICER],
        agency=county.township_agencies[0],
        team=county.teams[0],
    )
    certify(township_officer, f"{prefix}IT001", [domains["urban"], domains["market"]])
    officers["t0"] = [township_officer, county.person(RoleCode.OFFICER, "t0")]
    users["t0"] = township_officer.user

    items: dict[str, InspectionItem] = {}
    specs = [
        ("M1", "食品经营规范检查", "market", ["catering", "retail"]),
        ("M2", "明码标价检查", "market", ["catering", "retail", "lodging"]),
        ("S1", "燃气使用安全检查", "safety", ["catering", "lodging"]),
        ("S2", "消防通道检查", "safety", ["lodging", "retail"]),
        ("U1", "门前三包与招牌设置检查", "urban", ["catering", "retail"]),
    ]
    for code, name, key, industry_codes in specs:
        power = PowerItem.objects.create(
            code=f"{prefix}-{code}",
            name=f"对{name[:-2]}的行政检查",
            power_type=PowerType.INSPECTION,
            domain=domains[department_domain(key)],
            original_subject=departments[key].name,
            basis_text="《测试条例》第十条",
        )
        item = InspectionItem.objects.create(
            code=f"{prefix}{code}",
            name=name,
            department=departments[key],
            power_item=power,
            domain=domains[department_domain(key)],
            checklist=[
                {"point": f"{name[:-2]}制度是否健全", "basis": "《测试条例》第十条"},
                {"point": f"{name[:-2]}台账是否完整", "basis": "《测试条例》第十一条"},
            ],
        )
        item.industries.set([industries[c] for c in industry_codes])
        for level, (mode, ratio, floor) in DEFAULT_RULES.items():
            FrequencyRule.objects.create(item=item, risk_level=level, mode=mode, ratio=ratio, floor=floor)
        items[code] = item
    scenario = Scenario.objects.create(code="catering", name="餐饮店综合查一次", county=county.county)
    scenario.industries.set([industries["catering"]])
    scenario.items.set([items[c] for c in ("M1", "M2", "S1", "U1")])
    subjects = []
    plan = [
        ("东湖饭店", "catering", RiskLevel.A, 0),
        ("东湖小吃店", "catering", RiskLevel.B, 0),
        ("东湖宾馆", "lodging", RiskLevel.A, 0),
        ("东湖超市", "retail", RiskLevel.B, 0),
        ("东湖面馆", "catering", RiskLevel.C, 0),
        ("东湖便利店", "retail", RiskLevel.D, 0),
        ("西山酒家", "catering", RiskLevel.A, 1),
        ("西山旅馆", "lodging", RiskLevel.B, 1),
        ("西山百货", "retail", RiskLevel.C, 1),
        ("西山茶餐厅", "catering", RiskLevel.B, 1),
    ]
    for i, (name, industry, risk, t) in enumerate(plan):
        subjects.append(
            Subject.objects.create(
                uscc=uscc_for(int(prefix) * 100 + i, "92" if "店" in name else "91"),
                name=name,
                kind=SubjectKind.INDIVIDUAL if "店" in name else SubjectKind.ENTERPRISE,
                address=f"{county.townships[t].name}人民路{i + 1}号",
                industry=industries[industry],
                risk_level=risk,
                township=county.townships[t],
                grid_cell=county.grid[t],
                lng=t + 0.5,
                lat=0.5,
            )
        )
    return InspectionWorld(
        county, industries, departments, agencies, officers, items, scenario, subjects, users
    )


def department_domain(key: str) -> str:
    return {"market": "market", "safety": "safety", "urban": "urban"}[key]
