"""A small county for tests: two townships, one department, one user per role in each place.

Used by the test suites of every app (fixture `county` in zhifa/conftest.py). Built directly with the
ORM, not through services, because it is test scaffolding rather than a user's action.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from zhifa.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    CommandCenter,
    Department,
    DepartmentKind,
    EnforcementDomain,
    GridCell,
    GridLevel,
    Person,
    Region,
    RegionLevel,
    Role,
    RoleCode,
    Team,
    Zone,
)

TEST_PASSWORD = "Zhifa-test-2026!"
_HASH_CACHE: dict[str, str] = {}


def password_hash() -> str:
    """One Argon2 hash shared by all test users (hashing is deliberately slow)."""
    if TEST_PASSWORD not in _HASH_CACHE:
        _HASH_CACHE[TEST_PASSWORD] = make_password(TEST_PASSWORD)
    return _HASH_CACHE[TEST_PASSWORD]


def square(x: float, y: float, size: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


def square_cell(x: float, y: float, size: float) -> dict:
    """GridCell fields for a square: the polygon and its bounding box."""
    return {"geometry": square(x, y, size), "min_x": x, "min_y": y, "max_x": x + size, "max_y": y + size}


@dataclass
class TestCounty:
    county: Region
    townships: list[Region]
    communities: list[Region]
    domains: dict[str, EnforcementDomain]
    department: Department
    justice: Department
    department_agency: Agency
    justice_agency: Agency
    township_agencies: list[Agency]
    teams: list[Team]
    zone: Zone
    command_center: CommandCenter
    grid: list[GridCell]
    # users[(role, place)] where place is "t0", "t1" (townships), "dept" or "county"
    users: dict[tuple[str, str], object] = field(default_factory=dict)

    def user(self, role: str, place: str = "t0"):
        return self.users[(role, place)]

    def person(self, role: str, place: str = "t0") -> Person:
        return self.users[(role, place)].person


def make_person(
    *,
    username: str,
    name: str,
    region: Region,
    roles: list[str],
    agency: Agency | None = None,
    team: Team | None = None,
    command_center: CommandCenter | None = None,
) -> Person:
    user = get_user_model().objects.create(username=username, password=password_hash())
    person = Person.objects.create(
        user=user, name=name, region=region, agency=agency, team=team, command_center=command_center
    )
    # Transactional tests flush the rows the data migration made, so make sure the roles exist.
    person.roles.set([Role.objects.get_or_create(code=code)[0] for code in roles])
    return person


def build_test_county(prefix: str = "3501") -> TestCounty:
    """Create the test county. `prefix` is the 4-digit province+city code (distinct counties per call)."""
    county = Region.objects.create(adcode=f"{prefix}02000000", name="测试县", level=RegionLevel.COUNTY)
    townships = [
        Region.objects.create(adcode=f"{prefix}02{i + 1:03d}000", name=name, level=level, parent=county)
        for i, (name, level) in enumerate(
            [("东湖镇", RegionLevel.TOWNSHIP), ("西山街道", RegionLevel.STREET)]
        )
    ]
    communities = [
        Region.objects.create(
            adcode=f"{t.adcode[:9]}001", name=f"{t.name}一村", level=RegionLevel.VILLAGE, parent=t
        )
        for t in townships
    ]
    domains = {
        code: EnforcementDomain.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("market", "市场监管"), ("urban", "城市管理"), ("ecology", "生态环境")]
    }
    department = Department.objects.create(name="测试县市场监督管理局", short_name="县市监", region=county)
    department.domains.set([domains["market"]])
    justice = Department.objects.create(
        name="测试县司法局", short_name="县司法", region=county, kind=DepartmentKind.JUSTICE_BUREAU
    )
    department_agency = Agency.objects.create(
        name=department.name,
        short_name="县市监",
        kind=AgencyKind.DEPARTMENT,
        region=county,
        department=department,
    )
    justice_agency = Agency.objects.create(
        name=justice.name, short_name="县司", kind=AgencyKind.DEPARTMENT, region=county, department=justice
    )
    township_agencies = [
        Agency.objects.create(
            name=f"{t.name}人民政府" if t.level == RegionLevel.TOWNSHIP else f"{t.name}办事处",
            short_name=t.name[:2] + "综执",
            kind=AgencyKind.TOWNSHIP_GOVERNMENT,
            region=t,
        )
        for t in townships
    ]
    teams = [
        Team.objects.create(name=f"{t.name}综合行政执法队", agency=a, region=t)
        for t, a in zip(townships, township_agencies, strict=True)
    ]
    command_center = CommandCenter.objects.create(name="测试县指挥中心", region=county)
    zone = Zone.objects.create(name="东部片区", county=county)
    zone.townships.set([townships[0]])
    grid = []
    county_cell = GridCell.objects.create(
        code=f"{prefix}G", name="测试县网格", level=GridLevel.DISTRICT, region=county, **square_cell(0, 0, 2)
    )
    for i, (t, c) in enumerate(zip(townships, communities, strict=True)):
        tcell = GridCell.objects.create(
            code=f"{prefix}G{i}",
            name=t.name,
            level=GridLevel.TOWNSHIP,
            region=t,
            parent=county_cell,
            **square_cell(i, 0, 1),
        )
        grid.append(
            GridCell.objects.create(
                code=f"{prefix}G{i}C",
                name=c.name,
                level=GridLevel.COMMUNITY,
                region=c,
                parent=tcell,
                **square_cell(i, 0, 1),
            )
        )
    world = TestCounty(
        county,
        townships,
        communities,
        domains,
        department,
        justice,
        department_agency,
        justice_agency,
        township_agencies,
        teams,
        zone,
        command_center,
        grid,
    )
    today = datetime.date.today()
    n = 0
    for place_index, (t, agency, team) in enumerate(zip(townships, township_agencies, teams, strict=True)):
        place = f"t{place_index}"
        for role in (RoleCode.OFFICER, RoleCode.TEAM_LEADER, RoleCode.LEGAL_REVIEWER, RoleCode.ADMIN):
            n += 1
            person = make_person(
                username=f"{prefix}-{role}-{place}",
                name=f"{t.name[:2]}{role[:3]}{n}",
                region=t,
                roles=[role],
                agency=agency,
                team=team,
            )
            world.users[(role, place)] = person.user
        gw = make_person(
            username=f"{prefix}-grid_worker-{place}",
            name=f"{t.name[:2]}网格员",
            region=communities[place_index],
            roles=[RoleCode.GRID_WORKER],
            agency=agency,
        )
        world.users[(RoleCode.GRID_WORKER, place)] = gw.user
    dept_officer = make_person(
        username=f"{prefix}-officer-dept",
        name="部门执法员",
        region=county,
        roles=[RoleCode.OFFICER],
        agency=department_agency,
    )
    world.users[(RoleCode.OFFICER, "dept")] = dept_officer.user
    for role, agency in ((RoleCode.JUSTICE_BUREAU, justice_agency), (RoleCode.ADMIN, None)):
        person = make_person(
            username=f"{prefix}-{role}-county",
            name=f"县{role[:4]}",
            region=county,
            roles=[role],
            agency=agency,
        )
        world.users[(role, "county")] = person.user
    dispatcher = make_person(
        username=f"{prefix}-dispatcher-county",
        name="县调度员",
        region=county,
        roles=[RoleCode.DISPATCHER],
        command_center=command_center,
    )
    world.users[(RoleCode.DISPATCHER, "county")] = dispatcher.user
    leader = make_person(
        username=f"{prefix}-zone_leader-county",
        name="片长",
        region=county,
        roles=[RoleCode.ZONE_LEADER],
        agency=department_agency,
    )
    zone.leader = leader
    zone.save(update_fields=["leader"])
    world.users[(RoleCode.ZONE_LEADER, "county")] = leader.user
    # Every township officer holds a valid certificate for urban management.
    for place in ("t0", "t1"):
        cert = Certificate.objects.create(
            number=f"{prefix}{place}0001",
            holder=world.person(RoleCode.OFFICER, place),
            issuer="测试省人民政府",
            valid_from=today - datetime.timedelta(days=365),
            valid_to=today + datetime.timedelta(days=365 * 4),
        )
        cert.domains.set([domains["urban"]])
    return world
