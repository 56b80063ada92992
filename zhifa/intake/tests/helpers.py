"""A world for the intake tests: micro grids at real coordinates, a category, items and competence.

The test county's own grid lies at (0..2, 0..1), which is not a place in China; intake checks that
positions are plausible, so micro grids are added near 118°E 26°N under the community cells:
t0 gets two neighbouring micro grids, t1 one. Items: A (market) granted to and claimed by t0, B
(market) not granted: A alone goes to t0's team, B alone is transferred to the market department,
A and B together go to the joint meeting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from zhifa.intake.models import ClueCategory, ClueSource
from zhifa.intake.services.report import ClueInput
from zhifa.org.models import GridCell, GridLevel, RoleCode
from zhifa.org.testing import TestCounty, square_cell
from zhifa.powers.models import PowerItem
from zhifa.powers.services.claims import claim_create
from zhifa.powers.tests.grant_helpers import leader, make_items, published_list

X0, Y0, SIZE = 118.0, 26.0, 0.01
INSIDE_T0 = (X0 + SIZE / 2, Y0 + SIZE / 2)
INSIDE_T0_NEIGHBOUR = (X0 + SIZE * 1.5, Y0 + SIZE / 2)
INSIDE_T1 = (X0 + SIZE * 3.5, Y0 + SIZE / 2)
OUTSIDE = (X0 + 0.5, Y0 + 0.5)


@dataclass
class IntakeWorld:
    county: TestCounty
    category: ClueCategory
    claimed: PowerItem
    ungranted: PowerItem
    micro: list[GridCell]

    def user(self, role: str, place: str = "t0"):
        return self.county.user(role, place)


def build_intake_world(county: TestCounty) -> IntakeWorld:
    micro = []
    for n, (index, column) in enumerate(((0, 0), (0, 1), (1, 3))):
        cell = GridCell.objects.create(
            code=f"{county.county.adcode[:4]}M{n}",
            name=f"微网格{n}",
            level=GridLevel.MICRO_GRID,
            region=county.communities[index],
            parent=county.grid[index],
            **square_cell(X0 + SIZE * column, Y0, SIZE),
        )
        cell.workers.add(county.person(RoleCode.GRID_WORKER, f"t{index}"))
        micro.append(cell)
    claimed, ungranted = make_items(county, 2, prefix="IN")
    grant_list = published_list(county, {0: [claimed]}, effective_from=datetime.date(2024, 1, 1))
    claim_create(
        actor=leader(county, "t0"),
        grant_list=grant_list,
        township=county.townships[0],
        item=claimed,
        claimed_on=datetime.date(2024, 1, 1),
    )
    category = ClueCategory.objects.create(code="street", name="占道经营", domain=county.domains["market"])
    return IntakeWorld(county, category, claimed, ungranted, micro)


def clue_input(world: IntakeWorld, point=INSIDE_T0, **overrides) -> ClueInput:
    values = {
        "source": ClueSource.GRID,
        "category": world.category,
        "text": "菜市场门口有商贩占道经营，堵塞通道",
        "lng": point[0] if point else None,
        "lat": point[1] if point else None,
    }
    values.update(overrides)
    return ClueInput(**values)
