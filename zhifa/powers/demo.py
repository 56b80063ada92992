"""The powers part of the demo county: catalogue, guidance list, three grant list versions and claims.

Seeds 000 and 002 describe the flow the demo walks through with the real services: the province's
guidance list (指导清单), townships draft their selection (乡镇梳理), the county confirms (县级确认), the
city coordinates (市级统筹), the list is published with an effective date, and townships claim (认领) the
items they take on ("各乡镇根据自身条件分别承接了232—283项不等"), leaving some unclaimed. An adjustment is
a new version ([ZJ-CAE] Art. 10, [HN-2025]): version 1 in force from 2024-01-01, version 2 from
2025-07-01 with a few items added and removed, version 3 still being drafted.

Idempotent: each step looks for what it would create and writes nothing when it is there. Everything
runs in one transaction, so a failure leaves no half-built demo.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from zhifa.core.record import record_event
from zhifa.org.generate.names import uscc
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Department,
    DepartmentKind,
    EnforcementDomain,
    Person,
    PersonStatus,
    Region,
    RoleCode,
)
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.services.structure import agency_create, department_create
from zhifa.powers.catalog import FIRE_DOMAIN, ensure_catalog_domains, load_power_catalog, read_catalog
from zhifa.powers.demo_capacity import load_capacity_demo
from zhifa.powers.models import GrantList, GuidanceList, PowerItem
from zhifa.powers.policies import can_act_for_county, can_act_for_township
from zhifa.powers.services import claims, grants

SEED = 20260301
GUIDANCE_NAME = "福建省乡镇（街道）赋权指导清单（示范）"
GUIDANCE_SIZE = 120
GUIDANCE_PUBLISHED = datetime.date(2023, 10, 1)
V1_EFFECTIVE = datetime.date(2024, 1, 1)
V2_EFFECTIVE = datetime.date(2025, 7, 1)
# The cases the seeds tell of, granted to every township: a unit misusing fire extinguishers (seed 000),
# welders without special-operation qualification and river sand mining and washing (seed 002), and
# illegal fishing gear (seed 001: nets and cage traps seized).
SEED_CODES = ("CF-XF-001", "CF-XF-002", "CF-AQ-006", "CF-SL-011", "CF-SL-012", "CF-NY-001", "CF-NY-003")
# Share of a township's granted items it claims in each version (seed 002: 232 to 283 of 284 in force
# now; version 1 is history, so fewer of its claims are made: each claim is a service call and an event).
V1_CLAIM_SHARE = 0.2
V2_CLAIM_SHARE = 0.8
# Items each township takes on in version 1, of the guidance list's 120.
GRANT_SIZE = (40, 60)


@dataclass
class PowerDemoResult:
    """Whether anything was written, and how many rows of each kind."""

    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def fire_department(county: Region, *, actor: Any = None) -> Department:
    """The county fire and rescue brigade (县消防救援大队) with its agency, created when missing.

    The catalogue's fire items name it as their original subject; the competence resolver finds it by
    its domain, so an unclaimed fire item stays with it.
    """
    name = f"{county.name}消防救援大队"
    short = f"{county.name[0]}消防"
    department = Department.objects.filter(region=county, name=name).first()
    if department is None:
        domain = EnforcementDomain.objects.get(code=FIRE_DOMAIN[0])
        department = department_create(
            actor=actor,
            name=name,
            short_name=short,
            region=county,
            kind=DepartmentKind.FUNCTIONAL,
            domains=[domain],
        )
    if not Agency.objects.filter(department=department).exists():
        agency_create(
            actor=actor,
            name=name,
            short_name=short,
            kind=AgencyKind.DEPARTMENT,
            region=county,
            department=department,
            uscc=uscc(random.Random(f"{SEED}{county.adcode}"), county.adcode),
        )
    return department


def _guidance_region(county: Region) -> Region:
    """The province the guidance list is published by, or the county when the demo has no province."""
    province = Region.objects.filter(adcode=county.adcode[:2].ljust(12, "0")).first()
    return province or county


def guidance_list(county: Region, *, actor: Any = None) -> GuidanceList:
    """The provincial guidance list of the demo (~120 catalogue items, the seed items among them)."""
    region = _guidance_region(county)
    existing = GuidanceList.objects.filter(name=GUIDANCE_NAME, region=region).first()
    if existing is not None:
        return existing
    codes = sorted(row["事项编码"] for row in read_catalog())
    rng = random.Random(SEED)
    pool = [code for code in codes if code not in SEED_CODES]
    chosen = [*SEED_CODES, *rng.sample(pool, min(len(pool), GUIDANCE_SIZE - len(SEED_CODES)))]
    items = list(PowerItem.objects.filter(code__in=chosen, is_active=True))
    with transaction.atomic():
        guidance = GuidanceList.objects.create(
            name=GUIDANCE_NAME,
            region=region,
            published_on=GUIDANCE_PUBLISHED,
            document="闽委编办〔2023〕示范",
        )
        guidance.items.set(items)
        after = {
            "name": guidance.name,
            "region": region.adcode,
            "published_on": guidance.published_on.isoformat(),
            "items": sorted(item.code for item in items),
        }
        record_event(actor=actor, action="guidance_list.create", obj=guidance, after=after)
    return guidance


def _active_people(prefix: str, role: str):
    return Person.objects.filter(
        region__adcode__startswith=prefix,
        roles__code=role,
        status=PersonStatus.ACTIVE,
        user__isnull=False,
        user__is_active=True,
    ).order_by("pk")


def _superuser():
    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def county_actor(county: Region):
    """The county's administrator (else its justice bureau, else a superuser) who confirms and publishes."""
    for role in (RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU):
        for person in _active_people(county.prefix, role).filter(region=county):
            if can_act_for_county(person.user, county):
                return person.user
    user = _superuser()
    if user is None:
        raise RuntimeError(f"no county administrator or superuser for {county.adcode}")
    return user


def township_actor(township: Region):
    """The township's team leader (else its administrator, else a superuser) who drafts and claims."""
    for role in (RoleCode.TEAM_LEADER, RoleCode.ADMIN):
        for person in _active_people(township.prefix, role):
            if can_act_for_township(person.user, township):
                return person.user
    user = _superuser()
    if user is None:
        raise RuntimeError(f"no team leader or superuser for {township.adcode}")
    return user


def _take_through_steps(grant_list: GrantList, admin: Any, effective: datetime.date, document: str) -> None:
    grants.grant_list_confirm(
        actor=admin, grant_list=grant_list, comment="经县司法局审核，同意各乡镇梳理结果。"
    )
    grants.grant_list_coordinate(actor=admin, grant_list=grant_list, comment="市级统筹同意（县级代行）。")
    grants.grant_list_publish(
        actor=admin,
        grant_list=grant_list,
        effective_from=effective,
        document=document,
        comment="经县人民政府常务会议研究同意，予以公布。",
    )


def _claim(
    grant_list: GrantList,
    township: Region,
    actor: Any,
    items: list[PowerItem],
    share: float,
    start: datetime.date,
    rng: random.Random,
) -> int:
    """Claim `share` of `items` (the seed items always), leaving the rest with the departments."""
    seed = [item for item in items if item.code in SEED_CODES]
    others = [item for item in items if item.code not in SEED_CODES]
    chosen = seed + rng.sample(others, max(0, round(len(items) * share) - len(seed)))
    for item in sorted(chosen, key=lambda i: i.code):
        claims.claim_create(
            actor=actor,
            grant_list=grant_list,
            township=township,
            item=item,
            claimed_on=start + datetime.timedelta(days=rng.randint(0, 45)),
        )
    return len(chosen)


def grant_title(county: Region) -> str:
    """The name counties give the list (赋予乡镇（街道）行政执法事项清单)."""
    return f"{county.name}赋予乡镇（街道）行政执法事项清单"


def _version_one(county, townships, guidance, admin, rng, counts) -> tuple[GrantList, dict[int, list]]:
    v1 = grants.grant_list_create_version(
        actor=admin, county=county, title=grant_title(county), guidance=guidance
    )
    pool = sorted(guidance.items.all(), key=lambda i: i.code)
    seed = [item for item in pool if item.code in SEED_CODES]
    others = [item for item in pool if item.code not in SEED_CODES]
    selections: dict[int, list[PowerItem]] = {}
    for township in townships:
        # Each township takes on what it can (seed 002), so the selections differ.
        size = rng.randint(*GRANT_SIZE)
        items = sorted(seed + rng.sample(others, size - len(seed)), key=lambda i: i.code)
        grants.grant_entries_set_for_township(
            actor=township_actor(township),
            grant_list=v1,
            township=township,
            items=items,
            comment="已结合本乡镇承接能力梳理完毕。",
        )
        selections[township.pk] = items
        counts["powers.grantentry"] += len(items)
    _take_through_steps(v1, admin, V1_EFFECTIVE, f"{county.name[0]}政〔2023〕68号")
    for township in townships:
        counts["powers.claim"] += _claim(
            v1, township, township_actor(township), selections[township.pk], V1_CLAIM_SHARE, V1_EFFECTIVE, rng
        )
    return v1, selections


def _version_two(county, townships, v1, selections, admin, rng, counts) -> GrantList:
    v2 = grants.grant_list_create_version(
        actor=admin, county=county, title=f"{grant_title(county)}（2025年调整）", based_on=v1
    )
    pool = sorted(v1.guidance.items.all(), key=lambda i: i.code)
    # Dynamic adjustment ([HN-2025], seed 004): four townships add a few items and give a few back.
    for township in townships[:4]:
        current = selections[township.pk]
        held = {item.pk for item in current}
        added = rng.sample([item for item in pool if item.pk not in held], 3)
        removable = [item for item in current if item.code not in SEED_CODES]
        removed = {item.pk for item in rng.sample(removable, 2)}
        items = sorted([i for i in current if i.pk not in removed] + added, key=lambda i: i.code)
        grants.grant_entries_set_for_township(
            actor=township_actor(township),
            grant_list=v2,
            township=township,
            items=items,
            comment="根据承接能力评估结果调整：新增3项，退回2项。",
        )
        selections[township.pk] = items
    counts["powers.grantentry"] += sum(len(items) for items in selections.values())
    _take_through_steps(v2, admin, V2_EFFECTIVE, f"{county.name[0]}政〔2025〕31号")
    for township in townships:
        counts["powers.claim"] += _claim(
            v2, township, township_actor(township), selections[township.pk], V2_CLAIM_SHARE, V2_EFFECTIVE, rng
        )
    return v2


def _version_three(county, townships, v2, selections, admin, rng, counts) -> GrantList:
    v3 = grants.grant_list_create_version(
        actor=admin, county=county, title=f"{grant_title(county)}（2026年调整）", based_on=v2
    )
    counts["powers.grantentry"] += sum(len(items) for items in selections.values())
    township = townships[-1]
    held = {item.pk for item in selections[township.pk]}
    extra = [item for item in sorted(v2.guidance.items.all(), key=lambda i: i.code) if item.pk not in held]
    if extra:
        items = [*selections[township.pk], rng.choice(extra)]
        grants.grant_entries_set_for_township(
            actor=township_actor(township),
            grant_list=v3,
            township=township,
            items=items,
            comment="拟新增承接1项，待县级确认。",
        )
        counts["powers.grantentry"] += 1
    return v3


def load_power_demo(county_region: Region, *, actor: Any = None) -> PowerDemoResult:
    """Give `county_region` the powers demo; nothing is written for what is already there.

    (1) the catalogue (with the fire domain and the county fire brigade it needs), (2) the guidance list,
    (3) grant list version 1 (published, in force 2024-01-01) and claims, version 2 (a few items added
    and removed, in force 2025-07-01) and claims, and version 3 in drafting; (4) a capacity assessment
    round over version 2 with half the townships rated (zhifa/powers/demo_capacity.py).
    """
    counts: Counter = Counter()
    with transaction.atomic():
        counts["org.enforcementdomain"] += len(ensure_catalog_domains(actor=actor))
        departments = Department.objects.count()
        fire_department(county_region, actor=actor)
        counts["org.department"] += Department.objects.count() - departments
        counts["powers.poweritem"] += load_power_catalog(actor=actor)["created"]
        guidances = GuidanceList.objects.count()
        guidance = guidance_list(county_region, actor=actor)
        counts["powers.guidancelist"] += GuidanceList.objects.count() - guidances
        if not GrantList.objects.filter(county=county_region).exists():
            townships = list(
                Region.objects.filter(parent=county_region, level__in=TOWNSHIP_LEVELS).order_by("adcode")
            )
            admin = county_actor(county_region)
            rng = random.Random(SEED)
            v1, selections = _version_one(county_region, townships, guidance, admin, rng, counts)
            v2 = _version_two(county_region, townships, v1, selections, admin, rng, counts)
            _version_three(county_region, townships, v2, selections, admin, rng, counts)
            counts["powers.grantlist"] += 3
        load_capacity_demo(county_region, county_actor(county_region), township_actor, counts)
    counts = Counter({key: value for key, value in counts.items() if value})
    return PowerDemoResult(created=bool(counts), counts=dict(counts))
