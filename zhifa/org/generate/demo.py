"""The demo county (沙溪县, fictional): generated from a fixed seed by `manage.py load_demo`.

12 townships and streets, 16 departments, 4 zones, a five-level grid with hundreds of micro grids,
about 90 certified officers (some certificates expiring within 30 days, one revoked for cause, one
revoked on retirement), two secondments, number templates, and one demo account per role.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from zhifa.org.generate.county import generate_county, record_generation
from zhifa.org.generate.names import DEPARTMENTS
from zhifa.org.generate.plan import CountyPlan, TownshipPlan, prepare_shared
from zhifa.org.generate.structure import County
from zhifa.org.models import Region, RoleCode

DEMO_ADCODE = "350499000000"  # fictional: Sanming (3504) has no county 99
DEMO_NAME = "沙溪县"
DEMO_SEED = 20260101
DEMO_PASSWORD = "Zhifa-demo-2026"
DEMO_CENTRE = (118.18, 26.41)
SUPERUSER = "demo_superuser"

# One demo account per role: (role, username). The superuser has no role (it sees everything).
DEMO_USERS: tuple[tuple[str, str], ...] = (
    (RoleCode.DISPATCHER, "demo_dispatcher"),
    (RoleCode.OFFICER, "demo_officer"),
    (RoleCode.TEAM_LEADER, "demo_team_leader"),
    (RoleCode.LEGAL_REVIEWER, "demo_legal_reviewer"),
    (RoleCode.ZONE_LEADER, "demo_zone_leader"),
    (RoleCode.JUSTICE_BUREAU, "demo_justice"),
    (RoleCode.ADMIN, "demo_admin"),
    (RoleCode.GRID_WORKER, "demo_grid_worker"),
)


@dataclass
class DemoResult:
    created: bool
    county: County | None
    counts: dict[str, int]


def demo_plan(rng: random.Random) -> CountyPlan:
    """12 townships (3 streets), 8-12 communities each, 2-3 zone grids per community, 2-3 micro grids each."""
    townships = []
    for _ in range(12):
        communities = rng.randint(8, 12)
        zone_grids = [[rng.randint(2, 3) for _z in range(rng.randint(2, 3))] for _c in range(communities)]
        townships.append(TownshipPlan(zone_grids=zone_grids, officers=5, grid_workers=communities))
    # 60 township officers + 30 in departments = 90 certified officers.
    department_officers = [
        3 if spec.short in ("市监", "城管") else 2 if spec.kind == "functional" else 0 for spec in DEPARTMENTS
    ]
    return CountyPlan(
        adcode=DEMO_ADCODE,
        name=DEMO_NAME,
        centre=DEMO_CENTRE,
        radius=0.22,
        townships=townships,
        streets=3,
        department_officers=department_officers,
        zones=4,
        dispatchers=3,
        admins=1,
        justice_staff=2,
        certificates=90 + 6,
        grid_worker_accounts=30,
        geometry="voronoi",
        extras=True,
        issuer="福建省人民政府",
    )


def demo_people(county: County) -> dict[str, object]:
    """The Person behind each demo username (officer, leader, reviewer, grid worker: the first town)."""
    first = county.townships[0]
    grid_worker = next(p for p in first.grid_workers if p.user_id is not None)
    return {
        "demo_dispatcher": county.dispatchers[0],
        "demo_officer": first.officers[2],
        "demo_team_leader": first.officers[0],
        "demo_legal_reviewer": first.officers[1],
        "demo_zone_leader": county.zones[0].leader,
        "demo_justice": county.justice_staff[0],
        "demo_admin": county.admins[0],
        "demo_grid_worker": grid_worker,
    }


def demo_exists() -> bool:
    return Region.objects.filter(adcode=DEMO_ADCODE).exists()


def load_demo(*, actor=None) -> DemoResult:
    """Generate the demo county in one transaction with one record event; do nothing if it exists."""
    if demo_exists():
        return DemoResult(False, None, {})
    user_model = get_user_model()
    with transaction.atomic():
        if Region.objects.select_for_update().filter(adcode=DEMO_ADCODE).exists():
            return DemoResult(False, None, {})
        shared = prepare_shared(DEMO_SEED, DEMO_PASSWORD)
        county = generate_county(demo_plan(shared.rng), shared)
        users = []
        for username, person in demo_people(county).items():
            person.user.username = username
            users.append(person.user)
        user_model.objects.bulk_update(users, ["username"])
        user_model.objects.bulk_create(
            [user_model(username=SUPERUSER, password=shared.password_hash, is_superuser=True, is_staff=True)]
        )
        shared.counts[user_model._meta.label_lower] += 1
        record_generation(
            actor=actor,
            adcode=DEMO_ADCODE,
            label=DEMO_NAME,
            shared=shared,
            extra={"seed": DEMO_SEED, "demo_users": [u for _r, u in DEMO_USERS] + [SUPERUSER]},
        )
    return DemoResult(True, county, dict(shared.counts))
