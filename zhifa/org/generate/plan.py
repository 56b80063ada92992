"""What to generate: the plan of a county, shared by the demo county and the province generator."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from zhifa.org.generate.names import DOMAINS
from zhifa.org.models import EnforcementDomain, Region, Role

GEOMETRY_STYLES = ("voronoi", "rect")
_HASHES: dict[str, str] = {}


def password_hash(password: str) -> str:
    """One Argon2 hash per password and process, shared by every generated account (hashing is slow)."""
    if password not in _HASHES:
        _HASHES[password] = make_password(password)
    return _HASHES[password]


@dataclass
class TownshipPlan:
    """One township: `zone_grids[c]` lists the number of micro grids of each zone grid of community c."""

    zone_grids: list[list[int]]
    officers: int  # members of the township enforcement team, all with certificates (>= 2: leader, reviewer)
    grid_workers: int

    @property
    def communities(self) -> int:
        return len(self.zone_grids)

    @property
    def grid_cells(self) -> int:
        return 1 + self.communities + sum(len(z) + sum(z) for z in self.zone_grids)


@dataclass
class CountyPlan:
    """One county. `department_officers[i]` is the number of officers of names.DEPARTMENTS[i]."""

    adcode: str  # 12 digits, ending in 000000
    name: str
    centre: tuple[float, float]  # lon, lat
    radius: float  # degrees
    townships: list[TownshipPlan]
    streets: int  # the first `streets` townships are streets (街道), the others towns (镇) or townships (乡)
    department_officers: list[int]
    zones: int = 4
    dispatchers: int = 2
    admins: int = 1
    justice_staff: int = 2
    certificates: int | None = None  # None: one per officer; more: earlier, expired ones for some officers
    grid_worker_accounts: int | None = None  # None: every grid worker gets a user account
    geometry: str = "voronoi"
    extras: bool = False  # the demo's special cases: expiring, revoked, retired, seconded, number templates
    issuer: str = "福建省人民政府"

    @property
    def grid_cells(self) -> int:
        return 1 + sum(t.grid_cells for t in self.townships)

    @property
    def officers(self) -> int:
        return sum(t.officers for t in self.townships) + sum(self.department_officers)

    @property
    def people(self) -> int:
        grid_workers = sum(t.grid_workers for t in self.townships)
        return self.officers + grid_workers + self.dispatchers + self.admins + self.justice_staff


@dataclass
class Shared:
    """What every county of one run shares: the random generator, date, domains, roles, one password hash."""

    rng: random.Random
    today: datetime.date
    password_hash: str
    domains: dict[str, EnforcementDomain]
    roles: dict[str, Role]
    parent: Region | None = None  # the city (province run) or None (a stand-alone county)
    counts: Counter = field(default_factory=Counter)
    taken_stems: set[str] = field(default_factory=set)


def prepare_shared(
    seed: int, password: str, *, today: datetime.date | None = None, parent: Region | None = None
) -> Shared:
    """Create missing enforcement domains, load roles and hash the password once (Argon2 is slow)."""
    existing = {d.code: d for d in EnforcementDomain.objects.all()}
    missing = [EnforcementDomain(code=code, name=name) for code, name in DOMAINS if code not in existing]
    EnforcementDomain.objects.bulk_create(missing)
    counts: Counter = Counter({"org.enforcementdomain": len(missing)})
    domains = {
        d.code: d for d in EnforcementDomain.objects.filter(code__in=[code for code, _name in DOMAINS])
    }
    roles = {r.code: r for r in Role.objects.all()}
    return Shared(
        rng=random.Random(seed),
        today=today or datetime.date.today(),
        password_hash=password_hash(password),
        domains=domains,
        roles=roles,
        parent=parent,
        counts=counts,
    )


def spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal non-negative integers (the larger ones first)."""
    if parts <= 0:
        return []
    base, extra = divmod(max(total, 0), parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
