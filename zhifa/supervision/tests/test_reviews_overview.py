"""The legal review overview's figures (zhifa.supervision.selectors.reviews.review_overview): counts by tier
and outcome, working days taken, the share decided within the limit (GO118 (十四)), per agency rows, the
overdue list, the reviews sent back and the checks failed most often (GO118 (十三)), the reviewers'
share of the staff (GO118 (十一)), data scoping and a query count that does not grow with the reviews."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases.models import CaseState, ReviewStatus, ReviewTier
from zhifa.org.models import RoleCode
from zhifa.supervision.selectors.reviews import review_overview
from zhifa.supervision.tests.test_reviews_data import add_review

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH = {"period_from": D(2025, 3, 1), "period_to": D(2025, 3, 31), "today": D(2025, 3, 20)}
P, F, W = ReviewStatus.PASSED, ReviewStatus.FAILED, ReviewStatus.PENDING
TOWNSHIP, DEPARTMENT, PANEL = ReviewTier.TOWNSHIP, ReviewTier.DEPARTMENT, ReviewTier.PANEL


def justice(county):
    return county.user(RoleCode.JUSTICE_BUREAU, "county")


@pytest.fixture
def march(county, other_county):
    """Reviews of March 2025 in the test county (2025-03-03 is a Monday), one of February still pending,
    and reviews of another county that must never count."""
    t0 = county.township_agencies[0]
    rows = {
        # township tier, t0: working days 2, 1 (over a weekend), 9 (late: due 03-12), 1 and 2 (sent back)
        "a": add_review(county, status=P, submitted=D(2025, 3, 3), decided=D(2025, 3, 5), due=D(2025, 3, 12)),
        "b": add_review(
            county, status=P, submitted=D(2025, 3, 7), decided=D(2025, 3, 10), due=D(2025, 3, 18)
        ),
        "c": add_review(
            county, status=P, submitted=D(2025, 3, 3), decided=D(2025, 3, 14), due=D(2025, 3, 12)
        ),
        "d": add_review(
            county,
            status=F,
            submitted=D(2025, 3, 10),
            decided=D(2025, 3, 11),
            due=D(2025, 3, 19),
            failed=("facts", "documents"),
            opinion="证据不足，文书不全，退回补正。",
        ),
        "e": add_review(
            county,
            status=F,
            submitted=D(2025, 3, 10),
            decided=D(2025, 3, 12),
            due=D(2025, 3, 19),
            failed=("facts",),
            opinion="缺少当事人询问笔录。",
        ),
        # pending: a panel review overdue since 03-12, a department review not yet due, a suspended case's
        "panel": add_review(county, tier=PANEL, submitted=D(2025, 3, 3), due=D(2025, 3, 12)),
        "dept_pending": add_review(county, tier=DEPARTMENT, submitted=D(2025, 3, 17), due=D(2025, 3, 26)),
        "suspended": add_review(
            county, submitted=D(2025, 3, 3), due=D(2025, 3, 12), state=CaseState.SUSPENDED
        ),
        # the department's own case, co-reviewed and passed in 2 working days
        "dept": add_review(
            county,
            agency=county.department_agency,
            tier=DEPARTMENT,
            status=P,
            submitted=D(2025, 3, 4),
            decided=D(2025, 3, 6),
            due=D(2025, 3, 13),
        ),
        # submitted in February: outside the period, but overdue now
        "february": add_review(county, submitted=D(2025, 2, 10), due=D(2025, 2, 19)),
    }
    for status in (P, F, W):
        add_review(
            other_county, status=status, submitted=D(2025, 3, 5), decided=D(2025, 3, 6), due=D(2025, 3, 6)
        )
    rows["t0"] = t0
    return rows


def test_counts_by_tier_and_outcome(county, march):
    """APL Art. 58; seed 000's three tiers: passed, sent back, pending and overdue per tier."""
    overview = review_overview(justice(county), **MARCH)
    tiers = {row.tier: row.figures.outcomes for row in overview.tiers}
    assert [t.tier for t in overview.tiers] == [TOWNSHIP, DEPARTMENT, PANEL]
    assert (tiers[TOWNSHIP].passed, tiers[TOWNSHIP].failed, tiers[TOWNSHIP].pending) == (3, 2, 1)
    assert tiers[TOWNSHIP].overdue == 0  # the suspended case's review is not waiting for its reviewer
    assert (tiers[DEPARTMENT].passed, tiers[DEPARTMENT].pending, tiers[DEPARTMENT].overdue) == (1, 1, 0)
    assert (tiers[PANEL].total, tiers[PANEL].pending, tiers[PANEL].overdue) == (1, 1, 1)
    total = overview.total.outcomes
    assert (total.total, total.passed, total.failed, total.pending, total.overdue) == (9, 4, 2, 3, 1)


def test_working_days_taken_and_the_share_within_the_limit(county, march):
    """GO118 (十四): time taken in working days (weekends not counted); within the agency's limit
    means decided on or before due_on, the limit fixed when the review was submitted."""
    overview = review_overview(justice(county), **MARCH)
    township = next(r.figures.timing for r in overview.tiers if r.tier == TOWNSHIP)
    assert sorted(township.days) == [1, 1, 2, 2, 9]
    assert (township.median, township.p90, township.max) == (2, 9, 9)
    assert (township.decided, township.within_limit, township.within_share) == (5, 4, 80.0)
    panel = next(r.figures.timing for r in overview.tiers if r.tier == PANEL)
    assert (panel.decided, panel.median, panel.p90, panel.max, panel.within_share) == (
        0,
        None,
        None,
        None,
        None,
    )
    total = overview.total.timing
    assert (total.decided, total.median, total.within_share) == (6, 2, 83.3)


def test_per_agency_rows(county, march):
    overview = review_overview(justice(county), **MARCH)
    rows = {row.agency.pk: row for row in overview.agencies}
    t0, t1 = county.township_agencies
    # Townships first, then the county's departments (the justice bureau's agency among them).
    assert [r.agency.pk for r in overview.agencies][:2] == [t0.pk, t1.pk]
    assert county.department_agency.pk in rows and county.justice_agency.pk in rows
    o = rows[t0.pk].figures.outcomes
    assert (o.total, o.passed, o.failed, o.pending, o.overdue) == (8, 3, 2, 3, 1)
    assert rows[t1.pk].figures.outcomes.total == 0
    dept = rows[county.department_agency.pk].figures
    assert (dept.outcomes.passed, dept.timing.days, dept.timing.within_share) == (1, [2], 100.0)


def test_overdue_list_whenever_submitted(county, march):
    """GO118 (十四): every pending review past its limit while its case waits in review, the longest
    overdue first, with the working days late; not limited to the period."""
    overview = review_overview(justice(county), **MARCH)
    assert [r.review.pk for r in overview.overdue] == [march["february"].pk, march["panel"].pk]
    late = {r.review.pk: r for r in overview.overdue}
    # 03-13, 14, 17, 18, 19, 20: six working days after the limit of 03-12.
    assert late[march["panel"].pk].days_late == 6
    assert {r.level for r in overview.overdue} == {"overdue"}
    assert overview.overdue_count == 2


def test_reviews_sent_back_with_their_opinions_and_the_checks_that_failed(county, march):
    """GO118 (十三): the written opinion and the failed checks; the check failed most often first."""
    overview = review_overview(justice(county), **MARCH)
    assert [r.review.pk for r in overview.returned] == [march["e"].pk, march["d"].pk]
    assert [str(label) for label in overview.returned[1].failed_checks] == [
        "案件事实是否清楚，证据是否合法充分",
        "执法文书是否完备、规范",
    ]
    assert [(c.key, c.count) for c in overview.failed_checks] == [("facts", 2), ("documents", 1)]


def test_filters_by_agency_and_tier(county, march):
    user = justice(county)
    by_agency = review_overview(user, agency_id=county.department_agency.pk, **MARCH)
    assert by_agency.total.outcomes.total == 1
    assert [r.agency.pk for r in by_agency.agencies] == [county.department_agency.pk]
    assert by_agency.overdue == [] and by_agency.returned == []
    panel = review_overview(user, tier=PANEL, **MARCH)
    assert [r.tier for r in panel.tiers] == [PANEL]
    assert panel.total.outcomes.total == 1 and len(panel.overdue) == 1
    short = review_overview(user, period_from=D(2025, 3, 10), period_to=D(2025, 3, 10), today=D(2025, 3, 20))
    assert short.total.outcomes.total == 2  # d and e, submitted on 03-10


def test_another_county_never_counts(county, other_county, march):
    """Data scoping: the justice bureau sees its county; the other county's reviews (one of each
    outcome, all in March) appear nowhere, and its own bureau sees only them."""
    overview = review_overview(justice(county), **MARCH)
    assert overview.total.outcomes.total == 9
    assert all(r.agency.region.adcode.startswith("350102") for r in overview.agencies)
    theirs = review_overview(justice(other_county), **MARCH)
    assert (theirs.total.outcomes.total, theirs.total.outcomes.passed) == (3, 1)
    assert {r.agency.region.adcode[:4] for r in theirs.agencies} == {"3502"}


def test_a_township_administrator_sees_their_township_only(county, march):
    """A township reads the matters of its township: its own agency's reviews, and a department's case
    that happened there (the department's row is added for it); not the other township's."""
    admin_t0 = county.user(RoleCode.ADMIN, "t0")
    overview = review_overview(admin_t0, **MARCH)
    assert [r.agency for r in overview.agencies] == [march["t0"], county.department_agency]
    assert overview.total.outcomes.total == 9
    admin_t1 = review_overview(county.user(RoleCode.ADMIN, "t1"), **MARCH)
    assert admin_t1.total.outcomes.total == 0 and admin_t1.overdue == []


def test_reviewers_share_of_the_enforcement_staff(county, march):
    """GO118 (十一): legal reviewers, in principle at least 5% of the enforcement staff."""
    overview = review_overview(justice(county), **MARCH)
    t0 = next(r for r in overview.agencies if r.agency == march["t0"])
    assert (t0.staffing.reviewers, t0.staffing.staff, t0.staffing.share, t0.staffing.meets) == (
        1,
        2,
        50.0,
        True,
    )
    assert overview.staffing.reviewers == 2 and overview.staffing.staff >= 4


def _queries(county) -> int:
    user = get_user_model().objects.get(pk=justice(county).pk)
    review_overview(user, **MARCH)  # warm: the user's roles and scope, the working-day tables
    with CaptureQueriesContext(connection) as captured:
        review_overview(user, **MARCH)
    return len(captured)


def test_query_count_does_not_grow_with_the_reviews(county):
    """10 reviews or 60: the same number of queries (grouped counts, one list of dates, capped lists)."""

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            day = D(2025, 3, 3) + datetime.timedelta(days=i % 14)
            status = (P, F, W)[i % 3]
            agency = county.township_agencies[i % 2]
            add_review(
                county,
                agency=agency,
                status=status,
                tier=(TOWNSHIP, DEPARTMENT, PANEL)[i % 3],
                submitted=day,
                decided=day + datetime.timedelta(days=2),
                due=day + datetime.timedelta(days=3),
                failed=("facts",) if status == F else (),
            )

    add(10, 0)
    few = _queries(county)
    add(50, 10)
    many = _queries(county)
    assert few == many, (few, many)
    assert many <= 12
