"""The portal's annual statistics (GO118 (六): published by 31 January): sums equal the cases'."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case, LegalReview, RemedyKind, RemedyProceeding
from zhifa.cases.tests.execution_factories import decided_case
from zhifa.cases.tests.factories import add_party, build_case_world, open_case
from zhifa.disclosure.selectors.portal_stats import area_statistics
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(county):
    """Two penalty decisions of township t0 this year (the real flow), a department's decision without
    penalty last year, and a reconsideration and a lawsuit."""
    world = build_case_world(county)
    first = decided_case(world, fine=Decimal("6000"))
    second = decided_case(world, fine=Decimal("8000"))
    last_year = timezone.localdate().replace(month=6, day=1) - datetime.timedelta(days=365)
    other = open_case(
        world,
        agency=county.department_agency,
        item=world.ungranted,
        region=county.townships[0],
        title="某超市销售过期食品",
        actor=county.user(RoleCode.OFFICER, "dept"),
    )
    add_party(other)
    Case.objects.filter(pk=other.pk).update(
        outcome="no_penalty", decided_on=last_year, decision_number="县市监不罚字〔1〕1号"
    )
    today = timezone.localdate()
    RemedyProceeding.objects.create(
        case=first, kind=RemedyKind.RECONSIDERATION, started_on=today, body="测试县人民政府"
    )
    RemedyProceeding.objects.create(
        case=second, kind=RemedyKind.LITIGATION, started_on=today, body="测试县人民法院"
    )
    return world, [first, second], other, last_year


def test_statistics_equal_the_cases(county, decided) -> None:
    """GO118 (六): cases by type, decisions, fines, reviews, reconsiderations and litigation."""
    _world, cases, _other, _last = decided
    year = timezone.localdate().year
    stats = area_statistics(county.county, year)
    this_year = Case.objects.filter(
        decided_on__year=year, agency__region__adcode__under=county.county.adcode[:6]
    )
    assert stats.total.tally.decisions == this_year.count() == 2
    assert stats.total.tally.fines == this_year.aggregate(s=Sum("fine_amount"))["s"] == Decimal("14000")
    assert stats.total.tally.by_penalty == {"罚款": 2}
    reviews = LegalReview.objects.filter(case__in=cases).values("tier", "status").annotate(n=Count("id"))
    assert stats.total.tally.reviews == {(r["tier"], r["status"]): r["n"] for r in reviews}
    assert stats.total.tally.remedies == {"reconsideration": 1, "litigation": 1}
    assert [a.name for a in stats.agencies] == [county.township_agencies[0].name]
    assert stats.years[0] == year and stats.partial


def test_statistics_page_shows_the_year_and_no_person(county, decided) -> None:
    _world, cases, _other, last = decided
    client = Client()
    year = timezone.localdate().year
    response = client.get(reverse("portal-stats", args=[county.county.adcode, year]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-decisions="2"' in html and "14000" in html
    for case in cases:
        assert case.parties.first().name not in html and case.code not in html
    # The default year: last year's statistics once that year is over (GO118 (六): by 31 January).
    response = client.get(reverse("portal-stats", args=[county.county.adcode]))
    assert response.context["stats"].year == last.year
    township = client.get(reverse("portal-stats", args=[county.townships[0].adcode, last.year]))
    assert township.context["stats"].total.tally.decisions == 0  # the department is the county's


def test_future_and_ancient_years_are_404(county) -> None:
    client = Client()
    future = timezone.localdate().year + 1
    assert client.get(reverse("portal-stats", args=[county.county.adcode, future])).status_code == 404
    assert client.get(reverse("portal-stats", args=[county.county.adcode, 1999])).status_code == 404
    empty = client.get(reverse("portal-stats", args=[county.county.adcode, 2020]))
    assert empty.status_code == 200 and empty.context["stats"].total.tally.decisions == 0


def test_statistics_queries_are_bounded(county, decided, django_assert_max_num_queries) -> None:
    world, _cases, _other, _last = decided
    year = timezone.localdate().year
    with django_assert_max_num_queries(7) as few:
        area_statistics(county.county, year)
    decided_case(world, fine=Decimal("7000"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        stats = area_statistics(county.county, year)
    assert stats.total.tally.decisions == 3
