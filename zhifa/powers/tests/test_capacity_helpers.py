"""Builders for the capacity assessment tests (a test module by name, it holds only helpers).

The world: items GX000-GX002 in market supervision and GXURB in urban management, granted to
township 0 (all four) and township 1 (GX000 and GXURB). Certified officers on the assessment date:

- township 0: market 2 (officer, team leader), urban 1 (officer, from the test county);
- township 1: market 0, urban 2 (officer from the test county, team leader).

So under APL Art. 42 (two officers) township 0 can carry the market items and not GXURB; township 1
can carry GXURB and not GX000 - whatever they rate themselves.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from django.db.models import Count

from zhifa.org.models import Certificate, CertificateStatus, EnforcementDomain, Person, RoleCode
from zhifa.powers import exercise
from zhifa.powers.models import CapacityAssessment, Claim, GrantList, PowerItem, PowerType, SelfRating
from zhifa.powers.selectors import capacity as sel
from zhifa.powers.services import capacity as services
from zhifa.powers.tests.grant_helpers import county_admin, leader, make_items, published_list

if TYPE_CHECKING:  # not imported at run time: pytest would try to collect the TestCounty class here
    from zhifa.org.testing import TestCounty

TODAY = datetime.date.today()
PERIOD_START = TODAY - datetime.timedelta(days=180)
PERIOD_END = TODAY - datetime.timedelta(days=1)


def certify(
    person: Person,
    domain: EnforcementDomain,
    number: str,
    *,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    status: str = CertificateStatus.VALID,
    status_date: datetime.date | None = None,
) -> Certificate:
    certificate = Certificate.objects.create(
        number=number,
        holder=person,
        issuer="测试省人民政府",
        valid_from=valid_from or TODAY - datetime.timedelta(days=365),
        valid_to=valid_to or TODAY + datetime.timedelta(days=365),
        status=status,
        status_date=status_date,
    )
    certificate.domains.set([domain])
    return certificate


@dataclass
class World:
    county: TestCounty
    items: list[PowerItem]  # GX000..GX002, market
    urban: PowerItem  # GXURB, urban management
    grant_list: GrantList

    @property
    def t0(self):
        return self.county.townships[0]

    @property
    def t1(self):
        return self.county.townships[1]


def build_world(county: TestCounty, prefix: str = "GX") -> World:
    items = make_items(county, 3, prefix=prefix)
    urban = PowerItem.objects.create(
        code=f"{prefix}URB",
        name="对占道经营的处罚",
        power_type=PowerType.PENALTY,
        domain=county.domains["urban"],
        original_subject="县城市管理局",
        basis_text="《城市市容和环境卫生管理条例》第三十六条",
    )
    grant_list = published_list(county, {0: [*items, urban], 1: [items[0], urban]})
    market, urban_domain = county.domains["market"], county.domains["urban"]
    code = county.county.adcode[:4]
    certify(county.person(RoleCode.OFFICER, "t0"), market, f"{code}M0")
    certify(county.person(RoleCode.TEAM_LEADER, "t0"), market, f"{code}M1")
    certify(county.person(RoleCode.TEAM_LEADER, "t1"), urban_domain, f"{code}U1")
    return World(county, items, urban, grant_list)


def start_round(world: World, title: str = "2026年度承接能力评估") -> CapacityAssessment:
    return services.capacity_assessment_start(
        actor=county_admin(world.county),
        county=world.county.county,
        grant_list=world.grant_list,
        title=title,
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )


def rate(world: World, assessment: CapacityAssessment, place: str, ratings: dict[PowerItem, str]) -> int:
    township = world.t0 if place == "t0" else world.t1
    rows = [
        services.RatingInput(item.pk, value, "人手不足" if value == SelfRating.UNABLE else "")
        for item, value in ratings.items()
    ]
    return services.capacity_rating_set(
        actor=leader(world.county, place), assessment=assessment, township=township, ratings=rows
    )


def rate_all(world: World, assessment: CapacityAssessment) -> None:
    """The ratings of the module docstring's scenario."""
    gx0, gx1, gx2 = world.items
    rate(
        world,
        assessment,
        "t0",
        {gx0: SelfRating.ABLE, gx1: SelfRating.MOSTLY, gx2: SelfRating.UNABLE, world.urban: SelfRating.ABLE},
    )
    rate(world, assessment, "t1", {gx0: SelfRating.ABLE, world.urban: SelfRating.ABLE})


def claims_source(
    township_ids: Collection[int], item_ids: Collection[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], int]:
    """A real counting source for the tests: claims made in the period, one GROUP BY query."""
    rows = (
        Claim.objects.filter(
            township_id__in=township_ids, item_id__in=item_ids, claimed_on__gte=start, claimed_on__lte=end
        )
        .values("township_id", "item_id")
        .annotate(n=Count("id"))
    )
    return Counter({(r["township_id"], r["item_id"]): r["n"] for r in rows})


@pytest.fixture
def cases_from_claims() -> Iterator[None]:
    """Register the claims source as "cases" for one test, then put back the cases app's own counter
    (registered at start-up): the registry is shared by the tests of a process."""
    installed = next((s for s in exercise.exercise_sources() if s.key == exercise.CASES), None)
    exercise.register_exercise_source(exercise.CASES, "案件", claims_source)
    yield
    exercise.unregister_exercise_source(exercise.CASES)
    if installed is not None:
        exercise.register_exercise_source(installed.key, installed.label, installed.fn)


def report_for(user, assessment):
    """The report as `user` sees it."""
    return sel.capacity_report(user, assessment)


def row(report, township, item):
    """The report row of (township, item)."""
    return next(r for r in report.rows if r.township == township and r.item == item)
