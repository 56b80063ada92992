"""A generated province for benchmarks: ~1,000 townships in ~80 counties, 100,000 grid cells, 20,000 people,
25,000 certificates (DESIGN.md, Scale; issue 2, Benchmark). The same county generator as the demo, with
rectangles for the grid and exact totals: the plan distributes each total over counties and townships.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection, transaction

from zhifa.org.generate.county import generate_county, record_generation
from zhifa.org.generate.names import DEPARTMENTS, NamePool
from zhifa.org.generate.plan import CountyPlan, Shared, TownshipPlan, prepare_shared, spread
from zhifa.org.generate.structure import County, bulk
from zhifa.org.models import Region, RegionLevel

PROVINCE_NAME = "江南省"  # fictional
PASSWORD = "Zhifa-bench-2026"
TOWNSHIPS_PER_COUNTY = 12.5
COUNTIES_PER_CITY = 10
FIXED_STAFF = {"dispatchers": 2, "admins": 1, "justice_staff": 2}
FUNCTIONAL = [i for i, spec in enumerate(DEPARTMENTS) if spec.kind == "functional"]


@dataclass(frozen=True)
class ProvinceSize:
    townships: int = 1000
    grid_cells: int = 100_000
    people: int = 20_000
    certificates: int = 25_000
    code: str = "36"  # the province's two digits
    focus_people: int = 110  # officers of the first township of the first county (the benchmark's township)


@dataclass
class ProvinceResult:
    province: Region
    counties: list[County]
    counts: dict[str, int]


def township_plan(budget: int, officers: int, grid_workers: int) -> TownshipPlan:
    """A township of exactly `budget` grid cells (at least 4): itself, communities, zone and micro grids."""
    budget = max(budget, 4)
    communities = max(1, (budget - 1) // 11)  # about 2 zone grids of 4 micro grids per community
    if budget - 1 - communities < 2 * communities:
        communities = max(1, (budget - 1) // 3)
    rest = budget - 1 - communities
    zone_total = max(communities, min(2 * communities, rest // 2))
    zones = spread(zone_total, communities)
    micro = iter(spread(rest - zone_total, zone_total))
    return TownshipPlan(
        zone_grids=[[next(micro) for _z in range(n)] for n in zones],
        officers=max(officers, 2),
        grid_workers=grid_workers,
    )


def plan_province(size: ProvinceSize, shared: Shared) -> list[CountyPlan]:
    """County plans whose totals add up to `size` (grid cells and people exactly, when sizes allow)."""
    counties = max(1, round(size.townships / TOWNSHIPS_PER_COUNTY))
    townships_per_county = spread(size.townships, counties)
    cell_budgets = iter(spread(size.grid_cells - counties, size.townships))
    people = spread(size.people, counties)
    certificates = spread(size.certificates, counties)
    pool = NamePool(shared.rng, shared.taken_stems)
    plans = []
    for k, (n_townships, n_people, n_certificates) in enumerate(
        zip(townships_per_county, people, certificates, strict=True)
    ):
        fixed = {name: min(value, max(0, n_people // 10)) for name, value in FIXED_STAFF.items()}
        remaining = max(0, n_people - sum(fixed.values()))
        grid_workers = remaining // 5
        officers = remaining - grid_workers
        in_townships = max(2 * n_townships, round(officers * 0.7))
        if k == 0 and n_townships > 1:
            focus = max(2, min(size.focus_people, in_townships - 2 * (n_townships - 1)))
            township_officers = [focus, *spread(in_townships - focus, n_townships - 1)]
        else:
            township_officers = spread(in_townships, n_townships)
        department_officers = [0] * len(DEPARTMENTS)
        for index, count in zip(
            FUNCTIONAL, spread(max(0, officers - in_townships), len(FUNCTIONAL)), strict=True
        ):
            department_officers[index] = count
        city, county = divmod(k, COUNTIES_PER_CITY)
        workers = spread(grid_workers, n_townships)
        plans.append(
            CountyPlan(
                adcode=f"{size.code}{city + 1:02d}{county + 1:02d}000000",
                name=pool.stem() + ("区" if county == 0 else "县"),
                centre=(114.5 + 0.5 * (k % 10), 25.0 + 0.5 * (k // 10)),
                radius=0.4,
                townships=[
                    township_plan(next(cell_budgets), township_officers[t], workers[t])
                    for t in range(n_townships)
                ],
                streets=min(2, n_townships),
                department_officers=department_officers,
                zones=min(4, n_townships),
                certificates=n_certificates,
                geometry="rect",
                issuer=f"{PROVINCE_NAME}人民政府",
                **fixed,
            )
        )
    return plans


def generate_province(size: ProvinceSize, *, seed: int = 1, actor=None, progress=None) -> ProvinceResult:
    """Write the province in one transaction with one record event. Refuses if the province code is taken."""
    adcode = f"{size.code}0000000000"
    with transaction.atomic():
        if Region.objects.filter(adcode__under=size.code).exists():
            raise ValueError(f"regions with code {size.code}… already exist")
        shared = prepare_shared(seed, PASSWORD)
        province = bulk(shared, [Region(adcode=adcode, name=PROVINCE_NAME, level=RegionLevel.PROVINCE)])[0]
        plans = plan_province(size, shared)
        cities = bulk(
            shared,
            [
                Region(
                    adcode=f"{size.code}{c + 1:02d}00000000",
                    name=f"{NamePool(shared.rng, shared.taken_stems).stem()}市",
                    level=RegionLevel.CITY,
                    parent=province,
                )
                for c in range(math.ceil(len(plans) / COUNTIES_PER_CITY))
            ],
        )
        counties = []
        for k, plan in enumerate(plans):
            shared.parent = cities[k // COUNTIES_PER_CITY]
            counties.append(generate_county(plan, shared))
            if progress is not None:
                progress(k + 1, len(plans))
        record_generation(
            actor=actor,
            adcode=adcode,
            label=PROVINCE_NAME,
            shared=shared,
            extra={"seed": seed, "size": size.__dict__},
        )
    # A bulk load leaves the planner without statistics until autovacuum runs; without them PostgreSQL
    # chooses sequential scans for the scoped lists. Both databases understand ANALYZE.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return ProvinceResult(province, counties, dict(shared.counts))
