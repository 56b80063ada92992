"""Review data for the overview's tests, and a check that the data are what the tests think they are.

Two ways to build reviews:
- `add_review`: one case and one review row written directly, with exactly the dates, tier and outcome a
  figure needs (working days across a weekend, a limit met or missed, 10 or 60 rows for the query
  count). Test scaffolding, like zhifa/org/testing.py: the overview only reads these rows.
- zhifa.cases.tests.review_helpers (used by test_reviews_check.py and the browser test): cases taken
  through the real engine and review service, for the end-to-end claims (APL Art. 58).
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhifa.cases.models import Case, CaseSource, CaseState, LegalReview, ReviewStatus, ReviewTier
from zhifa.cases.review_checklist import CHECK_KEYS
from zhifa.org import testing
from zhifa.org.models import Agency
from zhifa.powers.models import PowerItem, PowerType

pytestmark = pytest.mark.django_db

_codes = itertools.count(1)

STATE_OF = {
    ReviewStatus.PENDING: CaseState.REVIEW,
    ReviewStatus.PASSED: CaseState.DECIDING,
    ReviewStatus.FAILED: CaseState.INVESTIGATING,
}


def review_item(county: testing.TestCounty) -> PowerItem:
    prefix = county.county.adcode[:4]
    item, _created = PowerItem.objects.get_or_create(
        code=f"{prefix}RV001",
        defaults={
            "name": "对占道经营的处罚",
            "power_type": PowerType.PENALTY,
            "domain": county.domains["urban"],
            "original_subject": "县城市管理局",
            "basis_text": "《城市市容和环境卫生管理条例》第三十六条",
            "penalty_types": ["警告", "罚款"],
            "fine_min": Decimal("100"),
            "fine_max": Decimal("5000"),
        },
    )
    return item


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def answers(*failed: str) -> dict[str, dict[str, Any]]:
    """Every GO118 (十三) check answered; the `failed` ones "fail" with an opinion."""
    return {
        key: {"passed": key not in failed, "opinion": "存在问题" if key in failed else ""}
        for key in CHECK_KEYS
    }


def add_review(
    county: testing.TestCounty,
    *,
    agency: Agency | None = None,
    status: str = ReviewStatus.PENDING,
    tier: str = ReviewTier.TOWNSHIP,
    submitted: datetime.date,
    decided: datetime.date | None = None,
    due: datetime.date | None = None,
    state: str | None = None,
    failed: tuple[str, ...] = (),
    opinion: str = "",
) -> LegalReview:
    """One case of `agency` (default: township t0) with one review round as described."""
    agency = agency or county.township_agencies[0]
    region = agency.region if agency.region.is_township_level else county.townships[0]
    now = timezone.now()
    case = Case.objects.create(
        code=f"RV{county.county.adcode[:4]}-{next(_codes):05d}",
        source=CaseSource.SELF,
        agency=agency,
        region=region,
        item=review_item(county),
        title="某商户占道经营",
        act_on=submitted - datetime.timedelta(days=20),
        discovered_on=submitted - datetime.timedelta(days=15),
        filed_on=submitted - datetime.timedelta(days=10),
        review_tier=tier,
        state=state or STATE_OF[status],
        created_at=now,
        updated_at=now,
    )
    decided_at = at(decided, 16) if decided and status != ReviewStatus.PENDING else None
    return LegalReview.objects.create(
        case=case,
        tier=tier,
        status=status,
        submitted_at=at(submitted),
        due_on=due or submitted + datetime.timedelta(days=9),
        decided_at=decided_at,
        answers=answers(*failed) if decided_at else {},
        opinion=opinion,
    )


def test_a_built_review_is_read_through_its_case_scope(county, other_county):
    """The builder's rows follow the scoping rules: the justice bureau reads its own county's only."""
    from zhifa.org.models import RoleCode
    from zhifa.org.scoping import visible

    ours = add_review(county, submitted=datetime.date(2025, 3, 3))
    add_review(other_county, submitted=datetime.date(2025, 3, 3))
    justice = county.user(RoleCode.JUSTICE_BUREAU, "county")
    assert list(visible(LegalReview.objects.all(), justice)) == [ours]
    assert ours.case.state == CaseState.REVIEW and ours.case.region == county.townships[0]
