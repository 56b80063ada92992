"""Builders for the grant list tests: items, a guidance list and versions taken through the steps."""

from __future__ import annotations

import datetime

from zhifa.org.models import RoleCode
from zhifa.org.testing import TestCounty
from zhifa.powers.models import GrantList, GuidanceList, PowerItem, PowerType
from zhifa.powers.services import grants as services

JAN = datetime.date(2026, 1, 1)
JUL = datetime.date(2026, 7, 1)


def make_items(county: TestCounty, n: int = 3, prefix: str = "GX") -> list[PowerItem]:
    return [
        PowerItem.objects.create(
            code=f"{prefix}{i:03d}",
            name=f"对违法行为{i}的处罚",
            power_type=PowerType.PENALTY,
            domain=county.domains["market"],
            original_subject="县市场监督管理局",
            basis_text=f"《某法》第{i + 10}条",
        )
        for i in range(n)
    ]


def make_guidance(county: TestCounty, items: list[PowerItem]) -> GuidanceList:
    guidance = GuidanceList.objects.create(name="省级指导清单", region=county.county, published_on=JAN)
    guidance.items.set(items)
    return guidance


def county_admin(county: TestCounty):
    return county.user(RoleCode.ADMIN, "county")


def leader(county: TestCounty, place: str = "t0"):
    return county.user(RoleCode.TEAM_LEADER, place)


def published_list(
    county: TestCounty,
    selections: dict[int, list[PowerItem]],
    effective_from: datetime.date = JAN,
    based_on: GrantList | None = None,
    guidance: GuidanceList | None = None,
) -> GrantList:
    """A version taken through every step; `selections` maps township index to its items."""
    admin = county_admin(county)
    gl = services.grant_list_create_version(
        actor=admin, county=county.county, title="赋权清单", based_on=based_on, guidance=guidance
    )
    for index, items in selections.items():
        services.grant_entries_set_for_township(
            actor=leader(county, f"t{index}"),
            grant_list=gl,
            township=county.townships[index],
            items=items,
            comment="梳理完毕",
        )
    services.grant_list_confirm(actor=admin, grant_list=gl, comment="同意")
    services.grant_list_coordinate(actor=admin, grant_list=gl, comment="统筹同意")
    services.grant_list_publish(
        actor=admin, grant_list=gl, effective_from=effective_from, document=f"测政〔2026〕{gl.number}号"
    )
    return gl
