"""Regions, departments, agencies, teams, command centre and zones of a generated county.

Rows are written with `bulk_create` (a handful of statements per model and county, never one per row),
inside the caller's transaction. The caller writes the single record event of the generation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import Polygon, box

from zhifa.org.generate import geometry
from zhifa.org.generate.names import DEPARTMENTS, NamePool, community_name, numeral, township_name, uscc
from zhifa.org.generate.plan import CountyPlan, Shared
from zhifa.org.models import (
    Agency,
    AgencyKind,
    CommandCenter,
    Department,
    DepartmentKind,
    Person,
    Region,
    RegionLevel,
    RoleCode,
    Team,
    Zone,
)

BATCH = 2000


@dataclass
class Township:
    """A generated township with what hangs off it (used by the people and grid steps)."""

    region: Region
    agency: Agency
    team: Team
    communities: list[Region]
    shape: Polygon
    community_shapes: list[Polygon]
    officers: list[Person] = field(default_factory=list)
    grid_workers: list[Person] = field(default_factory=list)


@dataclass
class County:
    """A generated county: the handles the demo needs to pick its users, and tests to check shapes."""

    plan: CountyPlan
    region: Region
    shape: Polygon
    townships: list[Township]
    departments: list[Department]
    department_agencies: list[Agency]
    command_center: CommandCenter
    zones: list[Zone] = field(default_factory=list)
    department_officers: list[list[Person]] = field(default_factory=list)
    dispatchers: list[Person] = field(default_factory=list)
    admins: list[Person] = field(default_factory=list)
    justice_staff: list[Person] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return self.region.adcode[:6]

    def department(self, short: str) -> int:
        """Index of the department whose short-name suffix is `short` (e.g. "市监")."""
        return next(i for i, spec in enumerate(DEPARTMENTS) if spec.short == short)


def bulk(shared: Shared, objects: list, label: str | None = None) -> list:
    """bulk_create in batches and count the rows for the record event."""
    if not objects:
        return objects
    model = type(objects[0])
    model.objects.bulk_create(objects, batch_size=BATCH)
    shared.counts[label or model._meta.label_lower] += len(objects)
    return objects


def county_shape(plan: CountyPlan, shared: Shared) -> Polygon:
    lon, lat = plan.centre
    if plan.geometry == "rect":
        half_x = plan.radius / 2
        return box(lon - half_x, lat - plan.radius / 2, lon + half_x, lat + plan.radius / 2)
    return geometry.county_outline(shared.rng, lon, lat, plan.radius)


def build_regions(plan: CountyPlan, shared: Shared) -> tuple[Region, Polygon, list[Township]]:
    """The county, its townships and streets, and their communities and villages (with their shapes)."""
    rng = shared.rng
    county = bulk(
        shared, [Region(adcode=plan.adcode, name=plan.name, level=RegionLevel.COUNTY, parent=shared.parent)]
    )[0]
    shape = county_shape(plan, shared)
    pool = NamePool(rng, shared.taken_stems)
    township_shapes = geometry.split(rng, shape, len(plan.townships), plan.geometry)
    regions = []
    for i, _tplan in enumerate(plan.townships):
        is_street = i < plan.streets
        regions.append(
            Region(
                adcode=f"{plan.adcode[:6]}{i + 1:03d}000",
                parent=county,
                name=township_name(pool.stem(), i, plan.streets),
                level=RegionLevel.STREET if is_street else RegionLevel.TOWNSHIP,
            )
        )
    bulk(shared, regions)
    communities_by_township: list[list[Region]] = []
    all_communities: list[Region] = []
    for region, tplan in zip(regions, plan.townships, strict=True):
        # Streets have urban communities (社区, codes 001-199); towns mostly villages (村, 200+).
        local = NamePool(rng)
        urban = region.level == RegionLevel.STREET
        rows = []
        for c in range(tplan.communities):
            is_community = urban or c == 0
            number = c + 1 if is_community else 200 + c
            rows.append(
                Region(
                    adcode=f"{region.adcode[:9]}{number:03d}",
                    parent=region,
                    name=community_name(local.stem(), is_community),
                    level=RegionLevel.COMMUNITY if is_community else RegionLevel.VILLAGE,
                )
            )
        communities_by_township.append(rows)
        all_communities.extend(rows)
    bulk(shared, all_communities)
    townships = []
    for region, tshape, communities, tplan in zip(
        regions, township_shapes, communities_by_township, plan.townships, strict=True
    ):
        cshapes = geometry.split(rng, tshape, tplan.communities, plan.geometry)
        townships.append(
            Township(
                region=region,
                agency=None,
                team=None,
                communities=communities,  # type: ignore[arg-type]
                shape=tshape,
                community_shapes=cshapes,
            )
        )
    return county, shape, townships


def build_structure(plan: CountyPlan, shared: Shared, county: Region, townships: list[Township]):
    """Departments with their domains, an agency per department and per township, teams, command centre."""
    rng = shared.rng
    initial = plan.name[0]
    departments = bulk(
        shared,
        [
            Department(
                name=f"{plan.name}{spec.name}",
                short_name=f"{initial}{spec.short}",
                region=county,
                kind=DepartmentKind(spec.kind),
            )
            for spec in DEPARTMENTS
        ],
    )
    through = Department.domains.through
    bulk(
        shared,
        [
            through(department_id=d.pk, enforcementdomain_id=shared.domains[code].pk)
            for d, spec in zip(departments, DEPARTMENTS, strict=True)
            for code in spec.domains
        ],
        "org.department_domains",
    )
    department_agencies = [
        Agency(
            name=d.name,
            short_name=d.short_name,
            kind=AgencyKind.DEPARTMENT,
            region=county,
            department=d,
            uscc=uscc(rng, plan.adcode),
        )
        for d in departments
    ]
    township_agencies = [
        Agency(
            name=f"{t.region.name}{'办事处' if t.region.level == RegionLevel.STREET else '人民政府'}",
            short_name=f"{t.region.name[:2]}综执",
            kind=AgencyKind.TOWNSHIP_GOVERNMENT,
            region=t.region,
            uscc=uscc(rng, plan.adcode),
        )
        for t in townships
    ]
    bulk(shared, department_agencies + township_agencies)
    teams = bulk(
        shared,
        [
            Team(name=f"{t.region.name}综合行政执法队", agency=a, region=t.region)
            for t, a in zip(townships, township_agencies, strict=True)
        ],
    )
    for township, agency, team in zip(townships, township_agencies, teams, strict=True):
        township.agency, township.team = agency, team
    center = bulk(shared, [CommandCenter(name=f"{plan.name}智慧治理服务中心", region=county)])[0]
    return departments, department_agencies, center


def build_zones(county: County, shared: Shared) -> None:
    """Zones (片区) of consecutive townships, each led by a department official and a deputy from another."""
    plan = county.plan
    if plan.zones <= 0:
        return
    officials = [people[0] for people in county.department_officers if people]
    zones = []
    for z in range(plan.zones):
        leader = officials[z % len(officials)] if officials else None
        deputy = officials[(z + plan.zones) % len(officials)] if len(officials) > 1 else None
        zones.append(Zone(name=f"第{numeral(z + 1)}片区", county=county.region, leader=leader, deputy=deputy))
    bulk(shared, zones)
    through = Zone.townships.through
    rows = [
        through(zone_id=zones[i * plan.zones // len(county.townships)].pk, region_id=t.region.pk)
        for i, t in enumerate(county.townships)
    ]
    bulk(shared, rows, "org.zone_townships")
    leading = {p.pk for z in zones for p in (z.leader, z.deputy) if p is not None}
    role_through = Person.roles.through
    bulk(
        shared,
        [role_through(person_id=pk, role_id=RoleCode.ZONE_LEADER) for pk in sorted(leading)],
        "org.person_roles",
    )
    county.zones = zones
